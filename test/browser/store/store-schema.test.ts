import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { ErrorName } from '../../../src/core/contracts/errors';
import { migrationsUpTo } from '../../../src/store/backends/migrations';
import { toRunListing } from '../../../src/store/run-listing';
import type { Migration } from '../../../src/store/backends/migrations';
import { CURRENT_SCHEMA, DB_VERSION, STORE } from '../../../src/store/schema';
import { openStore } from '../../../src/store/store';
import type { RunCheckpoint } from '../../../src/core/contracts/run-api';
import type { RunStatus } from '../../../src/core/contracts/run-events';
import type { RunRecord } from '../../../src/store/store';
import { artifact, config, evalJob, stats, uniqueDb } from '../../support/store';

let db = uniqueDb();
afterEach(async () => {
  vi.restoreAllMocks();
  await db.cleanup();
  db = uniqueDb();
});

/** The steps of the current version: the store's code writes this schema (an older one lacks its stores). */
const current = migrationsUpTo(DB_VERSION);

/** A run record as an older version stored it (written raw: today's store code writes today's schema). */
function oldRun(id: string, status: RunStatus, updatedAt: number, extra: Partial<RunRecord> = {}): RunRecord {
  const c = config({ trainQueries: Array.from({ length: 500 }, (_, i) => ({ id: `q${i}`, text: `Question ${i}?` })) });
  return {
    id,
    name: `Run ${id}`,
    config: c,
    status,
    progress: { depth: 1, maxDepth: 2, nodes: 3, calls: 4, generatedTokens: 40 },
    best: { nodeId: 'n1', prompt: 'P', reward: 4.2, depth: 1 },
    stats: stats(4),
    createdAt: 1,
    updatedAt,
    ...extra,
  };
}

function oldCheckpoint(runId: string): RunCheckpoint {
  return {
    format: 'drpo-checkpoint',
    version: 1,
    runId,
    config: config(),
    calls: { k: 'v' },
    nodes: [],
    stats: stats(4),
    savedAt: 1,
  };
}

