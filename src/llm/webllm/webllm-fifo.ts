/**
 * A FIFO per (engine, model): web-llm serializes requests to one model with its own lock, but we keep
 * our own queue so that a queued request can be cancelled before it starts and so that an
 * `interruptGenerate()` (engine-wide) only ever hits the request that asked for it.
 */
import { AppError, ErrorName } from '../../core/contracts/errors';

export function abortError(detail?: string): AppError {
  return new AppError(ErrorName.Abort, 'The request was cancelled.', { detail });
}

export class Fifo {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  get size(): number {
    return this.pending;
  }

  /** Runs `task` after every earlier task settled; rejects with AbortError if aborted while waiting. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError());
    this.pending += 1;
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const result = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    let started = false;
    const onAbort = (): void => {
      // Reject at once, but keep the slot: the queue still waits for the earlier task.
      if (!started) reject(abortError('cancelled while waiting for the model'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // The slot always settles fulfilled, so one failure never blocks the queue.
    this.tail = this.tail.then(async () => {
      signal?.removeEventListener('abort', onAbort);
      try {
        if (signal?.aborted) return;
        started = true;
        resolve(await task());
      } catch (err) {
        reject(err);
      } finally {
        this.pending -= 1;
      }
    });
    return result;
  }
}

const queues = new WeakMap<object, Map<string, Fifo>>();

export function fifoFor(engine: object, modelId: string): Fifo {
  let perEngine = queues.get(engine);
  if (!perEngine) {
    perEngine = new Map();
    queues.set(engine, perEngine);
  }
  let q = perEngine.get(modelId);
  if (!q) {
    q = new Fifo();
    perEngine.set(modelId, q);
  }
  return q;
}
