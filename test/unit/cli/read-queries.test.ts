/**
 * The CLI's "Read N queries" line: every record of the file that was not kept is in it, by reason, in the
 * words the Data view uses (skippedInWords). It said "1 empty entry skipped" for a CSV that lost two lines.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readQueries } from '../../../src/cli/read-queries';
import { MAX_QUERIES } from '../../../src/core/data/parse-queries';
import { captureIo } from '../../support/cli-io';

function withFile(name: string, text: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'drpo-read-queries-'));
  writeFileSync(path.join(dir, name), text);
  return captureIo(dir);
}

describe('readQueries', () => {
  it('counts every skipped line by reason: unreadable, empty, duplicate', async () => {
    const io = withFile('q.csv', 'id,query\n1,What is rain?\n2\n3,\n4,What is rain?\n5,Why is the sky blue?\n');
    const queries = await readQueries('q.csv', io, '--queries');
    expect(queries).toHaveLength(2);
    expect(io.err().split('\n')).toEqual([
      'Read 2 queries from q.csv (skipped 1 unreadable line, 1 empty query and 1 duplicate).',
      'warning: skipped line 3 of q.csv: it has no value in the "query" column',
      'warning: skipped line 4 of q.csv: it has an empty query',
      '',
    ]);
  });

  it(`counts the lines over the limit of ${MAX_QUERIES} queries`, async () => {
    const lines = Array.from({ length: MAX_QUERIES + 3 }, (_, i) => `Question ${i}?`);
    const io = withFile('big.txt', lines.join('\n'));
    expect(await readQueries('big.txt', io, '--train')).toHaveLength(MAX_QUERIES);
    expect(io.err()).toContain(
      // Thousands separated, the count read as the limit beside it.
      'Read 20,000 queries from big.txt (skipped 3 over the limit of 20,000 queries).',
    );
  });

  it('warns that a .txt file of JSON lines is read as text, and how to have it read as JSONL', async () => {
    const io = withFile('q.txt', '{"query": "What is rain?"}\n{"query": "Why is the sky blue?"}\n');
    expect((await readQueries('q.txt', io, '--queries')).map((q) => q.text)).toEqual([
      '{"query": "What is rain?"}',
      '{"query": "Why is the sky blue?"}',
    ]);
    expect(io.err()).toContain('warning: The lines of "q.txt" look like JSON objects');
    expect(io.err()).toContain('rename the file to "q.jsonl"');
  });
});
