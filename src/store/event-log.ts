/**
 * A run's event log without duplicated nodes: a node lives once, in the `nodes` store, with its
 * position in the log (`seq`); the log holds every other event. Reading merges both back into one
 * ordered RunEvent list. Storing every node twice doubled the bytes written per node.
 */
import type { RunEvent } from '../core/contracts/run-events';
import type { SearchNode } from '../core/contracts/search-node';

type NodeEvent = Extract<RunEvent, { type: 'node-evaluated' }>;
/** What the log holds: every event but node-evaluated (those are rebuilt from the nodes). */
export type StoredEvent = Exclude<RunEvent, NodeEvent>;

interface LoggedRecord {
  seq: number;
  event: StoredEvent;
}

interface SequencedNode extends SearchNode {
  runId: string;
  seq?: number;
  loggedAt?: number;
}

/** One ordered event list from the log records and the run's nodes (a node without `seq` has no event). */
export function mergeEventLog(runId: string, records: LoggedRecord[], nodes: SequencedNode[]): RunEvent[] {
  const entries: { seq: number; event: RunEvent }[] = records.map((r) => ({ seq: r.seq, event: r.event }));
  for (const { runId: _runId, seq, loggedAt, ...node } of nodes) {
    if (seq !== undefined) {
      entries.push({ seq, event: { type: 'node-evaluated', runId, at: loggedAt ?? node.createdAt, node } });
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  return entries.map((e) => e.event);
}
