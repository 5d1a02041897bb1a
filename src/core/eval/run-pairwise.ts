/** Adds pairwise comparisons to a finished report, reusing its answers (no new policy calls). */
import type { CallGateway } from '../calls/call-gateway';
import type { ChatModel } from '../contracts/chat-model';
import { isAbort } from '../contracts/errors';
import type { Query } from '../contracts/run-config';
import { AnswerCache } from './answers';
import { comparePairs, defaultPairs, type PairToCompare } from './pairwise';
import { sameCandidate } from './identical';
import type { EvalCandidate, EvalProgress, EvalReport, PairwiseReport } from './eval-types';

export interface RunPairwiseOptions {
  report: EvalReport;
  judge: ChatModel;
  /** Defaults to `defaultPairs` over the report's candidates. */
  pairs?: [string, string][];
  cache?: AnswerCache;
  judgeMaxTokens?: number;
  signal?: AbortSignal;
  onProgress?: (p: EvalProgress) => void;
  concurrency?: number;
  /** The call pipeline (eval-calls.ts); one over the judge otherwise. */
  gateway?: CallGateway;
}

export async function runPairwise(opts: RunPairwiseOptions): Promise<EvalReport> {
  const { report } = opts;
  const cache = opts.cache ?? AnswerCache.fromReport(report);
  const byLabel = new Map(report.candidates.map((c) => [c.label, c]));
  // A prompt is not compared with itself (identical.ts): the pair would be a tie on every query.
  const pairs =
    opts.pairs ??
    defaultPairs(report.candidates.map((c) => c.label)).filter(
      ([a, b]) => !sameCandidate(byLabel.get(a)!, byLabel.get(b)!),
    );
  const asCandidate = (label: string): EvalCandidate | null => {
    const c = byLabel.get(label);
    return c ? { label: c.label, systemPrompt: c.systemPrompt } : null;
  };
  const compared = pairs.flatMap(([a, b]): PairToCompare[] => {
    const ca = asCandidate(a);
    const cb = asCandidate(b);
    return ca && cb ? [{ a: ca, b: cb, queries: sharedQueries(report, a, b) }] : [];
  });
  // Every pair's judgements at once (as many as `concurrency`), not one pair after another.
  const results: PairwiseReport[] = [];
  let complete = report.complete;
  try {
    await comparePairs(
      compared,
      {
        cache,
        judge: opts.judge,
        seed: report.seed,
        judgeMaxTokens: opts.judgeMaxTokens,
        alpha: report.settings.alpha,
        signal: opts.signal,
        concurrency: opts.concurrency,
        gateway: opts.gateway,
        onProgress: opts.onProgress,
      },
      (r) => results.push(r),
    );
  } catch (err) {
    if (!isAbort(err) && !opts.signal?.aborted) throw err;
    complete = false; // Stopped: keep the pairs compared on every shared query.
  }
  return { ...report, complete, pairwise: [...report.pairwise, ...results] };
}

/** Queries both candidates answered, in report order. */
function sharedQueries(report: EvalReport, a: string, b: string): Query[] {
  const rowsA = report.candidates.find((c) => c.label === a)?.rows ?? [];
  const inB = new Set(report.candidates.find((c) => c.label === b)?.rows.map((r) => r.queryId) ?? []);
  return rowsA
    .filter((r) => inB.has(r.queryId))
    .map((r) => ({ id: r.queryId, text: r.query, ...(r.category !== undefined ? { category: r.category } : {}) }));
}
