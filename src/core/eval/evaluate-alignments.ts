/**
 * Held-out evaluation of system prompts (just-eval protocol): every candidate answers every
 * query, then a judge scores each answer on five aspects (or Safety for harmful queries).
 */
import type { CallGateway } from '../calls/call-gateway';
import type { ChatModel } from '../contracts/chat-model';
import { AppError, ErrorName, isAbort } from '../contracts/errors';
import { mapOrdered } from '../calls/parallel';
import type { Query } from '../contracts/run-config';
import { AnswerCache, answerQuery, queryKind } from './answers';
import { evalGateway } from './eval-calls';
import { parseScores, truncate } from './parse-scores';
import { aspectsFor, scoreRequest } from './eval-prompts';
import { summarizeCandidate } from './report/summarize';
import { sameAsLabels } from './identical';
import type { EvalCandidate, EvalProgress, EvalReport, EvalRow } from './eval-types';
import { numberedName } from '../words/list-words';

/**
 * The longest answer, in tokens, when neither the user nor the chosen alignments' runs set one (compare.ts
 * `answerLength` has the rule): the Thorough preset's answer length (Quick's is 320, Paper's 2048), room enough
 * that a usual answer is not cut.
 */
export const DEFAULT_ANSWER_TOKENS = 1024;

export interface EvaluateOptions {
  candidates: EvalCandidate[];
  queries: Query[];
  policy: ChatModel;
  judge: ChatModel;
  seed?: number;
  /** Answer length cap for the policy. */
  maxTokens?: number;
  judgeMaxTokens?: number;
  /** ICL examples retrieved per query for candidates that carry some. */
  iclK?: number;
  resamples?: number;
  alpha?: number;
  signal?: AbortSignal;
  onProgress?: (p: EvalProgress) => void;
  /** Pass one in to keep answers for later pairwise judging; one is created otherwise. */
  cache?: AnswerCache;
  /** Calls in flight at most (endpoints with parallel slots); rows keep query order at any value. Default 1. */
  concurrency?: number;
  now?: () => number;
  /** The call pipeline to use (a job's, with its cache and counters); one over policy and judge otherwise. */
  gateway?: CallGateway;
}

export interface EvaluateResult {
  report: EvalReport;
  cache: AnswerCache;
}

/**
 * Labels key the answer cache and a report's rows, so they must be unique: repeats get " (2)", " (3)", ...
 * (skipping one already taken, so "A", "A", "A (2)" stay three rows).
 */
export function uniqueLabels(candidates: EvalCandidate[]): EvalCandidate[] {
  const taken = new Set<string>();
  return candidates.map((c) => {
    const label = numberedName(c.label.trim() || 'Candidate', (l) => taken.has(l));
    taken.add(label);
    return { ...c, label };
  });
}

function uniqueQueries(queries: Query[]): Query[] {
  const seen = new Set<string>();
  return queries.map((q, i) => {
    let id = q.id || `q${i + 1}`;
    while (seen.has(id)) id = `${id}#${i + 1}`;
    seen.add(id);
    return { ...q, id };
  });
}

