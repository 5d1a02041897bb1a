/** The CLI's closing lines about faults: printed whenever any occurred, so a "Done." never hides them. */
import { summarizeFaults } from '../core/calls/fault-summary';
import type { RunStats } from '../core/contracts/run-events';
import type { SearchNode } from '../core/contracts/search-node';

/** For a run (with its nodes), or for an evaluation (no nodes: its report counts the unscored answers). */
export function faultReport(
  stats: RunStats | null | undefined,
  nodes: Iterable<SearchNode>,
  what: 'run' | 'evaluation' = 'run',
): string {
  const f = summarizeFaults(stats, nodes, what);
  if (f.lines.length === 0) return '';
  const lines = [`Faults during the ${what}:`, ...f.lines.map((l) => `  ${l}`), ...f.hints.map((h) => `  hint: ${h}`)];
  return `${lines.join('\n')}\n`;
}
