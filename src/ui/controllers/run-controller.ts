/**
 * Drives one run from the page: start/resume through the worker client, pause, cancel, and the
 * fold of batched RunEvents into a RunViewModel.
 *
 * A `RunSession` lives in a module registry keyed by run id, not in the element: navigating away
 * from #/live and back must re-attach to the run that is still going in the worker instead of
 * losing its events. `RunController` is the thin ReactiveController a view uses to follow one.
 * Events are queued and folded once per animation frame, so a burst of worker batches costs one
 * fold and one host update.
 *
 * One run, one driver (run-ownership.ts): `start()` takes the run's lock first and holds it until the run
 * stops. A run another tab drives is `heldElsewhere`: never started here, followed read-only from the
 * store's change notifications, and offered for resuming only once its lock is free again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WorkerClient } from '../../client/worker-client';
import type { AlignmentRecord, Saved, Store, RunPatch, RunRecord, SavedEndpoint } from '../../store/store';
import { AppError, ErrorName, isAbort, serializeError } from '../../core/contracts/errors';
import { STARTING_MESSAGE } from '../helpers/error-messages';
import { sameServer } from '../../core/formats/base-url';
import type { SerializedError } from '../../core/contracts/errors';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import type { RunConfig } from '../../core/contracts/run-config';
import { endpointIdsOf } from '../../core/contracts/run-config';
import type { RunEvent } from '../../core/contracts/run-events';
import { isFinished, isResumable } from '../../core/contracts/run-status';
import {
  STATUS_WORDS,
  applyEvents,
  createRunViewModel,
  mergeNodes,
  remainingCalls,
  restarted,
  withStatus,
} from '../view-models/run/run-view-model';
import { announceSession, findSession, registerSession, type SessionNotice } from './run-sessions';
import { acquireRun, runOwners } from './run-ownership';
import { endpointConfigOf } from '../../core/contracts/endpoint-config';
import type { RunViewModel } from '../view-models/run/run-view-model';

export { resetRunSessions } from './run-sessions';

export type RunClientPort = Pick<WorkerClient, 'startRun' | 'cancel'> &
  Partial<Pick<WorkerClient, 'newJobId' | 'setEndpoint' | 'hasEndpoint'>>;
export type RunStorePort = Pick<Store, 'getRun' | 'getEvents' | 'getNodes' | 'getCheckpoint' | 'updateRun'> &
  Partial<Pick<Store, 'appendEvents' | 'persistent' | 'listEndpoints' | 'onChange' | 'saveAlignment'>>;

/** While following a run another tab drives: how often to re-read it (runOwners tells when its lock is free). */
const FOLLOW_REFRESH_MS = 500;

export type SessionPhase = 'idle' | 'loading' | 'ready' | 'missing' | 'running' | 'pausing' | 'cancelling';

/**
 * How long a fold waits for its frame before a timer does it: rAF does not fire in hidden tabs, and a tab
 * hidden after the frame was asked for (the user switched tabs) would otherwise fold nothing, and keep its
 * title's progress where it was, until it is shown again.
 */
const FOLD_FALLBACK_MS = 250;

const schedule: (cb: () => void) => void = (cb) => {
  if (typeof requestAnimationFrame !== 'function' || (typeof document !== 'undefined' && document.hidden)) {
    // Hidden: no frame will come (the run keeps going in the worker, and so does the fold).
    setTimeout(cb, 100);
    return;
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    cb();
  };
  const timer = setTimeout(once, FOLD_FALLBACK_MS);
  requestAnimationFrame(once);
};

