/**
 * The time a run could work: what its elapsed time, its time per call (behind "Time left") and its Minutes
 * budget count. Time the computer slept (the lid closed) or the browser froze the page is left out: nothing of
 * the run could happen then, and counting it would stop a Minutes budget the moment the machine wakes.
 *
 * Sleep cannot be asked about, only seen: while the run goes a heartbeat notes the time every second, and so does
 * every reading (a call starting or finishing). Two notes further apart than ASLEEP_MS mean that no timer could
 * fire meanwhile, so the gap beyond the one beat that was due is sleep. A call that takes minutes is still
 * counted in full: the heartbeat beats beside it. Pure and driven by `now`, so tests move the clock by hand;
 * `beat` starts the real heartbeat.
 */

/**
 * A note this much later than the previous one: the computer slept or the page was frozen (timers are late by a
 * second at most otherwise). The outage wait uses the same threshold (llm/openai/outage-watch.ts).
 */
export const ASLEEP_MS = 15_000;

/** How often the heartbeat notes the time while a run goes. */
export const HEARTBEAT_MS = 1_000;

export class AwakeClock {
  private readonly start: number;
  private last: number;
  private slept = 0;

  /** `baseMs`: awake time already counted before this clock started (a resumed run's checkpoint). */
  constructor(
    private readonly now: () => number,
    private readonly baseMs = 0,
  ) {
    this.start = now();
    this.last = this.start;
  }

  /** The run could work now (a heartbeat, a call's progress): a long gap since the previous note was sleep. */
  note(): void {
    const t = this.now();
    const gap = t - this.last;
    if (gap > ASLEEP_MS) this.slept += gap - HEARTBEAT_MS;
    if (gap > 0) this.last = t;
  }

  /** Awake time so far, the base included. Reading it is a note too (code ran to read it). */
  elapsedMs(): number {
    this.note();
    return this.baseMs + Math.max(0, this.last - this.start - this.slept);
  }

  /** Time left out as sleep so far. */
  get asleepMs(): number {
    return this.slept;
  }

  /**
   * Starts the heartbeat; returns what stops it. It never keeps a finished CLI from exiting (unref in Node).
   */
  beat(every = HEARTBEAT_MS): () => void {
    const timer = setInterval(() => this.note(), every);
    (timer as { unref?: () => void }).unref?.();
    return () => clearInterval(timer);
  }
}
