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
