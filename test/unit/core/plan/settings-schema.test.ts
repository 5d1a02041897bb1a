/** One settings schema: what the panel offers is exactly what the engine accepts, in the same words. */
import { describe, expect, it } from 'vitest';
import { PRESETS, validateSettings } from '../../../../src/core/plan/presets';
import {
  finalCheckWarning,
  MIN_HELD_OUT_FOR_VERDICT,
  NUMBER_SETTINGS,
  rangeProblem,
  verdictSplit,
} from '../../../../src/core/plan/settings-schema';
import type { SearchSettings } from '../../../../src/core/contracts/run-config';

const base: SearchSettings = PRESETS.quick.settings;
const withValue = (key: string, v: number) => ({ ...base, [key]: v }) as SearchSettings;

describe('settings schema', () => {
  it.each(NUMBER_SETTINGS.map((f) => [f.key, f] as const))(
    '%s: the range the panel offers is the one the engine checks',
    (_key, f) => {
      expect(() => validateSettings(withValue(f.key, f.min))).not.toThrow();
      expect(() => validateSettings(withValue(f.key, f.max))).not.toThrow();
      for (const bad of [f.min - f.step, f.max + f.step]) {
        const refusal = (() => {
          try {
            validateSettings(withValue(f.key, bad));
            return '';
          } catch (err) {
            return (err as Error).message;
          }
        })();
        expect(refusal).toContain(f.label);
        expect(refusal).toContain(`${f.min}`);
        // The panel's own message for the field says the same range.
        expect(rangeProblem(bad, f)).toBe(`Use a value from ${f.min} to ${f.max}.`);
      }
    },
  );

  it('covers every number of every preset (nothing is set that the panel cannot show)', () => {
    const numeric = (s: SearchSettings) =>
      Object.entries(s)
        .filter(([, v]) => typeof v === 'number')
        .map(([k]) => k);
    const keys = new Set(NUMBER_SETTINGS.map((f) => f.key as string));
    for (const p of Object.values(PRESETS)) for (const k of numeric(p.settings)) expect(keys.has(k), k).toBe(true);
  });
});

describe('finalCheckWarning: said before a run whose final check cannot confirm a gain', () => {
  it('follows the split: 0 or 1 held out (or none kept back) warn, 2 or more do not', () => {
    // The rule it states is verdictSplit's: half the held-out questions (rounded down) may be kept back.
    expect(verdictSplit(base, MIN_HELD_OUT_FOR_VERDICT - 1).verdict).toBe(0);
    expect(verdictSplit(base, MIN_HELD_OUT_FOR_VERDICT).verdict).toBe(1);
    expect(finalCheckWarning(base, 1, 'run')).toBe(
      'Only 1 question is held out, so the final check cannot keep one back from choosing the result and cannot confirm a gain over your starting prompt: hold out at least 2 on Data (a run holds out at most half of its questions, so 4 or more questions).',
    );
    // On Data itself it does not send the user to Data; one word for them throughout: questions.
    expect(finalCheckWarning(base, 0, 'data')).toBe(
      'No question is held out, so the result will not be checked against your starting prompt: hold out at least 2 (a run holds out at most half of its questions, so 4 or more questions).',
    );
    for (const surface of ['data', 'run', 'cli'] as const)
      for (const n of [0, 1]) expect(finalCheckWarning(base, n, surface)).not.toMatch(/quer/);
    expect(finalCheckWarning(base, 1, 'cli')).toMatch(/: give --train 4 or more questions .*--validation file of 2/);
    expect(finalCheckWarning(base, 0, 'cli')).toMatch(
      /^No question is held out, so the result will not be checked against your starting prompt: give --train 4/,
    );
    for (const n of [2, 3, 12]) expect(finalCheckWarning(base, n, 'data')).toBeNull();
    expect(finalCheckWarning({ ...base, verdictQueries: 0 }, 12, 'run')).toMatch(
      /^No held-out question is kept back for the verdict \(Questions behind a verdict is 0\)/,
    );
  });
});
