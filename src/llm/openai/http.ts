import type { AttemptFailure, OutageInfo } from '../../core/contracts/chat-model';
import { AppError, ErrorName } from '../../core/contracts/errors';
import type { AdaptiveGate } from './adaptive-gate';
import { ERROR_BODY_BYTES, readBodyText } from './bounded-body';
import { HTTP_DEFAULTS } from '../../core/calls/endpoint-limits';
import { abortError, badResponse, httpError, networkError, streamCut, timeoutError } from './http-errors';
import { isOutageFailure } from './outage-watch';
import type { OutageWatch } from './outage-watch';

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpSettings {
  /** Normalised API root, e.g. `http://localhost:11434/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** Per attempt, covering headers and the whole body (streams included). */
  timeoutMs: number;
  /** Extra attempts after the first for 429, 5xx and network failures. */
  maxRetries: number;
  fetchImpl: typeof fetch;
  sleep: SleepFn;
  random: () => number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A server asking us to wait longer than this is waited for only this long. */
  retryAfterMaxMs: number;
  /** Largest reply body read, in bytes (default DEFAULT_MAX_REPLY_BYTES); more is refused with ReplyTooLarge. */
  maxReplyBytes?: number;
  /** Shared by every request to this endpoint: caps requests in flight, slows all down on 429/503. */
  gate?: AdaptiveGate;
  /** Shared by every request to this endpoint: waits out a short outage of an endpoint that answered before. */
  outage?: OutageWatch;
}

export const defaultSleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RequestSpec {
  method: 'GET' | 'POST';
  /** Path under the base URL, starting with `/`. */
  path: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Named in 404 messages. */
  model?: string;
  /** Told about every failed attempt (aborts excepted), the last one included. */
  onAttemptFailed?: (failure: AttemptFailure) => void;
}

/** What `consume` gets: the live response, the signal that cancels reading its body, the size cap and the start time. */
export interface AttemptContext {
  signal: AbortSignal;
  url: string;
  maxBytes: number;
  /** `performance.now()` when this attempt was sent (its slot taken): what speed figures count from. */
  startedAt: number;
}

function isAppError(err: unknown): err is AppError {
  return err instanceof AppError || (err instanceof Error && Object.values(ErrorName).includes(err.name as ErrorName));
}

/** Trimmed key, or undefined; a key fetch could not put in a header is reported here, not as a network error. */
export function cleanApiKey(key: string | undefined): string | undefined {
  const k = key?.trim();
  if (!k) return undefined;
  if (/[^\x20-\x7e]/.test(k)) {
    throw new AppError(
      ErrorName.InvalidInput,
      'The API key contains characters that cannot be sent (check for stray spaces or line breaks).',
    );
  }
  return k;
}

/** Seconds or an HTTP date, as RFC 9110 allows. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const secs = Number(value.trim());
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function backoffDelay(attempt: number, s: Pick<HttpSettings, 'backoffBaseMs' | 'backoffMaxMs' | 'random'>) {
  const ceiling = Math.min(s.backoffMaxMs, s.backoffBaseMs * 2 ** attempt);
  // Half fixed, half random: keeps growth while spreading out clients that failed together.
  return ceiling / 2 + (s.random() * ceiling) / 2;
}

/**
 * One logical request: timeout per attempt, the caller's abort, bounded retries with backoff.
 * Only failures before `consume` starts are retried: once a stream has produced tokens a retry would duplicate them.
 */
