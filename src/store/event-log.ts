/**
 * The event log keeps node-evaluated events slim: the node itself lives once, in the `nodes`
 * store, and is joined back on read. Storing it twice doubled the bytes written per node.
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
