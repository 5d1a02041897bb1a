/**
 * Pairwise comparison: the judge sees both answers to a query and names the better one. Every
 * pair is judged twice with the positions swapped; only a preference that survives the swap
 * counts as a win, anything else is a tie (this cancels the judge's position bias).
 */
import type { CallGateway } from '../calls/call-gateway';
import type { ChatModel } from '../contracts/chat-model';
import { AppError, ErrorName } from '../contracts/errors';
import { mapOrdered } from '../calls/parallel';
import type { Query } from '../contracts/run-config';
import { type AnswerCache, type CachedAnswer, answerQuery } from './answers';
import { evalGateway } from './eval-calls';
import { parseVerdict, truncate } from './parse-scores';
import { pairRequest } from './eval-prompts';
import { winRates } from './stats';
import { isReferenceLabel, referencesOf } from './report/compare';
import type { EvalCandidate, EvalProgress, PairOutcome, PairRow, PairVerdict, PairwiseReport } from './eval-types';
import { DEFAULT_ANSWER_TOKENS } from './evaluate-alignments';

/** What comparePairs needs besides the pairs: models, settings and the call pipeline. */
export interface PairsOptions {
  /** Answers from evaluateAlignments (or AnswerCache.fromReport); missing ones need `policy`. */
  cache: AnswerCache;
  policy?: ChatModel;
  judge: ChatModel;
  seed?: number;
  maxTokens?: number;
  judgeMaxTokens?: number;
  iclK?: number;
  alpha?: number;
  signal?: AbortSignal;
  /** `done` and `total` count judgements over all the pairs. */
  onProgress?: (p: EvalProgress) => void;
  /** Judgements at once (endpoints with parallel slots); rows keep query order. Default 1. */
  concurrency?: number;
  /** The call pipeline (eval-calls.ts); one over the judge (and policy) otherwise. */
  gateway?: CallGateway;
}

/** Two candidates to compare on these queries. */
export interface PairToCompare {
  a: EvalCandidate;
  b: EvalCandidate;
  queries: Query[];
}

export interface PairwiseOptions extends PairsOptions, PairToCompare {}

type Side = 'a' | 'b' | 'tie';

/** Combine the two orders: a consistent preference wins, a disagreement is a tie. */
export function combineVerdicts(aFirst: PairVerdict, bFirst: PairVerdict): { outcome: PairOutcome; agree: boolean } {
  const p1: Side = aFirst === 'A' ? 'a' : aFirst === 'B' ? 'b' : 'tie';
  const p2: Side = bFirst === 'A' ? 'b' : bFirst === 'B' ? 'a' : 'tie';
  const outcome: PairOutcome = p1 === p2 ? (p1 === 'a' ? 'win' : p1 === 'b' ? 'loss' : 'tie') : 'tie';
  return { outcome, agree: p1 === p2 };
}

async function getAnswer(opts: PairsOptions, gw: CallGateway, c: EvalCandidate, q: Query): Promise<CachedAnswer> {
  const hit = opts.cache.get(c.label, q.id);
  if (hit) return hit;
  if (!opts.policy)
    throw new AppError(ErrorName.InvalidInput, `There is no stored answer of "${c.label}" for query ${q.id}.`);
  return answerQuery(opts.cache, c, q, {
    gateway: gw,
    seed: opts.seed ?? 0,
    maxTokens: opts.maxTokens ?? DEFAULT_ANSWER_TOKENS,
    iclK: opts.iclK,
  });
}

type Judgement = Awaited<ReturnType<typeof judgePair>>;

async function judgePair(opts: PairsOptions, gw: CallGateway, query: string, first: string, second: string) {
  const req = pairRequest(query, first, second);
  const res = await gw.call('judge', {
    messages: req.messages,
    json: opts.judge.capabilities.jsonSchema ? req.json : undefined,
    temperature: 0,
    max_tokens: opts.judgeMaxTokens ?? 512,
    seed: opts.seed ?? 0,
  });
  const raw = res.choices[0]?.text ?? '';
  return { raw, parsed: parseVerdict(raw) };
}

/** A query's row from its two judgements (A first, then B first). */
function pairRow(q: Query, j1: Judgement, j2: Judgement): PairRow {
  const v1 = j1.parsed.ok ? j1.parsed.value : null;
  const v2 = j2.parsed.ok ? j2.parsed.value : null;
  const row: PairRow = {
    queryId: q.id,
    query: q.text,
    outcome: null,
    verdicts: [v1?.winner ?? null, v2?.winner ?? null],
    rationales: [v1?.rationale ?? truncate(j1.raw, 200), v2?.rationale ?? truncate(j2.raw, 200)],
  };
  if (!j1.parsed.ok) row.parseError = j1.parsed.error;
  else if (!j2.parsed.ok) row.parseError = j2.parsed.error;
  if (v1 && v2) row.outcome = combineVerdicts(v1.winner, v2.winner).outcome;
  return row;
}

