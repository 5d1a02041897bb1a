import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorName } from '../../../src/core/contracts/errors';
import type { RunCheckpoint } from '../../../src/core/contracts/run-api';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import { createRunSink } from '../../../src/store/store-sink';
import { USAGE_EVENT_EVERY } from '../../../src/store/run-progress';
import type { Store } from '../../../src/store/store';
import { createStore } from '../../../src/store/store-impl';
import { createMemoryBackend } from '../../../src/store/backends/memory-backend';
import { openIdbBackend } from '../../../src/store/backends/idb-backend';
import { MIGRATIONS } from '../../../src/store/backends/migrations';
import { STORE } from '../../../src/store/schema';
import type { Backend } from '../../../src/store/backends/backend';
import { artifact, burst, config, node, stats, uniqueDb } from '../../support/store';

let db = uniqueDb();
afterEach(async () => {
  vi.restoreAllMocks();
  await db.cleanup();
  db = uniqueDb();
});

function checkpoint(runId: string): RunCheckpoint {
  return {
    format: 'drpo-checkpoint',
    version: 1,
    runId,
    config: config(),
    calls: { k1: { text: 'cached' } },
    nodes: [node('root', 0)],
    stats: stats(3),
    savedAt: 5,
  };
}

// The same logic runs on both backends; every behaviour here must hold for each.
describe.each([
  ['IndexedDB', false],
  ['memory', true],
])('runs on %s', (_label, forceMemory) => {
  const open = () => db.open({ forceMemory });

  it('createRun / getRun / listRuns newest first / updateRun / renameRun', async () => {
    const store = await open();
    expect(store.persistent).toBe(!forceMemory);
    const a = await store.createRun(config(), 'First');
    expect(a).toMatchObject({ name: 'First', status: 'pending', best: null, progress: { depth: 0, nodes: 0 } });
    expect(a.progress.maxDepth).toBe(a.config.settings.depth);
    await new Promise((r) => setTimeout(r, 5));
    const b = await store.createRun(config({ name: 'From config' }));
    expect(b.name).toBe('From config');
    expect((await store.listRuns()).map((r) => r.id)).toEqual([b.id, a.id]);

    await new Promise((r) => setTimeout(r, 5));
    const updated = await store.updateRun(a.id, { status: 'paused' });
    expect(updated.status).toBe('paused');
    expect(updated.updatedAt).toBeGreaterThan(a.updatedAt);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await store.renameRun(a.id, '  Renamed  ')).name).toBe('Renamed');
    expect((await store.getRun(a.id))?.name).toBe('Renamed');
  });

  it('refuses bad names, unknown runs and duplicate ids without changing anything', async () => {
    const store = await open();
    const run = await store.createRun(config(), 'Keep');
    await expect(store.renameRun(run.id, '   ')).rejects.toMatchObject({ name: ErrorName.InvalidInput });
    await expect(store.renameRun(run.id, 'x'.repeat(201))).rejects.toMatchObject({ name: ErrorName.InvalidInput });
    await expect(store.updateRun('nope', { status: 'paused' })).rejects.toMatchObject({ name: ErrorName.Gone });
    await expect(store.createRun(config(), 'Dup', run.id)).rejects.toMatchObject({ name: ErrorName.InvalidInput });
    expect(await store.getRun(run.id)).toEqual(run);
  });

  it('the sink writes a burst: nodes, events, progress, best; replay is a no-op', async () => {
    const store = await open();
    const run = await store.createRun(config());
    const sink = createRunSink(store);
    const events = burst(run.id);
    await sink.onEvents(run.id, events);

    const nodes = await store.getNodes(run.id);
    expect(nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'root']);
    expect(nodes.every((n) => n.runId === run.id)).toBe(true);
    expect((await store.getNodesAtDepth(run.id, 1)).map((n) => n.id).sort()).toEqual(['a', 'b']);
    expect(await store.countNodes(run.id)).toBe(3);

    // The usage event at 9 calls is dropped from the log, the one at 10 (a multiple of N) kept.
    expect(USAGE_EVENT_EVERY).toBe(10);
    const logged = await store.getEvents(run.id);
    expect(logged.map((e) => e.at)).toEqual([1, 2, 3, 5, 6, 7, 8, 9]);

    const after = await store.getRun(run.id);
    expect(after).toMatchObject({
      status: 'running',
      stage: 'search',
      best: { nodeId: 'a', reward: 4.5 },
      progress: { depth: 1, maxDepth: 4, nodes: 3, calls: 10, generatedTokens: 100 },
    });
    expect(after?.stats.calls).toBe(10);

    await sink.onEvents(run.id, events);
    expect(await store.countNodes(run.id)).toBe(3);
    expect((await store.getEvents(run.id)).length).toBe(8);
    expect((await store.getRun(run.id))?.progress).toEqual(after?.progress);
  });

  it('run-finished and error set the final status', async () => {
    const store = await open();
    const sink = createRunSink(store);
    const done = await store.createRun(config());
    const best = { nodeId: 'a', prompt: 'P', reward: 4.8, depth: 2 };
    await sink.onEvents(done.id, [
      { runId: done.id, at: 1, type: 'run-finished', status: 'completed', best, stats: stats(42), artifact: null },
    ]);
    expect(await store.getRun(done.id)).toMatchObject({
      status: 'completed',
      best,
      stage: 'done',
      progress: { calls: 42 },
    });

    const failed = await store.createRun(config());
    const error = { name: ErrorName.DeviceLost, message: 'The GPU was lost.' };
    await sink.onEvents(failed.id, [{ runId: failed.id, at: 1, type: 'error', error }]);
    expect(await store.getRun(failed.id)).toMatchObject({ status: 'failed', error });
  });

  it('checkpoints: put/get, unfinished runs need one, events for a deleted run are dropped', async () => {
    const store = await open();
    const sink = createRunSink(store);
    const paused = await store.createRun(config());
    const noCheckpoint = await store.createRun(config());
    await store.updateRun(paused.id, { status: 'paused' });
    await store.updateRun(noCheckpoint.id, { status: 'paused' });
    await sink.onCheckpoint(paused.id, checkpoint(paused.id));
    expect(await store.getCheckpoint(paused.id)).toEqual(checkpoint(paused.id));
    expect((await store.listUnfinishedRuns()).map((r) => r.id)).toEqual([paused.id]);
    await store.updateRun(paused.id, { status: 'completed' });
    expect(await store.listUnfinishedRuns()).toEqual([]);

    await store.deleteRun(noCheckpoint.id);
    await sink.onEvents(noCheckpoint.id, burst(noCheckpoint.id));
    await sink.onCheckpoint(noCheckpoint.id, checkpoint(noCheckpoint.id));
    expect(await store.countNodes(noCheckpoint.id)).toBe(0);
    expect(await store.getCheckpoint(noCheckpoint.id)).toBeUndefined();
  });

  it('deleteRun removes run, nodes, events and checkpoint, and leaves other runs alone', async () => {
    const store = await open();
    const sink = createRunSink(store);
    const gone = await store.createRun(config());
    const kept = await store.createRun(config());
    for (const r of [gone, kept]) {
      await sink.onEvents(r.id, burst(r.id));
      await sink.onCheckpoint(r.id, checkpoint(r.id));
    }
    await store.deleteRun(gone.id);
    expect(await store.getRun(gone.id)).toBeUndefined();
    expect(await store.getNodes(gone.id)).toEqual([]);
    expect(await store.getEvents(gone.id)).toEqual([]);
    expect(await store.getCheckpoint(gone.id)).toBeUndefined();
    expect(await store.countNodes(kept.id)).toBe(3);
    expect((await store.getEvents(kept.id)).length).toBe(8);
    expect(await store.getCheckpoint(kept.id)).toBeDefined();
  });

  it('onChange hears run writes', async () => {
    const store = await open();
    const seen: string[] = [];
    const off = store.onChange((c) => seen.push(c.kind));
    const run = await store.createRun(config());
    await createRunSink(store).onEvents(run.id, burst(run.id));
    // A second change to the same run within the change window is heard at the window's end.
    await expect.poll(() => seen.length).toBe(2);
    off();
    await store.deleteRun(run.id);
    expect(seen).toEqual(['runs', 'runs']);
  });

  it('a run that can no longer be resumed keeps no checkpoint; a paused, failed or interrupted one keeps it', async () => {
    const store = await open();
    const sink = createRunSink(store);
    const finish = async (status: 'completed' | 'cancelled' | 'budget-exhausted' | 'paused') => {
      const run = await store.createRun(config());
      await sink.onEvents(run.id, burst(run.id));
      await sink.onCheckpoint(run.id, checkpoint(run.id));
      await sink.onEvents(run.id, [
        { runId: run.id, at: 20, type: 'run-finished', status, best: null, stats: stats(12), artifact: null },
      ]);
      return run.id;
    };
    const completed = await finish('completed');
    const cancelled = await finish('cancelled');
    const outOfBudget = await finish('budget-exhausted');
    const paused = await finish('paused');
    const failed = await store.createRun(config());
    await sink.onCheckpoint(failed.id, checkpoint(failed.id));
    await sink.onEvents(failed.id, [
      { runId: failed.id, at: 1, type: 'error', error: { name: ErrorName.DeviceLost, message: 'The GPU was lost.' } },
    ]);
    const interrupted = await store.createRun(config());
    await sink.onEvents(interrupted.id, burst(interrupted.id));
    await sink.onCheckpoint(interrupted.id, checkpoint(interrupted.id));
    // Cancelled from the page (updateRun), as the run controller records an outcome.
    const fromPage = await store.createRun(config());
    await sink.onCheckpoint(fromPage.id, checkpoint(fromPage.id));
    await store.updateRun(fromPage.id, { status: 'cancelled' });

    for (const id of [completed, cancelled, outOfBudget, fromPage.id]) {
      expect(await store.getCheckpoint(id), id).toBeUndefined();
    }
    for (const id of [paused, failed.id, interrupted.id]) expect(await store.getCheckpoint(id), id).toBeDefined();
    expect((await store.listUnfinishedRuns()).map((r) => r.id).sort()).toEqual(
      [paused, failed.id, interrupted.id].sort(),
    );
    // A late checkpoint (the engine's last one after its final events) does not bring it back.
    await sink.onCheckpoint(completed, checkpoint(completed));
    expect(await store.getCheckpoint(completed)).toBeUndefined();
  });

  it('lists runs from their listings, never reading a run record; a listing follows every write', async () => {
    const backend = forceMemory
      ? createMemoryBackend('test')
      : await openIdbBackend({ name: db.name, steps: MIGRATIONS });
    const touched: string[] = [];
    const spy: Backend = {
      ...backend,
      run: (stores, mode, fn) =>
        backend.run(stores, mode, (tx) =>
          fn({
            store: (name) => {
              touched.push(name);
              return tx.store(name);
            },
          }),
        ),
    };
    const store = createStore(spy, db.name);
    try {
      const big = config({ trainQueries: Array.from({ length: 2000 }, (_, i) => ({ id: `q${i}`, text: `Q${i}?` })) });
      const a = await store.createRun(big, 'A');
      const b = await store.createRun(big, 'B');
      await createRunSink(store).onEvents(a.id, burst(a.id));
      await store.updateRun(b.id, { status: 'completed', artifact: artifact({ outcome: 'improved' }) });
      await store.renameRun(a.id, 'A renamed');

      touched.length = 0;
      const listed = await store.listRuns();
      const one = await store.getRunListing(b.id);
      await store.listUnfinishedRuns();
      expect(touched).not.toContain(STORE.runs);
      expect(new Set(touched)).toEqual(new Set([STORE.runSummaries, STORE.checkpoints]));

      expect(listed.map((r) => [r.id, r.name, r.status])).toEqual([
        [a.id, 'A renamed', 'running'],
        [b.id, 'B', 'completed'],
      ]);
      expect(listed[0]).toMatchObject({ progress: { nodes: 3, calls: 10 }, best: { nodeId: 'a' }, stage: 'search' });
      expect(one).toMatchObject({ id: b.id, result: { outcome: 'improved', scores: artifact().scores } });
      expect(one?.config).toEqual({ preset: big.preset, roles: big.roles });
      expect(JSON.stringify(listed)).not.toContain('Q1999?');
      await store.deleteRun(b.id);
      expect(await store.getRunListing(b.id)).toBeUndefined();
      expect((await store.listRuns()).map((r) => r.id)).toEqual([a.id]);
    } finally {
      store.close();
    }
  });
});

