/**
 * One-line progress on stderr: depth, best reward, calls, generated tokens and an ETA.
 * On a terminal the line is redrawn in place (\r); in logs and pipes one line per beam selection.
 * Waiting is never silent: a failed request's retry gets a note ("retry 2 of 3 in 4 s"; see RetryNotes), and
 * `tick()` (called every second) says how long the endpoint has kept us waiting.
 */
import { describeRetry, faultKind } from '../core/calls/fault-summary';
import type { AttemptFailure } from '../core/contracts/chat-model';
import { serializeError } from '../core/contracts/errors';
import type { GatewayEvent } from '../core/calls/call-gateway';
import type { Projection, RunEvent } from '../core/contracts/run-events';
import type { CliStream } from './cli-io';
import { formatDurationCompact } from '../core/formats/durations';
import { formatCountCompact } from '../core/formats/bytes';

/** A wait this long gets a note (terminal: in the line; logs: one line, then again at twice the wait). */
export const WAIT_NOTE_MS = 10_000;

/** A retry note saying what the last one said (its wait aside) within this long is not said again. */
export const REPEAT_NOTE_MS = 2_000;

/**
 * Which retries get a note, for `drpo optimize` and `drpo eval` alike: requests in flight together meet one
 * fault together, so ten failing at once make one note, not ten. An outage gets one per probe (their waits
 * differ by jitter, so their words may too); other retries one per distinct note, again after REPEAT_NOTE_MS.
 */
export class RetryNotes {
  /** The outage probe the last note was about (null: none since the last finished call). */
  private outageRetry: number | null = null;
  private last = { key: '', at: -Infinity };

  constructor(private readonly now: () => number = Date.now) {}

  /** The note a retry calls for, or null (not a retry, or one just said the same). */
  onEvent(e: GatewayEvent): string | null {
    // A call finished: the endpoint answers again, so the next outage's first probe gets its note.
    if (e.type === 'usage') this.outageRetry = null;
    return e.type === 'call-retry' ? this.note(e) : null;
  }

  /**
   * The note a failed attempt outside any job calls for (the model listing, before a run or evaluation starts:
   * no gateway turns it into an event), said as a retry of a call would be; null when it is the last attempt.
   */
  onAttemptFailed(f: AttemptFailure): string | null {
    if (f.retryInMs === null) return null;
    const { attempt, attempts, retryInMs, outage } = f;
    return this.note({ error: serializeError(f.error), attempt, attempts, retryInMs, ...(outage ? { outage } : {}) });
  }

  private note(e: Parameters<typeof describeRetry>[0]): string | null {
    if (e.outage && e.outage.retry === this.outageRetry) return null;
    this.outageRetry = e.outage?.retry ?? null;
    // What the note says but its wait (which differs between requests failing together, by jitter).
    const key = `${e.endpoint ?? ''}|${faultKind(e.error) ?? e.error.name}|${e.attempt}|${e.attempts}|${e.outage?.retry ?? ''}`;
    const t = this.now();
    if (key === this.last.key && t - this.last.at < REPEAT_NOTE_MS) return null;
    this.last = { key, at: t };
    return describeRetry(e);
  }
}

interface State {
  depth: number;
  maxDepth: number;
  best: number | null;
  calls: number;
  tokens: number;
  projectedCalls: number;
  startedAt: number;
}

export function describeProjection(p: Projection, maxCalls?: number): string {
  const roles = Object.entries(p.perRole)
    .filter(([, r]) => r.calls > 0)
    .map(([role, r]) => `${role} ${r.calls}`)
    .join(', ');
  const cap = maxCalls !== undefined && maxCalls < p.calls ? ` (capped at ${maxCalls} by --max-calls)` : '';
  return `Projected: about ${p.calls} model calls${cap} (${roles}) and ${formatCountCompact(p.generatedTokens)} generated tokens.`;
}

export class ProgressLine {
  private s: State;
  private lastDraw = -Infinity;
  private drawn = false;
  /** Set while a retry is pending; cleared by the next finished call. */
  private note = '';
  private readonly retries: RetryNotes;
  private lastActivity: number;
  private nextWaitNote = WAIT_NOTE_MS;
  private readonly now: () => number;

  constructor(
    private readonly out: CliStream,
    opts: { maxDepth: number; projectedCalls: number; now?: () => number },
  ) {
    this.now = opts.now ?? Date.now;
    this.retries = new RetryNotes(this.now);
    this.s = {
      depth: 0,
      maxDepth: opts.maxDepth,
      best: null,
      calls: 0,
      tokens: 0,
      projectedCalls: opts.projectedCalls,
      startedAt: this.now(),
    };
    this.lastActivity = this.s.startedAt;
  }

  line(): string {
    const { depth, maxDepth, best, calls, tokens, projectedCalls, startedAt } = this.s;
    const elapsed = this.now() - startedAt;
    const eta =
      calls > 0 && projectedCalls > calls ? formatDurationCompact((elapsed / calls) * (projectedCalls - calls)) : '–';
    const width = 12;
    const filled = Math.min(width, Math.round((Math.min(calls, projectedCalls) / Math.max(1, projectedCalls)) * width));
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const bestText = best === null ? '–' : best.toFixed(2);
    const line = `${bar} depth ${depth}/${maxDepth} · best ${bestText} · calls ${calls}/~${projectedCalls} · tokens ${formatCountCompact(tokens)} · ETA ${eta}`;
    return this.note ? `${line} · ${this.note}` : line;
  }

  /** Called every second while the run goes: a long silence from the endpoint is said out loud. */
  tick(): void {
    const waited = this.now() - this.lastActivity;
    if (waited < WAIT_NOTE_MS) return;
    const note = `waiting for the endpoint (${formatDurationCompact(waited)})`;
    if (this.out.isTTY) {
      this.note = note;
      this.draw(false);
    } else if (waited >= this.nextWaitNote) {
      this.nextWaitNote *= 2;
      this.out.write(`${note}…\n`);
    }
  }

  onEvent(e: RunEvent): void {
    this.lastActivity = this.now();
    this.nextWaitNote = WAIT_NOTE_MS;
    if (this.note.startsWith('waiting for the endpoint (')) this.note = '';
    switch (e.type) {
      case 'call-retry': {
        const note = this.retries.onEvent(e);
        if (note === null) return;
        this.note = note;
        if (this.out.isTTY) this.draw(true);
        else this.out.write(`${this.note}\n`);
        return;
      }
      case 'run-started':
        this.s.projectedCalls = e.projection.calls;
        return this.draw(false);
      case 'usage':
        this.note = '';
        this.retries.onEvent(e);
        this.s.calls = e.stats.calls;
        this.s.tokens = e.stats.generatedTokens;
        return this.draw(false);
      case 'depth-extended':
        this.s.maxDepth = e.maxDepth;
        return this.draw(false);
      case 'beam-selected':
        this.s.depth = e.depth;
        this.s.best = e.best.reward;
        return this.draw(true);
      default:
        return;
    }
  }

  /** Ends the in-place line so later messages start on their own line. */
  finish(): void {
    if (this.out.isTTY && this.drawn) this.out.write('\n');
    this.drawn = false;
  }

  private draw(milestone: boolean): void {
    if (this.out.isTTY) {
      const t = this.now();
      if (!milestone && t - this.lastDraw < 100) return;
      this.lastDraw = t;
      const cols = this.out.columns ?? 100;
      this.out.write(`\r\x1b[2K${this.line().slice(0, Math.max(20, cols - 1))}`);
      this.drawn = true;
    } else if (milestone) {
      this.out.write(`${this.line()}\n`);
    }
  }
}