export class RunSession implements SessionNotice {
  vm: RunViewModel;
  phase: SessionPhase = 'idle';
  record: RunRecord | null = null;
  /** Why the last start/load failed, for the view to put into words. */
  error: SerializedError | null = null;
  /** The stored run said "running" but nothing runs it in this page: the tab was closed or reloaded. */
  interrupted = false;
  /**
   * The result, saved as an alignment when the run ended (null until then, or if saving failed); `nameTaken`:
   * its name was numbered (a saved alignment had the run's name), which the Result view says with why.
   */
  savedAlignment: Saved<AlignmentRecord> | null = null;
  /** Another tab drives this run: this one follows it read-only until that tab lets go. */
  heldElsewhere = false;
  private unfollow: (() => void) | null = null;
  private jobId: string | null = null;
  private pending: RunEvent[] = [];
  private pageWrites: Promise<void> = Promise.resolve();
  private scheduled = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly runId: string,
    public client: RunClientPort | undefined,
    public store: RunStorePort | undefined,
  ) {
    this.vm = createRunViewModel(runId);
  }

  /**
   * Following another tab's run costs timers and store reads, so it happens only while someone listens:
   * the last listener leaving stops it (the session itself stays in the registry), and the next one
   * resumes it with a fresh read.
   */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    this.watchDeletion();
    if (this.heldElsewhere && !this.running) this.follow(true);
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) {
        this.stopFollowing();
        this.unwatchDeletion?.();
        this.unwatchDeletion = null;
      }
    };
  }

  private unwatchDeletion: (() => void) | null = null;

  /**
   * The one store subscription, only while someone listens: a change of this run marks it for the follower
   * (another tab drives it), or else is checked for a deletion, so a view open on a run that another tab
   * (or History here) deletes says "Run not found" at once instead of offering a Resume into nothing.
   */
  private watchDeletion(): void {
    const store = this.store;
    if (this.unwatchDeletion || !store?.onChange) return;
    this.unwatchDeletion =
      store.onChange((c) => {
        if (c.kind !== 'runs' || c.runId !== this.runId || this.running || this.phase === 'missing') return;
        if (this.unfollow) {
          this.followDirty = true;
          return;
        }
        void store
          .getRun(this.runId)
          .then((record) => {
            if (!record && !this.running) this.gone();
          })
          .catch(() => undefined);
      }) ?? null;
  }

  get running(): boolean {
    return this.phase === 'running' || this.phase === 'pausing' || this.phase === 'cancelling';
  }

  percentDone(): number | null {
    const calls = this.vm.stats?.calls ?? 0;
    const config = this.record?.config;
    if (!config || calls === 0) return null;
    const left = remainingCalls(this.vm, config).likely;
    return Math.min(99, Math.floor((100 * calls) / (calls + left)));
  }

  statusWords(): string {
    return STATUS_WORDS[this.vm.status];
  }

  /** Resume is offered for a stored run that has not reached a final state (failed runs resume too). */
  get canResume(): boolean {
    if (this.running || !this.record || this.heldElsewhere) return false;
    // Nothing was judged: a resume would replay the same unusable replies from the checkpoint.
    if (this.vm.error?.name === ErrorName.NothingScored) return false;
    return isResumable(this.vm.status);
  }

  /** Loads the stored record, events and nodes (what survives a reload). Safe to call again. */
  async load(): Promise<void> {
    if (this.running || !this.store) return;
    this.phase = 'loading';
    this.notify();
    try {
      if (!(await this.readStored())) {
        this.phase = 'missing';
        return;
      }
      await runOwners.refresh();
      this.setHeldElsewhere(runOwners.ownerOf(this.runId) === 'elsewhere');
      this.phase = 'ready';
    } catch (err) {
      this.error = serializeError(err);
      this.phase = 'ready';
    } finally {
      this.notify();
    }
  }

  /**
   * Reads the stored record, events and nodes into the view model; false when the run is not stored.
   * The stored events already rebuild every node a live run wrote (store getEvents); only nodes stored
   * without an event (an imported file whose log lacks them) need a read of their own, which the
   * record's node count tells.
   */
  private async readStored(): Promise<boolean> {
    const store = this.store!;
    const record = await store.getRun(this.runId);
    if (!record) return false;
    this.record = record;
    const previous = this.vm;
    let vm = applyEvents(createRunViewModel(this.runId, record.config.budget), await store.getEvents(this.runId));
    if (vm.nodes.size < (record.progress?.nodes ?? Infinity)) vm = mergeNodes(vm, await store.getNodes(this.runId));
    // The record is the authority on status (events may stop short of a crash).
    if (vm.status !== record.status) vm = withStatus(vm, record.status, record.error ?? vm.error);
    if (!vm.best && record.best) vm = { ...vm, best: record.best };
    if (!vm.reached && record.reached) vm = { ...vm, reached: record.reached };
    if (!vm.stats && record.stats) vm = { ...vm, stats: record.stats };
    // A fresh fold starts its version over; caches keyed on it (fault summary, node list) must see a new one.
    this.vm = { ...vm, version: Math.max(vm.version, previous.version + 1) };
    return true;
  }

  /** Follows the run while another tab drives it; when it lets go, a run left "running" was interrupted. */
  private setHeldElsewhere(held: boolean): void {
    this.heldElsewhere = held;
    this.interrupted = !held && this.record?.status === 'running';
    if (held) this.follow(false);
    else this.stopFollowing();
  }

  /** `stale`: the run went unwatched for a while (no listener): read it and its owner again at once. */
  private follow(stale: boolean): void {
    if (this.unfollow || !this.store || this.listeners.size === 0) return;
    let refreshing = false;
    // Set by the one store watch (watchStore) on a change of this run; read at most every FOLLOW_REFRESH_MS.
    this.followDirty = stale;
    const refresh = async () => {
      if (refreshing || this.running) return;
      refreshing = true;
      this.followDirty = false;
      try {
        if (!(await this.readStored())) this.gone();
        else this.notify();
      } catch {
        // The next change or check tries again.
      } finally {
        refreshing = false;
      }
    };
    const tick = setInterval(() => {
      if (this.followDirty) void refresh();
    }, FOLLOW_REFRESH_MS);
    let letGo = false;
    const checkOwner = async () => {
      if (letGo || runOwners.ownerOf(this.runId) === 'elsewhere' || this.running || !this.heldElsewhere) return;
      letGo = true;
      // The owner let go (finished, or its tab closed): read the final state before offering Resume. A
      // read of its own: a refresh already in flight may have started before the owner's last write.
      await this.readStored().catch(() => undefined);
      this.setHeldElsewhere(false);
      this.notify();
    };
    // Its first call follows a fresh answer: a run unwatched for a while may have been let go meanwhile.
    const offOwners = runOwners.subscribe(() => void checkOwner());
    this.unfollow = () => {
      offOwners();
      clearInterval(tick);
    };
  }

  /** A change of this run was announced while following it. */
  private followDirty = false;

  /** The run is no longer stored: the view says "Run not found" and offers nothing to resume. */
  private gone(): void {
    this.record = null;
    this.phase = 'missing';
    this.stopFollowing();
    this.notify();
  }

  private stopFollowing(): void {
    this.unfollow?.();
    this.unfollow = null;
  }

  /** Starts a fresh run or resumes from the stored checkpoint. Resolves when the run stops. */
  async start(): Promise<void> {
    if (this.running) return;
    if (!this.client || !this.store) {
      this.error = { name: ErrorName.Starting, message: STARTING_MESSAGE };
      this.notify();
      return;
    }
    this.error = null;
    this.phase = 'running';
    // Its silence is counted from this press, not from the last word of the session that stopped.
    this.vm = restarted(this.vm, Date.now());
    this.notify();
    // Only the tab holding the run's lock drives it; another tab keeps following it.
    const lease = await acquireRun(this.runId).catch(() => ({ release: () => undefined }));
    if (!lease) {
      this.phase = 'ready';
      this.setHeldElsewhere(true);
      this.notify();
      return;
    }
    this.setHeldElsewhere(false);
    this.interrupted = false;
    // The worker uses the job id as the run id (its sink writes nodes under it), so they must match.
    const jobId = this.runId;
    this.jobId = jobId;
    try {
      // Read again, not from memory: another tab may have deleted the run since this view loaded it, and a
      // resume would then run it from scratch into a record nobody can see.
      this.record = (await this.store.getRun(this.runId)) ?? null;
      if (!this.record) throw new AppError(ErrorName.Gone, 'This run is no longer stored.');
      if (this.vm.budget !== this.record.config.budget) this.vm = { ...this.vm, budget: this.record.config.budget };
      const saved = (await this.store.listEndpoints?.().catch(() => [])) ?? [];
      const endpointUrls = this.checkEndpointUrls(this.record, saved);
      await this.restoreEndpoints(this.record.config, saved);
      const checkpoint = (await this.store.getCheckpoint(this.runId)) ?? null;
      // Mark it running so a reload or History can tell an interrupted run from one never started.
      await this.persist({ status: 'running', error: undefined, ...(endpointUrls ? { endpointUrls } : {}) });
      // Pause or Cancel pressed while the run was being read back: the worker has no job yet to stop, so
      // starting it now would run on with the page showing "Pausing…" and no way to stop it.
      if (this.phase !== 'running') throw new AppError(ErrorName.Abort, 'Stopped before it started.');
      const result = await this.client.startRun(jobId, this.record.config, checkpoint, (events) => {
        this.enqueue(events);
        this.keepInPage(events);
      });
      await this.pageWrites;
      this.flush();
      if (this.vm.status !== result.status) this.vm = withStatus(this.vm, result.status);
      if (result.best && !this.vm.best) this.vm = { ...this.vm, best: result.best };
      if (result.artifact && !this.vm.artifact) this.vm = { ...this.vm, artifact: result.artifact };
      // The worker persists as it goes; this makes sure the record ends in the final state even
      // if its last write raced the end of the job (History and reloads read the record).
      await this.persist({
        status: result.status,
        best: result.best ?? this.vm.best,
        stats: result.stats,
        ...(result.artifact ? { artifact: result.artifact, stage: 'done' as const } : {}),
      });
      // A paused (or failed, resumable) run's alignment is its best so far, not a result: saving it at every
      // stop filled the library with look-alike copies under the run's name. It is saved once the run is over.
      if (result.artifact && isFinished(result.status) && !isResumable(result.status))
        await this.saveResult(result.artifact);
    } catch (err) {
      this.flush();
      if (isAbort(err)) {
        const status = (this.phase as SessionPhase) === 'pausing' ? 'paused' : 'cancelled';
        this.vm = withStatus(this.vm, status);
        await this.persist({ status });
      } else if (!this.record) {
        // Deleted meanwhile: nothing to mark; the view says the run is not found.
      } else {
        this.error = serializeError(err);
        this.vm = withStatus(this.vm, 'failed', this.error);
        // Keep what was stored; only mark the record so History shows it can be resumed.
        await this.persist({ status: 'failed', error: this.error });
      }
    } finally {
      if (this.jobId === jobId) this.jobId = null;
      this.phase = this.record ? 'ready' : 'missing';
      lease.release();
      this.notify();
    }
  }

  /**
   * After a reload the new worker knows no endpoints, so resuming would fail with "not configured".
   * Re-register the ones this run uses from the remembered endpoints (with their key only if the user
   * chose to remember it); an endpoint this page already set up keeps its in-memory key.
   */
  private async restoreEndpoints(config: RunConfig, saved: readonly SavedEndpoint[]): Promise<void> {
    const { client } = this;
    if (!client?.setEndpoint || !client.hasEndpoint) return;
    for (const id of endpointIdsOf(config.roles)) {
      if (client.hasEndpoint(id)) continue;
      const e = saved.find((x) => x.id === id);
      if (!e) continue; // The worker's own "not configured" error explains it.
      await client.setEndpoint(endpointConfigOf(e));
    }
  }

  /**
   * The page keeps one endpoint id while its base URL changes, so a run started on one server would resume on
   * another, sending it model names it may not serve, or mixing two servers in one run. Refuses that, naming
   * both URLs; returns the URLs to record when the run has none yet (its first start, or an older record).
   */
  private checkEndpointUrls(record: RunRecord, saved: readonly SavedEndpoint[]): Record<string, string> | null {
    const now: Record<string, string> = {};
    for (const id of endpointIdsOf(record.config.roles)) {
      const url = saved.find((e) => e.id === id)?.baseUrl;
      if (url) now[id] = url;
    }
    const before = record.endpointUrls;
    if (!before) return Object.keys(now).length ? now : null;
    for (const [id, url] of Object.entries(before)) {
      if (now[id] !== undefined && !sameServer(now[id], url))
        throw new AppError(
          ErrorName.InvalidInput,
          `This run was started on ${url}, but the endpoint on the Setup page now points at ${now[id]}. To go on with it, set the Base URL back to ${url} and test the connection; to use the new server, start a new run.`,
        );
    }
    return null;
  }

  /**
   * The result is an alignment the moment the run ends: saved under the run's name, so Playground and
   * Evaluate offer it at once. Saving the same content again (Result → Save) finds this record.
   */
  private async saveResult(artifact: AlignmentArtifact): Promise<void> {
    if (!this.store?.saveAlignment) return;
    const name = this.record?.name || artifact.name || 'DRPO result';
    try {
      this.savedAlignment = await this.store.saveAlignment({ name, artifact, source: 'run', runId: this.runId });
    } catch {
      // The Result view still offers Save (and says why it failed then); the run's record keeps the artifact.
    }
  }

  pause(): Promise<void> {
    return this.stop('pause');
  }

  cancel(): Promise<void> {
    return this.stop('cancel');
  }

  private async stop(mode: 'pause' | 'cancel'): Promise<void> {
    if (!this.client || this.phase !== 'running') return;
    this.phase = mode === 'pause' ? 'pausing' : 'cancelling';
    this.notify();
    // Before start() has a job id (it is still taking the run's lock) there is nothing to tell the worker; while
    // start() reads the run back, the worker has no job yet and ignores the cancel. Either way start() sees the
    // phase and does not start the job.
    if (!this.jobId) return;
    try {
      await this.client.cancel(this.jobId, mode);
    } catch (err) {
      this.error = serializeError(err);
      this.phase = 'running';
      this.notify();
    }
  }

  private async persist(patch: RunPatch): Promise<void> {
    try {
      const stored = await this.store?.updateRun(this.runId, patch);
      // The record as it is now: History may have renamed the run while it went, and its result is saved under
      // the run's name (saveResult), not the one it had when it started.
      if (stored && this.record) this.record = stored;
    } catch {
      // Storage trouble must not hide the run's outcome, which the view shows from memory.
    }
  }

  /** Called from the worker with a batch of events; folding waits for the next frame. */
  /**
   * Without IndexedDB (private mode) the worker's store is a memory store this page cannot see, so
   * the worker keeps nothing and the page's own (memory) store records the run for this session.
   */
  private keepInPage(events: readonly RunEvent[]): void {
    const store = this.store;
    if (store?.persistent !== false || !store.appendEvents) return;
    const batch = [...events];
    this.pageWrites = this.pageWrites.then(() => store.appendEvents!(this.runId, batch)).catch(() => undefined);
  }

  enqueue(events: readonly RunEvent[]): void {
    for (const e of events) this.pending.push(e);
    if (this.scheduled) return;
    this.scheduled = true;
    schedule(() => this.flush());
  }

  /** Folds queued events now (also used at the end of a run so nothing is left behind). */
  flush(): void {
    this.scheduled = false;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.vm = applyEvents(this.vm, batch);
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
    announceSession(this);
  }
}

