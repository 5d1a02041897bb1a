/** Storage: write 10,000 nodes through the worker's run sink (real IndexedDB in Chromium), read a run's history view. */
import { runHarness } from './browser-harness';
import type { BenchSection } from './types';

interface StorageResult {
  error?: string;
  nodes: number;
  burst: number;
  writeMs: number;
  historyMs: number;
  allMs: number;
  counted: number;
  runs: number;
  lastDepthNodes: number;
  allNodes: number;
}

export async function benchStorage(): Promise<BenchSection> {
  const r = await runHarness<StorageResult>('storage');
  if (r.error) throw new Error(r.error);
  if (r.counted !== r.nodes || r.allNodes !== r.nodes)
    throw new Error(`stored ${r.counted}/${r.allNodes} of ${r.nodes} nodes`);
  return {
    name: 'Storage (IndexedDB, Chromium)',
    rows: [
      { metric: `write ${r.nodes} nodes (bursts of ${r.burst}, one transaction each)`, ms: Math.round(r.writeMs) },
      { metric: 'history view: list runs + count nodes + one depth', ms: +r.historyMs.toFixed(1) },
      { metric: `read all ${r.nodes} nodes of a run`, ms: Math.round(r.allMs) },
    ],
    targets: [
      { label: 'write 10,000 nodes < 5 s', value: `${(r.writeMs / 1000).toFixed(2)} s`, ok: r.writeMs < 5000 },
      { label: 'history view read < 200 ms', value: `${r.historyMs.toFixed(1)} ms`, ok: r.historyMs < 200 },
    ],
  };
}
