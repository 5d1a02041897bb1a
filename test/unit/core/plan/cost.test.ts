/** Issue 12 item 3: cost from a price per million input/output tokens, per role. */
import { describe, expect, it } from 'vitest';
import { formatCost, isPrice, runCost, tokenCost } from '../../../../src/core/plan/cost';

describe('cost', () => {
  it('prices input and output tokens separately, per role, and says unknown without prices', () => {
    const price = { inputPerM: 0.5, outputPerM: 1.5 };
    expect(tokenCost({ promptTokens: 2_000_000, generatedTokens: 1_000_000 }, price)).toBeCloseTo(2.5);
    const perRole = {
      policy: { promptTokens: 1_000_000, generatedTokens: 200_000 },
      judge: { promptTokens: 400_000, generatedTokens: 100_000 },
    };
    // Only the judge runs on the paid API.
    expect(runCost(perRole, (r) => (r === 'judge' ? price : null))).toBeCloseTo(0.35);
    expect(runCost(perRole, () => price)).toBeCloseTo(1.15);
    expect(runCost(perRole, () => null)).toBeNull();
  });

  it('accepts only usable prices and formats at any scale', () => {
    expect(isPrice({ inputPerM: 0.15, outputPerM: 0.6 })).toBe(true);
    expect(isPrice({ inputPerM: 0, outputPerM: 0 })).toBe(false);
    expect(isPrice({ inputPerM: -1, outputPerM: 2 })).toBe(false);
    expect(isPrice({ inputPerM: Number.NaN, outputPerM: 2 })).toBe(false);
    expect(isPrice(null)).toBe(false);
    expect([formatCost(0), formatCost(0.0031), formatCost(0.42), formatCost(12.4)]).toEqual([
      '$0',
      '$0.0031',
      '$0.42',
      '$12',
    ]);
  });
});
