/**
 * Every model call of a run goes through `CallGateway.call`: a deterministic key from role, model,
 * request and sample index; a cache hit (from this run or a resumed checkpoint) is returned without
 * touching the model or the usage counters; otherwise the call runs, usage is recorded, and the
 * result is cached. This is what makes resume cheap and runs reproducible.
 *
 * Faults are counted here too, per call (so the counts hold when calls run concurrently): every failed
 * attempt the adapter reports (or, for adapters that report none, every error a call ends with) lands in
 * `stats.endpointErrors` by kind, every repeat in `stats.retries`, and each retry is announced as a
 * 'call-retry' event while the run waits for it. Outages of the endpoint the calls waited for are kept in
 * `stats.outages` (see OutageLog). Cache hits never touch the model, so a resume counts nothing twice.
 *
 * A resume replays from the start: it asks again for every call its checkpoint holds, and the checkpoint's
 * counters already count those calls and the hits on them. So a key the cache held when the gateway was made
 * is served its first 1 + `hits[key]` times without a count or a 'usage' event; a hit beyond those is a request
 * asked again in this session, counted as any. The counters then end where an uninterrupted run's do.
 */
import type {
  AttemptFailure,
  ChatModel,
  ChatRequest,
  ChatResult,
  CompletionRequest,
  OutageInfo,
} from '../contracts/chat-model';
import { AppError, ErrorName, isAbort, isNamed, serializeError } from '../contracts/errors';
import { faultKind } from './fault-summary';
import { copyPromptReads, notePromptRead } from './prompt-reads';
import { OutageLog, copyOutages } from './outage-log';
import { EmptyReplyWatch, copyEmptyReplies, type Asked } from './empty-replies';
import { hashKey } from '../data/random';
import type { BudgetTracker } from './budget';
import type { Role } from '../contracts/run-config';
import type { RoleStats, RunEvent, RunStats } from '../contracts/run-events';
import { ROLES } from '../contracts/run-config';

export type GatewayEvent = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'at'> : never) : never;

export interface CallOptions {
  /** Distinguishes repeated samples of the same request (engines without native n). */
  sample?: number;
  /** Use `complete()` with `prompt` instead of chat. */
  completion?: boolean;
  /**
   * Made ahead of need, while other work runs (parallel calls only): counted as a call when made; its
   * first real use is not counted again as a cache hit, so counts match a run that made it on demand.
   */
  ahead?: boolean;
}

export function emptyRoleStats(): RoleStats {
  return { calls: 0, promptTokens: 0, generatedTokens: 0 };
}

export function emptyStats(): RunStats {
  return {
    calls: 0,
    promptTokens: 0,
    generatedTokens: 0,
    perRole: Object.fromEntries(ROLES.map((r) => [r, emptyRoleStats()])) as Record<Role, RoleStats>,
    elapsedMs: 0,
    parseFailures: 0,
    cachedCalls: 0,
  };
}

/** A count from a checkpoint's `hits` (a file edited by hand may hold anything there): 0 unless a whole number. */
function countOf(n: unknown): number {
  return Number.isInteger(n) && (n as number) > 0 ? (n as number) : 0;
}

/** A checkpoint's `hits` as the gateway keeps them: whole counts only, junk left out. */
export function copyHits(hits: unknown): Record<string, number> {
  if (typeof hits !== 'object' || hits === null || Array.isArray(hits)) return {};
  return Object.fromEntries(Object.entries(hits).filter(([, n]) => countOf(n) > 0));
}

/** The cache key: only fields that change the output (no signal, no stream callback). */
export function callKey(
  role: Role,
  modelId: string,
  req: ChatRequest | CompletionRequest,
  opts: CallOptions = {},
): string {
  const body = 'messages' in req ? req.messages : (req as CompletionRequest).prompt;
  const parts = JSON.stringify([
    body,
    req.temperature,
    req.top_p,
    req.max_tokens,
    req.stop,
    req.seed,
    req.n,
    'json' in req ? req.json?.name : undefined,
    req.logprobs,
    req.top_logprobs,
    opts.completion ? 1 : 0,
    opts.sample ?? 0,
  ]);
  return `${role}:${modelId}:${hashKey(parts)}`;
}