export async function request<T>(
  s: HttpSettings,
  spec: RequestSpec,
  consume: (res: Response, ctx: AttemptContext) => Promise<T>,
): Promise<T> {
  const url = `${s.baseUrl}${spec.path}`;
  const headers: Record<string, string> = { Accept: 'application/json, text/event-stream' };
  if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
  if (s.apiKey) headers.Authorization = `Bearer ${s.apiKey}`;
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  const caller = spec.signal;

  const maxBytes = s.maxReplyBytes ?? HTTP_DEFAULTS.maxReplyBytes;
  const attempts = s.maxRetries + 1;
  /** Reports a failed attempt; returns the error so call sites can `throw failed(...)`. */
  const failed = (error: AppError, attempt: number, retryInMs: number | null, outage?: OutageInfo): AppError => {
    try {
      spec.onAttemptFailed?.({ error, attempt: attempt + 1, attempts, retryInMs, ...(outage ? { outage } : {}) });
    } catch {
      // A listener's bug must not change what the request does.
    }
    return error;
  };
  const watch = s.outage;
  /** This attempt is the outage's probe (see OutageWatch): the watch must hear how it ended, exactly once. */
  let probe = false;
  /** `watch.answers` at this request's previous outage failure: did the endpoint answer anyone in between? */
  let answersBefore: number | undefined;
  /** This request's last failure, thrown if the outage it waits for outlasts the grace. */
  let lastFailure: AppError | null = null;
  /** The outage this request's failure ran out (reported with the failure it throws). */
  let expired: OutageInfo | undefined;
  /** Retries of this request's own used so far: an outage's waits do not count, so it keeps them for after. */
  let own = 0;
  /**
   * After a failed, retryable attempt: wait for the endpoint's next probe when it is out (an outage of an
   * endpoint that answered before), else the request's own backoff while its retries last; null = give up.
   */
  const nextTry = (error: AppError, delayFor: (n: number) => number): NextTry | null => {
    lastFailure = error;
    if (watch && isOutageFailure(error)) {
      const verdict = watch.failed(error, { probe, answersBefore, delayFor });
      probe = false;
      answersBefore = watch.answers;
      if (verdict === 'expired') {
        lastFailure = watch.error ?? error;
        expired = watch.expired ?? undefined;
        return null;
      }
      if (verdict) return { ms: verdict.retryInMs, outage: verdict.outage };
    }
    return own < s.maxRetries ? { ms: delayFor(own) } : null;
  };
  /** Reports a failed attempt that will be tried again; an own retry is then used up. */
  const retrying = (error: AppError, next: NextTry): void => {
    failed(error, own, next.ms, next.outage);
    if (!next.outage) own++;
  };
  /** The endpoint replied with something other than an outage: the watch learns it is there. */
  const heard = (ok: boolean) => {
    watch?.heard(ok, probe, spec.method === 'POST');
    probe = false;
  };

  for (;;) {
    if (caller?.aborted) throw abortError();
    if (watch) {
      // During an outage this waits (holding no slot) for the probe's outcome or this request's turn to probe.
      const turn = await watch.turn(caller);
      if (turn === 'gave-up') {
        // It failed with the outage it waited for: reported as the probe that found it still down is, so every
        // request's listener learns how the outage ended.
        const error = watch.error ?? lastFailure;
        throw error ? failed(error, own, null, watch.expired ?? undefined) : abortError();
      }
      probe = turn === 'probe';
    }
    // A slot is held for the attempt only, never while backing off. It is taken before the timer starts:
    // waiting for a slot is not the server being slow, so it must not use up the attempt's time.
    let release: () => void;
    try {
      release = s.gate ? await s.gate.acquire(caller) : () => {};
    } catch (err) {
      // Cancelled while waiting for a slot: a probe that never went out leaves the probing to another request.
      if (probe) watch?.release();
      probe = false;
      throw err;
    }
    const startedAt = performance.now();
    // A manual timer (rather than AbortSignal.timeout + AbortSignal.any) can be cleared when the attempt ends
    // and tells us which of the two fired.
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, s.timeoutMs);
    const onCallerAbort = () => ctrl.abort();
    caller?.addEventListener('abort', onCallerAbort, { once: true });
    const cancelled = (): AppError | null =>
      caller?.aborted ? abortError() : timedOut ? failed(timeoutError(s.timeoutMs, url), own, null) : null;

    let retry: AppError;
    try {
      let res: Response;
      try {
        res = await s.fetchImpl(url, { method: spec.method, headers, body, signal: ctrl.signal });
      } catch (err) {
        const stop = cancelled();
        if (stop) throw stop;
        retry = networkError(err, s.baseUrl, watch?.reachedBefore() ?? false);
        const next = nextTry(retry, (n) => backoffDelay(n, s));
        if (!next) throw failed(lastFailure ?? retry, own, null, expired);
        retrying(retry, next);
        release();
        // An outage is waited for in watch.turn(), together with every other request to this endpoint.
        if (!next.outage) await s.sleep(next.ms, caller);
        continue;
      }
      if (!res.ok) {
        let text = '';
        try {
          // The status is what matters; only the first words of a (possibly huge) error body are read.
          text = await readBodyText(res, { maxBytes: ERROR_BODY_BYTES, url, truncate: true });
        } catch {
          // the status alone is enough to report
        }
        const stop = cancelled();
        if (stop) throw stop;
        retry = httpError(res.status, text, { url, model: spec.model });
        if (!isOutageFailure(retry)) heard(false);
        if (!retry.retryable) throw failed(retry, own, null);
        const overloaded = res.status === 429 || res.status === 503;
        const asked = overloaded ? parseRetryAfter(res.headers.get('Retry-After')) : null;
        const next = nextTry(retry, (n) => (asked === null ? backoffDelay(n, s) : Math.min(asked, s.retryAfterMaxMs)));
        if (!next) throw failed(lastFailure ?? retry, own, null, expired);
        if (overloaded) s.gate?.pushedBack(next.ms);
        retrying(retry, next);
        release();
        if (!next.outage) await s.sleep(next.ms, caller);
        continue;
      }
      heard(true);
      s.gate?.succeeded();
      try {
        return await consume(res, { signal: ctrl.signal, url, maxBytes, startedAt });
      } catch (err) {
        const stop = cancelled();
        if (stop) throw stop;
        if (isAppError(err)) throw err.name === ErrorName.Abort ? err : failed(err, own, null);
        // Body reads fail with TypeError when the connection drops mid-answer.
        if (err instanceof TypeError) {
          throw failed(
            streamCut('The connection closed before the server finished its answer.', `${url}: ${err.message}`),
            own,
            null,
          );
        }
        throw err;
      }
    } finally {
      release();
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
      // Cancelled or timed out before the endpoint said anything: another request may probe.
      if (probe) watch?.release();
      probe = false;
    }
  }
}

interface NextTry {
  ms: number;
  /** Set when the wait is for an outage to end (see OutageWatch). */
  outage?: OutageInfo;
}

/** Reads a whole JSON body; anything else is a BadResponse that says what came back instead. */
export async function readJson(res: Response, ctx: Pick<AttemptContext, 'url' | 'maxBytes'>): Promise<unknown> {
  const url = ctx.url;
  const text = await readBodyText(res, { maxBytes: ctx.maxBytes, url });
  if (!text.trim()) throw badResponse('The server sent an empty answer instead of JSON.', url);
  try {
    return JSON.parse(text);
  } catch {
    const html = /^\s*</.test(text);
    throw badResponse(
      html
        ? 'The server answered with a web page instead of JSON. The base URL probably points at a website, not an OpenAI-compatible API.'
        : 'The server sent a reply that is not valid JSON (it may have been cut off).',
      `${url}: ${text.slice(0, 200)}`,
    );
  }
}
