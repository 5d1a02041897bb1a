/**
 * Held-out evaluation calls its models through the same pipeline as the search (calls/call-gateway.ts):
 * a call cache (a resumed evaluation repeats no finished call; an identical request is made once), the
 * context-window guard, retries of timed-out or unreadable replies, usage counters, a budget and
 * cooperative cancellation. The policy answers; the judge scores and compares.
 */
import type { AwakeClock } from '../calls/awake-clock';
import { BudgetTracker } from '../calls/budget';
import { CallGateway, emptyStats, type GatewayEvent } from '../calls/call-gateway';
import { EMPTY_STREAK } from '../calls/empty-replies';
import type { ChatModel } from '../contracts/chat-model';
import type { Budget } from '../contracts/run-config';
import type { RunStats } from '../contracts/run-events';

export interface EvalCallsOptions {
  policy: ChatModel;
  judge: ChatModel;
  signal?: AbortSignal;
  /** Finished calls by key (a checkpoint's, to resume); filled as calls finish. */
  cache?: Record<string, unknown>;
  /** Counters to continue (a checkpoint's); updated in place. */
  stats?: RunStats;
  /** Cache hits counted by key (a checkpoint's); updated in place (see GatewayOptions). */
  hits?: Record<string, number>;
  budget?: Budget;
  /** Told about every call (usage, cached or not), retry and budget warning; awaited. */
  emit?: (event: GatewayEvent) => Promise<void>;
  now?: () => number;
  /**
   * The evaluation's awake time (calls/awake-clock.ts), its heartbeat run by the caller (eval-job.ts): elapsed time
   * and the Minutes budget then leave out time the computer slept. Without it they count real time from here on.
   */
  clock?: AwakeClock;
}

/**
 * An evaluation stops on empty replies as a run does (calls/empty-replies.ts), at the same count: the page's
 * Evaluate and `drpo eval` both come here. Not raised for a candidate whose prompt silences the model (one
 * empty answer per question, all in a row): a report on answers that were never there would mean nothing
 * either, and with one candidate no count would tell an endpoint that broke from such a prompt.
 */
export function evalGateway(o: EvalCallsOptions): CallGateway {
  const now = o.now ?? Date.now;
  const stats = o.stats ?? emptyStats();
  const base = stats.elapsedMs;
  const start = now();
  return new CallGateway({
    // The judge stands in for the roles an evaluation never calls.
    models: { policy: o.policy, judge: o.judge, aspect: o.judge, optimizer: o.judge },
    cache: o.cache ?? {},
    stats,
    hits: o.hits,
    budget: new BudgetTracker(o.budget ?? {}),
    signal: o.signal,
    emit: o.emit ?? (() => Promise.resolve()),
    tick: () => {
      stats.elapsedMs = o.clock ? o.clock.elapsedMs() : base + Math.max(0, now() - start);
    },
    emptyStreak: EMPTY_STREAK,
  });
}