/** The role and model id a cache key was made for (model ids may hold ':'; the hash never does). */
export function callKeyModel(key: string): { role: string; modelId: string } {
  const first = key.indexOf(':');
  return { role: key.slice(0, first), modelId: key.slice(first + 1, key.lastIndexOf(':')) };
}

/**
 * The roles whose model answered in earlier sessions of a run (or an evaluation): the cache holds a reply made
 * under the role by the model bound to it now (it keeps answers only, never failures).
 */
export function rolesAnswered(
  cache: Record<string, unknown>,
  roles: Partial<Record<Role, { modelId: string } | undefined>>,
): Role[] {
  const found = new Set<string>();
  for (const key of Object.keys(cache)) {
    const { role, modelId } = callKeyModel(key);
    if (roles[role as Role]?.modelId === modelId) found.add(role);
  }
  return ROLES.filter((r) => found.has(r));
}

export interface GatewayOptions {
  models: Record<Role, ChatModel>;
  /** Finished calls by key, filled as calls finish. Those it holds from the start (a checkpoint's) are in `stats`. */
  cache: Record<string, unknown>;
  stats: RunStats;
  /**
   * Cache hits counted in `stats.cachedCalls`, by key, updated in place (a checkpoint keeps a copy with its
   * cache). Absent: none yet, and a key restored with the cache replays once.
   */
  hits?: Record<string, number>;
  budget: BudgetTracker;
  signal?: AbortSignal;
  emit: (event: GatewayEvent) => Promise<void>;
  /** Refreshes stats.elapsedMs before budget checks. */
  tick: () => void;
  /**
   * Empty replies in a row (from a role that gave text before) that stop every call with EmptyReplies (see
   * EmptyReplyWatch); unset: empty replies are only counted.
   */
  emptyStreak?: number;
}

export class CallGateway {
  /** Wall time spent inside model calls (for the core-overhead benchmark). */
  modelMs = 0;
  /** Calls started and not yet finished, by key: joined by identical requests, counted against the call budget. */
  private readonly pending = new Map<string, Promise<ChatResult>>();
  /** Results made ahead of need whose first use is still to come. */
  private readonly aheadKeys = new Set<string>();
  /**
   * The endpoint stopped answering: a call failed for good with a fault of the endpoint itself (timeout,
   * network, server). The run cannot go on, so every call in flight or waiting for a slot stops with the
   * same error instead of spending its own retries on a dead endpoint. (Objects, so `ahead()` views share them.)
   */
  private readonly down: { error?: unknown } = {};
  private readonly downCtrl = new AbortController();
  private readonly outages: OutageLog;
  /**
   * The roles are served from more than one endpoint (the page can bind the judge to another server than the
   * policy): outages are then recorded with their endpoint's host, so the faults can say which one was down.
   */
  private readonly namesEndpoints: boolean;
  /** Empty replies: counted, and a role that turned to them stops the run (see GatewayOptions.emptyStreak). */
  readonly emptyReplies: EmptyReplyWatch;
  /** Uses of restored keys still to replay uncounted, by key (see the file's comment). */
  private readonly replays: Map<string, number>;
  private readonly hits: Record<string, number>;
  /** Model calls started and not yet counted in `stats.calls` (for each call's number, see Asked). */
  private uncounted = 0;
  constructor(private readonly o: GatewayOptions) {
    this.outages = new OutageLog(o.stats);
    this.emptyReplies = new EmptyReplyWatch(o.stats, o.emptyStreak, (role) =>
      o.models[role]?.endpoint !== undefined ? 'endpoint' : 'model',
    );
    this.hits = o.hits ?? {};
    this.replays = new Map(Object.keys(o.cache).map((key) => [key, 1 + countOf(this.hits[key])]));
    this.namesEndpoints = new Set(ROLES.map((r) => o.models[r]?.endpoint).filter((e) => e !== undefined)).size > 1;
  }

