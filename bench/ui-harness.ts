/**
 * Dev-only bench page: mounts <drpo-live-view> and feeds it a scripted 500-node event stream
 * through the same RunSession path the worker client uses (batches, structured-cloned like a
 * postMessage). Measures long tasks, dropped frames, heap and dispatch→paint latency per node,
 * then publishes `window.__benchResult`.
 */
import '../src/ui/drpo-live-view';
import type { DrpoLiveView } from '../src/ui/drpo-live-view';
import type { RunCheckpoint, RunResult } from '../src/core/run-api';
import type { RunConfig, RunEvent } from '../src/core/types';
import type { RunRecord, Store } from '../src/store/store';
import type { WorkerClient } from '../src/client/worker-client';
import { buildRunConfig } from '../src/core/presets';
import { emptyStats, syntheticRun } from '../test/browser/ui-live-fixtures';

export interface UiHarnessResult {
  nodes: number;
  batches: number;
  durationMs: number;
  longTasks: number;
  longestTaskMs: number;
  droppedFrames: number;
  worstFrameGapMs: number;
  heapMB: number | null;
  p50LatencyMs: number;
  p95LatencyMs: number;
  maxLatencyMs: number;
  domNodesInList: number;
  domNodesInTree: number;
  notPainted: number;
}

const params = new URLSearchParams(location.search);
const NODES = Number(params.get('nodes') ?? 500);
/** The worker delivers run events at most every 100 ms (src/worker/run-pipe.ts). */
const BATCH_MS = Number(params.get('batchMs') ?? 100);
/** Nodes per batch: 5 × 10/s = 50 nodes/s, far faster than any real run (seconds per node). */
const NODES_PER_BATCH = Number(params.get('perBatch') ?? 5);
const RUN_ID = 'bench-run';

const events = syntheticRun({ nodes: NODES, runId: RUN_ID, usagePerNode: 3 });
// Group like the worker's batcher: everything up to and including every NODES_PER_BATCH-th node.
const batches: RunEvent[][] = [];
let cur: RunEvent[] = [];
let inBatch = 0;
for (const e of events) {
  cur.push(e);
  if (e.type === 'node-evaluated') inBatch++;
  if (inBatch >= NODES_PER_BATCH || e.type === 'run-finished') {
    batches.push(cur);
    cur = [];
    inBatch = 0;
  }
}
if (cur.length) batches.push(cur);

const config: RunConfig = buildRunConfig('quick', {
  roles: { policy: { engine: 'webllm', modelId: 'bench' } },
  trainQueries: [{ id: 'q', text: 'q' }],
});
const record: RunRecord = {
  id: RUN_ID,
  name: 'Streaming bench',
  config,
  status: 'pending',
  progress: { depth: 0, maxDepth: 0, nodes: 0, calls: 0, generatedTokens: 0 },
  best: null,
  stats: emptyStats(),
  createdAt: Date.now(),
  updatedAt: Date.now(),
};
const store = {
  getRun: async () => record,
  getEvents: async () => [],
  getNodes: async () => [],
  getCheckpoint: async () => undefined,
  updateRun: async () => record,
} as unknown as Store;

const dispatchedAt = new Map<string, number>();
let done: () => void = () => {};
const finished = new Promise<void>((r) => (done = r));

const client = {
  newJobId: () => 'bench-job',
  cancel: async () => {},
  startRun(_j: string, _c: RunConfig, _cp: RunCheckpoint | null, onEvents?: (e: RunEvent[]) => void) {
    return new Promise<RunResult>((resolve) => {
      let i = 0;
      const tick = () => {
        if (i >= batches.length) {
          resolve({ status: 'completed', best: null, artifact: null, stats: emptyStats(), nodes: [] });
          done();
          return;
        }
        const batch = structuredClone(batches[i++]!);
        const now = performance.now();
        for (const e of batch) if (e.type === 'node-evaluated') dispatchedAt.set(e.node.id, now);
        onEvents?.(batch);
        setTimeout(tick, BATCH_MS);
      };
      setTimeout(tick, BATCH_MS);
    });
  },
} as unknown as WorkerClient;

async function main(): Promise<void> {
  const longTasks: number[] = [];
  let t0 = Infinity;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.startTime >= t0) longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    // longtask is Chromium-only; the bench runs in Chromium.
  }

  const el = document.createElement('drpo-live-view') as DrpoLiveView;
  el.store = store;
  el.client = client;
  el.runId = RUN_ID;
  el.resume = true;
  document.getElementById('root')!.append(el);
  // Diagnostic: ?hide=drpo-beam-tree,drpo-reward-chart takes parts out of layout to find costs.
  const hide = params.get('hide');
  if (hide) {
    await el.updateComplete;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`${hide} { display: none !important; }`);
    el.shadowRoot!.adoptedStyleSheets = [...el.shadowRoot!.adoptedStyleSheets, sheet];
  }

  // Frame gaps and paint latency: each frame, look for dispatched nodes that reached the DOM;
  // the next frame callback is after that frame was presented.
  const latencies: number[] = [];
  let lastFrame = performance.now();
  let worstGap = 0;
  let dropped = 0;
  let seenInDom: string[] = [];
  let notPainted = 0;
  let running = true;
  const tree = () => el.shadowRoot?.querySelector('drpo-beam-tree')?.shadowRoot ?? null;
  const frame = (t: number) => {
    const gap = t - lastFrame;
    lastFrame = t;
    if (gap > 50) dropped++;
    worstGap = Math.max(worstGap, gap);
    for (const id of seenInDom) {
      latencies.push(t - dispatchedAt.get(id)!);
      dispatchedAt.delete(id);
    }
    seenInDom = [];
    const root = tree();
    if (root) {
      for (const [id, at] of dispatchedAt) {
        if (root.querySelector(`.node[data-id="${id}"]`)) seenInDom.push(id);
        else if (t - at > 5000) {
          // Never showed up (e.g. scrolled out of the virtualized range): counted, not timed.
          dispatchedAt.delete(id);
          notPainted++;
        }
      }
    }
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  // The first mount is page start-up, not streaming: measure from the first frame after it.
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  t0 = performance.now();
  performance.mark('drpo-stream-start');
  await finished;
  // Let the last batches fold and paint.
  await new Promise((r) => setTimeout(r, 300));
  running = false;
  performance.mark('drpo-stream-end');
  const durationMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  const list = el.shadowRoot?.querySelector('drpo-node-list')?.shadowRoot;
  const result: UiHarnessResult = {
    nodes: el.run.vm?.order.length ?? 0,
    batches: batches.length,
    durationMs: Math.round(durationMs),
    longTasks: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    droppedFrames: dropped,
    worstFrameGapMs: Math.round(worstGap),
    heapMB: mem ? +(mem.usedJSHeapSize / 1048576).toFixed(1) : null,
    p50LatencyMs: +q(0.5).toFixed(1),
    p95LatencyMs: +q(0.95).toFixed(1),
    maxLatencyMs: +(latencies[latencies.length - 1] ?? NaN).toFixed(1),
    domNodesInList: list?.querySelectorAll('[role="option"]').length ?? 0,
    domNodesInTree: tree()?.querySelectorAll('.node').length ?? 0,
    notPainted,
  };
  (window as unknown as { __benchResult: UiHarnessResult }).__benchResult = result;
}

void main();
