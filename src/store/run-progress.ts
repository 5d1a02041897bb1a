/**
 * Pure helpers for the run sink: which events are logged, how a burst of events changes the
 * run record, and the content hash that makes replaying a burst a no-op.
 */
import { foldRunFacts, type RunFacts } from '../core/contracts/run-status';
import type { RunConfig } from '../core/contracts/run-config';
import type { RunEvent } from '../core/contracts/run-events';
import type { RunProgress, RunRecord } from './schema';

/**
 * 'usage' events arrive once per model call and each carries the full running stats, so the
 * log keeps only every Nth one (by call count); the run record always takes the latest stats.
 */
export const USAGE_EVENT_EVERY = 10;

export function shouldLogEvent(event: RunEvent): boolean {
  if (event.type !== 'usage') return true;
  return event.stats.calls % USAGE_EVENT_EVERY === 0;
}

export function initialProgress(config: RunConfig): RunProgress {
  return { depth: 0, maxDepth: config.settings.depth, nodes: 0, calls: 0, generatedTokens: 0 };
}

/** FNV-1a, two 32-bit lanes with different seeds: 64 bits is plenty to spot an exact replay. */
export function hashEvent(event: RunEvent): string {
  const text = JSON.stringify(event);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** The run record after `events`; `nodeCount` is the number of nodes stored once the burst is in. */
export function applyEventsToRun(run: RunRecord, events: RunEvent[], nodeCount: number, now: number): RunRecord {
  const next: RunRecord = { ...run, progress: { ...run.progress, nodes: nodeCount }, updatedAt: now };
  const p = next.progress;
  // Status, error, stage, best, counters and alignment: the same fold as the live view.
  const facts: RunFacts = {
    status: next.status,
    error: next.error ?? null,
    stage: next.stage ?? null,
    best: next.best,
    // A record from before `reached` existed: its best so far is the best known reach (a resumed old run must not
    // show a lower figure than it did).
    reached: next.reached === undefined ? next.best : next.reached,
    stats: next.stats,
    artifact: next.artifact ?? null,
  };
  for (const e of events) {
    foldRunFacts(facts, e);
    // How far the search got: the deepest level seen, and how deep it may go.
    if (e.type === 'node-evaluated') p.depth = Math.max(p.depth, e.node.depth);
    else if (e.type === 'beam-selected') p.depth = Math.max(p.depth, e.depth);
    else if (e.type === 'depth-extended') p.maxDepth = e.maxDepth;
  }
  next.status = facts.status;
  if (facts.error) next.error = facts.error;
  else delete next.error;
  if (facts.stage) next.stage = facts.stage;
  next.best = facts.best;
  if (facts.reached) next.reached = facts.reached;
  if (facts.stats) next.stats = facts.stats;
  if (facts.artifact !== (run.artifact ?? null)) next.artifact = facts.artifact;
  p.calls = next.stats.calls;
  p.generatedTokens = next.stats.generatedTokens;
  return next;
}
