/** The IndexedDB backend (via idb). Owns the connection, version-change handling and error mapping. */
import { openDB } from 'idb';
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { AppError } from '../../core/contracts/errors';
import { BLOCKED_MESSAGE, CLOSED_MESSAGE, toStorageError } from './backend';
import type { AnyKey, Backend, Key, Tx, TxMode, TxStore, Value } from './backend';
import { upgrade } from './migrations';
import type { Migration } from './migrations';
import type { DrpoDB, IndexName, StoreName } from '../schema';

export interface IdbBackendOptions {
  name: string;
  steps: readonly Migration[];
  onBlocked?: (message: string) => void;
  onVersionChange?: (message: string) => void;
}

type AnyTx = IDBPTransaction<DrpoDB, StoreNames<DrpoDB>[], TxMode>;

// idb's per-store generics do not narrow through a generic N, so the wrapper talks to the raw
// store surface; the Backend interface keeps callers typed.
interface LooseStore {
  get(key: unknown): Promise<unknown>;
  getAll(): Promise<unknown[]>;
  getAllKeys(): Promise<unknown[]>;
  put(value: unknown, key?: unknown): Promise<unknown>;
  delete(key: unknown): Promise<void>;
  index(name: string): {
    getAll(query?: unknown): Promise<unknown[]>;
    getAllKeys(query?: unknown): Promise<unknown[]>;
    count(query?: unknown): Promise<number>;
    openKeyCursor(query: IDBKeyRange, direction: 'prev'): Promise<{ key: unknown } | null>;
  };
}

function wrapStore<N extends StoreName>(tx: AnyTx, name: N): TxStore<N> {
  const s = tx.objectStore(name) as unknown as LooseStore;
  return {
    get: async (key) => (await s.get(key)) as Value<N> | undefined,
    getAll: async () => (await s.getAll()) as Value<N>[],
    getAllKeys: async () => (await s.getAllKeys()) as Key<N>[],
    getAllFromIndex: async (index: IndexName, query?: AnyKey) => (await s.index(index).getAll(query)) as Value<N>[],
    getAllKeysFromIndex: async (index: IndexName, query: AnyKey) =>
      (await s.index(index).getAllKeys(query)) as Key<N>[],
    countFromIndex: (index: IndexName, query: AnyKey) => s.index(index).count(query),
    lastIndexKey: async (index: IndexName, below: number) =>
      (await s.index(index).openKeyCursor(IDBKeyRange.upperBound(below, true), 'prev'))?.key as AnyKey | undefined,
    put: async (value, key) => {
      await (key === undefined ? s.put(value) : s.put(value, key));
    },
    delete: (key) => s.delete(key),
  };
}

/**
 * The open failed while it brought stored data to this version: unlike a browser that stores nothing
 * (private mode), the data is there and untouched (a failed upgrade commits nothing), and the next load
 * tries again.
 */
export class UpgradeFailedError extends Error {
  override name = 'UpgradeFailedError';
  constructor(cause: unknown) {
    super(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), { cause });
  }
}

export async function openIdbBackend(opts: IdbBackendOptions): Promise<Backend> {
  let closed = false;
  let upgradingFrom = 0;
  const db: IDBPDatabase<DrpoDB> = await openDB<DrpoDB>(opts.name, opts.steps.length, {
    upgrade: (udb, oldVersion, newVersion, tx) => {
      upgradingFrom = oldVersion;
      upgrade(udb, oldVersion, newVersion, tx, opts.steps);
    },
    blocked: () => opts.onBlocked?.(BLOCKED_MESSAGE),
    // Another tab wants a newer version: let it upgrade rather than block it forever.
    blocking: () => {
      closed = true;
      db.close();
      opts.onVersionChange?.(CLOSED_MESSAGE);
    },
    terminated: () => {
      closed = true;
      opts.onVersionChange?.(CLOSED_MESSAGE);
    },
  }).catch((err: unknown) => {
    // Version 0 is a new database: nothing stored, so nothing to reassure about.
    throw upgradingFrom > 0 ? new UpgradeFailedError(err) : err;
  });

  return {
    persistent: true,
    async run<R>(stores: StoreName[], mode: TxMode, fn: (tx: Tx) => Promise<R>): Promise<R> {
      if (closed) throw toStorageError(new DOMException(CLOSED_MESSAGE, 'InvalidStateError'), true);
      let tx: AnyTx;
      try {
        // 'relaxed': the browser commits without forcing an OS-level flush per transaction. A closed
        // or crashed tab keeps the data; only a power loss could drop the last moments of a run,
        // which the checkpoint replay then recomputes. It made node writes several times faster.
        tx = db.transaction(stores, mode, { durability: 'relaxed' });
      } catch (err) {
        throw toStorageError(err, closed);
      }
      // Observe `done` at once: an abort must never surface as an unhandled rejection.
      tx.done.catch(() => undefined);
      const wrapped: Tx = { store: (name) => wrapStore(tx, name) };
      try {
        const result = await fn(wrapped);
        await tx.done;
        return result;
      } catch (err) {
        try {
          tx.abort();
        } catch {
          // Already committed or aborted by the browser (e.g. quota at commit time).
        }
        throw toStorageError(err instanceof AppError ? err : (tx.error ?? err), closed);
      }
    },
    close() {
      closed = true;
      db.close();
    },
  };
}
