/**
 * Where a running search lands in storage. Created INSIDE THE WORKER with the worker's own Store:
 * the page's main thread never pays for structured-cloning nodes into IndexedDB, and the engine
 * awaits `onEvents`/`onCheckpoint` so it does not move on before its results are durable
 * (see docs/storage.md).
 */
import type { RunCheckpoint } from '../core/contracts/run-api';
import type { RunEvent } from '../core/contracts/run-events';
import type { Store } from './store';

export interface RunSink {
  /** One readwrite transaction over nodes+events+runs per burst; replaying a burst is a no-op. */
  onEvents(runId: string, events: RunEvent[]): Promise<void>;
  /** Replaces the run's checkpoint (one per run). */
  onCheckpoint(runId: string, checkpoint: RunCheckpoint): Promise<void>;
}

export function createRunSink(store: Store): RunSink {
  return {
    onEvents: (runId, events) => (events.length ? store.appendEvents(runId, events) : Promise.resolve()),
    onCheckpoint: (runId, checkpoint) => store.putCheckpoint({ ...checkpoint, runId }),
  };
}
