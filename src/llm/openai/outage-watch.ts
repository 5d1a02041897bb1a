/**
 * Rides out a short outage of an endpoint: a server restarting, a hosted API answering 502/503 for a few
 * seconds, a Wi-Fi blip. One watch per endpoint, shared by every model and role on it (as the AdaptiveGate is).
 *
 * Only an endpoint that has answered in this session is waited for: a wrong address or a server that was never
 * up fails after the request's own few retries, as it always did. When an attempt then finds the endpoint
 * unreachable, the endpoint is "down since T" for everyone: one request at a time probes it, with growing
 * jittered pauses, while every other request waits here without sending anything (an outage does not multiply
 * the load by the number of requests in flight). An answer releases them all at once; an outage that has
 * lasted `graceMs` since T fails them all together, the probe that found it still down included. Time the computer
 * slept (or the page was frozen) does not count, whether it fell between probes or while one was out: the grace
 * is awake time.
 *
 * Which request probes is a matter of timing, but nothing a request sends or receives depends on it, so runs
 * stay reproducible. After a grace ran out the endpoint must answer again before the next outage is waited out.
 */
import type { OutageInfo } from '../../core/contracts/chat-model';
import { AppError, ErrorName, isNamed } from '../../core/contracts/errors';
import { HTTP_DEFAULTS } from '../../core/calls/endpoint-limits';
import { formatWait } from '../../core/words/durations';
// A probe that goes out this much later than it was due, or a heartbeat this much later than the one before: the
// computer slept (the lid closed) or the browser froze the page meanwhile, and that time is no wait for the
// endpoint. The same rule and threshold as a run's awake time.
import { ASLEEP_MS, HEARTBEAT_MS } from '../../core/calls/awake-clock';
import { abortError, inBrowser } from './http-errors';

/** What a request may do next: send as usual, send as the outage's one probe, or give up (the grace is over). */
export type Turn = 'go' | 'probe' | 'gave-up';

/** Where a failed attempt leaves a request: wait `retryInMs` for the next probe, or give up ('expired'). */
export type OutageVerdict = { retryInMs: number; outage: OutageInfo } | 'expired';

/** HTTP statuses of a server that is restarting, overloaded or behind a proxy that lost it. */
const OUTAGE_STATUSES = new Set([500, 502, 503, 504]);

/** A failed attempt that says "the endpoint is not there right now" (not "this request is wrong"). */
export function isOutageFailure(error: AppError): boolean {
  if (isNamed(error, ErrorName.Network)) return true;
  return isNamed(error, ErrorName.ServerError) && error.status !== undefined && OUTAGE_STATUSES.has(error.status);
}

/**
 * What every request of an outage that outlasted the wait fails with (EndpointDown): the endpoint answered
 * before, so the usual advice for a server never reached (the address, CORS) would mislead. The message says
 * what happened; what to do next is the page's or the CLI's (Retry or --resume, a longer outage wait).
 */
export function outageOver(error: AppError, graceMs: number): AppError {
  // A server that answers with an error status is there: say what it kept doing, not that it went away. The
  // last failure in the detail: the server's own words for a status, the address and cause for a network error.
  const [what, detail] =
    error.status === undefined
      ? ['stopped answering and did not come back', error.detail ?? error.message]
      : [`kept failing with HTTP ${error.status} and did not recover`, error.message];
  return new AppError(ErrorName.EndpointDown, `The endpoint ${what} within ${formatWait(graceMs)} (the outage wait).`, {
    status: error.status,
    retryable: true,
    detail,
    cause: error,
  });
}

type Wake = (expired: boolean) => void;

