/** The Run view's words about changed and capped settings (view-models/setting-words.ts). */
import { describe, expect, it } from 'vitest';
import {
  changedSettingLabels,
  keptHeldOutNotice,
  resetNotice,
  usedValueNotes,
} from '../../../src/ui/view-models/setting-words';
import { PRESETS } from '../../../src/core/plan/presets';

const quick = PRESETS.quick.settings;

describe('setting words', () => {
  it('names only the settings set to something other than the preset’s, the answer lengths by role', () => {
    expect(changedSettingLabels(quick, { depth: quick.depth, shortRationales: true })).toEqual([]);
    expect(
      changedSettingLabels(quick, {
        depth: 9,
        shortRationales: false,
        maxTokens: { ...quick.maxTokens, aspect: quick.maxTokens.aspect + 1 },
      }),
    ).toEqual(['Depth', 'Short rationales', 'Max tokens: Aspect selector']);
    expect(resetNotice(['Depth'], 'Paper')).toBe('Your 1 changed setting (Depth) was reset to Paper’s.');
    expect(resetNotice(['Depth', 'Beam width'], 'Paper')).toMatch(/^Your 2 changed settings .* were reset/);
  });

  it('notes a held-out count or a verdict the planner caps, and nothing when it uses the value as shown', () => {
    expect(usedValueNotes(quick, 100, quick.validationSize)).toEqual({});
    const notes = usedValueNotes({ ...quick, validationSize: 1000, verdictQueries: 20 }, 64, 32);
    expect(notes.validationSize).toBe('32 will be used: at most half of your 64 questions are held out.');
    expect(notes.verdictQueries).toBe(
      '16 will be used: at most half of the 32 held-out questions are kept back for the verdict.',
    );
  });
});

describe('the held-out notice of a preset switch', () => {
  it('names no place: the count may have been typed on Data or in Advanced settings', () => {
    expect(keptHeldOutNotice(16)).toBe('Kept the held-out questions you set (16).');
    expect(keptHeldOutNotice(16)).not.toMatch(/Data|Advanced/);
  });
});
