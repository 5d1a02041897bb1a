/**
 * Statistics audit, findings 3 and 5: `drpo eval`'s table shows a mean's interval as the page does, "[lo–hi]"
 * ("±" is one standard error in the final check's verdict), and no interval from one score or equal ones.
 */
import { describe, expect, it } from 'vitest';
import {
  formatReportTable,
  intervalNote,
  noIntervalNotes,
  orderDisagreementNotes,
  otherScaleNote,
} from '../../../../../src/core/eval/report/report-table';
import { winRates } from '../../../../../src/core/eval/stats';
import { summarizeCandidate } from '../../../../../src/core/eval/report/summarize';
import type { EvalReport, EvalRow, PairOutcome } from '../../../../../src/core/eval/eval-types';

const ASPECTS = ['Helpfulness', 'Clarity', 'Factuality', 'Depth', 'Engagement'];
const row = (i: number, m: number): EvalRow => ({
  queryId: `q${i}`,
  query: `Q${i}`,
  kind: 'regular',
  answer: 'x',
  finishReason: 'stop',
  scores: ASPECTS.map((aspect) => ({ aspect, score: m, rationale: '' })),
  mean: m,
});

function report(rows: Record<string, number[]>): EvalReport {
  const total = Math.max(...Object.values(rows).map((r) => r.length));
  const asked = { total, regular: total, unsafe: 0 };
  const opts = { seed: 0, resamples: 1000, alpha: 0.05 };
  return {
    format: 'drpo-eval',
    version: 1,
    createdAt: new Date(0).toISOString(),
    complete: true,
    seed: 0,
    policy: { id: 'p', engine: 'openai' },
    judge: { id: 'j', engine: 'openai' },
    settings: { maxTokens: 100, ...opts },
    queries: asked,
    candidates: Object.entries(rows).map(([label, means]) =>
      summarizeCandidate(
        { label, systemPrompt: label },
        means.map((m, i) => row(i, m)),
        opts,
        asked,
      ),
    ),
    pairwise: [],
  };
}

