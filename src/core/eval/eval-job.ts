/**
 * A held-out evaluation as one job, the way the worker runs it for the page and the CLI runs it in Node:
 * every candidate answers every query and the judge scores the answers (then, if asked, compares pairs),
 * all through one call pipeline (eval-calls.ts). The job hands out checkpoints (its finished calls and
 * counters, plain JSON): an evaluation resumed from one repeats none of the calls it holds, so a reload or
 * a closed tab loses only the calls in flight and those of the last moments (a few calls, or a second).
 */
import { AwakeClock } from '../calls/awake-clock';
import { checkpointPacer } from '../calls/checkpoint-pacer';
import { nothingScoredError } from '../calls/nothing-scored';
import { copyHits, emptyStats, snapshot, type GatewayEvent } from '../calls/call-gateway';
import type { ChatModel } from '../contracts/chat-model';
import { ErrorName, isNamed } from '../contracts/errors';
import type { Query, RoleBinding } from '../contracts/run-config';
import type { RunStats } from '../contracts/run-events';
import { evalGateway } from './eval-calls';
import type { EvalCandidate, EvalProgress, EvalReport } from './eval-types';
import { DEFAULT_ANSWER_TOKENS, evaluateAlignments } from './evaluate-alignments';
import { runPairwise } from './run-pairwise';

/** What to evaluate: plain data (it crosses the worker boundary and is stored to resume). */
export interface EvalJobSpec {
  candidates: EvalCandidate[];
  queries: Query[];
  /** Answer length cap for the policy. */
  maxTokens?: number;
  judgeMaxTokens?: number;
  /** Also compare the candidates pairwise once every answer is scored. */
  pairwise?: boolean;
  seed?: number;
  /** Examples retrieved per query for candidates that name none. */
  iclK?: number;
}

/** An evaluation with the models that answer and judge: what the page stores to run or resume it. */
export interface EvalJobPlan extends EvalJobSpec {
  policy: RoleBinding;
  judge: RoleBinding;
}

/**
 * Whether two plans are the same comparison: the same candidates on the same questions, answered and judged by
 * the same models with the same settings (a setting left out is its default), so their reports would agree
 * (an interrupted one is superseded once the other completed). Key order does not count: plans stored by
 * other versions of the page may list their fields in another order.
 */
export function sameEvalPlan(a: EvalJobPlan, b: EvalJobPlan): boolean {
  return planKey(a) === planKey(b);
}

function planKey(p: EvalJobPlan): string {
  const { maxTokens, pairwise, seed, ...rest } = p;
  const full = { ...rest, maxTokens: maxTokens ?? DEFAULT_ANSWER_TOKENS, pairwise: !!pairwise, seed: seed ?? 0 };
  return JSON.stringify(full, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : value,
  );
}

/** The job so far: its finished calls (by key) and counters, and where it was. Plain JSON. */
export interface EvalCheckpoint {
  calls: Record<string, unknown>;
  stats: RunStats;
  /** Cache hits already counted in `stats.cachedCalls`, by call key: not counted again on resume (absent in old ones). */
  hits?: Record<string, number>;
  progress: EvalProgress | null;
}

/** Progress with the job's counters (calls made, served from the cache, tokens). */
export interface EvalJobProgress {
  progress: EvalProgress;
  stats: RunStats;
}

export interface EvalJobDeps {
  policy: ChatModel;
  judge: ChatModel;
  /** Calls in flight at most; the report never depends on it. Default 1. */
  concurrency?: number;
  now?: () => number;
}

export interface EvalJobOptions {
  signal?: AbortSignal;
  /** Continue from here: its finished calls are served from the cache. */
  checkpoint?: EvalCheckpoint;
  onProgress?: (p: EvalJobProgress) => void;
  /** Awaited; after `checkpointEvery` new calls or `checkpointMs` (whichever comes first), and at the end. */
  onCheckpoint?: (cp: EvalCheckpoint) => void | Promise<void>;
  /** New (not cached) calls between checkpoints at most. Default 8. */
  checkpointEvery?: number;
  /** Time between checkpoints at most, while calls finish (slow models: every call). Default 1000 ms. */
  checkpointMs?: number;
  /** Told of every call event as it happens: a retry while a call waits for it, a finished call. */
  onCall?: (e: GatewayEvent) => void;
  /** Told the job's counters when it fails (the faults met so far), before its error is thrown. */
  onFailed?: (stats: RunStats) => void;
}

