/**
 * Where the worker persists a run while it progresses. The store provides the implementation over any
 * Store (src/store/store-sink.ts); writing from the worker keeps the page's main thread free and
 * lets the engine wait for durability before it moves on. Default: keep nothing.
 */
import type { RunCheckpoint } from '../core/contracts/run-api';
import type { RunEvent } from '../core/contracts/run-events';

export interface RunSink {
  onEvents(runId: string, events: RunEvent[]): Promise<void>;
  onCheckpoint(runId: string, checkpoint: RunCheckpoint): Promise<void>;
}

export const noopRunSink: RunSink = {
  onEvents: () => Promise.resolve(),
  onCheckpoint: () => Promise.resolve(),
};
