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
  // quick: depth 5, 2 questions a level, up to 2 more levels while it improves: 12 to 16 questions in all.
  it('counts the levels a search that still improves adds, and asks no more at a level than there are', () => {
    expect(trainingRepeatNote(quick, 16)).toBe('');
    expect(trainingRepeatNote(quick, 13)).toBe(
      'The search asks 2 questions for the starting prompt and at each of its 5 levels, and at up to 2 more levels ' +
        'while it still improves (12 to 16 in all), and you train on 13: those extra levels ask the same questions ' +
        'again. Add questions in Data, or lower Depth or Queries per level, for fresh ones at every level.',
    );
    expect(trainingRepeatNote(quick, 4)).toMatch(/\(12 to 16 in all\), and you train on 4: later levels ask/);
    expect(trainingRepeatNote({ ...quick, maxDepthExtension: 0 }, 12)).toBe('');
  });

  it('with one question to train on, offers only what can help', () => {
    const note = trainingRepeatNote(quick, 1);
    expect(note).toMatch(/^The search asks 1 question for the starting prompt and at each of its 5 levels/);
    expect(note).toMatch(/Add questions in Data: with one, every level asks it\.$/);
    expect(note).not.toMatch(/lower Depth/);
  });
});
