/** What counts as text where the app takes it: one rule for prompts, names and model ids. */

/* eslint-disable no-control-regex -- these patterns are about control characters */
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const ANY_CONTROL = /[\u0000-\u001F\u007F]/;
/* eslint-enable no-control-regex */

/** Control characters other than tabs and line breaks: a binary file or a bad paste, never prompt text. */
export function hasControlChars(s: string): boolean {
  return CONTROL_BUT_LINE_BREAKS.test(s);
}

/** One line of plain text: what a name or a model id must be (it lands in exports, headers and tables). */
export function isOneLine(s: string): boolean {
  return !ANY_CONTROL.test(s);
}

/**
 * What keeps `s` from being one line of plain text, in words (null: nothing does). A tab is one line, so
 * "must be one line" would send the user looking for a line break that is not there: each is named.
 */
export function notOneLineBecause(s: string): 'a tab' | 'a line break' | 'control characters (such as NUL)' | null {
  const found = ANY_CONTROL.exec(s)?.[0];
  if (found === undefined) return null;
  if (found === '\t') return 'a tab';
  if (found === '\n' || found === '\r') return 'a line break';
  return 'control characters (such as NUL)';
}
