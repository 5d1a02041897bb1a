/**
 * The endpoint's outages a run met, kept in its stats (plain data: it crosses the worker boundary and is
 * checkpointed), so its fault list can name them: a run that rode out a restart has failed requests to
 * explain, and one that died in an outage says so. Built from what the adapter reports of each failed attempt
 * during an outage (OutageInfo, see the OpenAI adapter's OutageWatch): every report of one outage carries the
 * moment it began, so many requests meeting one outage make one record.
 */
import type { OutageInfo } from '../contracts/chat-model';
import type { OutageRecord, RunStats } from '../contracts/run-events';

export class OutageLog {
  /** This session's outages by when they began, each with when its next probe goes out (ms into the outage). */
  private readonly seen = new Map<number, { record: OutageRecord; nextProbeMs: number }>();

  constructor(private readonly stats: RunStats) {
    // A resumed run (same session, same endpoint watch) may meet an outage it already recorded: go on with it.
    for (const record of stats.outages ?? []) {
      if (record.end === 'open' && Number.isFinite(record.since)) {
        this.seen.set(record.since!, { record, nextProbeMs: record.downMs });
      }
    }
  }

  /** A request's attempt failed during an outage; `retryInMs` null: the outage outlasted its wait. */
  failed(o: OutageInfo, retryInMs: number | null): void {
    let entry = this.seen.get(o.since);
    if (!entry) {
      entry = { record: { since: o.since, downMs: 0, graceMs: o.graceMs, end: 'open' }, nextProbeMs: 0 };
      (this.stats.outages ??= []).push(entry.record);
      this.seen.set(o.since, entry);
    }
    const r = entry.record;
    r.failures = (r.failures ?? 0) + 1;
    r.downMs = Math.max(r.downMs, o.downForMs);
    if (retryInMs === null) r.end = 'gave-up';
    else entry.nextProbeMs = Math.max(entry.nextProbeMs, o.downForMs + retryInMs);
  }

  /**
   * A request that waited for the outage that began at `since` got through (its answer, or a later outage): the
   * endpoint came back, found by that outage's last probe.
   */
  over(since: number): void {
    const entry = this.seen.get(since);
    if (!entry || entry.record.end !== 'open') return;
    entry.record.end = 'back';
    entry.record.downMs = Math.max(entry.record.downMs, entry.nextProbeMs);
  }
}

/** A deep copy (stats are emitted per call). */
export function copyOutages(outages: RunStats['outages']): RunStats['outages'] {
  return Array.isArray(outages) ? outages.map((o) => ({ ...o })) : undefined;
}