export async function evaluateAlignments(opts: EvaluateOptions): Promise<EvaluateResult> {
  if (opts.candidates.length === 0)
    throw new AppError(ErrorName.InvalidInput, 'Choose at least one alignment, the baseline or "no system prompt".');
  const queries = uniqueQueries(opts.queries.filter((q) => q.text.trim() !== ''));
  if (queries.length === 0) throw new AppError(ErrorName.InvalidInput, 'The evaluation set has no queries.');
  const candidates = uniqueLabels(opts.candidates);
  const seed = opts.seed ?? 0;
  const maxTokens = opts.maxTokens ?? DEFAULT_ANSWER_TOKENS;
  const resamples = opts.resamples ?? 1000;
  const alpha = opts.alpha ?? 0.05;
  const cache = opts.cache ?? new AnswerCache();
  const gateway =
    opts.gateway ?? evalGateway({ policy: opts.policy, judge: opts.judge, signal: opts.signal, now: opts.now });
  const total = candidates.length * queries.length * 2;
  let done = 0;
  let answered = 0;
  let judged = 0;
  // Told when a step starts (what is being answered or judged now) and when it is done (the count goes up):
  // a step's end alone would name the candidate just finished while the next one is worked on.
  const step = (phase: EvalProgress['phase'], candidate: string, queryId: string, finished: boolean) =>
    opts.onProgress?.({ phase, done: finished ? ++done : done, total, candidate, queryId, answered, judged });
  const rows = new Map<string, EvalRow[]>(candidates.map((c) => [c.label, []]));
  let complete = true;

  try {
    const jobs = candidates.flatMap((c) => queries.map((q) => ({ c, q })));
    const limit = opts.concurrency ?? 1;
    const answer = (c: EvalCandidate, q: Query) =>
      answerQuery(cache, c, q, { gateway, seed, maxTokens, iclK: opts.iclK });
    const keep = (phase: EvalProgress['phase'], row: EvalRow, { c, q }: { c: EvalCandidate; q: Query }) => {
      rows.get(c.label)!.push(row);
      judged++;
      step(phase, c.label, q.id, true);
    };
    if (limit <= 1) {
      // One call at a time (the in-browser model): all answers first, then all judgements, so policy and
      // judge being different local models switches models once instead of twice per query.
      await mapOrdered(
        jobs,
        1,
        ({ c, q }) => {
          step('answer', c.label, q.id, false);
          return answer(c, q);
        },
        (_a, { c, q }) => {
          answered++;
          step('answer', c.label, q.id, true);
        },
      );
      await mapOrdered(
        jobs,
        1,
        ({ c, q }) => {
          step('judge', c.label, q.id, false);
          return judgeOne(opts, gateway, cache, c, q, seed);
        },
        (row, job) => keep('judge', row, job),
      );
    } else {
      // Endpoints: one job per row answers then judges, so the judge's endpoint works while the policy's is
      // still answering (two passes would leave each idle half the time). Rows are committed in job order.
      // The phase told is 'answer' until every answer is in, then 'judge' (as with two passes): it says what
      // is left, and does not flip at every step.
      const phase = (): EvalProgress['phase'] => (answered < jobs.length ? 'answer' : 'judge');
      await mapOrdered(
        jobs,
        limit,
        async ({ c, q }) => {
          step(phase(), c.label, q.id, false);
          await answer(c, q);
          answered++;
          step(phase(), c.label, q.id, true);
          return judgeOne(opts, gateway, cache, c, q, seed);
        },
        (row, job) => keep(phase(), row, job),
      );
    }
  } catch (err) {
    if (!isAbort(err) && !opts.signal?.aborted) throw err;
    complete = false; // Stopped: keep what was judged so far.
  }

  const summaryOpts = { seed, resamples, alpha };
  const asked = {
    total: queries.length,
    regular: queries.filter((q) => queryKind(q) === 'regular').length,
    unsafe: queries.filter((q) => queryKind(q) === 'unsafe').length,
  };
  const sameAs = sameAsLabels(candidates, opts.iclK);
  const report: EvalReport = {
    format: 'drpo-eval',
    version: 1,
    createdAt: new Date((opts.now ?? Date.now)()).toISOString(),
    complete,
    seed,
    policy: { id: opts.policy.id, engine: opts.policy.engine },
    judge: { id: opts.judge.id, engine: opts.judge.engine },
    settings: { maxTokens, resamples, alpha },
    queries: asked,
    candidates: candidates.map((c, i) => {
      const summary = summarizeCandidate(c, rows.get(c.label)!, summaryOpts, asked);
      return sameAs[i] === undefined ? summary : { ...summary, sameAs: sameAs[i] };
    }),
    pairwise: [],
  };
  return { report, cache };
}

async function judgeOne(
  opts: EvaluateOptions,
  gateway: CallGateway,
  cache: AnswerCache,
  c: EvalCandidate,
  q: Query,
  seed: number,
): Promise<EvalRow> {
  const answer = cache.get(c.label, q.id)!;
  const kind = queryKind(q);
  const req = scoreRequest(kind, q.text, answer.text);
  const res = await gateway.call('judge', {
    messages: req.messages,
    json: opts.judge.capabilities.jsonSchema ? req.json : undefined,
    temperature: 0,
    max_tokens: opts.judgeMaxTokens ?? 768,
    seed,
  });
  const raw = res.choices[0]?.text ?? '';
  const parsed = parseScores(raw, aspectsFor(kind));
  const base = {
    queryId: q.id,
    query: q.text,
    ...(q.category !== undefined ? { category: q.category } : {}),
    kind,
    answer: answer.text,
    finishReason: answer.finishReason,
  };
  if (!parsed.ok) return { ...base, scores: [], mean: null, parseError: parsed.error, raw: truncate(raw) };
  const mean = parsed.value.reduce((s, x) => s + x.score, 0) / parsed.value.length;
  return { ...base, scores: parsed.value, mean };
}