function pairReport(pair: PairToCompare, rows: PairRow[], alpha: number | undefined): PairwiseReport {
  const outcomes = rows.flatMap((r) => (r.outcome ? [r.outcome] : []));
  return {
    a: pair.a.label,
    b: pair.b.label,
    rates: winRates(outcomes, { alpha }),
    parseFailures: rows.filter((r) => r.outcome === null).length,
    positionDisagreements: rows.filter(
      (r) => r.verdicts[0] && r.verdicts[1] && !combineVerdicts(r.verdicts[0], r.verdicts[1]).agree,
    ).length,
    rows,
  };
}

/**
 * Compares every pair: each query of each pair is judged in both orders, and all those judgements are
 * independent, so they run as one ordered map (pair × query × order) and are put back together by index:
 * the reports are the same at any concurrency. `onPair` hears each pair's report once its last judgement is
 * in, in pair order; on a failure or a stop the pairs before it have been told.
 */
export async function comparePairs(
  pairs: readonly PairToCompare[],
  opts: PairsOptions,
  onPair?: (report: PairwiseReport, index: number) => void,
): Promise<PairwiseReport[]> {
  for (const p of pairs)
    if (p.a.label === p.b.label)
      throw new AppError(ErrorName.InvalidInput, 'Pick two different candidates to compare.');
  const gw = opts.gateway ?? evalGateway({ policy: opts.policy ?? opts.judge, judge: opts.judge, signal: opts.signal });
  const jobs = pairs.flatMap((pair, p) => pair.queries.flatMap((q) => [0, 1].map((order) => ({ p, q, order }))));
  // A query's answers are fetched once for both orders (and for every pair sharing the candidate).
  const answers = new Map<string, Promise<CachedAnswer>>();
  const answerOf = (c: EvalCandidate, q: Query) => {
    const key = JSON.stringify([c.label, q.id]);
    let a = answers.get(key);
    if (!a) answers.set(key, (a = getAnswer(opts, gw, c, q)));
    return a;
  };
  // Filled in pair order (commits come in job order); `finish` tells each pair once all its rows are in.
  const reports: PairwiseReport[] = [];
  const rows: PairRow[][] = pairs.map(() => []);
  const finish = () => {
    for (let p = reports.length; p < pairs.length && rows[p]!.length === pairs[p]!.queries.length; p++) {
      reports.push(pairReport(pairs[p]!, rows[p]!, opts.alpha));
      onPair?.(reports[p]!, p);
    }
  };
  let first: Judgement | null = null;
  let done = 0;
  const total = jobs.length;
  // Both orders of a query reported together when done; a query's start is told too.
  const progress = (pair: PairToCompare, queryId: string, finished: boolean) =>
    opts.onProgress?.({
      phase: 'pairwise',
      done: finished ? (done += 2) : done,
      total,
      candidate: `${pair.a.label} vs ${pair.b.label}`,
      queryId,
    });
  finish(); // Pairs with no shared query, ahead of the first judged one.
  await mapOrdered(
    jobs,
    opts.concurrency ?? 1,
    async ({ p, q, order }) => {
      const pair = pairs[p]!;
      if (order === 0) progress(pair, q.id, false);
      const ansA = await answerOf(pair.a, q);
      const ansB = await answerOf(pair.b, q);
      return order === 0
        ? judgePair(opts, gw, q.text, ansA.text, ansB.text)
        : judgePair(opts, gw, q.text, ansB.text, ansA.text);
    },
    (judgement, { p, q, order }) => {
      // The B-first judgement of a query commits right after its A-first one.
      if (order === 0) {
        first = judgement;
        return;
      }
      rows[p]!.push(pairRow(q, first!, judgement));
      progress(pairs[p]!, q.id, true);
      finish();
    },
  );
  return reports;
}

export async function comparePairwise(opts: PairwiseOptions): Promise<PairwiseReport> {
  const [report] = await comparePairs([opts], opts);
  return report!;
}

/**
 * Which pairs to compare. With references shown, every alignment against the prompt it started from (the
 * question a user asks first: did the run help?) and against the baseline and "no system prompt"; references
 * are not compared with each other. Without references, every pair of alignments.
 */
export function defaultPairs(labels: readonly string[]): [string, string][] {
  const others = labels.filter((l) => !isReferenceLabel(l));
  const pairs: [string, string][] = [];
  if (others.length < labels.length && others.length > 0) {
    for (const o of others) for (const r of referencesOf(o, labels)) pairs.push([o, r]);
    return pairs;
  }
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) pairs.push([labels[i], labels[j]]);
  return pairs;
}
