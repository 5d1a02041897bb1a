import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonError, jsonErrorInWords } from '../../../../src/core/data/json-error';

describe('findJsonError', () => {
  it('names the place and the problem of the usual mistakes in plain words', () => {
    const words = (t: string) => {
      const e = findJsonError(t);
      return e && jsonErrorInWords(e);
    };
    expect(words('[\n  "a",\n  "b",\n]')).toBe('line 3, column 6: a comma after the last item, before the closing "]"');
    expect(words('{"a": 1,}')).toBe('line 1, column 8: a comma after the last field, before the closing "}"');
    expect(words('["a" "b"]')).toBe('line 1, column 6: a missing comma: the next item starts here');
    expect(words('[{query: "a"}]')).toBe('line 1, column 3: "q" where a field name in "double quotes" was expected');
    expect(words("['a']")).toBe('line 1, column 2: text in single quotes (JSON needs "double quotes")');
    expect(words('["a\nb"]')).toBe(
      'line 1, column 4: a line break inside quotes (write a line break as \\n and a tab as \\t)',
    );
    expect(words('["abc')).toBe('line 1, column 2: a text in quotes that is never closed (its closing " is missing)');
    expect(words('[1, 2')).toBe('line 1, column 6: the file ends before the closing "]"');
    expect(words('')).toBe('line 1, column 1: the file ends where a value was expected');
    expect(findJsonError('[1]\n[2]')).toMatchObject({ line: 2, column: 1, moreAfterEnd: true });
    expect(jsonErrorInWords({ line: 1, column: 4, problem: 'x' }, true)).toBe('column 4: x');
  });

  it('finds an error exactly when JSON.parse refuses the text', () => {
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '"a"',
      '\\',
      '\\n',
      '\\u00e9',
      '\\x',
      'true',
      'nul',
      '-',
      '1',
      '0',
      '.5',
      'e3',
      ' ',
      '\n',
      '\t',
      "'",
      '\r',
      '\u00a0',
      'E+',
      'x',
      '\u0001',
    );
    const text = fc.oneof(
      fc.array(piece, { maxLength: 25 }).map((p) => p.join('')),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        let ok = true;
        try {
          JSON.parse(t);
        } catch {
          ok = false;
        }
        expect(findJsonError(t) === undefined).toBe(ok);
      }),
      { numRuns: 3000 },
    );
  });

  it('scans a deeply nested text without overflowing the call stack', () => {
    expect(findJsonError('['.repeat(200_000))).toMatchObject({ line: 1, column: 200_001 });
  });
});