  checkAbort(): void {
    if (this.o.signal?.aborted) throw new AppError(ErrorName.Abort, 'The run was cancelled.');
  }

  async call(role: Role, req: ChatRequest | CompletionRequest, opts: CallOptions = {}): Promise<ChatResult> {
    const model = this.o.models[role];
    req = fitContext(req, model.capabilities.contextWindow);
    const key = callKey(role, model.id, req, opts);
    const { stats } = this.o;
    // An identical request already in flight (two candidates wrote the same answer) is joined, as a
    // finished one would be served from the cache: the count of calls never depends on timing.
    // No await may sit between this lookup and `pending.set` below, or two twins could both miss.
    const cached = this.o.cache[key] as ChatResult | undefined;
    const twin = cached ? undefined : this.pending.get(key);
    const hit = cached ?? (twin ? await twin.catch(() => undefined) : undefined);
    // The twin failed: look again (its entry is gone), so the joiners make one new call between them.
    if (twin && !hit) return this.call(role, req, opts);
    if (hit) this.noteReply(role, key, hit);
    if (hit && (opts.ahead || this.aheadKeys.delete(key))) return hit;
    if (hit && this.replay(key)) return hit;
    if (hit) {
      stats.cachedCalls++;
      this.hits[key] = countOf(this.hits[key]) + 1;
      await this.o.emit({ type: 'usage', role, usage: hit.usage, cached: true, stats: snapshot(stats) });
      return hit;
    }
    this.checkAbort();
    if ('error' in this.down) throw this.down.error;
    this.o.tick();
    this.o.budget.check(stats, this.pending.size);
    const asked = this.asked();
    const call = this.callModel(role, model, req, opts, key, asked);
    this.pending.set(key, call);
    if (opts.ahead) this.aheadKeys.add(key);
    try {
      return await call;
    } catch (err) {
      this.aheadKeys.delete(key);
      throw err;
    } finally {
      if (this.pending.get(key) === call) this.pending.delete(key);
      this.counted(asked);
    }
  }

  /** A model call starts: when it was asked for, for the empty-reply watch (see Asked). */
  private asked(): Asked & { open?: boolean } {
    this.uncounted++;
    return { seq: this.emptyReplies.seq, call: this.o.stats.calls + this.uncounted, open: true };
  }

  /** A model call was counted in `stats.calls`, or failed (once per call, whichever comes first). */
  private counted(asked: { open?: boolean }): void {
    if (!asked.open) return;
    asked.open = false;
    this.uncounted--;
  }

  /**
   * Notes a reply with the empty-reply watch. A role that turned to empty replies stops the run as a dead endpoint
   * does (every call in flight or waiting stops with the same error), and its empty replies leave the cache, so
   * a resume once the endpoint is fixed asks them again instead of replaying them.
   */
  private noteReply(role: Role, key: string, reply: ChatResult, asked?: Asked): void {
    const err = this.emptyReplies.note(role, key, reply, asked !== undefined, asked);
    if (!err) return;
    this.emptyReplies.retract(this.o.cache, this.hits);
    if (!('error' in this.down)) {
      this.down.error = err;
      this.downCtrl.abort();
    }
    throw this.down.error;
  }

  /** Whether this use of `key` replays one the restored counters already hold (and uses it up). */
  private replay(key: string): boolean {
    const left = this.replays.get(key);
    if (!left) return false;
    if (left > 1) this.replays.set(key, left - 1);
    else this.replays.delete(key);
    return true;
  }

  /** This gateway with every call marked `ahead` (see CallOptions). */
  ahead(): CallGateway {
    const g = Object.create(this) as CallGateway;
    g.call = (role, req, opts = {}) => this.call(role, req, { ...opts, ahead: true });
    return g;
  }

