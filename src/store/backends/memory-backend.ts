/**
 * In-memory fallback when IndexedDB cannot be opened (private mode, disabled storage).
 * Imitates the IndexedDB semantics the store relies on: structured-clone copies, index order,
 * all-or-nothing transactions (writes are staged and applied only when `fn` succeeds) and
 * one transaction at a time.
 */
import { compareKeys } from './backend';
import type { AnyKey, Backend, Key, Tx, TxStore, Value } from './backend';
import { CURRENT_SCHEMA } from '../schema';
import type { IndexName, StoreName } from '../schema';

interface Entry {
  key: AnyKey;
  value: unknown;
}
type Table = Map<string, Entry>;
/** Staged change: an entry, or null for a delete. */
type Staged = Map<string, Entry | null>;

function pathValue(value: unknown, path: string | string[]): AnyKey | undefined {
  if (Array.isArray(path)) {
    const parts = path.map((p) => pathValue(value, p));
    return parts.every((p) => p !== undefined) ? (parts as AnyKey[]) : undefined;
  }
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[path] : undefined;
  return typeof v === 'string' || typeof v === 'number' || Array.isArray(v) ? (v as AnyKey) : undefined;
}

const ser = (key: AnyKey) => JSON.stringify(key);

/** The map kept under `key`, made empty on first use. */
function getOrCreate<K, V extends Map<unknown, unknown>>(maps: Map<K, V>, key: K): V {
  let m = maps.get(key);
  if (!m) maps.set(key, (m = new Map() as V));
  return m;
}

export function createMemoryBackend(reason: string): Backend {
  const tables = new Map<StoreName, Table>();
  const counters = new Map<StoreName, number>();
  const table = (name: StoreName): Table => getOrCreate(tables, name);
  let queue: Promise<unknown> = Promise.resolve();

  async function exec<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    const staged = new Map<StoreName, Staged>();
    const stagedCounters = new Map<StoreName, number>();
    const stage = (name: StoreName): Staged => getOrCreate(staged, name);
    const entries = (name: StoreName): Entry[] => {
      const merged = new Map(table(name));
      for (const [k, e] of stage(name)) {
        if (e) merged.set(k, e);
        else merged.delete(k);
      }
      return [...merged.values()].sort((a, b) => compareKeys(a.key, b.key));
    };
    const indexed = (name: StoreName, index: IndexName, query?: AnyKey): Entry[] => {
      const path = CURRENT_SCHEMA[name].indexes[index];
      if (path === undefined) throw new DOMException(`No index ${index} on ${name}`, 'NotFoundError');
      return entries(name)
        .map((e) => ({ e, ik: pathValue(e.value, path) }))
        .filter((x): x is { e: Entry; ik: AnyKey } => x.ik !== undefined)
        .filter((x) => query === undefined || compareKeys(x.ik, query) === 0)
        .sort((a, b) => compareKeys(a.ik, b.ik) || compareKeys(a.e.key, b.e.key))
        .map((x) => x.e);
    };

    function store<N extends StoreName>(name: N): TxStore<N> {
      const def = CURRENT_SCHEMA[name];
      const out = (e: Entry) => structuredClone(e.value) as Value<N>;
      return {
        get: async (key) => {
          const s = stage(name).get(ser(key as AnyKey));
          const e = s === undefined ? table(name).get(ser(key as AnyKey)) : s;
          return e ? out(e) : undefined;
        },
        getAll: async () => entries(name).map(out),
        getAllKeys: async () => entries(name).map((e) => e.key as Key<N>),
        getAllFromIndex: async (index, query) => indexed(name, index, query).map(out),
        getAllKeysFromIndex: async (index, query) => indexed(name, index, query).map((e) => e.key as Key<N>),
        countFromIndex: async (index, query) => indexed(name, index, query).length,
        lastIndexKey: async (index, below) => {
          // One pass over the merged entries (every run write asks this): the highest index key below `below`.
          const path = CURRENT_SCHEMA[name].indexes[index]!;
          let last: AnyKey | undefined;
          for (const e of entries(name)) {
            const k = pathValue(e.value, path);
            if (k !== undefined && compareKeys(k, below) < 0 && (last === undefined || compareKeys(k, last) > 0))
              last = k;
          }
          return last;
        },
        put: async (value, key) => {
          let k: AnyKey | undefined =
            def.keyPath === null ? (key as AnyKey | undefined) : pathValue(value, def.keyPath);
          if (k === undefined && def.autoIncrement) {
            const next = (stagedCounters.get(name) ?? counters.get(name) ?? 0) + 1;
            stagedCounters.set(name, next);
            k = next;
          }
          if (k === undefined) throw new DOMException(`No key for a record in ${name}`, 'DataError');
          stage(name).set(ser(k), { key: k, value: structuredClone(value) });
        },
        delete: async (key) => {
          stage(name).set(ser(key as AnyKey), null);
        },
      };
    }

    const result = await fn({ store });
    // Commit: only reached when fn succeeded, so a failed transaction leaves no trace.
    for (const [name, changes] of staged) {
      const t = table(name);
      for (const [k, e] of changes) {
        if (e) t.set(k, e);
        else t.delete(k);
      }
    }
    for (const [name, n] of stagedCounters) counters.set(name, n);
    return result;
  }

  return {
    persistent: false,
    unavailableReason: reason,
    run(_stores, _mode, fn) {
      const p = queue.then(() => exec(fn));
      queue = p.catch(() => undefined);
      return p;
    },
    close() {
      tables.clear();
    },
  };
}
