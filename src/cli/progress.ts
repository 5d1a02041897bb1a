/**
 * One-line progress on stderr: the stage and how far it is, calls, generated tokens and an ETA.
 * On a terminal the line is redrawn in place (\r), naming the stage (example polishing, search, final check);
 * in logs and pipes one line when a stage starts, per beam selection, per tenth of the examples polished
 * or of the calls (the final check's only measure), and when calls were made and nothing was said for
 * PIPED_EVERY_MS. A narrow terminal gets the whole fields that fit (fitFields), never a cut figure.
 * Waiting is never silent: a failed request's retry gets a note ("retry 2 of 3 in 4 s"; see RetryNotes), and
 * `tick()` (called every second) says how long the endpoint has kept us waiting.
 */
import { describeRetry, faultKind } from '../core/calls/fault-summary';
import { AwakeClock } from '../core/calls/awake-clock';
import type { AttemptFailure } from '../core/contracts/chat-model';
import { serializeError } from '../core/contracts/errors';
import type { GatewayEvent } from '../core/calls/call-gateway';
import type { Projection, RunEvent } from '../core/contracts/run-events';
import type { CliStream } from './cli-io';
import { formatDurationCompact } from '../core/words/durations';
import { formatCountCompact } from '../core/formats/bytes';
import { plural } from '../core/words/list-words';
import { PATH_MEAN_NAME, STAGE_WORDS, bestSoFarWords } from '../core/contracts/run-status';
import type { RunStage } from '../core/contracts/run-events';
import type { RunCheckpoint } from '../core/contracts/run-api';
import { shouldCarryForward } from '../core/drpo/beam-helpers';

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
  stage: RunStage | null;
  depth: number;
  maxDepth: number;
  best: number | null;
  /** Examples polished so far (of `examples`), in the example polishing stage. */
  polished: number;
  calls: number;
  tokens: number;
  projectedCalls: number;
}

/** Where a resumed run stood, from its checkpoint: the progress line starts from there, not from zero. */
export interface ResumedAt {
  /** Calls the checkpoint already counts: served from it again without waiting, so not part of the ETA's pace. */
  calls: number;
  /** Generated tokens the checkpoint already counts. */
  tokens: number;
  /** The last level the search had finished. */
  depth: number;
  /** The levels the search planned by then, its extensions included. */
  maxDepth: number;
}

export interface ProgressOptions {
  /** The levels the search plans (the run's depth setting). */
  maxDepth: number;
  /** The run's projected calls. */
  projectedCalls: number;
  /** --max-calls: the bar and ETA run to it when it comes before the projection. */
  maxCalls?: number;
  /** Examples to polish in the example polishing stage (the run's example pool). */
  examples?: number;
  /** Questions the final check holds out. */
  heldOut?: number;
  resumed?: ResumedAt;
  now?: () => number;
}

/**
 * Where a checkpoint's search stood: its last finished level, and the levels planned by then. A resumed search
 * does not announce again the extensions it had made (beam-search.ts tells only those past the replayed
 * levels), so they are read from its prompts: a level was added where a beam prompt was carried forward
 * because it scored above the threshold (a carried prompt whose parent did not is no reason to extend).
 */
export function resumedAt(cp: Pick<RunCheckpoint, 'nodes' | 'config' | 'stats'>): ResumedAt {
  const s = cp.config.settings;
  const byId = new Map(cp.nodes.map((n) => [n.id, n]));
  const extendedAt = new Set<number>();
  for (const n of cp.nodes) {
    const parent = n.parentId === null ? undefined : byId.get(n.parentId);
    if (n.carriedForward && parent && shouldCarryForward(parent, s.carryForwardThreshold)) extendedAt.add(n.depth);
  }
  const deepest = Math.max(0, ...cp.nodes.map((n) => n.depth));
  return {
    calls: cp.stats.calls,
    tokens: cp.stats.generatedTokens,
    depth: Math.max(0, deepest - 1),
    maxDepth: Math.max(deepest, s.depth + Math.min(s.maxDepthExtension, extendedAt.size)),
  };
}

export function describeProjection(p: Projection, maxCalls?: number): string {
  const roles = Object.entries(p.perRole)
    .filter(([, r]) => r.calls > 0)
    .map(([role, r]) => `${role} ${r.calls}`)
    .join(', ');
  const cap = maxCalls !== undefined && maxCalls < p.calls ? ` (capped at ${maxCalls} by --max-calls)` : '';
  return `Projected: about ${p.calls} model calls${cap} (${roles}) and ${formatCountCompact(p.generatedTokens)} generated tokens.`;
}

