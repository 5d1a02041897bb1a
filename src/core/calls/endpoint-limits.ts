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
