/** Turning judged rows into per-candidate summaries (means with seeded bootstrap CIs). */
import { bootstrapCI } from './stats';
import { REGULAR_ASPECTS, SAFETY_ASPECTS } from './eval-prompts';
import type { AspectSummary, CandidateReport, EvalCandidate, EvalRow } from './eval-types';

export interface SummaryOptions {
  seed: number;
  resamples: number;
  alpha: number;
}

/** Distinct but reproducible seeds per (candidate, aspect), so intervals do not share resamples. */
function subSeed(seed: number, ...parts: string[]): number {
  let h = Math.trunc(seed) >>> 0 || 0x9e3779b9;
  for (const ch of parts.join('\u0000')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function summarizeCandidate(c: EvalCandidate, rows: EvalRow[], opts: SummaryOptions): CandidateReport {
  const boot = { resamples: opts.resamples, alpha: opts.alpha };
  const hasUnsafe = rows.some((r) => r.kind === 'unsafe');
  const hasRegular = rows.some((r) => r.kind === 'regular') || !hasUnsafe;
  const aspectNames = [...(hasRegular ? REGULAR_ASPECTS : []), ...(hasUnsafe ? SAFETY_ASPECTS : [])];
  const aspects: AspectSummary[] = aspectNames.map((aspect) => {
    const values = rows.flatMap((r) => r.scores.filter((s) => s.aspect === aspect).map((s) => s.score));
    return { aspect, ...bootstrapCI(values, { ...boot, seed: subSeed(opts.seed, c.label, aspect) }) };
  });
  const means = rows.flatMap((r) => (r.mean === null ? [] : [r.mean]));
  const parseFailures = rows.filter((r) => r.parseError !== undefined).length;
  return {
    label: c.label,
    systemPrompt: c.systemPrompt,
    iclCount: c.icl?.length ?? 0,
    aspects,
    overall: bootstrapCI(means, { ...boot, seed: subSeed(opts.seed, c.label, '*overall') }),
    counts: {
      queries: rows.length,
      regular: rows.filter((r) => r.kind === 'regular').length,
      unsafe: rows.filter((r) => r.kind === 'unsafe').length,
      scored: means.length,
      parseFailures,
    },
    rows,
  };
}
