/**
 * A run's event log without duplicated nodes: a node lives once, in the `nodes` store, with its
 * position in the log (`seq`); the log holds every other event. Reading merges both back into one
 * ordered RunEvent list. (Imported runs store node events slim — `nodeId` only — and are joined
 * the same way.) Storing every node twice doubled the bytes written per node.
 */
import type { RunEvent, SearchNode } from '../core/types';

type NodeEvent = Extract<RunEvent, { type: 'node-evaluated' }>;
export type SlimNodeEvent = Omit<NodeEvent, 'node'> & { nodeId: string };
export type StoredEvent = Exclude<RunEvent, NodeEvent> | SlimNodeEvent;

export function slimEvent(event: RunEvent): StoredEvent {
  if (event.type !== 'node-evaluated') return event;
  const { node, ...rest } = event;
  return { ...rest, nodeId: node.id };
}

function isSlim(event: StoredEvent | RunEvent): event is SlimNodeEvent {
  return event.type === 'node-evaluated' && 'nodeId' in event && !('node' in event);
}

/** Joins slim node events with their nodes; an event whose node is gone is dropped. */
export function hydrateEvents(stored: (StoredEvent | RunEvent)[], nodes: SearchNode[]): RunEvent[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: RunEvent[] = [];
  for (const e of stored) {
    if (!isSlim(e)) {
      out.push(e as RunEvent);
      continue;
    }
    const node = byId.get(e.nodeId);
    if (!node) continue;
    const { nodeId: _nodeId, ...rest } = e;
    out.push({ ...rest, node });
  }
  return out;
}

interface LoggedRecord {
  seq: number;
  event: StoredEvent;
}

interface SequencedNode extends SearchNode {
  runId: string;
  seq?: number;
  loggedAt?: number;
}

/** One ordered event list from the log records and the run's nodes. */
export function mergeEventLog(runId: string, records: LoggedRecord[], nodes: SequencedNode[]): RunEvent[] {
  const entries: { seq: number; event: StoredEvent | RunEvent }[] = records.map((r) => ({
    seq: r.seq,
    event: r.event,
  }));
  const plain: SearchNode[] = [];
  for (const record of nodes) {
    const { runId: _runId, seq, loggedAt, ...node } = record;
    plain.push(node);
    if (seq !== undefined) {
      entries.push({ seq, event: { type: 'node-evaluated', runId, at: loggedAt ?? node.createdAt, node } });
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  return hydrateEvents(
    entries.map((e) => e.event),
    plain,
  );
}
