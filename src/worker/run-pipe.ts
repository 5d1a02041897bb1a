/**
 * Carries a run's events from the engine to the sink (storage) and to the page.
 * Storage: buffered and written in bursts (one transaction each), always before a checkpoint and at
 * the end, so a stored checkpoint never runs ahead of the stored events. Page: batched, ≤ 10 callbacks/s.
 * A paused run ends as 'cancelled' inside the engine; the pipe relabels it 'paused' (checkpoint kept).
 */
import type { RunCheckpoint } from '../core/run-api';
import type { RunEvent } from '../core/types';
import type { RunSink } from './run-sink';
import { batcher } from './throttle';

/** Write at least this often even between checkpoints (bounds what a crash can lose). */
const SINK_BURST = 20;

export interface RunPipeOptions {
  runId: string;
  sink: RunSink;
  /** Resolves once the page took the batch (awaited only for the last one). */
  toPage: (events: RunEvent[]) => Promise<void>;
  pausing: () => boolean;
  intervalMs: number;
  now: () => number;
}

export interface RunPipe {
  onEvent(event: RunEvent): Promise<void>;
  onCheckpoint(cp: RunCheckpoint): Promise<void>;
  /** Writes and sends everything still buffered. */
  close(): Promise<void>;
}

export function createRunPipe(o: RunPipeOptions): RunPipe {
  let buffer: RunEvent[] = [];
  let lastDelivery: Promise<void> = Promise.resolve();
  const page = batcher<RunEvent>(
    (events) => {
      lastDelivery = o.toPage(events);
    },
    o.intervalMs,
    o.now,
  );

  const writeBuffered = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const burst = buffer;
    buffer = [];
    await o.sink.onEvents(o.runId, burst);
  };

  return {
    async onEvent(event) {
      const e: RunEvent =
        event.type === 'run-finished' && event.status === 'cancelled' && o.pausing()
          ? { ...event, status: 'paused' }
          : event;
      buffer.push(e);
      page.add(e);
      if (buffer.length >= SINK_BURST || e.type === 'run-finished' || e.type === 'error') await writeBuffered();
    },
    async onCheckpoint(cp) {
      await writeBuffered();
      await o.sink.onCheckpoint(o.runId, cp);
    },
    async close() {
      page.flush();
      await writeBuffered();
      // The page has every event before the run's promise resolves.
      await lastDelivery;
    },
  };
}
