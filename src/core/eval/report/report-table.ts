/**
 * Plain-text tables of a report (CLI output): candidate × aspect mean with its interval "[lo–hi]" (as the page
 * shows it: "±" is the final check's one standard error elsewhere), then pairwise rates, then
 * in words each alignment that scored below its starting prompt (as the page says it); and
 * the words the page's results share with them. A stopped evaluation judged only some answers: it says how many of
 * those asked, never a count of what it reached as if that were all.
 */
import type { CandidateReport, EvalReport, MeanCI } from '../eval-types';
import { plural } from '../../words/list-words';
import { formatWholeCount } from '../../formats/bytes';
import {
  belowReferences,
  describeBelow,
  describeUnchanged,
  describeUnconfirmedGain,
  isStartingLabel,
  unconfirmedGains,
} from './compare';

/** "12 of 32 answers scored": every candidate's scored answers, of all the evaluation asked for. */
export function scoredOfAsked(r: EvalReport): string {
  const scored = r.candidates.reduce((n, c) => n + c.counts.scored, 0);
  return `${formatWholeCount(scored)} of ${plural(r.candidates.length * r.queries.total, 'answer')} scored`;
}

/** The queries asked, and when stopped early, how many answers were scored of all asked. */
export function queriesLine(r: EvalReport): string {
  const asked = `${plural(r.queries.total, 'query', 'queries')} (${formatWholeCount(r.queries.regular)} regular, ${formatWholeCount(r.queries.unsafe)} unsafe)`;
  return r.complete ? asked : `${asked}; stopped with ${scoredOfAsked(r)}`;
}

/** A candidate's "Scored" cell: scored of the queries asked, or "not scored" when none of its answers was judged. */
export function scoredCell(r: EvalReport, c: CandidateReport): string {
  return c.rows.length === 0
    ? 'not scored'
    : `${formatWholeCount(c.counts.scored)}/${formatWholeCount(r.queries.total)}`;
}

/**
 * In words, each alignment that scored below what it should beat (its starting prompt, else the baseline, else no
 * system prompt): the page's results and the CLI's table end say the same.
 */
export function belowNotes(r: EvalReport): string[] {
  return belowReferences(r).map((b) => describeBelow(b, r.settings.alpha));
}

/** One sentence per alignment that is its starting prompt, unchanged (compare.ts), before what it is compared with. */
export function unchangedNotes(r: EvalReport): string[] {
  return r.candidates.flatMap((c) => (c.unchanged ? [describeUnchanged(c.label)] : []));
}

/** One sentence per alignment that scored above its reference by a gap that may be noise (compare.ts). */
export function unconfirmedGainNotes(r: EvalReport): string[] {
  return unconfirmedGains(r).map((b) => describeUnconfirmedGain(b, r.settings.alpha));
}

/**
 * Why a starting prompt's score here is not the one its Result showed: the Result's figures are the run's own
 * held-out questions, judged on the aspects the judge picked per question; these are this set's questions on
 * fixed aspects. Said once when the report has a starting-prompt row (users come from the Result to compare).
 */
export function otherScaleNote(r: EvalReport): string | null {
  if (!r.candidates.some((c) => isStartingLabel(c.label))) return null;
  return (
    'These scores are not on the scale of the Result’s: there the run’s own held-out questions were judged on the ' +
    'aspects picked for each question; here every answer to this set is judged on the same aspects. Compare rows ' +
    'of this table with each other, not with the Result’s figures.'
  );
}

/** One sentence per candidate that is the same prompt as an earlier one (identical.ts). */
export function sameAsNotes(r: EvalReport): string[] {
  return r.candidates.flatMap((c) =>
    c.sameAs === undefined
      ? []
      : [
          `“${c.label}” is the same prompt as “${c.sameAs}”${c.iclCount > 0 ? ', with the same examples' : ''}: ` +
            'it gets the same answers and scores, and the two are not compared pairwise.',
        ],
  );
}

/**
 * Pairs whose judge changed its verdict when the answers were swapped: the rates count those questions as ties,
 * which alone does not say that the verdict there rests on the order the judge read the answers in (a change is a
 * preference turned round, or one turned to a tie). One note per such pair, on the page and in `drpo eval`.
 */
