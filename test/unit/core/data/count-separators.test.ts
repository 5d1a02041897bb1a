/**
 * Every query count is said with its thousands separated (formatWholeCount): a 100k-line file said "skipped 80000
 * over the limit of 20,000" and "the other 80000", beside counts that had the separator.
 */
import { describe, expect, it } from 'vitest';
import { MAX_QUERIES, parseQueryText, type ParseReport } from '../../../../src/core/data/parse-queries';
import { skippedInWords } from '../../../../src/core/data/skipped-words';
import { queriesLine, scoredOfAsked } from '../../../../src/core/eval/report/report-table';
import type { EvalReport } from '../../../../src/core/eval/eval-types';

const report = (over: Partial<ParseReport>): ParseReport => ({
  unit: 'line',
  total: 0,
  kept: 0,
  unreadable: 0,
  emptySkipped: 0,
  duplicatesRemoved: 0,
  overLimit: 0,
  truncated: 0,
  warnings: [],
  skipped: [],
  ...over,
});

describe('query counts with thousands separated', () => {
  it('says what a file left out with separators in every count', () => {
    expect(
      skippedInWords(report({ unreadable: 12_345, emptySkipped: 1_000, duplicatesRemoved: 2_500, overLimit: 80_000 })),
    ).toBe(
      '12,345 unreadable lines, 1,000 empty queries, 2,500 duplicates and 80,000 over the limit of 20,000 queries',
    );
  });

  it('says how many queries over the limit and how many cut ones a file had, separated', () => {
    const lines = Array.from(
      { length: MAX_QUERIES + 12_000 },
      (_, i) => `Question ${i}? ${'x'.repeat(i < 1500 ? 4001 : 0)}`,
    );
    const { report: r } = parseQueryText('big.txt', lines.join('\n'));
    expect(skippedInWords(r)).toBe('12,000 over the limit of 20,000 queries');
    expect(r.warnings).toContain(
      'Only the first 20,000 queries were kept (the most a file may give); split the file to use the other 12,000.',
    );
    expect(r.warnings[0]).toMatch(/^1,500 queries were longer than/);
  });

  it('says an evaluation’s query counts separated', () => {
    const r = {
      complete: false,
      queries: { total: 12_000, regular: 11_000, unsafe: 1_000 },
      candidates: [{ counts: { scored: 10_500 } }],
    } as unknown as EvalReport;
    expect(queriesLine(r)).toBe(
      '12,000 queries (11,000 regular, 1,000 unsafe); stopped with 10,500 of 12,000 answers scored',
    );
    expect(scoredOfAsked(r)).toBe('10,500 of 12,000 answers scored');
  });
});
