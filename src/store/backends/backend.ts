/**
 * The small transactional surface the store logic is written against. IndexedDB implements it
 * directly (idb-backend.ts); the in-memory fallback imitates it (memory-backend.ts), so the store
 * logic exists once.
 */
import { AppError, ErrorName } from '../../core/contracts/errors';
import type { DrpoDB, IndexName, StoreName } from '../schema';

export type Value<N extends StoreName> = DrpoDB[N]['value'];
export type Key<N extends StoreName> = DrpoDB[N]['key'];
/** Keys we use: strings, numbers and arrays of them. */
export type AnyKey = string | number | AnyKey[];

export interface TxStore<N extends StoreName> {
  get(key: Key<N>): Promise<Value<N> | undefined>;
  getAll(): Promise<Value<N>[]>;
  getAllKeys(): Promise<Key<N>[]>;
  /** Ordered by index key, then primary key (IndexedDB order). `query` is an exact index key. */
  getAllFromIndex(index: IndexName, query?: AnyKey): Promise<Value<N>[]>;
  getAllKeysFromIndex(index: IndexName, query: AnyKey): Promise<Key<N>[]>;
  countFromIndex(index: IndexName, query: AnyKey): Promise<number>;
  /** The highest key of `index` below `below` (a number key), or undefined when no record has one. */
  lastIndexKey(index: IndexName, below: number): Promise<AnyKey | undefined>;
  /** `key` only for stores without a key path. */
  put(value: Value<N>, key?: Key<N>): Promise<void>;
  delete(key: Key<N>): Promise<void>;
}

export interface Tx {
  store<N extends StoreName>(name: N): TxStore<N>;
}

export type TxMode = 'readonly' | 'readwrite';

export interface Backend {
  readonly persistent: boolean;
  readonly unavailableReason?: string;
  /**
   * Runs `fn` in one transaction. `fn` may only await requests of `tx` (no fetches, no timers):
   * an IndexedDB transaction commits as soon as it has no pending requests. If `fn` throws, the
   * transaction is aborted and nothing it wrote is kept.
   */
  run<R>(stores: StoreName[], mode: TxMode, fn: (tx: Tx) => Promise<R>): Promise<R>;
  close(): void;
}

/**
 * What happened only: the page's Quota hint (ui/helpers/error-messages.ts) says how to make room, and the view
 * offers its own next step (Resume, Retry); advice here too was said twice beside that hint.
 */
export const QUOTA_MESSAGE = 'Your browser ran out of storage for DRPO Studio, so the last results were not saved.';
export const CLOSED_MESSAGE =
  'The database connection was closed because another DRPO Studio tab is updating it. Reload this page.';
export const BLOCKED_MESSAGE = 'Close other DRPO Studio tabs to finish updating the database.';

function errName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string'
    ? (err as { name: string }).name
    : undefined;
}

/** Turns DOMExceptions from IndexedDB into AppErrors a user understands; AppErrors pass through. */
export function toStorageError(err: unknown, closed = false): AppError {
  if (err instanceof AppError) return err;
  const name = errName(err);
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'QuotaExceededError') {
    return new AppError(ErrorName.Quota, QUOTA_MESSAGE, { detail: message, cause: err });
  }
  if (closed || name === 'InvalidStateError') {
    return new AppError(ErrorName.StorageUnavailable, CLOSED_MESSAGE, { detail: message, cause: err });
  }
  return new AppError(ErrorName.StorageUnavailable, `Browser storage failed: ${message}`, { detail: name, cause: err });
}

/** Total order on our keys, as IndexedDB orders them: numbers < strings < arrays. */
export function compareKeys(a: AnyKey, b: AnyKey): number {
  const rank = (k: AnyKey) => (typeof k === 'number' ? 0 : typeof k === 'string' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const aa = a as AnyKey[];
  const bb = b as AnyKey[];
  for (let i = 0; i < Math.min(aa.length, bb.length); i++) {
    const c = compareKeys(aa[i]!, bb[i]!);
    if (c !== 0) return c;
  }
  return aa.length - bb.length;
}