export function orderDisagreementNotes(r: EvalReport): string[] {
  return r.pairwise.flatMap((p) => {
    const d = p.positionDisagreements;
    if (!d || p.rates.n === 0) return [];
    const much =
      2 * d >= p.rates.n ? ', so these rates say more about the order of the answers than about the prompts' : '';
    return [
      `“${p.a}” vs “${p.b}”: the verdict changed when the answers were swapped on ${d} of ${plural(p.rates.n, 'question')} ` +
        `(counted as ties)${much}.`,
    ];
  });
}

/**
 * What stands beside a mean, on the page and in `drpo eval`: its interval "[3.10–3.80]" (both ends, so it never
 * runs past the 1–5 scale as a "±" of its longer side would), or why it has none: "(n = 1)" for a single value,
 * "(no spread)" when all are equal (stats.ts gives none; a report stored before has a zero-width one there).
 */
export function intervalNote(m: MeanCI): string {
  if (m.n < 2) return '(n = 1)';
  if (!m.ci || m.ci.hi <= m.ci.lo) return '(no spread)';
  return `[${m.ci.lo.toFixed(2)}–${m.ci.hi.toFixed(2)}]`;
}

/**
 * Over the page's scores table, what its figures are: a mean over its interval, not a "±" (a run's verdict on the
 * Result gives one standard error that way, beside the same kind of score).
 */
export function scoresLegend(r: EvalReport): string {
  return `Mean score 1–5 with its ${levelOf(r)} interval [low–high] (not “±”, which on the Result is one standard error).`;
}

/** Under the scores table (the page's and the CLI's), what "(n = 1)" and "(no spread)" mean, for those it shows. */
export function noIntervalNotes(r: EvalReport): string[] {
  const level = levelOf(r);
  const notes = new Set(
    r.candidates.flatMap((c) => [...c.aspects, c.overall]).flatMap((m) => (m.mean === null ? [] : [intervalNote(m)])),
  );
  return [
    ...(notes.has('(n = 1)') ? [`(n = 1): one score, so no ${level} interval.`] : []),
    ...(notes.has('(no spread)') ? [`(no spread): all the scores are equal, so no ${level} interval.`] : []),
  ];
}

function fmtMean(m: MeanCI): string {
  return m.mean === null ? '—' : `${m.mean.toFixed(2)} ${intervalNote(m)}`;
}

/** "95%": the level of the report's intervals. */
const levelOf = (r: EvalReport) => `${Math.round((1 - r.settings.alpha) * 100)}%`;

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

export function formatReportTable(report: EvalReport): string {
  const aspects = [...new Set(report.candidates.flatMap((c) => c.aspects.map((a) => a.aspect)))];
  const level = levelOf(report);
  const rows = report.candidates.map((c) => {
    const byAspect = new Map(c.aspects.map((a) => [a.aspect, a]));
    return [
      c.label,
      ...aspects.map((a) => {
        const s = byAspect.get(a);
        return s ? fmtMean(s) : '—';
      }),
      fmtMean(c.overall),
      scoredCell(report, c),
      String(c.counts.parseFailures),
    ];
  });
  const parts = [
    `Scores 1–5, mean [${level} bootstrap interval] (${plural(report.queries.total, 'query', 'queries')}: ` +
      `${report.queries.regular} regular, ${report.queries.unsafe} unsafe; judge ${report.judge.id}; ` +
      `answers up to ${report.settings.maxTokens} tokens)`,
    table(['Candidate', ...aspects, 'Overall', 'Scored', 'Parse failures'], rows),
    ...noIntervalNotes(report),
    ...sameAsNotes(report),
  ];
  if (report.pairwise.length > 0) {
    const prow = report.pairwise.map((p) => [
      `${p.a} vs ${p.b}`,
      `${pct(p.rates.win.rate)} [${pct(p.rates.win.ci.lo)}–${pct(p.rates.win.ci.hi)}]`,
      pct(p.rates.tie.rate),
      pct(p.rates.loss.rate),
      String(p.rates.n),
      String(p.parseFailures),
    ]);
    parts.push('', `Pairwise (positions swapped; disagreements count as ties; ${level} Wilson CI)`);
    parts.push(table(['Pair', 'Win', 'Tie', 'Loss', 'n', 'Parse failures'], prow), ...orderDisagreementNotes(report));
  }
  if (!report.complete)
    parts.push('', `Stopped early (${scoredOfAsked(report)}): these numbers cover only the finished part.`);
  // Last, where a reader of the output looks for the outcome: the tables alone never say it in words.
  const said = [...unchangedNotes(report), ...belowNotes(report), ...unconfirmedGainNotes(report)];
  if (said.length) parts.push('', ...said);
  return parts.join('\n') + '\n';
}
