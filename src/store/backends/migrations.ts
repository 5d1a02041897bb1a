/**
 * Schema migrations. Step N (MIGRATIONS[N - 1]) takes a database from version N - 1 to N.
 * Steps are frozen once shipped: never edit one, append a new step and bump DB_VERSION.
 * Each step gets the versionchange transaction, so it can also rewrite existing records.
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { isResumable } from '../../core/contracts/run-status';
import { toRunListing } from '../run-listing';
import type { DrpoDB, EvaluationRecord } from '../schema';

export type UpgradeTx = IDBPTransaction<DrpoDB, StoreNames<DrpoDB>[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<DrpoDB>, tx: UpgradeTx) => void;

/** v1: every store and index. Names are literal here on purpose (frozen history). */
const v1: Migration = (db) => {
  const runs = db.createObjectStore('runs', { keyPath: 'id' });
  runs.createIndex('byUpdatedAt', 'updatedAt');

  const nodes = db.createObjectStore('nodes', { keyPath: ['runId', 'id'] });
  nodes.createIndex('byRun', 'runId');
  nodes.createIndex('byRunDepth', ['runId', 'depth']);

  const events = db.createObjectStore('events', { autoIncrement: true });
  events.createIndex('byRun', 'runId');
  events.createIndex('byRunHash', ['runId', 'hash']);

  db.createObjectStore('aspectCache');
  db.createObjectStore('checkpoints', { keyPath: 'runId' });

  const alignments = db.createObjectStore('alignments', { keyPath: 'id' });
  alignments.createIndex('bySavedAt', 'savedAt');

  const datasets = db.createObjectStore('datasets', { keyPath: 'id' });
  datasets.createIndex('byCreatedAt', 'createdAt');

  db.createObjectStore('settings');
};

/**
 * v2: evaluation reports get their own store. The report the first version kept under the
 * setting 'eval:last' moves into it, inside the same versionchange transaction.
 */
const v2: Migration = (db, tx) => {
  const evaluations = db.createObjectStore('evaluations', { keyPath: 'id' });
  evaluations.createIndex('bySavedAt', 'savedAt');
  const settings = tx.objectStore('settings');
  void settings.get('eval:last').then((report) => {
    if (!report || typeof report !== 'object') return;
    void tx.objectStore('evaluations').put({
      id: 'migrated-eval-last',
      name: 'Last evaluation',
      report: report as EvaluationRecord['report'],
      savedAt: Date.now(),
    });
    void settings.delete('eval:last');
  });
};

/**
 * v3: run listings (schema.ts RunListing) get their own store, so lists stop reading every run record in full;
 * one is built here for each stored run. A run that can no longer be resumed loses its checkpoint, which
 * nothing reads any more (from now on the write of its final status drops it: run-listing.ts writeRun).
 * Uses toRunListing as it is today: a later change to the listing's shape must add a step that rebuilds them.
 */
const v3: Migration = (db, tx) => {
  const summaries = db.createObjectStore('runSummaries', { keyPath: 'id' });
  summaries.createIndex('byUpdatedAt', 'updatedAt');
  const checkpoints = tx.objectStore('checkpoints');
  // Walks in a voided promise (the upgrade callback cannot await), so a throw would end the walk unseen: see
  // the catch below. A cursor, not getAll: runs with large query files are megabytes each. Only this transaction's requests
  // are awaited, so it stays open until the walk ends.
  void tx
    .objectStore('runs')
    .openCursor()
    .then(async function walk(cursor): Promise<void> {
      if (!cursor) return;
      const run = cursor.value;
      void summaries.put(toRunListing(run));
      if (!isResumable(run.status)) void checkpoints.delete(run.id);
      return walk(await cursor.continue());
    })
    // A record cannot stop the walk (toRunListing lists what it cannot read bare). Anything else that does must
    // not commit the step with the later runs unlisted: the upgrade fails, the database stays at v2, and the
    // next open tries again (openStore keeps this session in memory and says why).
    .catch((err: unknown) => {
      console.error('The run listing step (database v3) failed', err);
      try {
        tx.abort();
      } catch {
        // Already aborted by the request that failed.
      }
    });
};

/**
 * v4: run listings and saved alignments are indexed by name, so numbering an unnamed run ("DRPO Quick (2)") and
 * refusing a taken alignment name look names up instead of reading every alignment in full. The browser builds
 * each index from the stored records in this transaction (a record without a string name is left out of it).
 */
const v4: Migration = (_db, tx) => {
  tx.objectStore('runSummaries').createIndex('byName', 'name');
  tx.objectStore('alignments').createIndex('byName', 'name');
};

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4];

/** The first `version` steps (tests open v1, write, then reopen with an extra step). */
export function migrationsUpTo(version: number): readonly Migration[] {
  return MIGRATIONS.slice(0, version);
}

/** idb's `upgrade` callback: runs every step after `oldVersion` up to `newVersion`. */
export function upgrade(
  db: IDBPDatabase<DrpoDB>,
  oldVersion: number,
  newVersion: number | null,
  tx: UpgradeTx,
  steps: readonly Migration[] = MIGRATIONS,
): void {
  // A step that aborts the upgrade (v3 on a failed walk) is said by the open request failing (openStore says
  // why): the transaction's own promise, rejected then with nobody listening, would be an unhandled rejection.
  tx.done.catch(() => undefined);
  const target = newVersion ?? steps.length;
  for (let v = oldVersion + 1; v <= target; v++) {
    const step = steps[v - 1];
    if (!step) throw new Error(`No migration step for database version ${v}`);
    step(db, tx);
  }
}