export class OutageWatch {
  /** Replies heard from the endpoint (any HTTP answer): a request compares it across its own failures. */
  answers = 0;
  /** One of those replied to a POST (a chat or completion): see `reachedBefore`. */
  private heardPost = false;
  /** A successful reply came in this session (and not before a grace that ran out). */
  private answered = false;
  /**
   * The endpoint listed its models (and not before a grace that ran out): it is there, so it going away is
   * waited out; but HTTP 500 only once a request succeeded. A server that answers its list and fails every
   * request with 500 (a model too large for its memory, say) is refusing them, not restarting.
   */
  private listedModels = false;
  /** When the current outage began (its first failed attempt), or null while the endpoint answers. */
  private since: number | null = null;
  /** Probes of this outage that failed: the pause before the next grows with them. */
  private probes = 0;
  private probeAt = 0;
  /**
   * Time of the current outage spent asleep (see ASLEEP_MS): not counted against the grace, so a run that met an
   * outage before the lid closed still gets its wait once the computer wakes, instead of failing at its first probe.
   */
  private asleepMs = 0;
  private probing = false;
  /**
   * A heartbeat while the outage is waited out (see `arm`), and when it last beat in this outage or a probe went
   * out (null until then; kept while nobody waits): a sleep that falls while a probe is out shows only as a gap between beats, since
   * no probe is then late to start.
   */
  private heart: ReturnType<typeof setInterval> | null = null;
  private lastBeat: number | null = null;
  private lastError: AppError | null = null;
  private lastExpired: OutageInfo | null = null;
  private readonly waiters = new Set<Wake>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly graceMs: number = HTTP_DEFAULTS.outageGraceMs,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A successful reply came in this session, or in an earlier one of the run resumed (answeredBefore): what lets
   * a request that is no call of the run (the CLI's model listing) wait out an outage too. It joins the watch
   * only then: its own success must not count as one, or a server that lists its models and fails every call
   * with HTTP 500 would be waited for.
   */
  get hasAnswered(): boolean {
    return this.answered;
  }

  /**
   * The endpoint answered a request this session, so a request that now cannot reach it finds a server that
   * stopped, not a wrong address. In a page only a reply to a POST counts: under CORS a chat's JSON POST always
   * needs the server's leave first (a preflight), the model listing's GET only when it carries a key, so a
   * listing that answered does not show that chats will pass.
   */
  reachedBefore(): boolean {
    return inBrowser() ? this.heardPost : this.answers > 0;
  }

  /** The error of the last failed attempt of the outage that ran out: what a request that only waited throws. */
  get error(): AppError | null {
    return this.lastError;
  }

  /** The outage that ran out, as of the moment it did: what every request that failed with `error` reports. */
  get expired(): OutageInfo | null {
    return this.lastExpired;
  }

  /**
   * Called before every attempt. Returns 'go' at once while the endpoint answers; during an outage waits until
   * this request may send the probe (one at a time) or the endpoint is back, or the grace has run out.
   * Rejects with AbortError as soon as `signal` aborts.
   */
  async turn(signal?: AbortSignal): Promise<Turn> {
    for (;;) {
      if (signal?.aborted) throw abortError();
      if (this.since === null) return 'go';
      const now = this.now();
      if (!this.probing && now >= this.probeAt) {
        if (now - this.probeAt > ASLEEP_MS) this.asleepMs += now - this.probeAt;
        // The sleep before this probe is counted above: gaps while it is out are measured from its start, also
        // for a probe that goes out before the heartbeat's first beat (the first one, within a second, usually).
        this.lastBeat = now;
        this.probing = true;
        this.arm();
        return 'probe';
      }
      if (await this.wait(signal)) return 'gave-up';
    }
  }

  /**
   * The endpoint replied (`ok`: with a success; otherwise with an answer that is no outage, such as 401 or 429)
   * to a request (`post`: a POST): it is there, so the outage is over and everyone waiting goes again.
   */
  heard(ok: boolean, probe: boolean, post = false): void {
    this.answers++;
    if (post) this.heardPost = true;
    if (ok) this.answered = true;
    if (probe) this.endProbe();
    if (this.since !== null) {
      this.since = null;
      this.probes = 0;
      this.probeAt = 0;
      this.asleepMs = 0;
      this.lastBeat = null;
    }
    this.arm();
    this.wakeAll(false);
  }

  /** The endpoint answered its model list (see `listedModels`). Like any answer, it ends an outage. */
  listed(): void {
    this.listedModels = true;
    this.heard(false, false);
  }

  /**
   * The endpoint answered before this session: a resumed run's checkpoint holds its replies. Its outages are then
   * waited out from the first, so a resume into a server still restarting waits for it instead of failing fast.
   */
  answeredBefore(): void {
    this.answered = true;
  }

  /**
   * An attempt found the endpoint unreachable (see isOutageFailure). `answersBefore` is `answers` as it was at
   * this request's previous failure (undefined for its first). Returns null when this is no outage to wait out:
   * the endpoint never answered, or it answered other requests since this one last failed (then the failure is
   * this request's own, and its usual retries apply).
   */
  failed(
    error: AppError,
    o: { probe: boolean; answersBefore: number | undefined; delayFor: (probes: number) => number },
  ): OutageVerdict | null {
    if (o.probe) this.endProbe();
    const quiet = o.answersBefore === undefined || o.answersBefore === this.answers;
    // A listing is the endpoint answering, but in a browser only for failures that carry a status: a server
    // that answers the listing's GET may still refuse the preflight a chat's POST needs (CORS), which fails
    // just like a server gone away, and is no outage to wait a minute for.
    const listedCounts =
      this.listedModels && error.status !== 500 && !(isNamed(error, ErrorName.Network) && inBrowser());
    const known = this.answered || listedCounts;
    if (!known || !quiet || this.graceMs <= 0) {
      this.arm();
      return null;
    }
    const now = this.now();
    if (this.since === null) {
      this.since = now;
      this.probes = 0;
      this.probeAt = now;
      this.asleepMs = 0;
      this.lastBeat = null;
    } else if (o.probe) {
      this.probes++;
    }
    this.lastError = error;
    const since = this.since;
    // Awake time only: what the grace and the "down for" figures count.
    const deadline = since + this.asleepMs + this.graceMs;
    const downForMs = now - since - this.asleepMs;
    if (now >= deadline) {
      this.lastError = outageOver(error, this.graceMs);
      this.lastExpired = { since, downForMs, graceMs: this.graceMs, retry: this.probes + 1 };
      this.expire();
      return 'expired';
    }
    // The last probe goes out at the deadline itself, so an endpoint back just in time is still found.
    this.probeAt = Math.max(this.probeAt, Math.min(now + o.delayFor(this.probes), deadline));
    this.arm();
    const outage = { since, downForMs, graceMs: this.graceMs, retry: this.probes + 1 };
    return { retryInMs: this.probeAt - now, outage };
  }

  /** The probe ended without saying anything about the endpoint (cancelled, timed out): another may probe. */
  release(): void {
    this.endProbe();
    this.arm();
  }

  /** A probe came back: a sleep since the last beat fell while it was out (on waking, it may beat us to it). */
  private endProbe(): void {
    if (this.probing) this.beat();
    this.probing = false;
  }

  /**
   * Notes the time while the outage is waited out. Between probes a sleep makes the next probe late, which
   * `turn` counts; while a probe is out, a gap since the last beat (or the probe's start) beyond ASLEEP_MS is
   * sleep, less the one beat that was due, as in a run's AwakeClock. A beat outside a probe only notes the time.
   */
  private beat(): void {
    const now = this.now();
    const gap = this.lastBeat === null ? 0 : now - this.lastBeat;
    if (this.probing && this.since !== null && gap > ASLEEP_MS) this.asleepMs += gap - HEARTBEAT_MS;
    if (this.lastBeat === null || gap > 0) this.lastBeat = now;
  }

  private expire(): void {
    this.since = null;
    this.answered = false;
    this.listedModels = false;
    this.probes = 0;
    this.probeAt = 0;
    this.asleepMs = 0;
    this.lastBeat = null;
    this.probing = false;
    this.arm();
    this.wakeAll(true);
  }

  /** Resolves true when the grace ran out, false when something changed (a probe may start, the endpoint is back). */
  private wait(signal?: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const wake: Wake = (expired) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(expired);
      };
      const onAbort = () => {
        this.waiters.delete(wake);
        this.arm();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(wake);
      this.arm();
    });
  }

  /**
   * One timer, for the next probe, only while someone waits for it and no probe is out: after Ctrl+C nobody
   * waits, and a pending probe must not keep the finished CLI from exiting.
   */
  private arm(): void {
    // The heartbeat runs while anyone waits or probes (like this timer, it never keeps a finished CLI alive).
    const beating = this.since !== null && (this.probing || this.waiters.size > 0);
    if (beating && !this.heart) {
      this.heart = setInterval(() => this.beat(), HEARTBEAT_MS);
      (this.heart as { unref?: () => void }).unref?.();
    } else if (!beating && this.heart) {
      clearInterval(this.heart);
      this.heart = null;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.waiters.size === 0 || this.since === null || this.probing) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wakeAll(false);
      },
      Math.max(0, this.probeAt - this.now()),
    );
  }

  private wakeAll(expired: boolean): void {
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const w of woken) w(expired);
  }
}