describe('the CLI table’s intervals', () => {
  it('prints both ends of an interval, never "±", and never past the 1–5 scale', () => {
    // Mostly 5s: the interval is lopsided (its lower side is the longer); "± the longer side" ran past 5.
    const r = report({ Mine: [5, 5, 5, 5, 5, 5, 5, 5, 4, 3] });
    const overall = r.candidates[0]!.overall;
    expect(overall.ci!.hi).toBeLessThanOrEqual(5);
    expect(overall.mean! - overall.ci!.lo).toBeGreaterThan(overall.ci!.hi - overall.mean!);
    const table = formatReportTable(r);
    expect(table).not.toContain('±');
    expect(table).toContain(`4.70 [${overall.ci!.lo.toFixed(2)}–${overall.ci!.hi.toFixed(2)}]`);
    expect(table.split('\n')[0]).toMatch(/^Scores 1–5, mean \[95% bootstrap interval\] \(10 queries: /);
    for (const [, hi] of table.matchAll(/\[\d\.\d\d–(\d\.\d\d)\]/g)) expect(Number(hi)).toBeLessThanOrEqual(5);
  });

  it('shows no interval from one score or equal scores, and says why under the table', () => {
    const one = report({ Mine: [3], 'Starting prompt': [3.2] });
    expect(intervalNote(one.candidates[0]!.overall)).toBe('(n = 1)');
    const table = formatReportTable(one);
    expect(table).toMatch(/Mine\s+3\.00 \(n = 1\)/);
    expect(table).not.toMatch(/3\.00 \[|± 0\.00/);
    expect(noIntervalNotes(one)).toEqual(['(n = 1): one score, so no 95% interval.']);
    expect(table).toContain('\n(n = 1): one score, so no 95% interval.\n');
    // The comparison has no interval either: the gap may be noise.
    expect(table).toMatch(/\(1 question gives no 95% interval\)\.\n$/);

    const equal = report({ Mine: [4, 4, 4], Other: [2, 3, 4] });
    expect(formatReportTable(equal)).toMatch(/Mine\s+4\.00 \(no spread\)/);
    expect(noIntervalNotes(equal)).toEqual(['(no spread): all the scores are equal, so no 95% interval.']);
    // A report stored before the rule carries a zero-width interval: it reads the same.
    expect(intervalNote({ n: 3, mean: 4, ci: { lo: 4, hi: 4 } })).toBe('(no spread)');
    expect(intervalNote({ n: 1, mean: 4, ci: { lo: 4, hi: 4 } })).toBe('(n = 1)');
    expect(noIntervalNotes(report({ Other: [2, 3, 4] }))).toEqual([]);
  });
});

describe('a starting prompt scored here is not on the Result’s scale', () => {
  it('says so once when the report has a starting-prompt row, never without one', () => {
    const withStart = report({ 'Careful v1': [4, 5, 4], 'Starting prompt': [3, 4, 4] });
    expect(otherScaleNote(withStart)).toMatch(/^These scores are not on the scale of the Result’s: /);
    const shared = report({ A: [4, 5], B: [4, 4], 'Starting prompt of “A” and “B”': [3, 4] });
    expect(otherScaleNote(shared)).not.toBeNull();
    expect(otherScaleNote(report({ 'Careful v1': [4, 5], Baseline: [3, 4] }))).toBeNull();
  });
});

describe('a judge whose verdict changed with the order of the answers', () => {
  const pair = (a: string, b: string, outcomes: PairOutcome[], disagreements: number) => ({
    a,
    b,
    rates: winRates(outcomes),
    parseFailures: 0,
    positionDisagreements: disagreements,
    rows: [],
  });

  it('is said per pair, after the pairwise table, with what it means from half of the questions on', () => {
    const r = report({ Mine: [4, 3, 4, 3], Start: [3, 3, 3, 3], Other: [2, 3, 2, 3] });
    r.pairwise = [
      pair('Mine', 'Start', ['win', 'win', 'tie', 'loss'], 1),
      pair('Mine', 'Other', ['tie', 'tie', 'tie', 'win'], 3),
      pair('Start', 'Other', ['win', 'win', 'win', 'win'], 0),
    ];
    const said = [
      '“Mine” vs “Start”: the verdict changed when the answers were swapped on 1 of 4 questions (counted as ties).',
      '“Mine” vs “Other”: the verdict changed when the answers were swapped on 3 of 4 questions (counted as ties), so these rates say more about the order of the answers than about the prompts.',
    ];
    expect(orderDisagreementNotes(r)).toEqual(said);
    const table = formatReportTable(r);
    expect(table.indexOf(said[0]!)).toBeGreaterThan(table.indexOf('Pairwise ('));
    expect(table).toContain(said[1]);
    expect(table).not.toMatch(/Start” vs “Other”: the verdict/);
  });
});

describe('the CLI table’s words on an alignment that is its starting prompt, unchanged', () => {
  it('says so before what it is compared with, and the summary keeps the mark', () => {
    const asked = { total: 8, regular: 8, unsafe: 0 };
    const opts = { seed: 0, resamples: 1000, alpha: 0.05 };
    const r = report({ 'No system prompt': [3, 3, 3, 3, 3, 3, 3, 3] });
    const quick = summarizeCandidate(
      { label: 'DRPO Quick', systemPrompt: 'You are a helpful assistant.', unchanged: true },
      [4, 3, 4, 3, 4, 3, 4, 3].map((m, i) => row(i, m)),
      opts,
      asked,
    );
    expect(quick.unchanged).toBe(true);
    const table = formatReportTable({ ...r, candidates: [quick, ...r.candidates] });
    const [note, gain] = table.trimEnd().split('\n').slice(-2);
    expect(note).toMatch(/^“DRPO Quick” \(your starting prompt, unchanged\): its run found no improvement/);
    expect(gain).toMatch(
      /^“DRPO Quick” \(your starting prompt, unchanged\) scored higher than no system prompt at all/,
    );
    expect(table).not.toMatch(/confirm an improvement/);
  });
});
