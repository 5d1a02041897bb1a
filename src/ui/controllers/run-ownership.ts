/**
 * One run, one driver. A tab driving a run holds the Web Lock `drpo-run:<run id>` for as long as the run
 * goes; another tab of the same browser profile cannot take the lock, so it follows the run read-only
 * and may take over only once the lock is free (the owner finished, or its tab closed or crashed: the
 * browser releases a dead tab's locks). Two tabs resuming the same run would pay for every call twice.
 *
 * Without Web Locks (a page served over plain http from another machine is not a secure context) the
 * tabs ask each other over a BroadcastChannel instead: weaker (a tab that hangs still answers nothing),
 * but it keeps two healthy tabs apart.
 *
 * Who drives a run is asked in one place, `runOwners` below: the Live view's session, the unfinished-runs
 * banner, History and Evaluate all read it, so they agree, and one poller (running only while one of them
 * listens) notices a tab that closed without writing anything.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { runningInThisPage } from './run-sessions';

export const RUN_LOCK_PREFIX = 'drpo-run:';

export interface RunLease {
  release(): void;
  /** Settles once the lock manager has let the lock go (after release()); absent where release is immediate. */
  readonly released?: Promise<void>;
}

export interface RunOwnership {
  /** Takes the run if no tab drives it; null when one does (this tab included). */
  tryAcquire(runId: string): Promise<RunLease | null>;
  /** Runs some tab of this browser profile drives right now (this tab included). */
  heldRunIds(): Promise<Set<string>>;
  /** Runs this tab drives. */
  readonly mine: ReadonlySet<string>;
}

export function webLockOwnership(locks: LockManager): RunOwnership {
  const mine = new Set<string>();
  return {
    mine,
    tryAcquire(runId) {
      return new Promise<RunLease | null>((resolve, reject) => {
        // The request settles once the lock is released (or was never granted).
        const request: Promise<unknown> = locks.request(`${RUN_LOCK_PREFIX}${runId}`, { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(null);
            return undefined;
          }
          // The lock is held until the callback's promise settles, i.e. until release().
          mine.add(runId);
          return new Promise<void>((release) =>
            resolve({
              release: () => {
                mine.delete(runId);
                release();
              },
              released: request.then(
                () => undefined,
                () => undefined,
              ),
            }),
          );
        });
        request.catch(reject);
      });
    },
    async heldRunIds() {
      const { held = [] } = await locks.query();
      return new Set(
        held.flatMap((l) => (l.name?.startsWith(RUN_LOCK_PREFIX) ? [l.name.slice(RUN_LOCK_PREFIX.length)] : [])),
      );
    },
  };
}

type Message = { type: 'who'; nonce: string } | { type: 'mine'; nonce: string; runIds: string[] };

/** How long a tab waits for the others to say which runs they drive. */
const ANSWER_MS = 150;

export function channelOwnership(name = 'drpo-run-owners'): RunOwnership {
  const mine = new Set<string>();
  const channel = new BroadcastChannel(name);
  const waiting = new Map<string, Set<string>>();
  channel.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    if (m.type === 'who') channel.postMessage({ type: 'mine', nonce: m.nonce, runIds: [...mine] } satisfies Message);
    else for (const id of m.runIds) waiting.get(m.nonce)?.add(id);
  };
  const ask = async (): Promise<Set<string>> => {
    const nonce = Math.random().toString(36).slice(2);
    const found = new Set<string>(mine);
    waiting.set(nonce, found);
    channel.postMessage({ type: 'who', nonce } satisfies Message);
    await new Promise((r) => setTimeout(r, ANSWER_MS));
    waiting.delete(nonce);
    return found;
  };
  return {
    mine,
    async tryAcquire(runId) {
      if ((await ask()).has(runId) || mine.has(runId)) return null;
      mine.add(runId);
      return { release: () => void mine.delete(runId) };
    },
    heldRunIds: ask,
  };
}

let current: RunOwnership | null = null;

/** The page's ownership: Web Locks where available, else the channel; no-op where neither exists. */
export function runOwnership(): RunOwnership {
  if (current) return current;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks) current = webLockOwnership(locks);
  else if (typeof BroadcastChannel !== 'undefined') current = channelOwnership();
  else {
    current = {
      mine: new Set(),
      tryAcquire: async () => ({ release: () => undefined }),
      heldRunIds: async () => new Set(),
    };
  }
  return current;
}

/** Test hook. */
export function setRunOwnership(o: RunOwnership | null): void {
  current = o;
  runOwners.forget();
}

/** Who drives a run right now: this page, another tab (it holds the run's lock), or nobody. */
export type Owner = 'here' | 'elsewhere' | 'none';

/**
 * How often the locks are asked again while someone listens. A tab that closes or crashes frees its locks
 * without a word (no store write), so only asking again notices it.
 */