  private async callModel(
    role: Role,
    model: ChatModel,
    req: ChatRequest | CompletionRequest,
    opts: CallOptions,
    key: string,
    asked: Asked & { open?: boolean },
  ): Promise<ChatResult> {
    const { stats } = this.o;
    const t0 = performance.now();
    let result: ChatResult;
    // Errors the adapter already reported through onAttemptFailed (they are thrown as the same object).
    const reported = new Set<unknown>();
    const endpoint = this.namesEndpoints ? model.endpoint : undefined;
    const attempts = new AttemptTally(stats, this.outages, endpoint);
    const onAttemptFailed = (f: AttemptFailure): void => {
      reported.add(f.error);
      attempts.failed(f);
      if (f.retryInMs === null) return;
      // Announced while the adapter waits; the listener sees it before the retry starts.
      this.o
        .emit(retryEvent(role, f.error, f.attempt, f.attempts, f.retryInMs, f.outage, endpoint))
        .catch(() => undefined);
    };
    const signal = this.o.signal ? AbortSignal.any([this.o.signal, this.downCtrl.signal]) : this.downCtrl.signal;
    const withSignal = { ...req, signal, onAttemptFailed };
    if (opts.completion && !model.complete) {
      throw new AppError(ErrorName.InvalidInput, `The model ${model.id} does not support raw completions.`);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        result = opts.completion
          ? await model.complete!(withSignal as CompletionRequest)
          : await model.chat(withSignal as ChatRequest);
        break;
      } catch (err) {
        if ('error' in this.down) throw this.down.error;
        if (isAbort(err) || this.o.signal?.aborted) throw err;
        if (!reported.has(err)) countFault(stats, err);
        // Adapters retry what they safely can; a timed-out or unreadable reply is worth asking again here.
        if (attempt >= TRANSIENT_RETRIES || !isTransient(err)) {
          if (ENDPOINT_DOWN.some((name) => isNamed(err, name)) && !('error' in this.down)) {
            this.down.error = err;
            this.downCtrl.abort();
          }
          throw err;
        }
        stats.retries = (stats.retries ?? 0) + 1;
        await this.o.emit(retryEvent(role, err, attempt + 1, TRANSIENT_RETRIES + 1, 0, undefined, endpoint));
      }
    }
    attempts.through();
    this.modelMs += performance.now() - t0;
    this.checkAbort();
    const stored: ChatResult = { model: result.model, choices: result.choices, usage: result.usage };
    this.o.cache[key] = stored;
    const u = result.usage;
    const prompt = u?.prompt_tokens ?? 0;
    notePromptRead(stats, role, req, prompt);
    const gen = u?.completion_tokens ?? 0;
    stats.calls++;
    this.counted(asked);
    stats.promptTokens += prompt;
    stats.generatedTokens += gen;
    const r = stats.perRole[role];
    r.calls++;
    r.promptTokens += prompt;
    r.generatedTokens += gen;
    if (u?.decode_tokens_per_s) stats.decodeTokensPerS = u.decode_tokens_per_s;
    this.o.tick();
    await this.o.emit({ type: 'usage', role, usage: u, cached: false, stats: snapshot(stats) });
    for (const w of this.o.budget.warnings(stats)) await this.o.emit({ type: 'budget-warning', ...w });
    this.noteReply(role, key, stored, asked);
    return stored;
  }
}

function retryEvent(
  role: Role,
  err: unknown,
  attempt: number,
  attempts: number,
  retryInMs: number,
  outage?: OutageInfo,
  endpoint?: string,
): GatewayEvent {
  const e = { type: 'call-retry' as const, role, error: serializeError(err), attempt, attempts, retryInMs };
  return { ...e, ...(outage ? { outage } : {}), ...(endpoint !== undefined ? { endpoint } : {}) };
}

/**
 * What one request's failed attempts leave in a run's stats: each fault by kind, each retry, and the outages it
 * waited for (over once the request gets through). The gateway keeps one per call; the CLI one for a resumed
 * run's model listing, which is that run's first request.
 */
