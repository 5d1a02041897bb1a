/**
 * The CSV scanner cuts fields out with indexOf/slice (it built them a character at a time, which made a 100k-row
 * file take seconds: see the query-files bench section). Its reading must be exactly the old one's: quoted fields,
 * doubled quotes, line ends inside quotes, CRLF/CR/LF, a BOM, text after a closing quote, a last line without a
 * line end, and the line each row starts on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv } from '../../../../src/core/data/csv';
import { ErrorName } from '../../../../src/core/contracts/errors';

/** The scanner as it was (one character at a time), kept here as the reference the new one must match. */
function referenceParse(text: string): { fields: string[]; line: number }[] | 'never ends' {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quoted = false;
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
      i++;
    } else if (ch === ',') {
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
  if (quoted) return 'never ends';
  if (field.length > 0 || fields.length > 0) endRow();
  return rows;
}

const fieldsOf = (text: string) => parseCsv(text, 'q.csv').map((r) => r.fields);

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line ends inside them', () => {
    expect(fieldsOf('query,category\n"Hello, ""world""",creative\n"line one\nline two",x\n')).toEqual([
      ['query', 'category'],
      ['Hello, "world"', 'creative'],
      ['line one\nline two', 'x'],
    ]);
    // Only doubled quotes: one quote, and an empty quoted field.
    expect(fieldsOf('"""",""\n')).toEqual([['"', '']]);
    expect(fieldsOf('"a ""b"" c"')).toEqual([['a "b" c']]);
  });

  it('keeps CRLF, CR and LF line ends apart from the ones inside quotes, with the line each row starts on', () => {
    const rows = parseCsv('query\r\n"a\r\nb"\r"c\nd"\ne\r\n', 'q.csv');
    expect(rows).toEqual([
      { fields: ['query'], line: 1 },
      { fields: ['a\r\nb'], line: 2 },
      { fields: ['c\nd'], line: 4 },
      { fields: ['e'], line: 6 },
    ]);
  });

  it('reads a last line without a line end, a trailing comma, empty lines and a BOM as before', () => {
    expect(fieldsOf('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(fieldsOf('a,\n\nb,')).toEqual([['a', ''], [''], ['b', '']]);
    // A final empty quoted field alone makes no row (as a line end after it would not either).
    expect(fieldsOf('a\n""')).toEqual([['a']]);
    // The decoder drops a BOM; one left in the text stays in the first field, as it did.
    expect(fieldsOf('\uFEFFquery\nx')).toEqual([['\uFEFFquery'], ['x']]);
  });

  it('keeps text after a closing quote and quotes inside an unquoted field as written', () => {
    expect(fieldsOf('"ab"cd,e"f"\n""x"y"\n')).toEqual([['abcd', 'e"f"'], ['x"y"']]);
  });

  it('names the line a quoted field that never ends starts on', () => {
    try {
      parseCsv('query\n"closed\n"\n"one\ntwo', 'q.csv');
    } catch (err) {
      expect((err as Error).name).toBe(ErrorName.InvalidInput);
      expect((err as Error).message).toBe(
        'The CSV file "q.csv" has a quoted field that never ends (it starts on line 4).',
      );
      return;
    }
    throw new Error('expected an InvalidInput error');
  });

  it('reads any text exactly as the character-at-a-time scanner did', () => {
    const piece = fc.constantFrom('a', 'b c', ',', '"', '""', '\n', '\r', '\r\n', ' ', '\uFEFF', 'é', '😀');
    const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const expected = referenceParse(t);
        if (expected === 'never ends') expect(() => parseCsv(t, 'x.csv')).toThrow(/never ends/);
        else expect(parseCsv(t, 'x.csv')).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips fields written by csvField', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map((r) => r.map(csvField).join(',')).join('\r\n');
          expect(fieldsOf(text)).toEqual(rows);
        },
      ),
    );
  });
});