export const OWNER_POLL_MS = 1500;

/** The page's one view of who drives which run (or evaluation: `eval:<id>`, see eval-session.ts). */
class RunOwners {
  /** Ids some tab held at the last answer (this tab included). */
  private held: ReadonlySet<string> = new Set();
  private readonly listeners = new Set<() => void>();
  /** Listeners not told anything since they subscribed. */
  private readonly unheard = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private asking: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** Bumped by this tab's own acquire/release: an answer asked for before it may predate it. */
  private epoch = 0;

  ownerOf(id: string): Owner {
    if (runningInThisPage(id) || runOwnership().mine.has(id)) return 'here';
    return this.held.has(id) ? 'elsewhere' : 'none';
  }

  /**
   * Calls `listener` once a fresh answer is in, then whenever an owner changes. The poller runs only
   * while someone listens.
   */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    this.unheard.add(listener);
    this.timer ??= setInterval(() => void this.refresh(), OWNER_POLL_MS);
    void this.refresh().then(() => {
      // Unless the answer changed something, and so was told already.
      if (this.unheard.delete(listener)) listener();
    });
    return () => {
      this.listeners.delete(listener);
      this.unheard.delete(listener);
      if (this.listeners.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Asks the locks again; resolves once an answer asked for after this call is in (one question at a time). */
  refresh(): Promise<void> {
    if (!this.asking) {
      this.asking = this.ask().finally(() => (this.asking = null));
      return this.asking;
    }
    this.next ??= this.asking.then(() => {
      this.next = null;
      return this.refresh();
    });
    return this.next;
  }

  private async ask(): Promise<void> {
    const epoch = this.epoch;
    const held = await runOwnership()
      .heldRunIds()
      .catch(() => null);
    // An answer that may predate this tab's own acquire or release would undo what that one told.
    if (!held || epoch !== this.epoch) return;
    const changed = held.size !== this.held.size || [...held].some((id) => !this.held.has(id));
    this.held = held;
    if (changed) this.notify();
  }

  /** This tab took or let go of `id`: listeners hear it at once, the locks are asked again. */
  changedHere(id: string, released: boolean): void {
    this.epoch++;
    if (released && this.held.has(id)) {
      // No other tab could hold what this one held; the lock manager may still list it for a moment.
      const held = new Set(this.held);
      held.delete(id);
      this.held = held;
    }
    this.notify();
    if (this.listeners.size) setTimeout(() => void this.refresh(), 0);
  }

  /** The ownership was replaced (tests): what was heard of the old one no longer holds. */
  forget(): void {
    this.epoch++;
    this.held = new Set();
    if (this.listeners.size) void this.refresh();
  }

  private notify(): void {
    this.unheard.clear();
    for (const l of [...this.listeners]) l();
  }
}

export const runOwners = new RunOwners();

/**
 * Locks this tab let go of that the lock manager may still hold: it frees a lock a moment after release(), so
 * taking a run back at once (Resume right after its Pause) would find this tab's own lock taken, and the page
 * would say another tab drives the run.
 */
const releasing = new Map<string, Promise<void>>();

/**
 * Takes a run (or evaluation) for this tab, telling `runOwners`; null when some tab drives it. Rejects
 * when the lock manager fails (callers decide whether to go on without it).
 */
export async function acquireRun(id: string): Promise<RunLease | null> {
  // This tab's own lock, let go of a moment ago, is no other tab's: wait until it is free.
  await releasing.get(id);
  const lease = await runOwnership().tryAcquire(id);
  if (!lease) {
    // Some tab holds it: the views learn so now, not at the next poll.
    void runOwners.refresh();
    return null;
  }
  runOwners.changedHere(id, false);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      lease.release();
      const free: Promise<void> = (lease.released ?? Promise.resolve()).then(() => {
        if (releasing.get(id) === free) releasing.delete(id);
        runOwners.changedHere(id, true);
      });
      releasing.set(id, free);
    },
  };
}

/**
 * Re-renders its host whenever who drives a run changes, while the host is on the page and `active()` says
 * something it shows is driven somewhere (checked after every update): with nothing running, a change of
 * owner comes with a store write the host hears anyway, and the locks need no polling.
 */
export class RunOwnersController implements ReactiveController {
  private off: (() => void) | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly active: () => boolean = () => true,
  ) {
    host.addController(this);
  }

  /** Whether it follows the owners now (a poller runs while anyone does). */
  get following(): boolean {
    return this.off !== undefined;
  }

  hostConnected(): void {
    this.connected = true;
    this.check();
  }

  hostUpdated(): void {
    this.check();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.check();
  }

  private check(): void {
    if (this.connected && this.active()) this.off ??= runOwners.subscribe(() => this.host.requestUpdate());
    else {
      this.off?.();
      this.off = undefined;
    }
  }
}
