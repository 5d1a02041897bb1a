/**
 * Storage: write 10,000 nodes through the worker's run sink (real IndexedDB in Chromium), read a run's history view;
 * what listing runs and a running run's change notice cost with 200 stored runs with large query files.
 */
import { runHarness } from './browser-harness';
import type { BenchSection } from './types';

interface ListingCosts {
  listMs: number;
  noticeMs: number;
  fullRecordsMs: number;
}

interface StorageResult {
  error?: string;
  lists: {
    storedRuns: number;
    queriesPerRun: number;
    notices: number;
    seedMs: number;
    empty: ListingCosts;
    full: ListingCosts;
  };
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
  const l = r.lists;
  const many = `${l.storedRuns} stored runs of ${l.queriesPerRun.toLocaleString('en-US')} queries each`;
  return {
    name: 'Storage (IndexedDB, Chromium)',
    rows: [
      { metric: `write ${r.nodes} nodes (bursts of ${r.burst}, one transaction each)`, ms: Math.round(r.writeMs) },
      { metric: 'history view: list runs + count nodes + one depth', ms: +r.historyMs.toFixed(1) },
      { metric: `read all ${r.nodes} nodes of a run`, ms: Math.round(r.allMs) },
      { metric: 'list runs (listings), 1 stored run', ms: +l.empty.listMs.toFixed(1) },
      { metric: `list runs (listings), ${many}`, ms: +l.full.listMs.toFixed(1) },
      { metric: "a run's change notice: the app re-reads its listing, 1 stored run", ms: +l.empty.noticeMs.toFixed(2) },
      { metric: `a run's change notice: the app re-reads its listing, ${many}`, ms: +l.full.noticeMs.toFixed(2) },
      {
        metric: `for comparison: every whole run record (what each notice read twice before), ${many}`,
        ms: Math.round(l.full.fullRecordsMs),
      },
    ],
    targets: [
      { label: 'write 10,000 nodes < 5 s', value: `${(r.writeMs / 1000).toFixed(2)} s`, ok: r.writeMs < 5000 },
      { label: 'history view read < 200 ms', value: `${r.historyMs.toFixed(1)} ms`, ok: r.historyMs < 200 },
      // A running run's notice must cost the page about the same whatever History holds.
      {
        label: `change notice with ${l.storedRuns} stored runs < 3× one stored run's + 2 ms`,
        value: `${l.full.noticeMs.toFixed(2)} ms vs ${l.empty.noticeMs.toFixed(2)} ms`,
        ok: l.full.noticeMs < 3 * l.empty.noticeMs + 2,
      },
    ],
  };
}