export interface EvalJobResult {
  /** `complete: false` when the job was stopped before every answer was judged. */
  report: EvalReport;
  stats: RunStats;
}

export async function runEvalJob(
  spec: EvalJobSpec,
  deps: EvalJobDeps,
  options: EvalJobOptions = {},
): Promise<EvalJobResult> {
  const cp = options.checkpoint;
  const calls: Record<string, unknown> = cp ? { ...cp.calls } : {};
  const stats = cp ? snapshot(cp.stats) : emptyStats();
  // The replay of the checkpoint's calls is not counted again (calls, or hits already in `stats.cachedCalls`).
  const hits = copyHits(cp?.hits);
  let progress: EvalProgress | null = cp?.progress ?? null;
  const pacer = checkpointPacer({
    now: deps.now ?? Date.now,
    everyMs: options.checkpointMs ?? 1000,
    everyCalls: Math.max(1, options.checkpointEvery ?? 8),
    // The cache is copied with the counters: a consumer that awaits before serialising must not save calls
    // finished meanwhile without counting them.
    write: () => options.onCheckpoint?.({ calls: { ...calls }, hits: { ...hits }, stats: snapshot(stats), progress }),
  });
  const checkpoint = pacer.save;
  const emit = (e: GatewayEvent) => {
    try {
      options.onCall?.(e);
    } catch {
      // A listener's own failure (the CLI writing to a closed stderr) must not fail the call it listens to.
    }
    return pacer.onCall(e);
  };
  // Elapsed time (and a Minutes budget) count awake time as a run's do: an hour the lid was closed adds nothing.
  const clock = new AwakeClock(deps.now ?? Date.now, stats.elapsedMs);
  const gateway = evalGateway({ ...deps, signal: options.signal, cache: calls, stats, hits, emit, clock });
  const onProgress = (p: EvalProgress) => {
    progress = p;
    options.onProgress?.({ progress: p, stats: snapshot(stats) });
  };
  const common = { signal: options.signal, onProgress, concurrency: deps.concurrency ?? 1, gateway };
  const stopBeat = clock.beat();
  try {
    const { report: scored, cache } = await evaluateAlignments({
      ...common,
      candidates: spec.candidates,
      queries: spec.queries,
      policy: deps.policy,
      judge: deps.judge,
      seed: spec.seed,
      maxTokens: spec.maxTokens,
      judgeMaxTokens: spec.judgeMaxTokens,
      iclK: spec.iclK,
      now: deps.now,
    });
    // Every answer judged and not one score read: a report of dashes would pass for a result (page and CLI).
    // No last checkpoint: a resume from it would replay the same unusable replies.
    if (scored.complete && scored.candidates.every((c) => c.counts.scored === 0)) {
      const rows = scored.candidates.flatMap((c) => c.rows);
      throw nothingScoredError('answer', {
        answers: rows.map((r) => ({ text: r.answer, finishReason: r.finishReason })),
        unreadable: scored.candidates.reduce((n, c) => n + c.counts.parseFailures, 0),
      });
    }
    const report =
      spec.pairwise && scored.complete && scored.candidates.length > 1
        ? await runPairwise({
            ...common,
            report: scored,
            judge: deps.judge,
            cache,
            judgeMaxTokens: spec.judgeMaxTokens,
          })
        : scored;
    await checkpoint();
    return { report, stats: snapshot(stats) };
  } catch (err) {
    // The endpoint turned to empty replies (EmptyReplyWatch): they leave the calls (those that came back after the
    // first stop too: every call has settled here), and a last checkpoint is written without them, so a resume
    // once the endpoint is fixed asks them again (a checkpoint written meanwhile may hold some).
    if (isNamed(err, ErrorName.EmptyReplies)) {
      gateway.emptyReplies.retract(calls, hits);
      await checkpoint().catch(() => undefined);
    }
    options.onFailed?.(snapshot(stats));
    throw err;
  } finally {
    stopBeat();
  }
}