/** A test-only step after the current version: a new index plus a rewrite of existing records. */
const next: Migration = (_db, tx) => {
  const runs = tx.objectStore('runs');
  runs.createIndex('byStatus' as never, 'status');
  void runs.openCursor().then(async function walk(cursor): Promise<void> {
    if (!cursor) return;
    const renamed = { ...cursor.value, name: `${cursor.value.name} (next)` };
    await Promise.all([cursor.update(renamed), tx.objectStore('runSummaries').put(toRunListing(renamed))]);
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
    const report = { format: 'drpo-eval', version: 1, candidates: [] };
    await s1.setSetting('eval:last', report);
    s1.close();
    const raw = await openDB(db.name, 1);
    const run = oldRun('kept', 'completed', 5, { name: 'Kept run' });
    await raw.put('runs', run);
    raw.close();

    const s2 = await db.open();
    expect(DB_VERSION).toBe(4);
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

  it('the real v2 → v3 step lists every run and drops the checkpoints of runs that cannot be resumed', async () => {
    (await db.open({ migrations: migrationsUpTo(2) })).close();
    const raw = await openDB(db.name, 2);
    const runs = [
      oldRun('done', 'completed', 10, { artifact: artifact({ outcome: 'improved' }) }),
      oldRun('cancelled', 'cancelled', 20),
      oldRun('budget', 'budget-exhausted', 30),
      oldRun('paused', 'paused', 40),
      oldRun('interrupted', 'running', 50),
      oldRun('failed', 'failed', 60, { error: { name: 'DeviceLostError', message: 'The GPU was lost.' } }),
    ];
    for (const r of runs) {
      await raw.put('runs', r);
      await raw.put('checkpoints', oldCheckpoint(r.id));
    }
    raw.close();

    const store = await db.open();
    const listed = await store.listRuns();
    expect(listed.map((r) => r.id)).toEqual(['failed', 'interrupted', 'paused', 'budget', 'cancelled', 'done']);
    expect(listed.map((r) => r.resumable)).toEqual([true, true, true, false, false, false]);
    expect((await store.listUnfinishedRuns()).map((r) => r.id)).toEqual(['failed', 'interrupted', 'paused']);
    // A listing holds what lists show, not the queries or the whole result.
    const done = listed.find((r) => r.id === 'done')!;
    expect(done).toMatchObject({ name: 'Run done', status: 'completed', best: runs[0]!.best, stats: stats(4) });
    expect(done.config).toEqual({ preset: runs[0]!.config.preset, roles: runs[0]!.config.roles });
    expect(done.result).toEqual({ outcome: 'improved', scores: runs[0]!.artifact!.scores });
    expect(JSON.stringify(done)).not.toContain('Question 1?');
    expect(listed.find((r) => r.id === 'failed')?.error?.name).toBe('DeviceLostError');
    for (const id of ['done', 'cancelled', 'budget']) expect(await store.getCheckpoint(id), id).toBeUndefined();
    for (const id of ['paused', 'interrupted', 'failed'])
      expect(await store.getCheckpoint(id), id).toEqual(oldCheckpoint(id));
    // The records themselves are untouched.
    expect(await store.getRun('done')).toEqual(runs[0]);
  });

  it('the real v2 → v3 step lists a run whose record lacks a field, and the runs after it', async () => {
    (await db.open({ migrations: migrationsUpTo(2) })).close();
    const raw = await openDB(db.name, 2);
    // An artifact without scores (required since ba19f93): building its listing used to throw, which ended the
    // walk unseen and left every later run (in key order) unlisted.
    const { scores: _dropped, ...noScores } = artifact({ outcome: 'improved' });
    const odd = oldRun('a-odd', 'completed', 10, { artifact: noScores as never });
    const later = oldRun('b-later', 'paused', 20);
    await raw.put('runs', odd);
    await raw.put('runs', later);
    await raw.put('checkpoints', oldCheckpoint('b-later'));
    raw.close();

    const store = await db.open();
    const listed = await store.listRuns();
    expect(listed.map((r) => r.id)).toEqual(['b-later', 'a-odd']);
    // No scores, no figures to list: it lists as a run without a result, not a broken verdict.
    expect(listed[1]).toMatchObject({ name: 'Run a-odd', status: 'completed', result: null });
    expect(listed[0]?.resumable).toBe(true);
    // Listed, so its checkpoints are still kept (putCheckpoint refuses a run it cannot find listed).
    await store.putCheckpoint({ ...oldCheckpoint('b-later'), savedAt: 2 });
    expect((await store.getCheckpoint('b-later'))?.savedAt).toBe(2);
    store.close();
  });

  it('the real v2 → v3 step failing for another cause than a record aborts the upgrade: v2 and its data stay, the next open upgrades', async () => {
    (await db.open({ migrations: migrationsUpTo(2) })).close();
    const raw = await openDB(db.name, 2);
    const runs = [oldRun('a', 'completed', 10), oldRun('b', 'paused', 20), oldRun('c', 'cancelled', 30)];
    for (const r of runs) {
      await raw.put('runs', r);
      await raw.put('checkpoints', oldCheckpoint(r.id));
    }
    raw.close();
    // Storage refuses the second listing (as a full disk would): the walk stops part-way, for no record's fault.
    const put = IDBObjectStore.prototype.put;
    let listings = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'runSummaries' && ++listings === 2)
        throw new DOMException('The disk is full.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failed = await db.open();
    // This session goes on in memory and says why, with the cause.
    expect(failed.persistent).toBe(false);
    expect(failed.unavailableReason).toMatch(/AbortError/);
    // Not "private browsing": the data is there, untouched, and a reload tries again.
    expect(failed.unavailableReason).toMatch(
      /^DRPO Studio could not bring your saved runs .* They are untouched: reload the page to try again\./,
    );
    expect(failed.unavailableReason).not.toMatch(/private browsing/);
    expect(logged).toHaveBeenCalledWith('The run listing step (database v3) failed', expect.anything());
    failed.close();
    vi.restoreAllMocks();

    // Nothing of the step was committed: still version 2, no listings, every run and checkpoint as it was
    // (the step drops the checkpoints of runs that cannot be resumed: a, c).
    const after = await openDB(db.name);
    expect(after.version).toBe(2);
    expect([...after.objectStoreNames]).not.toContain('runSummaries');
    expect(await after.getAll('runs')).toEqual(runs);
    expect((await after.getAllKeys('checkpoints')).sort()).toEqual(['a', 'b', 'c']);
    after.close();

    // The next open tries again, and lists every run.
    const store = await db.open();
    expect(store.persistent).toBe(true);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(await store.getCheckpoint('a')).toBeUndefined();
    expect(await store.getCheckpoint('b')).toEqual(oldCheckpoint('b'));
    store.close();
  });

  it('the real v3 → v4 step indexes the stored runs and alignments by name: numbering and renames see them', async () => {
    const s3 = await db.open({ migrations: migrationsUpTo(3) });
    const runs = [await s3.createRun(config(), 'DRPO Quick'), await s3.createRun(config(), 'DRPO Quick (2)')];
    s3.close();
    // Alignments as a v3 page saved them (this page's saves look names up in the v4 index, which v3 lacks).
    const raw = await openDB(db.name, 3);
    let at = 0;
    const save = async (name: string, prompt: string) => {
      const record = { id: `a${at}`, name, artifact: artifact({ systemPrompt: prompt }), savedAt: ++at, source: 'run' };
      await raw.put('alignments', record);
      return record;
    };
    const quick3 = await save('DRPO Quick (3)', 'Prompt 3.');
    const kept = await save('Kept', 'Prompt K.');
    // Two under one name, saved before names were checked: both stay, as they were.
    const twins = [await save('Twin', 'Prompt T1.'), await save('Twin', 'Prompt T2.')];
    // A record whose name is not a string (an old or hand-edited one): left out of the index, not a failed upgrade.
    const odd = { ...(await raw.get('alignments', kept.id)), id: 'odd', name: 42 };
    await raw.put('alignments', odd);
    const before = { runs: await raw.getAll('runs'), alignments: await raw.getAll('alignments') };
    raw.close();

    const store = await db.open();
    expect(store.persistent).toBe(true);
    expect((await store.nextRunName('DRPO Quick')).name).toBe('DRPO Quick (4)');
    expect((await store.createRun(config(), 'DRPO Quick', undefined, { numbered: true })).name).toBe('DRPO Quick (4)');
    await expect(store.renameAlignment(kept.id, 'DRPO Quick (3)')).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
    });
    await expect(store.renameAlignment(kept.id, 'Twin')).rejects.toMatchObject({ name: ErrorName.InvalidInput });
    expect((await store.renameAlignment(twins[0]!.id, 'Twin')).name).toBe('Twin');
    expect((await store.renameAlignment(twins[1]!.id, 'Twin 2')).name).toBe('Twin 2');
    store.close();

    // Nothing stored was lost or changed, but for the one rename.
    const after = await openDB(db.name);
    expect(after.version).toBe(4);
    const alignments = await after.getAll('alignments');
    expect(alignments).toHaveLength(before.alignments.length);
    const changed = alignments.filter(
      (a) => JSON.stringify(a) !== JSON.stringify(before.alignments.find((b) => b.id === a.id)),
    );
    expect(changed.map((a) => [a.id, a.name])).toEqual([[twins[1]!.id, 'Twin 2']]);
    for (const r of before.runs) expect(await after.get('runs', r.id)).toEqual(r);
    expect((await after.getAll('runs')).map((r) => r.id)).toHaveLength(runs.length + 1);
    expect(await after.transaction('alignments').store.index('byName').getAllKeys('DRPO Quick (3)')).toEqual([
      quick3.id,
    ]);
    after.close();
  });

  it('data saved by a newer version of the page: this session runs in memory and says the data is safe', async () => {
    (await db.open()).close();
    (await openDB(db.name, DB_VERSION + 1)).close();
    const store = await db.open();
    expect(store.persistent).toBe(false);
    expect(store.unavailableReason).toMatch(
      /^Your saved runs and alignments were last saved by a newer version .* reload the page to get the newer version\./,
    );
    expect(store.unavailableReason).toMatch(/VersionError/);
    store.close();
    const after = await openDB(db.name);
    expect(after.version).toBe(DB_VERSION + 1);
    after.close();
  });

  it('on open, runs without a listing are listed again and listings without a run dropped', async () => {
    const s1 = await db.open();
    const kept = await s1.createRun(config(), 'Kept');
    s1.close();
    // As a v3 step that stopped part-way left it: a record with no listing (and a listing with no record).
    const raw = await openDB(db.name, DB_VERSION);
    const hidden = oldRun('hidden', 'paused', 20);
    await raw.put('runs', hidden);
    await raw.put('checkpoints', oldCheckpoint('hidden'));
    await raw.put('runSummaries', { ...(await raw.get('runSummaries', kept.id))!, id: 'gone' });
    raw.close();

    const store = await db.open();
    const listed = await store.listRuns();
    expect(listed.map((r) => r.id).sort()).toEqual([kept.id, 'hidden'].sort());
    expect(listed.find((r) => r.id === 'hidden')).toMatchObject({ name: 'Run hidden', resumable: true });
    store.close();
  });

  it('current → next (test-only step): stored data survives and the next step runs', async () => {
    const s1 = await db.open({ migrations: current });
    const run = await s1.createRun(config(), 'Old run');
    s1.close();

    const s2 = await db.open({ migrations: [...current, next] });
    expect(await s2.getRun(run.id)).toMatchObject({ id: run.id, name: 'Old run (next)', status: 'pending' });
    // A step that rewrites run records rebuilds their listings too (else lists show the old names).
    expect((await s2.listRuns()).map((r) => [r.id, r.name])).toEqual([[run.id, 'Old run (next)']]);
    s2.close();

    const raw = await openDB(db.name);
    expect(raw.version).toBe(DB_VERSION + 1);
    const byStatus = await raw.transaction('runs').store.index('byStatus').getAll('pending');
    expect(byStatus.map((r: { id: string }) => r.id)).toEqual([run.id]);
    raw.close();
  });

  it('blocked upgrade: onBlocked fires while an old connection stays open, then the upgrade completes', async () => {
    const s1 = await db.open({ migrations: current });
    const run = await s1.createRun(config());
    s1.close();
    // An old tab that does not react to versionchange.
    const old = await openDB(db.name, DB_VERSION);
    const onBlocked = vi.fn();
    const opening = db.open({ migrations: [...current, next], onBlocked });
    await vi.waitFor(() => expect(onBlocked).toHaveBeenCalled());
    expect(onBlocked.mock.calls[0]![0]).toMatch(/Close other DRPO Studio tabs/);
    old.close();
    const s2 = await opening;
    expect((await s2.getRun(run.id))?.id).toBe(run.id);
  });

  it('blocking: an open store closes itself for a newer version and says so', async () => {
    const onVersionChange = vi.fn();
    const s1 = await db.open({ migrations: current, onVersionChange });
    const onBlocked = vi.fn();
    const s2 = await db.open({ migrations: [...current, next], onBlocked });
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
