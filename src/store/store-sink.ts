/**
 * Where a running search (and an evaluation's checkpoints) land in storage: the RunSink
 * (protocol/run-sink.ts) over a Store. Created INSIDE THE WORKER with the worker's own Store: the page's
 * main thread never pays for structured-cloning nodes into IndexedDB, and the engine awaits
 * `onEvents`/`onCheckpoint` so it does not move on before its results are durable (see docs/storage.md).
 * One readwrite transaction over nodes+events+runs per burst; replaying a burst is a no-op; a checkpoint
 * replaces the run's previous one. An evaluation deleted meanwhile is not brought back by a late checkpoint;
 * an evaluation's checkpoint is written without a change notice (views would re-read every record).
 */
import type { RunSink } from '../protocol/run-sink';
import type { Store } from './store-types';

export function createRunSink(store: Store): RunSink {
  return {
    onEvents: (runId, events) => (events.length ? store.appendEvents(runId, events) : Promise.resolve()),
    onCheckpoint: (runId, checkpoint) => store.putCheckpoint({ ...checkpoint, runId }),
    onEvalCheckpoint: (evalId, checkpoint) => store.putEvalCheckpoint(evalId, checkpoint),
  };
}
