/**
 * One run, one driver. A tab driving a run holds the Web Lock `drpo-run:<run id>` for as long as the run
 * goes; another tab of the same browser profile cannot take the lock, so it follows the run read-only
 * and may take over only once the lock is free (the owner finished, or its tab closed or crashed: the
 * browser releases a dead tab's locks). Two tabs resuming the same run would pay for every call twice.
 *
 * Without Web Locks (a page served over plain http from another machine is not a secure context) the
 * tabs ask each other over a BroadcastChannel instead: weaker (a tab that hangs still answers nothing),
 * but it keeps two healthy tabs apart.
 */

export const RUN_LOCK_PREFIX = 'drpo-run:';

export interface RunLease {
  release(): void;
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
        locks
          .request(`${RUN_LOCK_PREFIX}${runId}`, { ifAvailable: true }, (lock) => {
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
              }),
            );
          })
          .catch(reject);
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
}
