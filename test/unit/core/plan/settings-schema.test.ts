/** One settings schema: what the panel offers is exactly what the engine accepts, in the same words. */
import { describe, expect, it } from 'vitest';
import { PRESETS, validateSettings } from '../../../../src/core/plan/presets';
import { NUMBER_SETTINGS, rangeProblem } from '../../../../src/core/plan/settings-schema';
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
