/** Turning judged rows into per-candidate summaries (means with seeded bootstrap CIs). */
import { bootstrapCI } from '../stats';
import { REGULAR_ASPECTS, SAFETY_ASPECTS } from '../eval-prompts';
import type { AspectSummary, CandidateReport, EvalCandidate, EvalRow, MeanCI } from '../eval-types';

export interface SummaryOptions {
  seed: number;
  resamples: number;
  alpha: number;
}

/**
 * A reproducible seed for one interval, from the evaluation's seed, the aspect and the scores themselves (sorted):
 * two candidates with the same scores get the same interval, whatever their names or order in the report.
 */
function subSeed(seed: number, aspect: string, sorted: readonly number[]): number {
  let h = Math.trunc(seed) >>> 0 || 0x9e3779b9;
  for (const ch of `${aspect}\u0000${sorted.join(',')}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/**
 * The mean of `values` with its interval: it depends on the multiset of values alone, not their order. `aspect`
 * ("*overall", or what else the values are) seeds it with them.
 */
export function meanInterval(values: readonly number[], aspect: string, opts: SummaryOptions): MeanCI {
  const sorted = [...values].sort((a, b) => a - b);
  return bootstrapCI(sorted, {
    resamples: opts.resamples,
    alpha: opts.alpha,
    seed: subSeed(opts.seed, aspect, sorted),
  });
}

/** The queries the evaluation asked (every candidate is asked all of them). */
export interface AskedQueries {
  total: number;
  regular: number;
  unsafe: number;
}

/** `asked`: the queries asked (a stopped evaluation judged fewer of them than it asked). */
export function summarizeCandidate(
  c: EvalCandidate,
  rows: EvalRow[],
  opts: SummaryOptions,
  asked: AskedQueries,
): CandidateReport {
  const hasUnsafe = asked.unsafe > 0;
  const hasRegular = asked.regular > 0 || !hasUnsafe;
  const aspectNames = [...(hasRegular ? REGULAR_ASPECTS : []), ...(hasUnsafe ? SAFETY_ASPECTS : [])];
  const aspects: AspectSummary[] = aspectNames.map((aspect) => {
    const values = rows.flatMap((r) => r.scores.filter((s) => s.aspect === aspect).map((s) => s.score));
    return { aspect, ...meanInterval(values, aspect, opts) };
  });
  const means = rows.flatMap((r) => (r.mean === null ? [] : [r.mean]));
  const parseFailures = rows.filter((r) => r.parseError !== undefined).length;
  return {
    label: c.label,
    systemPrompt: c.systemPrompt,
    iclCount: c.icl?.length ?? 0,
    aspects,
    overall: meanInterval(means, '*overall', opts),
    counts: {
      queries: asked.total,
      regular: asked.regular,
      unsafe: asked.unsafe,
      scored: means.length,
      parseFailures,
    },
    ...(c.unchanged ? { unchanged: true as const } : {}),
    rows,
  };
}
