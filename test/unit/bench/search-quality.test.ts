/**
 * The search-quality benchmark in small: one tuning world, one seed, with a loose bound that still
 * fails for a search that hands back its starting prompt (0% of the gap closed). The full table (every
 * preset, world and seed) is `npm run bench` → search-quality.
 */
import { describe, expect, it } from 'vitest';
import { runQualityTrial } from '../../../bench/search-quality';

describe('search quality on a simulated world nobody tuned to by hand', () => {
  it('quick closes a real part of the gap, says so, and the verdict is true', async () => {
    const t = await runQualityTrial({ preset: 'quick', world: 'tune-d', seed: 2 });
    expect(t.status).toBe('completed');
    expect(t.outcome).toBe('improved');
    expect(t.gapClosed).toBeGreaterThan(0.3);
    expect(t.artifact!.scores.validation!).toBeGreaterThan(t.artifact!.scores.initialValidation!);
    expect(t.silentRegression).toBe(false);
    // The ceiling is the best prompt in the run's own tree: never below what was returned, and for a
    // search that climbed, above the start.
    expect(t.ceilingGap).toBeGreaterThanOrEqual(t.gapClosed);
    expect(t.ceilingGap).toBeGreaterThan(0.3);
  });
});
