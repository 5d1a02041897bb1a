import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MAX_QUERIES, parseQueryFile, type ParsedQueries } from '../../../../src/core/data/parse-queries';

/** A full collection (the flag is set at run time: vitest starts node without --expose-gc). */
function gc(): void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  collect();
  collect();
}

/**
 * The heap a parse leaves behind while its result is held. The file's bytes are off the heap, so the file's
 * decoded text is on it only as long as something holds it.
 */
function retainedBy(name: string, build: () => string): { parsed: ParsedQueries; retained: number; textChars: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const bytes = new TextEncoder().encode(build());
  const parsed = parseQueryFile(name, bytes);
  // V8 keeps the subject of the last successful regex match (RegExp.input) until the next match: any later
  // match in the page or the CLI lets it go, so it is let go here too, leaving only what the queries hold.
  /x/.test('x');
  gc();
  return { parsed, retained: process.memoryUsage().heapUsed - before, textChars: bytes.length };
}

describe('parseQueryFile: the kept queries do not hold the file', () => {
  it('a CSV file: its text is let go once read (each kept query is its own string, not a slice of the file)', () => {
    // Short queries beside a long column: the text is mostly what no query needs.
    const note = 'n'.repeat(600);
    const { parsed, retained, textChars } = retainedBy('q.csv', () =>
      ['query,notes', ...Array.from({ length: MAX_QUERIES }, (_, i) => `Question number ${i}?,${note}`)].join('\n'),
    );
    expect(parsed.queries).toHaveLength(MAX_QUERIES);
    expect(textChars).toBeGreaterThan(12e6);
    // The 20,000 queries with their ids take about 3 MB; the text held as well would add its 12 MB.
    expect(retained).toBeLessThan(textChars / 2);
  });

  it('a text file past the query limit: the lines over it are let go with the text', () => {
    const long = 'w'.repeat(500);
    const { parsed, retained, textChars } = retainedBy('q.txt', () =>
      [
        ...Array.from({ length: MAX_QUERIES }, (_, i) => `Question number ${i}?`),
        ...Array.from({ length: 30_000 }, (_, i) => `${long} ${i}`),
      ].join('\n'),
    );
    expect(parsed.report.overLimit).toBe(30_000);
    expect(textChars).toBeGreaterThan(15e6);
    expect(retained).toBeLessThan(textChars / 2);
  });
});

describe('parseQueryFile: one wide character does not widen every query', () => {
  // About 420 characters a query, plain ASCII but for one: a curly apostrophe or an emoji is common in
  // English datasets, and a copy joined into one string would store every query at two bytes a character.
  const line = (i: number, extra = '') => `Question ${i}: ${'please explain this in simple words '.repeat(12)}${extra}`;
  const queries = Array.from({ length: MAX_QUERIES }, (_, i) => line(i, i === 7 ? 'it’s 🙂' : ''));
  const keptChars = queries.reduce((n, q) => n + q.length, 0);
  // Both files are made before any measuring: a template literal is a rope, flattened (a new copy) the first time
  // it is read, and that copy would count as retained.
  const jsonl = queries.map((q) => JSON.stringify({ query: q })).join('\n');
  const text = queries.join('\n');

  it('a JSONL file: its queries are not copied at all (JSON.parse made them on their own)', () => {
    const { parsed, retained } = retainedBy('q.jsonl', () => jsonl);
    expect(parsed.queries).toHaveLength(MAX_QUERIES);
    expect(retained).toBeLessThan(1.5 * keptChars);
  });

  it('a text file: the copy keeps one-byte queries one byte a character', () => {
    const { parsed, retained } = retainedBy('q.txt', () => text);
    expect(parsed.queries).toHaveLength(MAX_QUERIES);
    expect(parsed.queries[7]!.text).toBe(queries[7]);
    expect(retained).toBeLessThan(1.5 * keptChars);
  });
});

describe('parseQueryFile: kept queries come out exactly as read', () => {
  it('a CSV file (copied): texts, categories and their order are unchanged, wide characters or not', () => {
    const rows = [
      ['plain one', 'coding'],
      ['ünïcödé 🙂 “quoted”', 'writing'],
      ['plain two', ''],
      ['it’s three', 'math'],
    ];
    const csv = ['query,category', ...rows.map(([q, c]) => `"${q}",${c}`)].join('\n');
    const { queries } = parseQueryFile('q.csv', new TextEncoder().encode(csv));
    expect(queries.map((q) => [q.text, q.category ?? ''])).toEqual(rows);
  });

  it('texts and categories are unchanged by the copy; a NUL in a category is dropped as in a query', () => {
    const { queries } = parseQueryFile(
      'q.jsonl',
      new TextEncoder().encode(
        [
          JSON.stringify({ query: 'lone \ud800 surrogate, "quotes", ünïcödé 🙂', category: 'Co\u0000ding' }),
          JSON.stringify({ query: 'second\nline', category: 'x'.repeat(40) }),
          JSON.stringify({ query: 'third' }),
        ].join('\n'),
      ),
    );
    expect(queries.map((q) => [q.text, q.category])).toEqual([
      ['lone \ud800 surrogate, "quotes", ünïcödé 🙂', 'coding'],
      ['second\nline', 'x'.repeat(40)],
      ['third', undefined],
    ]);
    expect('category' in queries[2]!).toBe(false);
  });
});
