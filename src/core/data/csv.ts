import { AppError, ErrorName } from '../contracts/errors';

/**
 * RFC 4180 CSV: fields separated by commas (or `separator`: a spreadsheet set to a European locale saves
 * "CSV" with semicolons), quoted fields may contain separators, newlines and doubled quotes. Also tolerates
 * LF-only line ends and a final line without a newline.
 * Returns rows with the 1-based line each row starts on (for error messages).
 */
export function parseCsv(text: string, fileName: string, separator = ','): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quoted = false;
  let quoteStartLine = 0;
  const endRow = () => {
    fields.push(field);
    rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.length === 0) {
      quoted = true;
      quoteStartLine = line;
      i++;
    } else if (ch === separator) {
      fields.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 2;
      rowLine = ++line;
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      i++;
      rowLine = ++line;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) {
    throw new AppError(
      ErrorName.InvalidInput,
      `The CSV file "${fileName}" has a quoted field that never ends (it starts on line ${quoteStartLine}).`,
    );
  }
  if (field.length > 0 || fields.length > 0) endRow();
  return rows;
}

/** Quotes a value for CSV when needed (used by exports and round-trip tests). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
