/**
 * The search-quality benchmark in small: one tuning world, a few seeds, with loose bounds that still
 * fail for a search that hands back its starting prompt (0% of the gap closed) or claims a gain it did
 * not make. The full table (every preset, world and seed) is `npm run bench` → search-quality.
 */
import { describe, expect, it } from 'vitest';
import { runQualityTrial } from '../../../bench/search-quality';

describe('search quality on a simulated world nobody tuned to by hand', () => {
  it('quick closes a real part of the gap in some runs, says so, and every claim is true', async () => {
    const trials = [];
    for (let seed = 1; seed <= 5; seed++)
      trials.push(await runQualityTrial({ preset: 'quick', world: 'tune-d', seed }));
    for (const t of trials) {
      expect(t.status).toBe('completed');
      expect(t.silentRegression).toBe(false);
      // The ceiling is the best prompt in the run's own tree: never below what was returned.
      expect(t.ceilingGap).toBeGreaterThanOrEqual(t.gapClosed);
    }
    const improved = trials.filter((t) => t.outcome === 'improved');
    expect(improved.length).toBeGreaterThanOrEqual(2);
    for (const t of improved) {
      expect(t.gapClosed).toBeGreaterThan(0.2);
      expect(t.artifact!.scores.validation!).toBeGreaterThan(t.artifact!.scores.initialValidation!);
    }
    // Every other run hands back the start, marked as such.
    for (const t of trials.filter((x) => x.outcome !== 'improved')) {
      expect(t.outcome).toBe('no-improvement');
      expect(t.artifact!.systemPrompt).toBe(t.artifact!.initialPrompt);
    }
    const mean = trials.reduce((a, t) => a + t.gapClosed, 0) / trials.length;
    expect(mean).toBeGreaterThan(0.15);
  });
});
