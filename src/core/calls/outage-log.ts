/**
 * The endpoint's outages a run met, kept in its stats (plain data: it crosses the worker boundary and is
 * checkpointed), so its fault list can name them: a run that rode out a restart has failed requests to
 * explain, and one that died in an outage says so. Built from what the adapter reports of each failed attempt
 * during an outage (OutageInfo, see the OpenAI adapter's OutageWatch): every report of one outage carries the
 * moment it began, so many requests meeting one outage make one record. A run whose roles are served from more
 * than one endpoint names the endpoint in each record (its host), so its faults can say which one was down.
 */
import type { OutageInfo } from '../contracts/chat-model';
import type { OutageRecord, RunStats } from '../contracts/run-events';

/** One outage: of which endpoint (undefined: the run's only one), and when it began. */
const keyOf = (endpoint: unknown, since: number) => `${typeof endpoint === 'string' ? endpoint : ''} ${since}`;

export class OutageLog {
  /** This session's outages by endpoint and start, each with when its next probe goes out (ms into the outage). */
  private readonly seen = new Map<string, { record: OutageRecord; nextProbeMs: number }>();

  constructor(private readonly stats: RunStats) {
    // A resumed run (same session, same endpoint watch) may meet an outage it already recorded: go on with it.
    for (const record of stats.outages ?? []) {
      if (record.end === 'open' && Number.isFinite(record.since)) {
        this.seen.set(keyOf(record.endpoint, record.since!), { record, nextProbeMs: record.downMs });
      }
    }
  }

  /**
   * A request's attempt failed during an outage of `endpoint` (undefined where the run has one endpoint);
   * `retryInMs` null: the outage outlasted its wait.
   */
  failed(o: OutageInfo, retryInMs: number | null, endpoint?: string): void {
    const key = keyOf(endpoint, o.since);
    let entry = this.seen.get(key);
    if (!entry) {
      const record: OutageRecord = { since: o.since, downMs: 0, graceMs: o.graceMs, end: 'open' };
      if (endpoint !== undefined) record.endpoint = endpoint;
      entry = { record, nextProbeMs: 0 };
      (this.stats.outages ??= []).push(record);
      this.seen.set(key, entry);
    }
    const r = entry.record;
    r.failures = (r.failures ?? 0) + 1;
    r.downMs = Math.max(r.downMs, o.downForMs);
    if (retryInMs === null) r.end = 'gave-up';
    else entry.nextProbeMs = Math.max(entry.nextProbeMs, o.downForMs + retryInMs);
  }

  /**
   * A request that waited for the outage of `endpoint` that began at `since` got through (its answer, or a later
   * outage): the endpoint came back, found by that outage's last probe.
   */
  over(since: number, endpoint?: string): void {
    const entry = this.seen.get(keyOf(endpoint, since));
    if (!entry || entry.record.end !== 'open') return;
    entry.record.end = 'back';
    entry.record.downMs = Math.max(entry.record.downMs, entry.nextProbeMs);
  }
}

/** A deep copy (stats are emitted per call). */
export function copyOutages(outages: RunStats['outages']): RunStats['outages'] {
  return Array.isArray(outages) ? outages.map((o) => ({ ...o })) : undefined;
}