/** The one session for a run id; refreshes its client/store when the page provides new ones. */
export function getRunSession(runId: string, client?: RunClientPort, store?: RunStorePort): RunSession {
  let s = findSession<RunSession>(runId);
  if (!s) {
    s = new RunSession(runId, client, store);
    registerSession(s);
  } else if (!s.running) {
    if (client) s.client = client;
    if (store) s.store = store;
  }
  return s;
}

/** Follows one run session from a Lit element; the host re-renders when the session changes. */
export class RunController implements ReactiveController {
  session: RunSession | null = null;
  private unsubscribe: (() => void) | null = null;
  private connected = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get vm(): RunViewModel | null {
    return this.session?.vm ?? null;
  }

  /** Points the controller at a run; loads it from the store the first time. */
  attach(runId: string, client?: RunClientPort, store?: RunStorePort): RunSession {
    const s = getRunSession(runId, client, store);
    if (s !== this.session) {
      this.unsubscribe?.();
      this.session = s;
      if (this.connected) this.unsubscribe = s.subscribe(() => this.host.requestUpdate());
    }
    if (s.phase === 'idle' && s.store) void s.load();
    this.host.requestUpdate();
    return s;
  }

  hostConnected(): void {
    this.connected = true;
    if (this.session && !this.unsubscribe) this.unsubscribe = this.session.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