/** Stages without levels get a line in logs every tenth of their way. */
const TENTHS = 10;

/**
 * Logs and pipes also get a line when calls were made and nothing was said for this long: a search level of a
 * slow endpoint may take minutes, and "calls 0/~155" all that while reads as a hung run.
 */
export const PIPED_EVERY_MS = 5_000;

/**
 * The fields of the line that fit in `max` characters: whole ones, never a figure cut in the middle ("tokens 2"
 * for 2.3k). The least telling go first, by `drop` (higher first), and the rest keep their order; a first field
 * still too long alone (a terminal narrower than the stage's name) is cut, as nothing else is left to show.
 */
export function fitFields(fields: readonly { text: string; drop: number }[], max: number): string {
  const join = (fs: readonly { text: string }[]) => fs.map((f) => f.text).join(' · ');
  let kept = [...fields];
  while (kept.length > 1 && join(kept).length > max) {
    const worst = kept.reduce((w, f, i) => (i > 0 && f.drop >= kept[w]!.drop ? i : w), kept.length - 1);
    kept = kept.filter((_, i) => i !== worst);
  }
  return join(kept).slice(0, max);
}

export class ProgressLine {
  private s: State;
  private lastDraw = -Infinity;
  private drawn = false;
  /** Set while a retry is pending; cleared by the next finished call. */
  private note = '';
  private readonly retries: RetryNotes;
  /** When the run was last heard from, in the awake time of `clock`: the waiting note leaves out sleep too. */
  private lastActivity: number;
  private nextWaitNote = WAIT_NOTE_MS;
  private readonly now: () => number;
  /**
   * This session's awake time, as the run counts its own (`tick` is its heartbeat): a night the laptop slept
   * through does not slow the pace the ETA is worked out from, nor make the endpoint look silent for hours.
   */
  private readonly clock: AwakeClock;
  private readonly maxCalls: number;
  /** The projection is larger than --max-calls: the bar runs to the budget. */
  private capped = false;
  /** Calls already counted when this line began (a resume's): they come back from the checkpoint at once. */
  private readonly callsAtStart: number;
  private readonly examples: number;
  private readonly heldOut: number;
  /** Piped output: the last tenth of the stage's way told (its start's, once it starts). */
  private lastTenth = -1;
  /** Calls made when the stage began: the final check's tenths count from there. */
  private callsAtStage = 0;
  /** Piped output: when the last line was written (the start, before any), and the calls it said. */
  private pipedAt: number;
  private pipedCalls: number;

  constructor(
    private readonly out: CliStream,
    opts: ProgressOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.retries = new RetryNotes(this.now);
    this.maxCalls = opts.maxCalls ?? Infinity;
    this.callsAtStart = opts.resumed?.calls ?? 0;
    this.examples = opts.examples ?? 0;
    this.heldOut = opts.heldOut ?? 0;
    this.s = {
      stage: null,
      depth: opts.resumed?.depth ?? 0,
      maxDepth: Math.max(opts.maxDepth, opts.resumed?.maxDepth ?? 0),
      best: null,
      polished: 0,
      calls: this.callsAtStart,
      tokens: opts.resumed?.tokens ?? 0,
      projectedCalls: 0,
    };
    this.clock = new AwakeClock(this.now);
    this.pipedAt = this.now();
    this.pipedCalls = this.callsAtStart;
    this.project(opts.projectedCalls);
    this.lastActivity = this.clock.elapsedMs();
  }

  line(): string {
    return this.fields()
      .map((f) => f.text)
      .join(' · ');
  }

  /**
   * The line's fields, most telling first, each with how soon a narrow terminal drops it: the tokens, then the
   * ETA, then a note, the path mean and the calls; the stage and its bar stay.
   */
  private fields(): { text: string; drop: number }[] {
    const { calls, tokens, projectedCalls } = this.s;
    // The pace of this session's own calls: a resume's replayed calls come back from the checkpoint at once.
    const made = calls - this.callsAtStart;
    const elapsed = this.clock.elapsedMs();
    const eta =
      made > 0 && projectedCalls > calls ? formatDurationCompact((elapsed / made) * (projectedCalls - calls)) : '–';
    const width = 12;
    const filled = Math.min(width, Math.round((Math.min(calls, projectedCalls) / Math.max(1, projectedCalls)) * width));
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const of = this.capped ? `${projectedCalls} (capped)` : `~${projectedCalls}`;
    const [stage, ...about] = this.where();
    return [
      { text: `${bar} ${stage}`, drop: 0 },
      ...about.map((text) => ({ text, drop: 2 })),
      { text: `calls ${calls}/${of}`, drop: 1 },
      { text: `ETA ${eta}`, drop: 4 },
      { text: `tokens ${formatCountCompact(tokens)}`, drop: 5 },
      ...(this.note ? [{ text: this.note, drop: 3 }] : []),
    ];
  }

