import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { ErrorName } from '../../../src/core/contracts/errors';
import { migrationsUpTo } from '../../../src/store/migrations';
import type { Migration } from '../../../src/store/migrations';
import { CURRENT_SCHEMA, DB_VERSION, STORE } from '../../../src/store/schema';
import { openStore } from '../../../src/store/store';
import { config, evalJob, uniqueDb } from '../../support/store';

let db = uniqueDb();
afterEach(async () => {
  vi.restoreAllMocks();
  await db.cleanup();
  db = uniqueDb();
});

/** A test-only v2 step: a new index plus a rewrite of existing records. */
const v2: Migration = (_db, tx) => {
  const runs = tx.objectStore('runs');
  runs.createIndex('byStatus' as never, 'status');
  void runs.openCursor().then(async function walk(cursor): Promise<void> {
    if (!cursor) return;
    await cursor.update({ ...cursor.value, name: `${cursor.value.name} (v2)` });
    return walk(await cursor.continue());
  });
};

describe('schema', () => {
  it('the migrations create every store and index exactly as CURRENT_SCHEMA says', async () => {
    const store = await db.open();
    expect(store.persistent).toBe(true);
    store.close();
    const raw = await openDB(db.name);
    expect(raw.version).toBe(DB_VERSION);
    expect([...raw.objectStoreNames].sort()).toEqual(Object.values(STORE).sort());
    const tx = raw.transaction([...raw.objectStoreNames], 'readonly');
    for (const [name, def] of Object.entries(CURRENT_SCHEMA)) {
      const os = tx.objectStore(name);
      expect(os.keyPath, name).toEqual(def.keyPath);
      expect(os.autoIncrement, name).toBe(def.autoIncrement);
      expect([...os.indexNames].sort(), name).toEqual(Object.keys(def.indexes).sort());
      for (const [index, path] of Object.entries(def.indexes)) expect(os.index(index).keyPath).toEqual(path);
    }
    raw.close();
  });

  it('the real v1 → v2 step adds evaluations and moves the old last report into it', async () => {
    const s1 = await db.open({ migrations: migrationsUpTo(1) });
    const run = await s1.createRun(config(), 'Kept run');
    const report = { format: 'drpo-eval', version: 1, candidates: [] };
    await s1.setSetting('eval:last', report);
    s1.close();

    const s2 = await db.open();
    expect(DB_VERSION).toBe(2);
    expect(await s2.getRun(run.id)).toMatchObject({ id: run.id, name: 'Kept run' });
    const evaluations = await s2.listEvaluations();
    expect(evaluations.map((e) => e.report)).toEqual([report]);
    expect(await s2.getSetting('eval:last')).toBeUndefined();
    // A new evaluation (as the page writes one: created, then its report) lists before the moved one.
    const saved = await s2.createEvaluation({ name: 'Second', job: evalJob() });
    const second = { ...report, version: 1 } as never;
    await s2.updateEvaluation(saved.id, { status: 'completed', report: second });
    const both = await s2.listEvaluations();
    expect(both.map((e) => e.id)).toEqual([saved.id, evaluations[0]!.id]);
    expect(both.map((e) => e.report)).toEqual([second, report]);
    await s2.deleteEvaluation(saved.id);
    expect(await s2.listEvaluations()).toHaveLength(1);
    s2.close();
  });

  it('v1 → v2 (test-only step): data written at v1 survives and the v2 step runs', async () => {
    const s1 = await db.open({ migrations: migrationsUpTo(1) });
    const run = await s1.createRun(config(), 'Old run');
    s1.close();

    const s2 = await db.open({ migrations: [...migrationsUpTo(1), v2] });
    expect(await s2.getRun(run.id)).toMatchObject({ id: run.id, name: 'Old run (v2)', status: 'pending' });
    s2.close();

    const raw = await openDB(db.name);
    expect(raw.version).toBe(2);
    const byStatus = await raw.transaction('runs').store.index('byStatus').getAll('pending');
    expect(byStatus.map((r: { id: string }) => r.id)).toEqual([run.id]);
    raw.close();
  });

  it('blocked upgrade: onBlocked fires while an old connection stays open, then the upgrade completes', async () => {
    const s1 = await db.open({ migrations: migrationsUpTo(1) });
    const run = await s1.createRun(config());
    s1.close();
    // An old tab that does not react to versionchange.
    const old = await openDB(db.name, 1);
    const onBlocked = vi.fn();
    const opening = db.open({ migrations: [...migrationsUpTo(1), v2], onBlocked });
    await vi.waitFor(() => expect(onBlocked).toHaveBeenCalled());
    expect(onBlocked.mock.calls[0]![0]).toMatch(/Close other DRPO Studio tabs/);
    old.close();
    const s2 = await opening;
    expect((await s2.getRun(run.id))?.id).toBe(run.id);
  });

  it('blocking: an open store closes itself for a newer version and says so', async () => {
    const onVersionChange = vi.fn();
    const s1 = await db.open({ migrations: migrationsUpTo(1), onVersionChange });
    const onBlocked = vi.fn();
    const s2 = await db.open({ migrations: [...migrationsUpTo(1), v2], onBlocked });
    expect(onVersionChange).toHaveBeenCalledWith(expect.stringMatching(/Reload this page/));
    expect(onBlocked).not.toHaveBeenCalled();
    await expect(s1.listRuns()).rejects.toMatchObject({ name: ErrorName.StorageUnavailable });
    expect(await s2.listRuns()).toEqual([]);
  });
});

describe('memory fallback', () => {
  it('when indexedDB.open throws, openStore returns a working in-memory store', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    });
    const store = await openStore({ name: db.name });
    expect(store.persistent).toBe(false);
    expect(store.unavailableReason).toMatch(/private browsing/);
    const run = await store.createRun(config());
    expect((await store.listRuns()).map((r) => r.id)).toEqual([run.id]);
    await store.setSetting('theme', 'dark');
    expect(await store.getSetting('theme')).toBe('dark');
    store.close();
  });

  it('when indexedDB is missing entirely', async () => {
    vi.stubGlobal('indexedDB', undefined);
    try {
      const store = await openStore({ name: db.name });
      expect(store.persistent).toBe(false);
      store.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
