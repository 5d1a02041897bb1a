/**
 * Carries a run's events from the engine to the sink (storage) and to the page.
 * Storage: buffered and written in bursts (one transaction each), always before a checkpoint and at
 * the end, so a stored checkpoint never runs ahead of the stored events. Page: batched, ≤ 10 callbacks/s.
 * A paused run ends as 'cancelled' inside the engine; the pipe relabels it 'paused' (checkpoint kept).
 *
 * When the events cannot be written (storage full), the checkpoint is still saved — its call cache is what
 * a resume would otherwise pay for again — minus the prompts whose events did not make it: a resume
 * replays those from the cache (no model call) and stores them then. The events' error still stops the run.
 */
import type { RunCheckpoint } from '../core/contracts/run-api';
import type { RunEvent } from '../core/contracts/run-events';
import type { RunSink } from '../protocol/run-sink';
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
  /** Told the checkpoint storage could not take (or null once one was stored): kept for a resume in this session. */
  onUnsaved?: (cp: RunCheckpoint | null) => void;
}

export interface RunPipe {
  onEvent(event: RunEvent): Promise<void>;
  onCheckpoint(cp: RunCheckpoint): Promise<void>;
  /** Writes and sends everything still buffered. */
  close(): Promise<void>;
}

export function createRunPipe(o: RunPipeOptions): RunPipe {
  let buffer: RunEvent[] = [];
  /** Nodes reported to the sink but not (yet) durable there. */
  const unstored = new Set<string>();
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
    try {
      await o.sink.onEvents(o.runId, burst);
    } catch (err) {
      // Kept for the next write: a burst is all-or-nothing in the store, so nothing of it is there yet.
      buffer = [...burst, ...buffer];
      throw err;
    }
    for (const e of burst) if (e.type === 'node-evaluated') unstored.delete(e.node.id);
  };

  return {
    async onEvent(event) {
      const e: RunEvent =
        event.type === 'run-finished' && event.status === 'cancelled' && o.pausing()
          ? { ...event, status: 'paused' }
          : event;
      buffer.push(e);
      if (e.type === 'node-evaluated') unstored.add(e.node.id);
      page.add(e);
      if (buffer.length >= SINK_BURST || e.type === 'run-finished' || e.type === 'error') await writeBuffered();
    },
    async onCheckpoint(cp) {
      let eventsError: unknown = null;
      try {
        await writeBuffered();
      } catch (err) {
        eventsError = err;
      }
      const saved = eventsError ? { ...cp, nodes: cp.nodes.filter((n) => !unstored.has(n.id)) } : cp;
      try {
        await o.sink.onCheckpoint(o.runId, saved);
        o.onUnsaved?.(null);
      } catch (err) {
        // Storage is full even for the checkpoint: keep it (a copy; the engine goes on updating its nodes) so
        // a resume in this session, once space is freed, still repeats no call.
        o.onUnsaved?.(structuredClone(saved));
        throw eventsError ?? err;
      }
      if (eventsError) throw eventsError;
    },
    async close() {
      page.flush();
      await writeBuffered();
      // The page has every event before the run's promise resolves.
      await lastDelivery;
    },
  };
}
