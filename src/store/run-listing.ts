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
import type { Tx } from './backend';
import { STORE } from './schema';
import type { ListedResult, RunListing, RunRecord } from './schema';

/** The stores every write of a run record touches (see writeRun). */
export const RUN_RECORD_STORES = [STORE.runs, STORE.runSummaries, STORE.checkpoints];

function listedResult(a: AlignmentArtifact | null | undefined): ListedResult | null {
  if (!a) return null;
  // The closest candidate carries its prompt, examples and path: a list needs only its figures.
  const { bestCandidate, ...scores } = a.scores;
  const listed: ListedResult = { scores };
  if (bestCandidate) {
    listed.scores.bestCandidate = { validation: bestCandidate.validation, standardError: bestCandidate.standardError };
  }
  if (a.outcome !== undefined) listed.outcome = a.outcome;
  return listed;
}

export function toRunListing(r: RunRecord): RunListing {
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