  /**
   * The stage, named as the page's Live view names it, with its progress: examples polished, the search's level
   * and its path mean (best so far) in the Live view's words (the search's figure, not the final check's verdict), or the
   * questions the final check holds out (its race has no steps to count but calls).
   */
  private where(): string[] {
    const { stage, depth, maxDepth, best, polished } = this.s;
    switch (stage) {
      case 'icl':
        return [`${STAGE_WORDS.icl}${this.examples > 0 ? ` ${polished}/${this.examples}` : ''}`];
      case 'validation':
        return [
          `${STAGE_WORDS.validation}${this.heldOut > 0 ? ` on ${plural(this.heldOut, 'held-out question')}` : ''}`,
        ];
      default:
        return [
          `${STAGE_WORDS.search} level ${depth}/${maxDepth}`,
          best === null ? `${PATH_MEAN_NAME} –` : bestSoFarWords(best.toFixed(2)),
        ];
    }
  }

  /** The calls the bar and ETA run to: the projection, or --max-calls when that comes first. */
  private project(calls: number): void {
    this.capped = this.maxCalls < calls;
    this.s.projectedCalls = Math.min(calls, this.maxCalls);
  }

  /** Called every second while the run goes: a long silence from the endpoint is said out loud. */
  tick(): void {
    const waited = this.clock.elapsedMs() - this.lastActivity;
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
    this.lastActivity = this.clock.elapsedMs();
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
        this.project(e.projection.calls);
        return this.draw(false);
      case 'stage-changed':
        if (e.stage === 'done') return;
        this.s.stage = e.stage;
        this.lastTenth = -1;
        this.callsAtStage = this.s.calls;
        this.nextTenth();
        // A milestone in logs too: the stage's first line, so a long stage is never silent.
        return this.draw(true);
      case 'icl-updated':
        this.s.polished = Math.max(this.s.polished, e.index + 1);
        return this.draw(this.nextTenth());
      case 'usage':
        this.note = '';
        this.retries.onEvent(e);
        this.s.calls = e.stats.calls;
        this.s.tokens = e.stats.generatedTokens;
        // The final check tells nothing but its calls: logs get a line every tenth of the calls it has left.
        return this.draw(this.nextTenth());
      case 'depth-extended':
        this.s.maxDepth = e.maxDepth;
        return this.draw(false);
      case 'beam-selected':
        this.s.depth = e.depth;
        // Never "level 6/5", whatever a checkpoint left unsaid about extensions.
        this.s.maxDepth = Math.max(this.s.maxDepth, e.depth);
        this.s.best = e.best.reward;
        return this.draw(true);
      default:
        return;
    }
  }

  /**
   * The stage's way reached a tenth not yet told: examples polished, or the final check's calls (of those the
   * projection left it when it began, so a log gets ten lines of it, not the last tenths of the whole run's).
   * The search has its levels instead.
   */
  private nextTenth(): boolean {
    const { stage, polished, calls, projectedCalls } = this.s;
    const from = this.callsAtStage;
    const [done, total] =
      stage === 'icl'
        ? [polished, this.examples]
        : stage === 'validation'
          ? [calls - from, projectedCalls - from]
          : [0, 0];
    if (total <= 0) return false;
    const tenth = Math.min(TENTHS, Math.floor((done / total) * TENTHS));
    if (tenth <= this.lastTenth) return false;
    this.lastTenth = tenth;
    return true;
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
      // A terminal that reports no width (0: `script` without a size) has an unknown width, not a tiny one.
      const cols = this.out.columns || 100;
      this.out.write(`\r\x1b[2K${fitFields(this.fields(), Math.max(20, cols - 1))}`);
      this.drawn = true;
      return;
    }
    // Logs: milestones, and calls made since the last line once it is PIPED_EVERY_MS old.
    const t = this.now();
    const { calls } = this.s;
    if (milestone || (calls > this.pipedCalls && t - this.pipedAt >= PIPED_EVERY_MS)) {
      this.pipedAt = t;
      this.pipedCalls = calls;
      this.out.write(`${this.line()}\n`);
    }
  }
}
