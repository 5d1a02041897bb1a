/**
 * When a long job (a run, an evaluation) writes its checkpoint between its own save points: after a number of
 * new (not cached) model calls, or once enough time has passed since the last write, whichever comes first.
 * One rule for both jobs, so a reload repays at most that much work.
 */
import type { GatewayEvent } from './call-gateway';

export interface CheckpointPacer {
  /** Writes now (a job's own save points call this too, so the clock restarts there). */
  save(): Promise<void>;
  /** Feed every gateway event: a new call may make a write due. */
  onCall(e: GatewayEvent): Promise<void>;
}

export function checkpointPacer(o: {
  now: () => number;
  everyMs: number;
  /** Also after this many new calls (default: time only). */
  everyCalls?: number;
  write: () => Promise<void> | void;
}): CheckpointPacer {
  let lastAt = o.now();
  let calls = 0;
  const save = async () => {
    calls = 0;
    lastAt = o.now();
    await o.write();
  };
  return {
    save,
    async onCall(e) {
      if (e.type !== 'usage' || e.cached) return;
      calls++;
      if ((o.everyCalls !== undefined && calls >= o.everyCalls) || o.now() - lastAt >= o.everyMs) await save();
    },
  };
}
