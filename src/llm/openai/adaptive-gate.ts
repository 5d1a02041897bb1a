/**
 * How many requests one endpoint gets at once. Serving engines (vLLM, llama-server --parallel N,
 * Ollama with OLLAMA_NUM_PARALLEL, hosted APIs) answer several requests concurrently; when one says
 * "slow down" (HTTP 429 or 503, with or without Retry-After) the whole pool slows down, not just the
 * request that heard it: the limit halves and nobody starts a request until the wait is over. Each
 * run of successes gives one slot back (additive increase, multiplicative decrease, as TCP does).
 */
import { abortError } from './http-errors';

export class AdaptiveGate {
  /** The current limit: `max` until the endpoint pushes back. */
  limit: number;
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private pausedUntil = 0;
  private successes = 0;
  private pauseTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly max: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('The concurrency limit must be a whole number ≥ 1.');
    this.limit = max;
  }

  /** Requests running now (for tests and progress lines). */
  get inFlight(): number {
    return this.active;
  }

  /** Waits for a slot; the returned function gives it back (call it exactly once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    while (this.active >= this.limit || this.now() < this.pausedUntil) {
      if (signal?.aborted) throw abortError();
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          this.holdProcessForPause();
          reject(abortError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(wake);
        this.holdProcessForPause();
      });
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.wake();
    };
  }

  /** The endpoint answered normally: after `limit` successes in a row, allow one more request. */
  succeeded(): void {
    if (this.limit >= this.max) return;
    if (++this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
      this.wake();
    }
  }

  /**
   * The endpoint said it is overloaded: halve the limit and hold every new request for `waitMs`.
   * The requests that were in flight together hear "slow down" together; that is one overload, so only
   * the first answer of a pause halves the limit, and later ones only extend the pause.
   */
  pushedBack(waitMs: number): void {
    this.successes = 0;
    const now = this.now();
    if (now >= this.pausedUntil) this.limit = Math.max(1, Math.floor(this.limit / 2));
    const until = now + Math.max(0, waitMs);
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      if (this.pausedUntil === until) this.pausedUntil = 0;
      this.wake();
    }, waitMs);
    this.holdProcessForPause();
  }

  /**
   * In Node, a pending pause keeps the process running only while a request waits for it: after Ctrl+C
   * every waiter has left, and a 30 s Retry-After must not keep the finished CLI from exiting.
   */
  private holdProcessForPause(): void {
    const timer = this.pauseTimer as { ref?: () => void; unref?: () => void } | null;
    if (this.waiters.length > 0) timer?.ref?.();
    else timer?.unref?.();
  }

  private wake(): void {
    const free = Math.max(0, this.limit - this.active);
    if (this.now() < this.pausedUntil) return;
    for (const w of this.waiters.splice(0, free)) w();
  }
}
