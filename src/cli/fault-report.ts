/** The CLI's closing lines about faults: printed whenever any occurred, so a "Done." never hides them. */
import { summarizeFaults } from '../core/calls/fault-summary';
import type { RunStats } from '../core/contracts/run-events';
import type { SearchNode } from '../core/contracts/search-node';

export function faultReport(stats: RunStats | null | undefined, nodes: Iterable<SearchNode>): string {
  const f = summarizeFaults(stats, nodes);
  if (f.lines.length === 0) return '';
  const lines = ['Faults during the run:', ...f.lines.map((l) => `  ${l}`), ...f.hints.map((h) => `  hint: ${h}`)];
  return `${lines.join('\n')}\n`;
}
