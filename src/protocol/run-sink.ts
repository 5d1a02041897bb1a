/**
 * Where the worker persists a run, and an evaluation's checkpoints, while they progress. The store
 * provides the implementation over any Store (src/store/store-sink.ts); writing from the worker keeps the
 * page's main thread free, lets the engine wait for durability before it moves on, and leaves a reload
 * something to resume. Default: keep nothing.
 */
import type { RunCheckpoint } from '../core/contracts/run-api';
import type { RunEvent } from '../core/contracts/run-events';
import type { EvalCheckpoint } from '../core/eval/eval-job';

export interface RunSink {
  onEvents(runId: string, events: RunEvent[]): Promise<void>;
  onCheckpoint(runId: string, checkpoint: RunCheckpoint): Promise<void>;
  /** An evaluation's finished calls and progress, into its stored record (absent: not kept). */
  onEvalCheckpoint?(evalId: string, checkpoint: EvalCheckpoint): Promise<void>;
}

export const noopRunSink: RunSink = {
  onEvents: () => Promise.resolve(),
  onCheckpoint: () => Promise.resolve(),
  onEvalCheckpoint: () => Promise.resolve(),
};
