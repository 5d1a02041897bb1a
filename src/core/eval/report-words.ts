/**
 * How much of an evaluation a report covers, in the words of the page's results and the CLI's table: a
 * stopped evaluation judged only some answers, and says how many of those asked, never a count of what it
 * reached as if that were all.
 */
import { plural } from '../formats/list-words';
import type { CandidateReport, EvalReport } from './eval-types';

/** "12 of 32 answers scored": every candidate's scored answers, of all the evaluation asked for. */
export function scoredOfAsked(r: EvalReport): string {
  const scored = r.candidates.reduce((n, c) => n + c.counts.scored, 0);
  return `${scored} of ${plural(r.candidates.length * r.queries.total, 'answer')} scored`;
}

/** The queries asked, and when stopped early, how many answers were scored of all asked. */
export function queriesLine(r: EvalReport): string {
  const asked = `${plural(r.queries.total, 'query', 'queries')} (${r.queries.regular} regular, ${r.queries.unsafe} unsafe)`;
  return r.complete ? asked : `${asked}; stopped with ${scoredOfAsked(r)}`;
}

/** A candidate's "Scored" cell: scored of the queries asked, or "not scored" when none of its answers was judged. */
export function scoredCell(r: EvalReport, c: CandidateReport): string {
  return c.rows.length === 0 ? 'not scored' : `${c.counts.scored}/${r.queries.total}`;
}

/** The questions a "scored lower" sentence speaks of: all of them, or those both rows had scored when stopped. */
export function comparedQuestions(r: EvalReport, candidate: string, reference: string): number {
  if (r.complete) return r.queries.total;
  const n = (label: string) => r.candidates.find((c) => c.label === label)?.overall.n ?? 0;
  return Math.min(n(candidate), n(reference));
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
