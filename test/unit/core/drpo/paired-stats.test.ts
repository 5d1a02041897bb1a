import { describe, expect, it } from 'vitest';
import { chanceOfLead, pairedDiff, PRIOR_WEIGHT } from '../../../../src/core/drpo/paired-stats';

/** A paired difference whose shrunk variance carries `df` degrees of freedom. */
const lead = (t: number, df: number) => ({ n: df + 1 - PRIOR_WEIGHT, mean: t, se: 1 });

describe('chanceOfLead', () => {
  it("is Student's t upper tail at mean / se (table values)", () => {
    expect(chanceOfLead(lead(1.895, 7))).toBeCloseTo(0.05, 3);
    expect(chanceOfLead(lead(2.365, 7))).toBeCloseTo(0.025, 3);
    expect(chanceOfLead(lead(1, 7))).toBeCloseTo(0.1753, 3);
    expect(chanceOfLead(lead(2.042, 30))).toBeCloseTo(0.025, 3);
    expect(chanceOfLead(lead(0, 7))).toBeCloseTo(0.5, 9);
    expect(chanceOfLead(lead(-1, 7))).toBeCloseTo(1 - 0.1753, 3);
  });

  it('a one-standard-error lead on 6 questions is passed by about one tie in six', () => {
    // Ties: two prompts scored alike up to noise. The verdict rule (lead > 1 SE) and the chance agree.
    let passed = 0;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const score = () => Math.min(5, Math.max(1, Math.round(3 + (rand() + rand() + rand() - 1.5) * 2)));
    const runs = 4000;
    for (let i = 0; i < runs; i++) {
      const a = Array.from({ length: 6 }, score);
      const b = Array.from({ length: 6 }, score);
      const d = pairedDiff(a, b);
      if (d.mean > d.se) passed++;
    }
    const expected = chanceOfLead(lead(1, 6 - 1 + PRIOR_WEIGHT));
    expect(passed / runs).toBeGreaterThan(expected - 0.05);
    expect(passed / runs).toBeLessThan(expected + 0.05);
  });

  it('no questions, or no spread: a lead is certain, anything else is not', () => {
    expect(chanceOfLead({ n: 0, mean: 0, se: Infinity })).toBe(1);
    expect(chanceOfLead({ n: 3, mean: 0.5, se: 0 })).toBe(0);
  });
});
