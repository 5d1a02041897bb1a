/**
 * Defaults and limits of an OpenAI-compatible endpoint: one set of numbers for the adapter (llm/openai),
 * the worker's endpoint registry, the setup form and the CLI's options and help.
 */

/** Requests in flight to an endpoint when nothing says otherwise: serving engines answer several at once. */
export const DEFAULT_ENDPOINT_CONCURRENCY = 4;
export const MAX_ENDPOINT_CONCURRENCY = 64;

/** What is wrong with a number of parallel requests, or '' (the registry's check and the form's note). */
export function concurrencyProblem(n: number): string {
  return Number.isInteger(n) && n >= 1 && n <= MAX_ENDPOINT_CONCURRENCY
    ? ''
    : `Parallel requests must be a whole number from 1 to ${MAX_ENDPOINT_CONCURRENCY}`;
}

/** A server a run's roles call: an endpoint (its parallel requests) or the in-browser model (one at a time). */
export interface RunServer {
  /** Names the server: roles on the same endpoint share its slots. */
  id: string;
  slots: number;
}

/**
 * Jobs a run or an evaluation keeps in flight: the sum of the slots of the distinct servers its roles call.
 * A job calls several roles in turn (an answer on the policy's endpoint, then the judge's), so keeping every
 * endpoint busy at once takes as many jobs as all their slots together: with the policy on 8 slots and the
 * judge on 2, 10 jobs fill both, where 8 would leave the policy's endpoint 2 short while 2 jobs are judged (and
 * the smallest, 2, would leave it 6 short). No server gets more than its slots: each endpoint's gate holds the
 * rest back, and the in-browser model answers one request at a time (its own queue). One server: its slots.
 * Results never depend on this number, only the wall time does.
 */
export function runWidth(servers: readonly RunServer[]): number {
  const slots = new Map<string, number>();
  for (const s of servers) if (!slots.has(s.id)) slots.set(s.id, Math.max(1, Math.floor(s.slots) || 1));
  let sum = 0;
  for (const n of slots.values()) sum += n;
  return Math.max(1, sum);
}

/** Default cap on one reply: far above any real chat answer (a 32k-token answer is ~150 KB), far below trouble. */
export const DEFAULT_MAX_REPLY_BYTES = 8 * 1024 * 1024;

/** The longest outage grace the form and the CLI accept: an hour. */
export const MAX_OUTAGE_GRACE_MS = 3_600_000;

export const HTTP_DEFAULTS = {
  timeoutMs: 120_000,
  /**
   * How long an endpoint that has answered before may stay unreachable (refused connections, 5xx) before
   * its requests fail: a server restarting or a network blip is waited out, a wrong address still fails fast.
   * Settable per endpoint (Connection settings, `--outage-grace-ms`); 0 waits out nothing.
   */
  outageGraceMs: 60_000,
  maxRetries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  retryAfterMaxMs: 30_000,
  maxReplyBytes: DEFAULT_MAX_REPLY_BYTES,
} as const;
