/** CSV export of an evaluation report: one row per (candidate, query), then a summary block. */
import { csvField } from '../../data/csv';
import type { EvalReport } from '../eval-types';

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v;
  // A leading =,+,-,@ is prefixed so spreadsheets do not run it as a formula.
  return csvField(/^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s);
}

function line(values: (string | number | null | undefined)[]): string {
  return values.map(cell).join(',');
}

/** The columns every report's CSV starts with (an importer tells the file by them). */
const LEAD_COLUMNS = ['candidate', 'query_id', 'category', 'kind'] as const;

/**
 * The UTF-8 byte order mark the CSV starts with: without it, Excel on Windows reads the file in the local code page
 * and garbles every non-ASCII letter ("Café" → "CafÃ©"). Readers drop it: decodeUtf8, and isEvalCsv below.
 */
export const CSV_BOM = '\uFEFF';

/** Text that starts as a report's CSV does (its BOM aside: trimStart drops it): an evaluation report, whatever the file is called. */
export function isEvalCsv(text: string): boolean {
  return text.trimStart().startsWith(`${LEAD_COLUMNS.join(',')},`);
}

export function toCsv(report: EvalReport): string {
  const aspects = [...new Set(report.candidates.flatMap((c) => c.aspects.map((a) => a.aspect)))];
  const out: string[] = [];
  out.push(line([...LEAD_COLUMNS, ...aspects, 'mean', 'parse_error', 'query', 'answer']));
  for (const c of report.candidates)
    for (const r of c.rows) {
      const byAspect = new Map(r.scores.map((s) => [s.aspect, s.score]));
      out.push(
        line([
          c.label,
          r.queryId,
          r.category,
          r.kind,
          ...aspects.map((a) => byAspect.get(a)),
          r.mean,
          r.parseError,
          r.query,
          r.answer,
        ]),
      );
    }
  out.push('');
  out.push(line(['candidate', 'aspect', 'n', 'mean', 'ci_low', 'ci_high']));
  for (const c of report.candidates) {
    for (const a of c.aspects) out.push(line([c.label, a.aspect, a.n, a.mean, a.ci?.lo, a.ci?.hi]));
    out.push(line([c.label, 'Overall', c.overall.n, c.overall.mean, c.overall.ci?.lo, c.overall.ci?.hi]));
  }
  if (report.pairwise.length > 0) {
    out.push('');
    out.push(line(['a', 'b', 'n', 'win', 'tie', 'loss', 'win_low', 'win_high', 'parse_failures']));
    for (const p of report.pairwise)
      out.push(
        line([
          p.a,
          p.b,
          p.rates.n,
          p.rates.win.rate,
          p.rates.tie.rate,
          p.rates.loss.rate,
          p.rates.win.ci.lo,
          p.rates.win.ci.hi,
          p.parseFailures,
        ]),
      );
  }
  return CSV_BOM + out.join('\r\n') + '\r\n';
}
