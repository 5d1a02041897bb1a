/**
 * Browser side of the storage benchmark: 10,000 nodes written through the run sink, then read back; then what
 * lists of runs cost with 200 stored runs with large query files, beside the same with one stored run.
 */
import { openDB } from 'idb';
import { openStore } from '../src/store/store';
import type { Store } from '../src/store/store';
import { StoredRuns } from '../src/ui/controllers/stored-runs';
import { createRunSink } from '../src/store/store-sink';
import { buildRunConfig } from '../src/core/plan/presets';
import type { RunEvent } from '../src/core/contracts/run-events';
import type { SearchNode } from '../src/core/contracts/search-node';

const NODES = 10_000;
// The worker's run pipe writes events in bursts of up to 20 (src/worker/run-pipe.ts).
const BURST = 20;

function node(i: number): SearchNode {
  const depth = Math.floor(i / 50);
  return {
    id: `d${depth}-n${i}`,
    parentId: i ? `d${Math.max(0, depth - 1)}-n${i - 1}` : null,
    depth,
    prompt: `You are a helpful assistant.\n- Rule ${i % 8}: be clear and kind.\n- Admit limitations.`,
    evaluations: [
      {
        queryId: `q${i % 64}`,
        query: 'How do I keep basil alive on a windowsill?',
        answer: 'Give it at least six hours of light, water when the top soil is dry, and pinch the tips. '.repeat(4),
        finishReason: 'stop',
        aspects: [
          { name: 'Helpfulness', reason: 'practical request' },
          { name: 'Clarity', reason: 'steps' },
        ],
        scores: [
          { aspect: 'Helpfulness', score: 4, rationale: 'Concrete steps.' },
          { aspect: 'Clarity', score: 5, rationale: 'Well organised.' },
        ],
        reward: 4.5,
      },
    ],
    reward: 4.5,
    pathReward: 4.2,
    carriedForward: false,
    parseFailures: [],
    createdAt: Date.now(),
  };
}

const STORED_RUNS = 200;
const QUERIES_PER_RUN = 2000;
const NOTICES = 50;

async function timed(fn: () => Promise<unknown>, times = 1): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < times; i++) await fn();
  return (performance.now() - t) / times;
}

/**
 * What lists cost: every listing (History, the app's first reading), one run's listing as the app re-reads on a
 * running run's change notice (StoredRuns.runChanged, averaged over NOTICES), and for comparison a getAll of the
 * whole run records, which every notice cost before listings (twice).
 */
async function listingCosts(store: Store, dbName: string, liveId: string) {
  const lists = new StoredRuns(() => undefined);
  await lists.use(store);
  const raw = await openDB(dbName);
  const out = {
    listMs: await timed(() => store.listRuns(), 3),
    noticeMs: await timed(() => lists.runChanged(liveId), NOTICES),
    fullRecordsMs: await timed(() => raw.getAll('runs'), 3),
  };
  raw.close();
  return out;
}

async function listing() {
  const name = `drpo-bench-list-${Date.now()}`;
  const store = await openStore({ name });
  const queries = Array.from({ length: QUERIES_PER_RUN }, (_, i) => ({
    id: `q${i}`,
    text: `How do I keep plant number ${i} alive on a sunny windowsill in winter, and how often should I water it?`,
  }));
  const big = buildRunConfig('quick', { trainQueries: queries });
  const live = await store.createRun(buildRunConfig('quick', {}), 'live');
  const empty = await listingCosts(store, name, live.id);
  const t0 = performance.now();
  for (let i = 0; i < STORED_RUNS - 1; i++) {
    const r = await store.createRun(big, `stored ${i}`);
    await store.updateRun(r.id, { status: 'completed' });
  }
  const seedMs = performance.now() - t0;
  const full = await listingCosts(store, name, live.id);
  const listed = (await store.listRuns()).length;
  store.close();
  await new Promise<void>((res) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => res();
  });
  return { storedRuns: listed, queriesPerRun: QUERIES_PER_RUN, notices: NOTICES, seedMs, empty, full };
}

async function main(): Promise<void> {
  const name = `drpo-bench-${Date.now()}`;
  const store = await openStore({ name });
  const config = buildRunConfig('quick', {});
  const run = await store.createRun(config, 'storage bench');
  const sink = createRunSink(store);
  const t0 = performance.now();
  for (let i = 0; i < NODES; i += BURST) {
    const events: RunEvent[] = [];
    for (let j = i; j < i + BURST; j++)
      events.push({ type: 'node-evaluated', runId: run.id, at: Date.now(), node: node(j) });
    await sink.onEvents(run.id, events);
  }
  const writeMs = performance.now() - t0;
  const t1 = performance.now();
  const runs = await store.listRuns();
  const count = await store.countNodes(run.id);
  const lastDepth = await store.getNodesAtDepth(run.id, Math.floor((NODES - 1) / 50));
  const historyMs = performance.now() - t1;
  const t2 = performance.now();
  const all = await store.getNodes(run.id);
  const allMs = performance.now() - t2;
  store.close();
  await new Promise<void>((res) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => res();
  });
  const lists = await listing();
  (window as unknown as { __benchResult: unknown }).__benchResult = {
    lists,
    nodes: NODES,
    burst: BURST,
    writeMs,
    historyMs,
    allMs,
    counted: count,
    runs: runs.length,
    lastDepthNodes: lastDepth.length,
    allNodes: all.length,
  };
}

main().catch((e) => {
  (window as unknown as { __benchResult: unknown }).__benchResult = { error: String(e?.stack ?? e) };
});
