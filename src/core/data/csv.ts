import { AppError, ErrorName } from '../contracts/errors';

const QUOTE = 34; // "
const LF = 10; // \n
const CR = 13; // \r

/**
 * RFC 4180 CSV: fields separated by commas (or `separator`: a spreadsheet set to a European locale saves
 * "CSV" with semicolons), quoted fields may contain separators, newlines and doubled quotes. Also tolerates
 * LF-only line ends and a final line without a newline.
 * Returns rows with the 1-based line each row starts on (for error messages).
 *
 * Each field is cut out with indexOf/slice, never built a character at a time: `field += ch` made a 100k-row file
 * take seconds and hundreds of MB of garbage. A quote opens a quoted field only as a field's first character;
 * after its closing quote, anything up to the next separator or line end is kept as written (as before).
 */
export function parseCsv(text: string, fileName: string, separator = ','): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  const n = text.length;
  const sep = separator.charCodeAt(0);
  const next = nextDelimiter(text, separator);
  const lfsIn = lfCounter(text);
  let fields: string[] = [];
  let line = 1;
  let rowLine = 1;
  let i = 0;
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      // The closing quote is the first one not doubled; the doubled ones inside become one quote each, at once.
      let close = text.indexOf('"', i + 1);
      let doubled = false;
      while (close >= 0 && text.charCodeAt(close + 1) === QUOTE) {
        doubled = true;
        close = text.indexOf('"', close + 2);
      }
      if (close < 0) {
        throw new AppError(
          ErrorName.InvalidInput,
          `The CSV file "${fileName}" has a quoted field that never ends (it starts on line ${line}).`,
        );
      }
      const inside = text.slice(i + 1, close);
      field = doubled ? inside.replaceAll('""', '"') : inside;
      line += lfsIn(i + 1, close);
      i = close + 1;
      const end = next(i);
      if (end > i) field += text.slice(i, end);
      i = end;
    } else {
      const end = next(i);
      field = text.slice(i, end);
      i = end;
    }
    fields.push(field);
    if (i >= n) {
      // The last line without a line end: a row unless it is one empty field (as a line end would leave it).
      if (fields.length > 1 || field !== '') rows.push({ fields, line: rowLine });
      return rows;
    }
    const d = text.charCodeAt(i);
    if (d === sep) {
      i++;
      // A separator ends the text: its empty last field closes the row.
      if (i >= n) {
        fields.push('');
        rows.push({ fields, line: rowLine });
      }
      continue;
    }
    rows.push({ fields, line: rowLine });
    fields = [];
    i += d === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    rowLine = ++line;
  }
  return rows;
}

/**
 * The position of the next separator, CR or LF at or after `from` (the text's length when none is left). Each
 * character's next position is remembered until passed, so the whole scan stays linear even in a file with no
 * CR at all (a fresh indexOf per field would rescan to the end each time).
 */
function nextDelimiter(text: string, separator: string): (from: number) => number {
  const n = text.length;
  let sepAt = -1;
  let lf = -1;
  let cr = -1;
  const find = (ch: string, from: number) => {
    const at = text.indexOf(ch, from);
    return at < 0 ? n : at;
  };
  return (from) => {
    if (sepAt < from) sepAt = find(separator, from);
    if (lf < from) lf = find('\n', from);
    if (cr < from) cr = find('\r', from);
    return Math.min(sepAt, lf, cr);
  };
}

/**
 * Counts the LFs in text[from, to), for the line numbers of quoted fields that span lines. The ranges asked for
 * only move forward, so each LF is found once (an unbounded indexOf per field would rescan a CR-only file to
 * its end).
 */
function lfCounter(text: string): (from: number, to: number) => number {
  let at = text.indexOf('\n');
  return (from, to) => {
    while (at >= 0 && at < from) at = text.indexOf('\n', at + 1);
    let count = 0;
    while (at >= 0 && at < to) {
      count++;
      at = text.indexOf('\n', at + 1);
    }
    return count;
  };
}

/** Quotes a value for CSV when needed (used by exports and round-trip tests). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