export class AttemptTally {
  /** The outage the request last waited for (when it began): over once it gets through, or meets a later one. */
  private waitedFor: number | undefined;

  constructor(
    private readonly stats: RunStats,
    private readonly outages: OutageLog,
    /** The endpoint's host where a run has more than one (see OutageLog). */
    private readonly endpoint?: string,
  ) {}

  failed(f: AttemptFailure): void {
    countFault(this.stats, f.error);
    if (f.retryInMs !== null) this.stats.retries = (this.stats.retries ?? 0) + 1;
    if (!f.outage) return;
    if (this.waitedFor !== undefined && this.waitedFor !== f.outage.since)
      this.outages.over(this.waitedFor, this.endpoint);
    this.waitedFor = f.outage.since;
    this.outages.failed(f.outage, f.retryInMs, this.endpoint);
  }

  /** The request got its answer: the outage it waited for is over. */
  through(): void {
    if (this.waitedFor !== undefined) this.outages.over(this.waitedFor, this.endpoint);
  }
}

/** Counts an endpoint fault by its kind in `stats.endpointErrors` (not an endpoint fault: nothing). */
function countFault(stats: RunStats, err: unknown): void {
  const kind = faultKind(err);
  if (!kind) return;
  const counts = (stats.endpointErrors ??= {});
  counts[kind] = (counts[kind] ?? 0) + 1;
}

/** Extra attempts the gateway makes after a transient failure the adapter did not retry itself. */
export const TRANSIENT_RETRIES = 2;

/**
 * Failures that mean the endpoint (or device) is not answering at all, after every retry: for an endpoint that
 * answered before, only once its outage grace is over (the adapter waits out a short outage, see OutageWatch).
 */
const ENDPOINT_DOWN = [
  ErrorName.Timeout,
  ErrorName.Network,
  ErrorName.Cors,
  ErrorName.Auth,
  ErrorName.ServerError,
  ErrorName.EndpointDown,
  ErrorName.RateLimit,
  ErrorName.DeviceLost,
] as const;

function isTransient(err: unknown): boolean {
  return isNamed(err, ErrorName.Timeout) || isNamed(err, ErrorName.BadResponse) || isNamed(err, ErrorName.StreamCut);
}

/** Characters per token assumed when guarding the context window (conservative for English). */
export const CHARS_PER_TOKEN_GUARD = 3.2;
export const MIN_COMPLETION_TOKENS = 64;

/**
 * Small in-browser models have 2–4k token windows: shrink max_tokens so prompt + completion fit,
 * instead of failing mid-run. A prompt that cannot fit at all is left to the adapter's clear error.
 */
export function fitContext<T extends ChatRequest | CompletionRequest>(req: T, contextWindow: number): T {
  if (!contextWindow || contextWindow <= 0 || req.max_tokens === undefined) return req;
  const chars = 'messages' in req ? req.messages.reduce((a, m) => a + m.content.length + 8, 0) : req.prompt.length;
  const room = contextWindow - Math.ceil(chars / CHARS_PER_TOKEN_GUARD) - 16;
  if (req.max_tokens <= room) return req;
  return { ...req, max_tokens: Math.max(MIN_COMPLETION_TOKENS, room) };
}

/** A shallow copy small enough to emit per call (no cache inside). */
export function snapshot(stats: RunStats): RunStats {
  const perRole = {} as Record<Role, RoleStats>;
  for (const role of ROLES) perRole[role] = { ...stats.perRole[role] };
  const out: RunStats = { ...stats, perRole };
  if (stats.endpointErrors) out.endpointErrors = { ...stats.endpointErrors };
  if (stats.promptReads) out.promptReads = copyPromptReads(stats.promptReads);
  if (stats.outages) out.outages = copyOutages(stats.outages);
  const empty = copyEmptyReplies(stats.emptyReplies);
  if (empty) out.emptyReplies = empty;
  else delete out.emptyReplies;
  return out;
}
