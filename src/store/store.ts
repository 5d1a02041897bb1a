/**
 * The app's storage: `openStore()` and the Store contract (store-types.ts), re-exported so callers
 * import one module.
 */
import { openStoreImpl } from './store-impl';
import type { Store, StoreOptions } from './store-types';

export type * from './store-types';
/** A fresh record id (callers that must know an id before the record exists, e.g. to lock it first). */
export { newId, savedArtifact } from './store-library';
/** The order of listRuns, for a list that re-reads one run on a notice. */
export { listedBefore } from './run-listing';

/**
 * Opens the IndexedDB store, falling back to memory when IndexedDB cannot be opened at all.
 * Rejects only on a bug in a migration; a blocked upgrade waits (and calls `onBlocked`).
 */
export function openStore(opts: StoreOptions = {}): Promise<Store> {
  return openStoreImpl(opts);
}