describe('failures on IndexedDB', () => {
  it('quota exceeded mid-burst: AppError Quota and nothing of the burst is kept', async () => {
    const store: Store = await db.open();
    const run = await store.createRun(config());
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'events') throw new DOMException('Quota exceeded.', 'QuotaExceededError');
      return realPut.apply(this, args);
    });
    const events: RunEvent[] = burst(run.id);
    const err = await createRunSink(store)
      .onEvents(run.id, events)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: ErrorName.Quota,
      // What happened; how to make room is the page's Quota hint (test/unit/ui/error-messages.test.ts).
      message: expect.stringMatching(/ran out of storage.*not saved\.$/s),
    });
    vi.restoreAllMocks();

    expect(await store.getNodes(run.id)).toEqual([]);
    expect(await store.getEvents(run.id)).toEqual([]);
    expect(await store.getRun(run.id)).toEqual(run);
    // The store stays usable afterwards.
    await createRunSink(store).onEvents(run.id, events);
    expect(await store.countNodes(run.id)).toBe(3);
  });

  it('deleteRun is all-or-nothing: a failure while deleting events keeps the run whole', async () => {
    const store = await db.open();
    const run = await store.createRun(config());
    await createRunSink(store).onEvents(run.id, burst(run.id));
    const realDelete = IDBObjectStore.prototype.delete;
    vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'events') throw new DOMException('Disk I/O failed.', 'UnknownError');
      return realDelete.apply(this, args);
    });
    await expect(store.deleteRun(run.id)).rejects.toMatchObject({
      name: ErrorName.StorageUnavailable,
      message: expect.stringMatching(/Browser storage failed: Disk I\/O failed/),
    });
    vi.restoreAllMocks();
    expect((await store.getRun(run.id))?.id).toBe(run.id);
    expect(await store.countNodes(run.id)).toBe(3);
    expect((await store.getEvents(run.id)).length).toBe(8);
  });

  it('data survives closing and reopening', async () => {
    const s1 = await db.open();
    const run = await s1.createRun(config());
    await createRunSink(s1).onEvents(run.id, burst(run.id));
    s1.close();
    const s2 = await db.open();
    expect(await s2.countNodes(run.id)).toBe(3);
    expect((await s2.getRun(run.id))?.best?.nodeId).toBe('a');
  });
});
