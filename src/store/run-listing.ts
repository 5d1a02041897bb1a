/**
 * A run's listing (schema.ts RunListing) and the one way a run record is written: the record, its listing and,
 * once the run can no longer be resumed, the removal of its checkpoint, all in the caller's transaction.
 *
 * Why a second store rather than moving the heavy fields out of the run record: the record stays whole (open,
 * resume, export and import read and write it as before), and the listing is derived from it by one function
 * at each write, so the two cannot drift apart.
 */
import { isResumable } from '../core/contracts/run-status';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import type { Backend, Key, Tx } from './backends/backend';
import { STORE } from './schema';
import type { ListedResult, RunListing, RunRecord } from './schema';

/** The stores every write of a run record touches (see writeRun). */
export const RUN_RECORD_STORES = [STORE.runs, STORE.runSummaries, STORE.checkpoints];

/**
 * `a` comes before `b` in listRuns (newest first): its last change is later or, at the same time (runs imported
 * with equal times; a write here is stamped after the newest, stampAfterNewest), its id sorts higher, as the
 * reversed updatedAt index orders equal keys. The one
 * ranking for a list that re-reads one run on a notice, so it ranks runs as a full reading does.
 */
export const listedBefore = (
  a: Pick<RunListing, 'updatedAt' | 'id'>,
  b: Pick<RunListing, 'updatedAt' | 'id'>,
): boolean => a.updatedAt > b.updatedAt || (a.updatedAt === b.updatedAt && a.id > b.id);

/**
 * Total over what may be stored: records written by older versions, or edited files imported long ago, may lack
 * fields today's types require. A listing is built for every record (the v3 step and the repair on open rely on
 * it): a result without scores has no figures to list, so it lists as none.
 */
function listedResult(a: AlignmentArtifact | null | undefined): ListedResult | null {
  if (!a || typeof a.scores !== 'object' || a.scores === null) return null;
  // The closest candidate carries its prompt, examples and path: a list needs only its figures.
  const { bestCandidate, ...scores } = a.scores;
  const listed: ListedResult = { scores };
  if (bestCandidate && typeof bestCandidate === 'object') {
    listed.scores.bestCandidate = { validation: bestCandidate.validation, standardError: bestCandidate.standardError };
  }
  if (a.outcome !== undefined) listed.outcome = a.outcome;
  return listed;
}

export function toRunListing(r: RunRecord): RunListing {
  let listing: RunListing;
  try {
    listing = fullListing(r);
  } catch (err) {
    // Never expected (fullListing reads defensively), but a record that still trips it is listed bare rather
    // than hidden: a run without a listing vanishes from History and its checkpoints are refused (putCheckpoint).
    console.warn(`Run ${String(r.id)} is listed without its details`, err);
    listing = bareListing(r);
  }
  return listing;
}

/** What is listed of a record whose details cannot be read: enough to find, open, resume or delete it. */
function bareListing(r: RunRecord): RunListing {
  return {
    id: r.id,
    name: typeof r.name === 'string' ? r.name : String(r.id),
    status: r.status,
    progress: r.progress,
    best: null,
    stats: r.stats,
    config: { preset: r.config?.preset, roles: r.config?.roles },
    result: null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function fullListing(r: RunRecord): RunListing {
  const listing: RunListing = {
    id: r.id,
    name: r.name,
    status: r.status,
    progress: r.progress,
    best: r.best,
    stats: r.stats,
    config: { preset: r.config?.preset, roles: r.config?.roles },
    result: listedResult(r.artifact),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
  if (r.reached !== undefined) listing.reached = r.reached;
  if (r.error) listing.error = r.error;
  if (r.stage) listing.stage = r.stage;
  if (r.endpointUrls) listing.endpointUrls = r.endpointUrls;
  return listing;
}

/**
 * Writes the run record and its listing. A run that can no longer be resumed (completed, cancelled, out of
 * budget) drops its checkpoint here: only a resume reads it, and its call cache is most of a run's bytes.
 * `tx` must span RUN_RECORD_STORES.
 */
export async function writeRun(tx: Tx, run: RunRecord): Promise<void> {
  await Promise.all([
    tx.store(STORE.runs).put(run),
    tx.store(STORE.runSummaries).put(toRunListing(run)),
    isResumable(run.status) ? Promise.resolve() : tx.store(STORE.checkpoints).delete(run.id),
  ]);
}

/**
 * Lists the run records that have no listing and drops listings whose record is gone. Nothing should leave
 * either (every write goes through writeRun, deleteRun removes both), but a v3 step that stopped part-way
 * (before the listing was made total) left runs hidden with nothing to rebuild them; this runs on open.
 * Cheap when they agree (the keys of two small stores); returns how many it repaired.
 */
export async function repairRunListings(backend: Backend): Promise<number> {
  const differ = (runIds: Key<'runs'>[], listed: Key<'runSummaries'>[]) => {
    const have = new Set(listed);
    const runs = new Set(runIds);
    return { missing: runIds.filter((id) => !have.has(id)), orphans: listed.filter((id) => !runs.has(id)) };
  };
  const keys = (tx: Tx) => Promise.all([tx.store(STORE.runs).getAllKeys(), tx.store(STORE.runSummaries).getAllKeys()]);
  const first = differ(...(await backend.run([STORE.runs, STORE.runSummaries], 'readonly', keys)));
  if (first.missing.length === 0 && first.orphans.length === 0) return 0;
  // Looked at again inside the write: another tab may have written since.
  return backend.run([STORE.runs, STORE.runSummaries], 'readwrite', async (tx) => {
    const { missing, orphans } = differ(...(await keys(tx)));
    const runs = await Promise.all(missing.map((id) => tx.store(STORE.runs).get(id)));
    await Promise.all([
      ...runs.flatMap((r) => (r ? [tx.store(STORE.runSummaries).put(toRunListing(r))] : [])),
      ...orphans.map((id) => tx.store(STORE.runSummaries).delete(id)),
    ]);
    return missing.length + orphans.length;
  });
}
