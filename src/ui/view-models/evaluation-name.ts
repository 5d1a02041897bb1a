/**
 * The name an evaluation is saved under in Saved evaluations: what it compares and when it started. Its candidates
 * joined with "vs" read well for two or three; for many (ten alignments with their starting prompts) the joined
 * names ran past the stored length and were cut mid-name, losing the rest and the date that told such evaluations
 * apart. Then the first names are kept and the others counted ("and 14 others").
 */
import { plural } from '../../core/words/list-words';
import { formatDate } from './run/run-summary';

/** Room for the candidates' names; the date and " and N others" come on top, within the 200 stored. */
const NAMES_CHARS = 120;

export function evaluationName(labels: readonly string[], when: string): string {
  const all = labels.join(' vs ');
  if (all.length <= NAMES_CHARS) return `${all} · ${when}`;
  const shown: string[] = [];
  let length = 0;
  for (const label of labels) {
    const add = (shown.length ? 4 : 0) + label.length;
    if (shown.length && length + add > NAMES_CHARS) break;
    shown.push(label.length > NAMES_CHARS ? `${label.slice(0, NAMES_CHARS - 1).trimEnd()}…` : label);
    length += add;
  }
  const more = labels.length - shown.length;
  return `${shown.join(' vs ')}${more ? ` and ${plural(more, 'other', 'others')}` : ''} · ${when}`;
}

/**
 * When a saved evaluation was saved, as a list or a heading says it beside its name; null when the name says it
 * already (a default name ends with its date, evaluationName).
 */
export function savedWhen(e: { name: string; savedAt: number }): string | null {
  const when = formatDate(e.savedAt);
  return e.name.endsWith(when) ? null : when;
}
