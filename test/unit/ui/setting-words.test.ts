/** The Run view's words about changed and capped settings (view-models/setting-words.ts). */
import { describe, expect, it } from 'vitest';
import {
  changedSettingLabels,
  keptHeldOutNotice,
  resetNotice,
  trainingRepeatNote,
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

describe('trainingRepeatNote', () => {
  // quick: depth 5, 2 questions a level, up to 2 more levels when a prompt already scores above 4.5: 12 to 16.
  it('counts the levels a prompt above the carry-forward threshold adds, and asks no more at a level than there are', () => {
    expect(trainingRepeatNote(quick, 16)).toBe('');
    expect(trainingRepeatNote(quick, 4)).toBe(
      'The search asks 2 questions for the starting prompt and at each of its 5 levels, and at up to 2 more levels ' +
        'when a prompt already scores above 4.5 (12 to 16 in all), and you train on 4: later levels ask the same ' +
        'questions again. Add questions in Data, or lower Depth or Queries per level, for fresh ones at every level.',
    );
    expect(trainingRepeatNote({ ...quick, maxDepthExtension: 0 }, 12)).toBe('');
  });

  it('only the extra levels repeat: Depth extension is what to lower', () => {
    expect(trainingRepeatNote(quick, 13)).toMatch(
      /\(12 to 16 in all\), and you train on 13: those extra levels ask the same questions again\. Add questions in Data, or lower Depth extension, for fresh ones at every level\.$/,
    );
  });

  it('the totals count what a level can ask, and the advice leaves out settings at their least', () => {
    // thorough: depth 8, 3 a level, up to 4 more: with 2 questions it asks 2 a level, 18 to 26 in all.
    const thorough = PRESETS.thorough.settings;
    expect(trainingRepeatNote(thorough, 2)).toMatch(/^The search asks 2 questions .* \(18 to 26 in all\)/);
    // paper: one question a level, so lowering Queries per level is not offered.
    const paper = PRESETS.paper.settings;
    const note = trainingRepeatNote(paper, 10);
    expect(note).toMatch(/Add questions in Data, or lower Depth, for fresh ones at every level\.$/);
    // One question: every search asks at least 2, so nothing to lower helps.
    const one = trainingRepeatNote(quick, 1);
    expect(one).toMatch(
      /^The search asks 1 question for the starting prompt and at each of its 5 levels, .* \(6 to 8 in all\)/,
    );
    expect(one).toMatch(/Add questions in Data for fresh ones at every level\.$/);
  });
});
