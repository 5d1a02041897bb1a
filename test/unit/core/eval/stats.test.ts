import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapCI, mean, wilsonInterval, winRates } from '../../../../src/core/eval/stats';
import { combineVerdicts, defaultPairs } from '../../../../src/core/eval/pairwise';
import { BASELINE_LABEL, NO_SYSTEM_LABEL } from '../../../../src/core/eval/eval-prompts';
import { STARTING_LABEL } from '../../../../src/core/eval/report/compare';

function sample(n: number, seed: number): number[] {
  // Scores 1–5 from a fixed pattern: deterministic, with real spread.
  return Array.from({ length: n }, (_, i) => 1 + ((i * 7 + seed * 3) % 5));
}

describe('mean', () => {
  it('averages and is null for nothing', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBeNull();
  });
});

describe('bootstrapCI', () => {
  it('contains the sample mean, and has an interval exactly when there are 2 values or more that differ (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 60 }), fc.nat(), (xs, seed) => {
        const r = bootstrapCI(xs, { resamples: 200, seed });
        expect(r.mean).not.toBeNull();
        const spread = xs.some((x) => x !== xs[0]);
        expect(r.ci !== null).toBe(spread);
        if (!spread) return;
        expect(r.ci!.lo).toBeLessThanOrEqual(r.mean!);
        expect(r.ci!.hi).toBeGreaterThanOrEqual(r.mean!);
        expect(r.ci!.lo).toBeGreaterThanOrEqual(1);
        expect(r.ci!.hi).toBeLessThanOrEqual(5);
      }),
      { numRuns: 60 },
    );
  });

  it('narrows as n grows', () => {
    const width = (n: number) => {
      const r = bootstrapCI(sample(n, 1), { seed: 7 });
      return r.ci!.hi - r.ci!.lo;
    };
    expect(width(400)).toBeLessThan(width(100));
    expect(width(100)).toBeLessThan(width(10));
  });

  it('is deterministic for a seed and varies with it', () => {
    const xs = sample(30, 2);
    expect(bootstrapCI(xs, { seed: 42 })).toEqual(bootstrapCI(xs, { seed: 42 }));
    expect(bootstrapCI(xs, { seed: 42 }).ci).not.toEqual(bootstrapCI(xs, { seed: 43 }).ci);
  });

  it('gives no interval for empty, single and constant samples (a zero-width one is no 95% interval)', () => {
    expect(bootstrapCI([])).toEqual({ n: 0, mean: null, ci: null });
    expect(bootstrapCI([4])).toEqual({ n: 1, mean: 4, ci: null });
    expect(bootstrapCI([3, 3, 3])).toEqual({ n: 3, mean: 3, ci: null });
    expect(bootstrapCI([3, 4]).ci).toEqual({ lo: 3, hi: 4 });
  });

  it('a wider alpha gives a narrower interval', () => {
    const xs = sample(50, 3);
    const w = (alpha: number) => {
      const r = bootstrapCI(xs, { alpha, seed: 1 });
      return r.ci!.hi - r.ci!.lo;
    };
    expect(w(0.32)).toBeLessThan(w(0.05));
  });
});

describe('wilsonInterval / winRates', () => {
  it('matches a known Wilson interval', () => {
    const { lo, hi } = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
    expect(wilsonInterval(0, 0)).toEqual({ lo: 0, hi: 1 });
  });

  it('counts and brackets the rates', () => {
    const r = winRates(['win', 'win', 'tie', 'loss']);
    expect([r.n, r.wins, r.ties, r.losses]).toEqual([4, 2, 1, 1]);
    expect(r.win.rate).toBe(0.5);
    expect(r.win.ci.lo).toBeLessThan(0.5);
    expect(r.win.ci.hi).toBeGreaterThan(0.5);
    expect(winRates([]).win.rate).toBe(0);
  });
});

describe('position swap', () => {
  it('a judge that always picks the first position yields ties only', () => {
    const outcomes = Array.from({ length: 10 }, () => combineVerdicts('A', 'A').outcome);
    expect(winRates(outcomes).ties).toBe(10);
    expect(combineVerdicts('A', 'A').agree).toBe(false);
  });

  it('a consistent preference survives the swap', () => {
    expect(combineVerdicts('A', 'B')).toEqual({ outcome: 'win', agree: true });
    expect(combineVerdicts('B', 'A')).toEqual({ outcome: 'loss', agree: true });
    expect(combineVerdicts('tie', 'tie')).toEqual({ outcome: 'tie', agree: true });
    expect(combineVerdicts('A', 'tie').outcome).toBe('tie');
  });
});

describe('defaultPairs', () => {
  it('compares alignments with references, or all pairs without any', () => {
    expect(defaultPairs(['X', BASELINE_LABEL, NO_SYSTEM_LABEL])).toEqual([
      ['X', BASELINE_LABEL],
      ['X', NO_SYSTEM_LABEL],
    ]);
    expect(defaultPairs(['X', 'Y', 'Z'])).toEqual([
      ['X', 'Y'],
      ['X', 'Z'],
      ['Y', 'Z'],
    ]);
    expect(defaultPairs(['X'])).toEqual([]);
  });

  it('compares each alignment with the prompt it started from first, and references never with each other', () => {
    expect(defaultPairs(['X', STARTING_LABEL, BASELINE_LABEL])).toEqual([
      ['X', STARTING_LABEL],
      ['X', BASELINE_LABEL],
    ]);
    const startA = `${STARTING_LABEL} of “A”`;
    const startB = `${STARTING_LABEL} of “B” and “C”`;
    expect(defaultPairs(['A', 'B', 'C', startA, startB, NO_SYSTEM_LABEL])).toEqual([
      ['A', startA],
      ['A', NO_SYSTEM_LABEL],
      ['B', startB],
      ['B', NO_SYSTEM_LABEL],
      ['C', startB],
      ['C', NO_SYSTEM_LABEL],
    ]);
    // Only references: they are what is compared.
    expect(defaultPairs([BASELINE_LABEL, NO_SYSTEM_LABEL])).toEqual([[BASELINE_LABEL, NO_SYSTEM_LABEL]]);
  });
});
