import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { csvField } from '../../../../src/core/data/csv';
import {
  MAX_QUERIES,
  SKIPPED_LISTED,
  normalizeQueryText,
  parseQueryFile,
} from '../../../../src/core/data/parse-queries';
import { skippedInWords } from '../../../../src/core/data/skipped-words';
import { ErrorName } from '../../../../src/core/contracts/errors';
import { sampleArtifact } from '../../../support/artifacts';

const enc = (s: string) => new TextEncoder().encode(s);
const parse = (name: string, text: string) => parseQueryFile(name, enc(text));

function expectInvalid(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect((err as Error).name).toBe(ErrorName.InvalidInput);
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an InvalidInput error');
}

describe('parseQueryFile: formats', () => {
  it('reads JSONL with query/instruction/prompt keys and categories', () => {
    const { queries, report } = parse(
      'q.jsonl',
      '{"query": "a?", "category": "coding"}\n\n{"instruction": "b?"}\r\n{"prompt": "c?", "category": "harmful"}\n"d?"\n',
    );
    expect(queries.map((q) => q.text)).toEqual(['a?', 'b?', 'c?', 'd?']);
    expect(queries[0]?.category).toBe('coding');
    expect(queries[1]?.category).toBeUndefined();
    expect(queries[2]?.category).toBe('unsafe');
    expect(report).toMatchObject({ total: 4, kept: 4, emptySkipped: 0, duplicatesRemoved: 0, truncated: 0 });
  });

  it('reads just-eval-instruct lines (harmful → unsafe, regular → no category)', () => {
    const line = (i: number, cat: string) =>
      JSON.stringify({ id: i, instruction: `q${i}`, source_id: `x-${i}`, dataset: 'helpful_base', category: cat });
    const { queries } = parse('just-eval.jsonl', [line(0, 'regular'), line(1, 'harmful')].join('\n'));
    expect(queries.map((q) => q.category)).toEqual([undefined, 'unsafe']);
  });

  it('reads CSV with quotes, embedded newlines, a BOM and a category column', () => {
    const csv = '\uFEFFid,Query,category\r\n1,"Hello, ""world""",creative\r\n2,"line one\nline two",\r\n3,plain\r\n';
    const { queries } = parse('q.csv', csv);
    expect(queries.map((q) => q.text)).toEqual(['Hello, "world"', 'line one\nline two', 'plain']);
    expect(queries[0]?.category).toBe('creative');
  });

  it('reads plain text, one query per line, skipping blanks', () => {
    const { queries } = parse('q.txt', 'first\n\n  second  \r\nthird');
    expect(queries.map((q) => q.text)).toEqual(['first', 'second', 'third']);
  });

  it('detects the format from content when the extension says nothing', () => {
    expect(parse('upload', '{"query":"x"}').queries[0]?.text).toBe('x');
    expect(parse('upload', 'query,category\nx,coding').queries[0]?.category).toBe('coding');
    expect(parse('upload', '["x", {"query": "y"}]').queries.map((q) => q.text)).toEqual(['x', 'y']);
    expect(parse('upload', 'just, some text').queries[0]?.text).toBe('just, some text');
  });

  it('removes duplicates (normalised whitespace), counts empties, truncates long queries', () => {
    const long = 'x'.repeat(5000);
    const { queries, report } = parse(
      'q.jsonl',
      ['{"query":"a  b"}', '{"query":"a b"}', '{"query":"   "}', JSON.stringify({ query: long })].join('\n'),
    );
    expect(queries.map((q) => q.text.length)).toEqual([4, 4000]);
    expect(report).toMatchObject({ total: 4, kept: 2, emptySkipped: 1, duplicatesRemoved: 1, truncated: 1 });
    // The studio's own cut, said as such: not in the words a fault summary uses for a server's.
    expect(report.warnings[0]).toBe('1 query was longer than 4000 characters: only its first 4000 are used.');
  });

  it('compares queries after the cut: two that differ only past 4000 characters are one', () => {
    const head = 'y'.repeat(4000);
    const { queries, report } = parse('q.jsonl', [`{"query":"${head}a"}`, `{"query":"${head}b"}`].join('\n'));
    expect(queries).toHaveLength(1);
    expect(report).toMatchObject({ kept: 1, duplicatesRemoved: 1, truncated: 1 });
  });

  it('reads a .json file of one pretty-printed object as one query, not as broken JSONL lines', () => {
    const { queries, report } = parse(
      'obj.json',
      '{\n  "query": "Why is the sky blue?",\n  "category": "science"\n}\n',
    );
    expect(queries.map((q) => q.text)).toEqual(['Why is the sky blue?']);
    expect(report.skipped).toEqual([]);
    // JSONL saved as .json (one object per line) is still JSONL.
    expect(parse('lines.json', '{"query":"a"}\n{"query":"b"}').queries.map((q) => q.text)).toEqual(['a', 'b']);
  });

  it('parses a .json file of one object once (a 50 MB file was parsed twice: to detect it, then to read it)', () => {
    const spy = vi.spyOn(JSON, 'parse');
    try {
      expect(parse('obj.json', '{\n  "query": "Why is the sky blue?"\n}\n').queries).toHaveLength(1);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('a JSON object holding the list under a key says where the list is (not "Item 1 has no query text")', () => {
    for (const key of ['queries', 'data']) {
      const text = JSON.stringify({ [key]: [{ query: 'a?' }, { query: 'b?' }], version: 2 });
      expectInvalid(
        () => parse('wrapped.json', text),
        new RegExp(`^The file "wrapped\\.json" is one JSON object whose "${key}" holds a list\\. Save that list alone`),
      );
    }
    // Strings under a list's name, beside the export's own text fields (a name, a version).
    expectInvalid(
      () => parse('set.json', '{"name":"my set","queries":["What is 2+2?","Tell a joke"]}'),
      /^The file "set\.json" is one JSON object whose "queries" holds a list\. Save that list alone/,
    );
    // An object that is a query keeps being read as one, lists in it or not.
    expect(parse('one.json', '{"query":"a?","tags":["x"]}').queries.map((q) => q.text)).toEqual(['a?']);
  });

  it('a JSON object whose list holds no queries is not sent to save that list alone', () => {
    // A chat record's messages, and a record under a field name not read: "save "messages" alone" would fail again.
    for (const text of ['{"messages":[{"role":"user","content":"hi"}]}', '{"input":"hi","tags":["x"]}']) {
      let message = '';
      try {
        parse('one.json', text);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).not.toMatch(/holds a list/);
      expect(message).toMatch(/has no "query" text \(also accepted: "instruction", "prompt", "question"\)/);
    }
    // A list of plain strings under a key is one (the object has no text of its own).
    expectInvalid(() => parse('w.json', '{"data":["a?","b?"],"count":2}'), /whose "data" holds a list/);
  });

  it('a CSV with a header row and nothing under it says so (not "use a CSV with a query column")', () => {
    for (const text of ['query,category\n', 'query,category\r\n\r\n\n', 'prompt'])
      expectInvalid(
        () => parse('empty.csv', text),
        /^The CSV file "empty\.csv" has a header row \((query, category|prompt)\) but no rows under it: add one query per row\.$/,
      );
  });

  it('a CSV with a header row and only empty rows under it says so (not "use a CSV with a query column")', () => {
    // Rows too short to reach the query column ("x" under "category,query") are empty in it too.
    const shortRows = 'category,query\nx\n,\n';
    expectInvalid(
      () => parse('blank.csv', shortRows),
      /^The CSV file "blank\.csv" has a header row \(category, query\) but nothing in its "query" column: add one query per row\.$/,
    );
    for (const text of ['query,category\n,\n', 'query,category\r\n,\r\n , \r\n', 'query,category\n,math\n'])
      expectInvalid(
        () => parse('blank.csv', text),
        /^The CSV file "blank\.csv" has a header row \(query, category\) but nothing in its "query" column: add one query per row\.$/,
      );
  });

  it('a CSV header with many cells is listed up to 8, as every message that lists it', () => {
    const cells = Array.from({ length: 12 }, (_, i) => `c${i + 1}`);
    const first8 = 'c1, c2, c3, c4, c5, c6, c7, c8, … \\(12 in all\\)';
    expectInvalid(
      () => parse('wide.csv', `query,${cells.join(',')}\n`),
      new RegExp(`has a header row \\(query, c1, c2, c3, c4, c5, c6, c7, … \\(13 in all\\)\\) but no rows under it`),
    );
    expectInvalid(() => parse('wide.csv', `${cells.join(',')}\na,b\n`), new RegExp(`found: ${first8}\\)\\.$`));
  });

  it('gives stable ids derived from the text', () => {
    const a = parse('a.txt', 'one\ntwo').queries;
    const b = parse('b.txt', 'zero\ntwo\none').queries;
    expect(b.find((q) => q.text === 'one')?.id).toBe(a[0]?.id);
    expect(new Set([...a, ...b].map((q) => q.id)).size).toBe(3);
  });
});

describe('parseQueryFile: bad input', () => {
  it('refuses binary and non-UTF-8 files', () => {
    expectInvalid(() => parseQueryFile('pic.png', new Uint8Array([0x89, 0x50, 0x00, 0x47])), /"pic.png" is not UTF-8/);
    expectInvalid(() => parseQueryFile('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9])), /not UTF-8/);
  });

  it('imports the good JSONL lines and lists each bad one with its line number and reason', () => {
    const { queries, report } = parse(
      'q.jsonl',
      '{"query":"ok"}\n{"query": oops}\n\n{"text":"no"}\n{"query":"  "}\n{"query":"fine too"}\n',
    );
    expect(queries.map((q) => q.text)).toEqual(['ok', 'fine too']);
    expect(report.skipped.map((s) => [s.where, s.line])).toEqual([
      ['Line 2', 2],
      ['Line 4', 4],
      ['Line 5', 5],
    ]);
    expect(report.skipped[0]!.reason).toMatch(/^is not valid JSON at column 11: "o" where a value was expected/);
    expect(report.skipped[1]!.reason).toMatch(/^has no "query" text/);
    expect(report.skipped[2]!.reason).toBe('has an empty query');
    expect(report).toMatchObject({ total: 5, kept: 2, emptySkipped: 1 });
  });

  it('imports the good CSV rows and JSON items, listing the skipped ones', () => {
    const csv = parse('q.csv', 'id,query\n1,first\n2\n3,"two\nlines"\n4,\n');
    expect(csv.queries.map((q) => q.text)).toEqual(['first', 'two\nlines']);
    expect(csv.report.skipped.map((s) => `${s.where}: ${s.reason}`)).toEqual([
      'Line 3: has no value in the "query" column',
      'Line 6: has an empty query',
    ]);
    const json = parse('q.json', '[{"query":"a"}, 42, {"prompt":"b"}]');
    expect(json.queries.map((q) => q.text)).toEqual(['a', 'b']);
    expect(json.report.skipped.map((s) => s.where)).toEqual(['Item 2']);
  });

  it('names the first bad line when no line is readable', () => {
    expectInvalid(() => parse('q.jsonl', '{"query": oops}\n'), /Line 1 of "q.jsonl" is not valid JSON/);
    expectInvalid(
      () => parse('q.jsonl', '{"text":"no"}\n{"x":1}'),
      /Line 1 of "q.jsonl" has no "query" text.*\(and 1 more like it\)\.$/,
    );
    // Two broken lines are alike even though their details differ.
    expectInvalid(() => parse('q.jsonl', '{"a": oops}\n[1,'), /is not valid JSON.*\(and 1 more like it\)\.$/);
  });

  it('does not call other problems further down "like" the first one', () => {
    expectInvalid(
      () => parse('q.jsonl', '{"query": 5}\n{"text": ""}\nnot json'),
      /^Line 1 of "q.jsonl" has no "query" text .*\(and 2 more lines that cannot be read\)\.$/,
    );
    expectInvalid(
      () => parse('q.json', '[{"x": 1}, 3, {"y": 2}]'),
      /^Item 1 of "q.json" has no "query" text .*\(and 2 more like it\)\.$/,
    );
  });

  it('explains a CSV without a query column and an unterminated quote', () => {
    expectInvalid(() => parse('q.csv', 'text,category\nx,y'), /needs a header row with a "query" column/);
    expectInvalid(() => parse('q.csv', 'query\n"never ends'), /never ends .*line 2/);
  });

  it('names every accepted text column for a CSV without one, in the same words as a JSON record without one', () => {
    const also = '(also accepted: "instruction", "prompt", "question"';
    expectInvalid(
      () => parse('q.csv', 'id,text\n1,x'),
      new RegExp(`^The CSV file "q.csv" needs a header row with a "query" column \\${also}; found: id, text\\)\\.$`),
    );
    expectInvalid(() => parse('q.jsonl', '{"text":"x"}'), new RegExp(`has no "query" text \\${also}\\)`));
    // Each of them is read, in CSV as in JSON.
    for (const col of ['instruction', 'prompt', 'question']) {
      expect(parse('q.csv', `id,${col}\n1,x`).queries[0]?.text).toBe('x');
      expect(parse('q.jsonl', `{"${col}":"x"}`).queries[0]?.text).toBe('x');
    }
  });

  it('reads a CSV with semicolons or tabs between its columns when its header shows them (European Excel)', () => {
    const semi = parse('semi.csv', 'query;category\r\nfirst;knowledge\r\n"a; b";\r\n');
    expect(semi.queries.map((q) => [q.text, q.category])).toEqual([
      ['first', 'knowledge'],
      ['a; b', undefined],
    ]);
    const tabs = parse('tabs.csv', 'id\tquery\n1\tsecond, with a comma\n');
    expect(tabs.queries.map((q) => q.text)).toEqual(['second, with a comma']);
    // A comma header is read with commas, whatever its cells hold.
    expect(parse('c.csv', 'query,note\nx;y,z\n').queries.map((q) => q.text)).toEqual(['x;y']);
    // No query column between semicolons either: the same words as ever.
    expectInvalid(() => parse('q.csv', 'text;category\nx;y'), /needs a header row with a "query" column/);
  });

  it('names a file of ours given as a query file, and where it belongs (it was read as "Item 1 has no query")', () => {
    const alignment = JSON.stringify(sampleArtifact(), null, 2);
    for (const name of ['opt.json', 'opt.jsonl', 'opt']) {
      expectInvalid(
        () => parse(name, alignment),
        new RegExp(
          `^"${name}" is an alignment file \\(Download JSON on a result, or drpo optimize --out\\), not a query file\\. To score it, import it in History and tick it under Candidates in Evaluate, or give it to drpo eval --alignment\\. A query file holds one query per line`,
        ),
      );
    }
    const report = { format: 'drpo-eval', version: 1, candidates: [] };
    expectInvalid(
      () => parse('r.json', JSON.stringify(report)),
      /^"r.json" is an evaluation report \(Export JSON in Evaluate, or drpo eval --out\), not a query file\. It holds scores and answers, not queries\./,
    );
    // A report's CSV (with its BOM, as toCsv writes it) was read as a few queries, formula guard and all.
    const csv =
      "\uFEFFcandidate,query_id,category,kind,mean,parse_error,query,answer\r\nA,q1,,eval,4,,'=cmd|calc,x\r\n";
    for (const name of ['r.csv', 'r.txt']) {
      expectInvalid(
        () => parseQueryFile(name, new TextEncoder().encode(csv)),
        new RegExp(
          `^"${name.replace('.', '\\.')}" is an evaluation report in CSV \\(Export CSV in Evaluate, or drpo eval --csv\\), not a query file`,
        ),
      );
    }
    expectInvalid(
      () => parse('run.json', JSON.stringify({ format: 'drpo-run-export', version: 1 })),
      /is a run export \(Export in History\), not a query file\. It holds a whole run: import it in History\./,
    );
    expectInvalid(
      () => parse('ck.json', JSON.stringify({ format: 'drpo-checkpoint', version: 1 })),
      /is a run checkpoint, .*not a query file\. Give it to drpo optimize --resume/,
    );
    // Someone else's "format" field is no file of ours: the record is read for its query.
    expect(parse('q.json', '{"format":"x","query":"hi"}').queries[0]?.text).toBe('hi');
  });

  it('says where a JSON array\'s syntax error is and what it is, not "use JSONL" (a trailing comma)', () => {
    const file = '[\n  {"query": "a"},\n  {"query": "b"},\n]\n';
    expectInvalid(
      () => parse('q.json', file),
      /^The file "q.json" is not valid JSON at line 3, column 17: a comma after the last item, before the closing "\]"\. Fix it there and try again\.$/,
    );
    expectInvalid(
      () => parse('q.json', '[{"query": "a",}]'),
      /at line 1, column 15: a comma after the last field, before the closing "\}"/,
    );
    expectInvalid(() => parse('q.json', '[{"query": "a"} {"query": "b"}]'), /at line 1, column 17: a missing comma/);
    expectInvalid(() => parse('q.json', "['a']"), /at line 1, column 2: text in single quotes/);
    expectInvalid(
      () => parse('q.json', '[{"query": "a"}'),
      /at line 1, column 16: the file ends before the closing "\]"/,
    );
    for (const bad of ['[1,]', '[{"query":"a"},]', '[{"query": oops}]'])
      expectInvalid(() => parse('q.json', bad), /^(?![\s\S]*JSONL)/);
    // Several lists, one per line: the one case where one JSON value per line (JSONL) is the fix.
    expectInvalid(
      () => parse('q.json', '[{"query": "a"}]\n[{"query": "b"}]'),
      /at line 2, column 1: more text after the end of the JSON .*save it as \.jsonl\.$/,
    );
  });

  it("says where a bad JSONL line's error is, in the same words", () => {
    const { report } = parse('q.jsonl', '{"query":"ok"}\n{"query":"a",}\n');
    expect(report.skipped[0]!.reason).toBe(
      'is not valid JSON at column 13: a comma after the last field, before the closing "}"',
    );
  });

  it("warns when a .txt file's lines are JSON objects (read as text, as its name says): rename it .jsonl", () => {
    const { queries, report } = parse('my queries.txt', '{"query":"a"}\n\n{"query":"b","category":"coding"}\n');
    // Still read as text: the extension decides (the format detection is unchanged).
    expect(queries.map((q) => q.text)).toEqual(['{"query":"a"}', '{"query":"b","category":"coding"}']);
    expect(report.warnings).toEqual([
      'The lines of "my queries.txt" look like JSON objects, but a .txt file is read as plain text: each whole line, braces and all, became a query. To read the "query" of each line instead, rename the file to "my queries.jsonl" and load it again.',
    ]);
    // Text that only mentions braces, or has one JSON-looking line among plain ones, is no JSONL.
    expect(parse('q.txt', 'What does {"a": 1} mean in JSON?\nwhy').report.warnings).toEqual([]);
    expect(parse('q.txt', '{"query":"a"}\nplain question').report.warnings).toEqual([]);
    expect(parse('q.jsonl', '{"query":"a"}').report.warnings).toEqual([]);
    // A .text file is named as one, not as a .txt file.
    expect(parse('Q.TEXT', '{"query":"a"}').report.warnings).toEqual([
      'The lines of "Q.TEXT" look like JSON objects, but a .text file is read as plain text: each whole line, braces and all, became a query. To read the "query" of each line instead, rename the file to "Q.jsonl" and load it again.',
    ]);
  });

  it('leaves out a column header on the first line of a text file, and says so (it was read as a query)', () => {
    const one = parse('q.txt', 'query\nhello\nWhat is a query?\n');
    expect(one.queries.map((q) => q.text)).toEqual(['hello', 'What is a query?']);
    expect(one.report).toMatchObject({ kept: 2, total: 2 });
    expect(one.report.warnings).toEqual([
      'Line 1 of "q.txt" is a column header (query), not a query, so it was left out.',
    ]);
    // A spreadsheet saved as tab-separated text: the header goes, and the user learns the columns stay together.
    const tsv = parse('l.tsv', 'Query\tCategory\nhello\tmath\n');
    expect(tsv.queries.map((q) => q.text)).toEqual(['hello\tmath']);
    expect(tsv.report.warnings).toEqual([
      'Line 1 of "l.tsv" is a column header (query, category), not a query, so it was left out. The other lines are read whole, columns and all, one query per line; to read only the query column, save the file as CSV (comma-separated) with a .csv name and load it again.',
    ]);
    // After blank lines, it is still the first line of text; a question that mentions a column name is kept.
    expect(parse('q.txt', '\n\nprompt\nhi').report.warnings[0]).toMatch(/^Line 3 of "q.txt" is a column header/);
    for (const text of ['What is a query?\nhi', 'query please\nhi', 'category\nhi', 'hi\nquery'])
      expect(parse('q.txt', text).report.warnings).toEqual([]);
    // A header and nothing else: no queries.
    expectInvalid(() => parse('q.txt', 'query\n'), /No queries found in "q.txt"/);
  });

  it('refuses a file with no queries at all', () => {
    expectInvalid(() => parse('empty.txt', '\n  \n'), /No queries found in "empty.txt"/);
    expectInvalid(() => parse('empty.jsonl', ''), /No queries found/);
    // An empty .csv too: not "needs a header row with a query column (found: nothing)".
    for (const text of ['', '\n\r\n  \n'])
      expectInvalid(() => parse('empty.csv', text), /^No queries found in "empty\.csv"/);
  });
});

describe('parseQueryFile: the counts add up', () => {
  it('counts every record by reason: unreadable, empty, duplicate (a CSV said "1 empty entry" for two)', () => {
    const { queries, report } = parse('q.csv', 'id,query\n1,first\n2\n3,\n4,first\n5,second\n');
    expect(queries.map((q) => q.text)).toEqual(['first', 'second']);
    expect(report).toMatchObject({
      total: 5,
      kept: 2,
      unreadable: 1,
      emptySkipped: 1,
      duplicatesRemoved: 1,
      overLimit: 0,
    });
    expect(skippedInWords(report)).toBe('1 unreadable line, 1 empty query and 1 duplicate');
    expect(skippedInWords(parse('q.json', '[42, "a", "b", 7]').report)).toBe('2 unreadable items');
    expect(skippedInWords(parse('q.txt', 'a\nb').report)).toBe('');
  });

  it(`counts the records past the ${MAX_QUERIES}-query limit, and the empties and duplicates among them`, () => {
    const q = (t: string) => JSON.stringify({ query: t });
    const lines = Array.from({ length: MAX_QUERIES + 5 }, (_, i) => q(`q${i}`));
    // Past the limit: a duplicate, an empty query, a new one (over the limit), a bad line.
    lines.push(q('q1'), q(' '), q('new'), 'oops');
    const { queries, report } = parse('q.jsonl', lines.join('\n'));
    expect(queries).toHaveLength(MAX_QUERIES);
    expect(report).toMatchObject({
      total: MAX_QUERIES + 9,
      kept: MAX_QUERIES,
      unreadable: 1,
      emptySkipped: 1,
      duplicatesRemoved: 1,
      overLimit: 6,
    });
    expect(report.kept + report.duplicatesRemoved + report.skipped.length + report.overLimit).toBe(report.total);
    expect(skippedInWords(report)).toBe(
      '1 unreadable line, 1 empty query, 1 duplicate and 6 over the limit of 20,000 queries',
    );
    expect(report.warnings).toContain(
      'Only the first 20,000 queries were kept (the most a file may give); split the file to use the other 6.',
    );
  });

  it('adds up for any mix of records', () => {
    const rec = fc.constantFrom('{"query":"a"}', '{"query":"b"}', '{"query":" "}', '{"text":"x"}', 'oops', '"c"', '');
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 30 }), (lines) => {
        let r;
        try {
          r = parse('m.jsonl', lines.join('\n')).report;
        } catch {
          return;
        }
        expect(r.kept + r.duplicatesRemoved + r.skipped.length + r.overLimit).toBe(r.total);
        expect(r.unreadable + r.emptySkipped).toBe(r.skipped.length);
      }),
    );
  });
});

describe('parseQueryFile: properties', () => {
  it('never throws anything but InvalidInput for arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('x.jsonl', 'x.csv', 'x.txt', 'x', 'x.json'),
        (bytes, name) => {
          try {
            parseQueryFile(name, bytes);
          } catch (err) {
            expect((err as Error).name).toBe(ErrorName.InvalidInput);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws anything but InvalidInput for arbitrary strings', () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      '"',
      ',',
      '\n',
      '\r\n',
      'query',
      ':',
      '[',
      ']',
      'a',
      ' ',
      '\\',
      'null',
      '\uFEFF',
    );
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(pieces, { maxLength: 60 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('x.jsonl', 'x.csv', 'x.txt', 'x', 'x.json'), (t, name) => {
        try {
          parse(name, t);
        } catch (err) {
          expect((err as Error).name).toBe(ErrorName.InvalidInput);
        }
      }),
      { numRuns: 600 },
    );
  });

  const expected = (list: string[]) => {
    const seen = new Set<string>();
    return list
      .map((s) => s.replaceAll('\u0000', '').trim())
      .filter((s) => {
        const key = normalizeQueryText(s);
        if (s === '' || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  };
  const anyText = fc.string({ unit: 'grapheme', maxLength: 80 });
  const lineText = anyText.map((s) => s.replace(/[\r\n\u2028\u2029\u0085\v\f]/g, ' '));
  const nonEmpty = (gen: fc.Arbitrary<string>) =>
    fc.array(gen, { minLength: 1, maxLength: 20 }).filter((l) => expected(l).length > 0);

  it('round-trips query lists through JSONL', () => {
    fc.assert(
      fc.property(nonEmpty(anyText), (list) => {
        const text = list.map((q) => JSON.stringify({ query: q })).join('\n');
        expect(parse('r.jsonl', text).queries.map((q) => q.text)).toEqual(expected(list));
      }),
    );
  });

  it('round-trips query lists through CSV', () => {
    fc.assert(
      fc.property(nonEmpty(anyText.filter((s) => !s.includes('\u0000'))), (list) => {
        const text = ['query', ...list.map(csvField)].join('\r\n');
        expect(parse('r.csv', text).queries.map((q) => q.text)).toEqual(expected(list));
      }),
    );
  });

  it('round-trips single-line query lists through plain text', () => {
    fc.assert(
      fc.property(nonEmpty(lineText.filter((s) => !s.includes('\u0000'))), (list) => {
        expect(parse('r.txt', list.join('\n')).queries.map((q) => q.text)).toEqual(expected(list));
      }),
    );
  });
});

const SHARED = path.resolve(process.cwd(), '../shared/data');
const TRAIN = path.join(SHARED, 'drpo/train-queries.jsonl');
const JUST_EVAL = path.join(SHARED, 'just-eval/just-eval-instruct.jsonl');

describe('parseQueryFile: shared data files', () => {
  it.skipIf(!existsSync(TRAIN))('reads the DRPO training queries', () => {
    const { queries } = parseQueryFile('train-queries.jsonl', readFileSync(TRAIN));
    expect(queries.length).toBeGreaterThan(100);
  });

  it.skipIf(!existsSync(JUST_EVAL))('reads just-eval-instruct with harmful → unsafe', () => {
    const { queries } = parseQueryFile('just-eval-instruct.jsonl', readFileSync(JUST_EVAL));
    expect(queries.length).toBeGreaterThan(500);
    expect(queries.some((q) => q.category === 'unsafe')).toBe(true);
  });
});

describe('a file of many bad records', () => {
  it('lists the first skipped records only, and counts them all (a report to show, print and save stays small)', () => {
    const lines = [
      '{"query":"What is DNS?"}',
      ...Array.from({ length: 10_000 }, (_, i) => `{bad ${i}`),
      '{"query":"   "}',
    ];
    const { queries, report } = parseQueryFile('many.jsonl', new TextEncoder().encode(lines.join('\n')));
    expect(queries).toHaveLength(1);
    expect([report.unreadable, report.emptySkipped, report.total]).toEqual([10_000, 1, 10_002]);
    expect(report.skipped).toHaveLength(SKIPPED_LISTED);
    expect(report.skipped[0]!.where).toBe('Line 2');
    expect(skippedInWords(report)).toBe('10,000 unreadable lines and 1 empty query');
  });
});
