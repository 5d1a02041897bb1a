/**
 * How the Run view words the settings a user changed: the answer-length fields named by the roles as Setup
 * names them (role-labels.ts), which changes a preset switch would drop, and the values the run will really
 * use where the planner caps what was typed (held-out questions, the verdict's questions).
 */
import type { Role, SearchSettings } from '../../core/contracts/run-config';
import { ROLES } from '../../core/contracts/run-config';
import type { NumberSettingKey } from '../../core/plan/settings-schema';
import {
  BOOLEAN_SETTINGS,
  NUMBER_SETTINGS,
  SETTING_DEFAULTS,
  trainingQuestionsAsked,
  verdictSplit,
} from '../../core/plan/settings-schema';
import { listInWords, plural } from '../../core/words/list-words';
import { ROLE_LABELS } from './role-labels';

/** The answer-length field of a role: "Max tokens: Aspect selector". */
export function maxTokensLabel(role: Role): string {
  return `Max tokens: ${ROLE_LABELS[role]}`;
}

/** The labels of the settings `override` sets to something other than `base` (the preset's own values). */
export function changedSettingLabels(base: SearchSettings, override: Partial<SearchSettings>): string[] {
  const labels: string[] = [];
  for (const f of NUMBER_SETTINGS) {
    const v = override[f.key];
    if (v !== undefined && v !== (base[f.key] ?? f.fallback)) labels.push(f.label);
  }
  for (const f of BOOLEAN_SETTINGS) {
    const v = override[f.key];
    if (v !== undefined && v !== (base[f.key] === true)) labels.push(f.label);
  }
  for (const r of ROLES) {
    const v = override.maxTokens?.[r];
    if (v !== undefined && v !== base.maxTokens[r]) labels.push(maxTokensLabel(r));
  }
  return labels;
}

/** "Your 1 changed setting (Depth) was reset to Paper's." */
export function resetNotice(labels: readonly string[], presetLabel: string): string {
  const were = labels.length === 1 ? 'was' : 'were';
  return `Your ${plural(labels.length, 'changed setting')} (${labels.join(', ')}) ${were} reset to ${presetLabel}’s.`;
}

/**
 * "Kept the held-out questions you set (16).": what a preset switch keeps (see presetSwitch). It names no place:
 * the count is set on Data or in the Run view's Advanced settings alike, and the app does not keep which.
 */
export function keptHeldOutNotice(count: number): string {
  return `Kept the held-out questions you set (${count}).`;
}

/**
 * "2 will be used: at most half of your 5 questions are held out." when the planner holds out fewer than asked
 * (`asked`), else ''. The Data view and the settings panel say it in these words.
 */
export function heldOutUsedNote(asked: number, total: number, heldOut: number): string {
  return heldOut < asked
    ? `${heldOut} will be used: at most half of your ${plural(total, 'question')} are held out.`
    : '';
}

/**
 * Notes for fields whose typed value the run will not use as typed: the planner holds out at most half the
 * questions, and keeps at most half the held-out questions back for the verdict. `total` is the number
 * of questions chosen, `heldOut` what the planner holds out of them.
 */
export function usedValueNotes(
  s: SearchSettings,
  total: number,
  heldOut: number,
): Partial<Record<NumberSettingKey, string>> {
  const notes: Partial<Record<NumberSettingKey, string>> = {};
  const held = heldOutUsedNote(s.validationSize, total, heldOut);
  if (held) notes.validationSize = held;
  const wanted = s.verdictQueries ?? SETTING_DEFAULTS.verdictQueries;
  const verdict = verdictSplit(s, heldOut).verdict;
  if (verdict < wanted) {
    notes.verdictQueries = `${verdict} will be used: at most half of the ${plural(heldOut, 'held-out question')} are kept back for the verdict.`;
  }
  return notes;
}

/**
 * When the training questions are fewer than the search may ask for (`queriesPerLevel` at each level, the starting
 * prompt's level 0 and the levels added when a prompt already scores above the carry-forward threshold, up to
 * `maxDepthExtension`, included), later levels ask the same questions again (beam-helpers.ts batchFor, which asks
 * at most the questions there are at a level), and the help's "each level uses fresh training queries" is not so:
 * said before Start, with only the changes that can give fresh ones (every setting here is at least 1 but the
 * extension).
 */
export function trainingRepeatNote(s: SearchSettings, train: number): string {
  const levels = s.depth + 1;
  const deeper = s.maxDepthExtension;
  const { least, most: askedMost } = trainingQuestionsAsked(s);
  if (train <= 0 || train >= askedMost) return '';
  const per = Math.min(s.queriesPerLevel, train);
  const asked = levels * per;
  const most = (levels + deeper) * per;
  const extra =
    deeper > 0
      ? `, and at up to ${plural(deeper, 'more level')} when a prompt already scores above ${s.carryForwardThreshold}`
      : '';
  const inAll = deeper > 0 ? `${asked} to ${most}` : `${asked}`;
  const onlyExtra = train >= least;
  // A search asks at least 2 questions (the start's level and one more, one each): with 1, lowering cannot help.
  const lower = onlyExtra
    ? ['Depth extension']
    : train < 2
      ? []
      : [...(s.depth > 1 ? ['Depth'] : []), ...(s.queriesPerLevel > 1 ? ['Queries per level'] : [])];
  const fix =
    lower.length > 0
      ? `Add questions in Data, or lower ${listInWords(lower, 'or')}, for fresh ones at every level.`
      : 'Add questions in Data for fresh ones at every level.';
  return `The search asks ${plural(per, 'question')} for the starting prompt and at each of its ${plural(s.depth, 'level')}${extra} (${inAll} in all), and you train on ${train}: ${onlyExtra ? 'those extra levels' : 'later levels'} ask the same questions again. ${fix}`;
}
