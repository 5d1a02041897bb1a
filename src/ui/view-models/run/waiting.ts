/**
 * What a running job (a run, an evaluation) is waiting for at a given moment, worked out from the clock at
 * each render rather than kept as a snapshot: a failed request's retry counts down (and an outage's length
 * counts up) until the retry is due, and a silence is measured from the last thing heard, the job's (re)start
 * or the retry that went out, whichever came last. No DOM: the wait note and the throughput panel read it.
 */
import { describeRetry, retryAsOf } from '../../../core/calls/fault-summary';
import type { RetryFacts, TimedRetry } from '../../../core/calls/fault-summary';
import { formatDuration } from '../../../core/words/durations';
import { AwakeSince } from './awake-since';

/** A silence this long is said out loud. */
export const WAIT_NOTE_MS = 10_000;

/** What the wait is drawn from. */
export interface WaitState {
  /** The job goes (here or in another tab): waiting notes apply. */
  running: boolean;
  /**
   * A failed request waiting for its retry, and when it was announced (its note counts down and goes once it is
   * due); null when none waits.
   */
  retry: TimedRetry | null;
  /** When the job was last heard from, or (re)started (ms since the epoch); null: not yet. */
  heardAt: number | null;
}

export type Wait = { kind: 'retry' | 'silent'; text: string } | null;

/** The wait at `now`, in words; null when the job is not waiting (or not running). */
export function currentWait(s: WaitState, now: number): Wait {
  if (!s.running) return null;
  let heardAt = s.heardAt;
  if (s.retry) {
    const pending = retryAsOf(s.retry, now);
    if (pending) return { kind: 'retry', text: `Waiting: ${describeRetry(pending)}.` };
    // The retry went out: from then on the job waits for its reply.
    heardAt = Math.max(heardAt ?? 0, s.retry.at + s.retry.retryInMs);
  }
  const silent = heardAt === null ? 0 : now - heardAt;
  if (silent < WAIT_NOTE_MS) return null;
  return { kind: 'silent', text: `No reply for ${formatDuration(silent)}: waiting for the model…` };
}

/**
 * The time to read a wait at (currentWait's and retrySent's `now`): now, less any sleep the page saw since the job
 * was last heard from, so that an hour with the lid closed during a call does not read "No reply for 1 h" (nor an
 * outage "down for 1 h") on waking; the run's own clocks and its outage wait leave that time out too. The host's
 * one-second re-render is the heartbeat (AwakeSince); a hidden page counts real time.
 */
export class WaitClock {
  private readonly awake: AwakeSince;

  constructor(now: () => number = () => Date.now()) {
    this.awake = new AwakeSince(now);
  }

  /** Called on every render; `visible`: the page is shown. */
  at(s: WaitState, visible: boolean): number {
    // The wait starts over whenever the job is heard from or a retry is announced: sleep is watched from there.
    return this.awake.at(Math.max(s.heardAt ?? 0, s.retry?.at ?? 0), visible);
  }
}

/** The retry the wait state holds is sent already (its note went): its reply is awaited, not the retry. */
export function retrySent(s: WaitState, now: number): boolean {
  return s.running && s.retry !== null && retryAsOf(s.retry, now) === null;
}

/**
 * A retry reported with each update of a job's whole state (an evaluation's, from the worker), timed as heard at
 * `now`: the same retry reported again keeps the time it was first heard, else its countdown would start over
 * at each step. (Another request failing alike at the same attempt passes for it: its note may go a little early.)
 */
export function timedRetry(prev: TimedRetry | null, next: RetryFacts, now: number): TimedRetry {
  const same = prev !== null && JSON.stringify({ ...prev, at: 0 }) === JSON.stringify({ ...next, at: 0 });
  return { ...next, at: same ? prev.at : now };
}
