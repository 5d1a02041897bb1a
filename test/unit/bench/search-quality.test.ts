/**
 * The search-quality benchmark in small: one tuning world, a few seeds, with loose bounds that still
 * fail for a search that hands back its starting prompt (0% of the gap closed) or claims a gain it did
 * not make. The full table (every preset, world and seed) is `npm run bench` → search-quality.
 */
import { describe, expect, it } from 'vitest';
import { officialTrials, runQualityTrial } from '../../../bench/search-quality';
import { plannedValidationSize, splitForRun } from '../../../src/core/plan/plan-run';
import { DEFAULT_INITIAL_PROMPT } from '../../../src/core/plan/presets';
import { getWorld } from '../../fixtures/sim-world';

describe('search quality on a simulated world nobody tuned to by hand', () => {
  it('quick closes a real part of the gap in some runs, says so, and every claim is true', async () => {
    const trials = [];
    for (let seed = 1; seed <= 5; seed++)
      trials.push(await runQualityTrial({ preset: 'quick', world: 'tune-d', seed }));
    // The tree always holds the start, and quick may ship it with 2 of the pool's examples (its example
    // stage is off, so the pool is the world's own).
    const world = getWorld('tune-d');
    const startWithExamples = await world.gapClosed({
      systemPrompt: trials[0]!.artifact!.initialPrompt!,
      icl: world.examplePool,
      examplesPerQuery: 2,
    });
    for (const t of trials) {
      expect(t.status).toBe('completed');
      expect(t.silentRegression).toBe(false);
      // The ceiling is the best prompt in the run's own tree with any example count it could ship: never
      // below what was returned, nor below the start with its examples.
      expect(t.ceilingGap).toBeGreaterThanOrEqual(t.gapClosed);
      expect(t.ceilingGap).toBeGreaterThanOrEqual(startWithExamples - 1e-9);
    }
    // Examples help in this world: a run that shipped none still had them to choose, and its ceiling counts
    // them (the file of such a run carries no examples; the ceiling must not read its pool from there).
    expect(trials.some((t) => t.outcome === 'no-improvement' && t.ceilingExamples > 0)).toBe(true);
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

describe('the reference row (the official code’s own answer)', () => {
  it('is read from paper’s runs: the same pick and cost as a run of the official code on the same questions', async () => {
    const world = getWorld('tune-a');
    const t = await runQualityTrial({ preset: 'paper', world: 'tune-a', seed: 3 });
    // The official code on the questions paper searched: no check, no examples.
    const split = splitForRun([...world.trainQueries, ...world.validationQueries], plannedValidationSize('paper'), 3);
    const plain = await runQualityTrial({
      preset: 'paper',
      world: 'tune-a',
      seed: 3,
      overrides: {
        trainQueries: split.train,
        validationQueries: [],
        settings: { validationSize: 0, inferenceExampleOptions: [0] },
      },
    });
    expect(t.official).toBeDefined();
    expect(plain.outcome).toBe('unverified');
    // Unchecked, the run returns its official pick itself.
    expect(plain.official!.gapClosed).toBeCloseTo(plain.gapClosed, 9);
    expect(t.official!.gapClosed).toBeCloseTo(plain.gapClosed, 9);
    expect(t.official!.worse).toBe(plain.worse);
    expect(t.official!.generatedTokens).toBe(plain.generatedTokens);
    expect(t.official!.calls).toBe(plain.calls);
    const [row] = officialTrials([t]);
    expect(row!.silentRegression).toBe(plain.worse);
    // quick keeps no official pick: it has no row there.
    expect(officialTrials([await runQualityTrial({ preset: 'quick', world: 'tune-a', seed: 3 })])).toEqual([]);
  });
});

describe("the issue's reference world, reconstructed (tune-f, report-6)", () => {
  it('gives the official code’s own pick about what the issue measured there, and its examples cost points', async () => {
    // The world: the official pick closed 67–71% (64% for paper's final beam, seeds 1–3) and the
    // examples cost points. Our other worlds give that pick about 40%: this one is calibrated to the issue.
    const picks = [];
    for (const world of ['tune-f', 'report-6'] as const) {
      const w = getWorld(world);
      expect(
        await w.gapClosed({ systemPrompt: DEFAULT_INITIAL_PROMPT, icl: w.examplePool, examplesPerQuery: 3 }),
      ).toBeLessThan(0);
      for (let seed = 1; seed <= 5; seed++)
        picks.push(...officialTrials([await runQualityTrial({ preset: 'paper', world, seed })]));
    }
    const mean = picks.reduce((a, t) => a + t.gapClosed, 0) / picks.length;
    expect(picks).toHaveLength(10);
    expect(mean).toBeGreaterThan(0.5);
    expect(mean).toBeLessThan(0.8);
  });
});
