/**
 * Big query files: a generated 100k-row file read as the page and the CLI read it (parseQueryFile: decode, parse,
 * clean, deduplicate, count what is over the limit), as CSV (plain and with quoted multi-line fields) and as JSONL
 * of the same rows. Time is the median of 3 reads; heap is the most one read added (garbage included) from a heap
 * just collected. Target: CSV is read no slower than 1.5× the JSONL of the
 * same rows (a ratio, so a loaded machine moves both figures alike). CSV fields were built one character at a
 * time, which made the CSV ~3× slower than the JSONL and took hundreds of MB.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseQueryFile } from '../src/core/data/parse-queries';
import { csvField } from '../src/core/data/csv';
import type { BenchSection } from './types';

const ROWS = 100_000;
const TOPICS = ['gardening', 'taxes', 'cooking', 'physics', 'history', 'music'];
const CSV_TARGET = 1.5;

function query(i: number): string {
  return `How would you explain topic number ${i} about ${TOPICS[i % TOPICS.length]} to a curious twelve-year-old, in a few short steps?`;
}

/** A full GC, when one can be asked for (the flag set at run time, as `npm run bench` starts node without it). */
function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const FILES: readonly { label: string; name: string; text: () => string }[] = [
  {
    label: 'CSV',
    name: 'q.csv',
    text: () =>
      ['query,category', ...Array.from({ length: ROWS }, (_, i) => `${csvField(query(i))},c${i % 7}`)].join('\n'),
  },
  {
    label: 'CSV, quoted lines',
    name: 'q.csv',
    // Each query quoted, with a doubled quote and a line end inside it: the slow path of a quoted field.
    text: () =>
      [
        'query,category',
        ...Array.from({ length: ROWS }, (_, i) => `${csvField(`${query(i)}\nSay "why" too.`)},c${i % 7}`),
      ].join('\r\n'),
  },
  {
    label: 'JSONL',
    name: 'q.jsonl',
    text: () =>
      Array.from({ length: ROWS }, (_, i) => JSON.stringify({ query: query(i), category: `c${i % 7}` })).join('\n'),
  },
];

export async function benchQueryFiles(): Promise<BenchSection> {
  const rows: Record<string, string | number>[] = [];
  const ms: Record<string, number> = {};
  for (const f of FILES) {
    const bytes = new TextEncoder().encode(f.text());
    const times: number[] = [];
    let grown = 0;
    for (let run = 0; run < 3; run++) {
      gc();
      const before = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      const parsed = parseQueryFile(f.name, bytes);
      times.push(performance.now() - t0);
      grown = Math.max(grown, process.memoryUsage().heapUsed - before);
      if (parsed.report.total !== ROWS) throw new Error(`${f.label}: read ${parsed.report.total} rows of ${ROWS}`);
    }
    const median = [...times].sort((a, b) => a - b)[1]!;
    ms[f.label] = median;
    rows.push({
      file: `${f.label}, ${ROWS.toLocaleString('en-US')} rows`,
      'size (MB)': +(bytes.length / 1e6).toFixed(1),
      'read (ms)': Math.round(median),
      'heap added (MB)': Math.round(grown / 1e6),
    });
    await new Promise((r) => setTimeout(r));
  }
  const ratio = (ms['CSV'] ?? 0) / (ms['JSONL'] ?? 1);
  const quotedRatio = (ms['CSV, quoted lines'] ?? 0) / (ms['JSONL'] ?? 1);
  return {
    name: 'Query files (100k rows)',
    rows,
    targets: [
      { label: `CSV read ≤ ${CSV_TARGET}× the JSONL`, value: `${ratio.toFixed(2)}×`, ok: ratio <= CSV_TARGET },
      {
        label: `quoted multi-line CSV read ≤ ${CSV_TARGET}× the JSONL`,
        value: `${quotedRatio.toFixed(2)}×`,
        ok: quotedRatio <= CSV_TARGET,
      },
    ],
  };
}
