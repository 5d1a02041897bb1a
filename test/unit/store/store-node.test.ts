// Node-side checks on fake-indexeddb: the store runs outside a page too, and the real published
// DRPO file (shared data, outside the repo) imports. Browser tests cover real IndexedDB.
import 'fake-indexeddb/auto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deleteDB, openDB } from 'idb';
import { canonicalJson, contentHash } from '../../../src/store/content-hash';
import { linkArtifact } from '../../../src/core/formats/link-codec';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorName } from '../../../src/core/contracts/errors';
import { buildRunConfig, PRESETS } from '../../../src/core/plan/presets';
import { emptyStats } from '../../../src/core/calls/call-gateway';
import { createRunSink } from '../../../src/store/store-sink';
import { evalJob } from '../../support/store';
import { sampleArtifact } from '../../support/artifacts';
import { createLibrary, persistenceAsker, type Notifier } from '../../../src/store/store-library';
import { createMemoryBackend } from '../../../src/store/backends/memory-backend';
import type { StoreChange } from '../../../src/store/store';
import { listedBefore, openStore } from '../../../src/store/store';
import type { RunRecord, Store } from '../../../src/store/store';
import { toRunListing } from '../../../src/store/run-listing';
import { createStore } from '../../../src/store/store-impl';
import { openIdbBackend } from '../../../src/store/backends/idb-backend';
import { MIGRATIONS } from '../../../src/store/backends/migrations';
import type { Backend, Tx } from '../../../src/store/backends/backend';
import type { StoreName } from '../../../src/store/schema';

const PUBLISHED = path.resolve(process.cwd(), '../shared/data/drpo/published-prompts/gpt-3.5-turbo.json');

let n = 0;
let opened: { store: Store; name: string }[] = [];
async function open(): Promise<Store> {
  const name = `node-test-${n++}`;
  const store = await openStore({ name });
  opened.push({ store, name });
  return store;
}
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const { store, name } of opened) {
    store.close();
    await deleteDB(name);
  }
  opened = [];
});

describe('store on fake-indexeddb', () => {
  it('sink burst with a node lands in nodes, events and run progress', async () => {
    const store = await open();
    expect(store.persistent).toBe(true);
    const run = await store.createRun(buildRunConfig('quick', { name: 'Node run' }));
    const node = {
      id: 'root',
      parentId: null,
      depth: 0,
      prompt: 'You are a helpful assistant.',
      evaluations: [],
      reward: null,
      pathReward: 0,
      carriedForward: false,
      parseFailures: [],
      createdAt: 1,
    };
    await createRunSink(store).onEvents(run.id, [
      { runId: run.id, at: 1, type: 'stage-changed', stage: 'search' },
      { runId: run.id, at: 2, type: 'node-evaluated', node },
    ]);
    expect(await store.countNodes(run.id)).toBe(1);
    expect((await store.getEvents(run.id)).map((e) => e.type)).toEqual(['stage-changed', 'node-evaluated']);
    expect((await store.getRun(run.id))?.progress.nodes).toBe(1);
  });

  it('without indexedDB (Node, private mode) the store lives in memory', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const store = await openStore({ name: 'never-created' });
    expect(store.persistent).toBe(false);
    await store.saveDataset({ name: 'D', kind: 'eval', queries: [{ id: '1', text: 'Q?' }] });
    expect(await store.listDatasets()).toHaveLength(1);
    store.close();
  });

  it('lists runs in listedBefore order, ties in the same millisecond included, in IndexedDB and in memory', async () => {
    const config = buildRunConfig('quick', { name: 'Tie' });
    const ids = ['b', 'd', 'a', 'c', 'e'];
    const check = async (store: Store) => {
      const now = vi.spyOn(Date, 'now');
      // Two at one millisecond, then three at a later one: the id breaks each tie.
      for (const [i, id] of ids.entries()) {
        now.mockReturnValue(1_000 + (i < 2 ? 0 : 1));
        await store.createRun(config, id, id);
      }
      now.mockRestore();
      const listed = await store.listRuns();
      const ranked = [...listed].sort((a, b) => (listedBefore(a, b) ? -1 : listedBefore(b, a) ? 1 : 0));
      expect(listed.map((r) => r.id)).toEqual(['e', 'c', 'a', 'd', 'b']);
      expect(ranked.map((r) => r.id)).toEqual(listed.map((r) => r.id));
    };
    await check(await open());
    vi.stubGlobal('indexedDB', undefined);
    const memory = await openStore({ name: 'never-created-2' });
    await check(memory);
    memory.close();
  });

  it.skipIf(!existsSync(PUBLISHED))('imports the published DRPO prompt file from shared data', async () => {
    const store = await open();
    const rec = await store.importAlignmentFile(readFileSync(PUBLISHED, 'utf8'), 'gpt-3.5-turbo.json');
    expect(rec.source).toBe('drpo-import');
    expect(rec.artifact.systemPrompt.length).toBeGreaterThan(20);
    expect(rec.artifact.lineage.length).toBeGreaterThan(1);
    expect((await store.listAlignments()).map((a) => a.id)).toEqual([rec.id]);
  });

  it('stores an official DRPO file imported twice once, also when the first copy was hashed with its import time', async () => {
    const store = await open();
    const prompts = JSON.stringify({ 'level 1': { Prompt: 'Be kind.', 'Evaluation of the prompt': {} } });
    const examples = JSON.stringify([{ query: 'Hi?', answer: '<START>Hello.<END>' }]);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const first = await store.importAlignmentFile(prompts, 'tiny.json');
      const firstExamples = await store.importAlignmentFile(examples, 'icl.json');
      vi.setSystemTime(Date.now() + 60_000);
      const again = await store.importAlignmentFile(prompts, 'tiny.json');
      expect(again).toMatchObject({ id: first.id, existing: true });
      expect(await store.importAlignmentFile(examples, 'icl.json')).toMatchObject({
        id: firstExamples.id,
        existing: true,
      });
      // Stored before the import time stopped counting: its hash includes it, and it is still found.
      const db = await openDB(opened[0]!.name);
      await db.put('alignments', { ...first, contentHash: contentHash(canonicalJson(first.artifact)) });
      db.close();
      vi.setSystemTime(Date.now() + 60_000);
      expect(await store.importAlignmentFile(prompts, 'tiny.json')).toMatchObject({ id: first.id, existing: true });
      expect(await store.listAlignments()).toHaveLength(2);
      // Its share link (which leaves out the settings that mark it converted) is the same alignment.
      const link = linkArtifact(first.artifact)!;
      expect(link.settings).toEqual({});
      expect(await store.saveAlignment({ name: 'Link', artifact: link, source: 'link' })).toMatchObject({
        id: first.id,
        existing: true,
      });
      // Our own files keep their date as part of what they are: a copy made at another time is another one.
      const own = { ...first.artifact, settings: {}, name: 'Our own' };
      await store.saveAlignment({ name: 'A', artifact: own, source: 'file' });
      await store.saveAlignment({
        name: 'B',
        artifact: { ...own, createdAt: new Date().toISOString() },
        source: 'file',
      });
      expect(await store.listAlignments()).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stores a quick run’s file and its link, which carries how it answered, as one alignment', async () => {
    const store = await open();
    const file = sampleArtifact({ name: 'Quick', settings: { ...PRESETS.quick.settings, policyTemperature: 0.4 } });
    const link = linkArtifact(file)!;
    expect(link.settings).toEqual({ maxTokens: { policy: 320 }, policyTemperature: 0.4 });
    const saved = await store.saveAlignment({ name: 'From a link', artifact: link, source: 'link' });
    // The file then: "Already saved as", and the stored row gets what the link left out.
    expect(await store.findAlignment(file)).toMatchObject({ id: saved.id, lacksDetails: true });
    expect(await store.saveAlignment({ name: 'Quick', artifact: file, source: 'file' })).toMatchObject({
      id: saved.id,
      existing: true,
    });
    expect(await store.listAlignments()).toHaveLength(1);
    expect((await store.getAlignment(saved.id))!.artifact).toEqual(file);
    // Its link again, and a link made before links carried how it answered: the same alignment still.
    expect(await store.saveAlignment({ name: 'Again', artifact: link, source: 'link' })).toMatchObject({
      id: saved.id,
      existing: true,
    });
    const older = { ...link, settings: {} };
    expect(await store.saveAlignment({ name: 'Older', artifact: older, source: 'link' })).toMatchObject({
      id: saved.id,
      existing: true,
    });
    expect(await store.listAlignments()).toHaveLength(1);
  });

  it('saves other queries under a taken dataset name numbered, "q.csv (2)"; the same queries once, under their name', async () => {
    const store = await open();
    const one = await store.saveDataset({ name: 'q.csv', kind: 'train', queries: [{ id: '1', text: 'Why?' }] });
    const two = await store.saveDataset({ name: 'q.csv', kind: 'train', queries: [{ id: '1', text: 'How?' }] });
    const three = await store.saveDataset({ name: ' q.csv ', kind: 'train', queries: [{ id: '1', text: 'What?' }] });
    expect([one.name, two.name, three.name]).toEqual(['q.csv', 'q.csv (2)', 'q.csv (3)']);
    // The same queries again: stored once, under the name they were saved with first.
    const again = await store.saveDataset({ name: 'q.csv', kind: 'train', queries: [{ id: 'x', text: 'How?' }] });
    expect(again).toMatchObject({ id: two.id, name: 'q.csv (2)', existing: true });
    // Lists of another kind are apart (the Evaluate view lists eval sets, Data training sets): its name is free.
    const evalSet = await store.saveDataset({ name: 'q.csv', kind: 'eval', queries: [{ id: '1', text: 'Why?' }] });
    expect(evalSet.name).toBe('q.csv');
    expect((await store.listDatasets()).map((d) => d.name).sort()).toEqual([
      'q.csv',
      'q.csv',
      'q.csv (2)',
      'q.csv (3)',
    ]);
  });

  it('ends an import refusal with one period, also when the problem ends with its own', async () => {
    const store = await open();
    const newer = JSON.stringify({ ...sampleArtifact(), version: 2 });
    await expect(store.importAlignmentFile(newer, 'new.json')).rejects.toThrow(
      /^new\.json cannot be imported: version: this file was made by a newer DRPO Studio \(format version 2\); this one reads version 1\. Update the app to open it\.$/,
    );
    const broken = JSON.stringify({ ...sampleArtifact(), systemPrompt: 1, icl: 2, model: 3, judge: 4, preset: 5 });
    await expect(store.importAlignmentFile(broken, 'bad.json')).rejects.toThrow(/\(and \d+ more\)\.$/);
    expect(await store.listAlignments()).toEqual([]);
  });

  it("keeps a running evaluation: the worker's checkpoints, then the report; a deleted one stays deleted", async () => {
    const store = await open();
    const job = evalJob();
    const rec = await store.createEvaluation({ name: 'Baseline · now', job });
    expect(rec).toMatchObject({ status: 'running', job, progress: null });
    expect(rec.report).toBeUndefined();
    const stats = { ...emptyStats(), calls: 1 };
    const progress = { phase: 'answer' as const, done: 1, total: 2, candidate: 'Baseline', queryId: 'q1' };
    await createRunSink(store).onEvalCheckpoint!(rec.id, { calls: { k: { x: 1 } }, stats, progress });
    expect((await store.listEvaluations())[0]).toMatchObject({ id: rec.id, calls: { k: { x: 1 } }, progress });
    await store.updateEvaluation(rec.id, { status: 'completed', calls: undefined });
    const [done] = await store.listEvaluations();
    expect(done!.status).toBe('completed');
    expect('calls' in done!).toBe(false);
    await store.deleteEvaluation(rec.id);
    expect(await store.updateEvaluation(rec.id, { status: 'running' })).toBeUndefined();
    expect(await store.listEvaluations()).toEqual([]);
    // A caller may choose the id (to lock the evaluation before its record is announced).
    expect((await store.createEvaluation({ name: 'Chosen', job, id: 'eval-1' })).id).toBe('eval-1');
    expect((await store.listEvaluations())[0]!.id).toBe('eval-1');
  });
  it("writes an evaluation's checkpoints without a notice, and announces any other change of it", async () => {
    const heard: StoreChange[] = [];
    const notifier: Notifier = {
      emit: (c) => void heard.push(c),
      subscribe: () => () => undefined,
      delivered: async () => {},
      close: () => {},
    };
    const library = createLibrary(
      createMemoryBackend('test'),
      notifier,
      persistenceAsker(async () => false),
    );
    const job = evalJob();
    const rec = await library.createEvaluation({ name: 'Quiet', job });
    expect(heard).toEqual([{ kind: 'evaluations' }]);
    const stats = { ...emptyStats(), calls: 1 };
    const progress = { phase: 'answer' as const, done: 1, total: 2, candidate: 'Baseline', queryId: 'q1' };
    // The worker's sink, as it writes every checkpoint.
    await createRunSink(library as unknown as Store).onEvalCheckpoint!(rec.id, {
      calls: { k: { x: 1 } },
      hits: { k: 2 },
      stats,
      progress,
    });
    // The hits counted go with the calls: a resume must not count them again.
    expect((await library.listEvaluations())[0]).toMatchObject({ calls: { k: { x: 1 } }, hits: { k: 2 }, progress });
    expect(heard).toHaveLength(1);
    await library.updateEvaluation(rec.id, { status: 'completed', calls: undefined });
    expect(heard).toEqual([{ kind: 'evaluations' }, { kind: 'evaluations' }]);
    // A late checkpoint of a deleted evaluation does not bring it back.
    await library.deleteEvaluation(rec.id);
    await library.putEvalCheckpoint(rec.id, { calls: {}, stats, progress });
    expect(await library.listEvaluations()).toEqual([]);
  });
});

describe('run listings are built for any stored record', () => {
  const record = (artifact: unknown): RunRecord => ({
    id: 'r1',
    name: 'Old run',
    config: buildRunConfig('quick', { name: 'Old run' }),
    status: 'completed',
    progress: { depth: 1, maxDepth: 2, nodes: 3, calls: 4, generatedTokens: 40 },
    best: { nodeId: 'n1', prompt: 'P', reward: 4.2, depth: 1 },
    stats: emptyStats(),
    createdAt: 1,
    updatedAt: 2,
    artifact: artifact as never,
  });

  it('an artifact without scores lists as no result', () => {
    const { scores: _dropped, ...noScores } = sampleArtifact({ outcome: 'improved' });
    expect(toRunListing(record(noScores))).toMatchObject({ id: 'r1', name: 'Old run', result: null });
    expect(toRunListing(record({ ...noScores, scores: null })).result).toBeNull();
  });

  it('a record that cannot be read is listed bare rather than dropped', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const unreadable = {
      get scores(): never {
        throw new Error('unreadable');
      },
    };
    expect(toRunListing(record(unreadable))).toMatchObject({
      id: 'r1',
      name: 'Old run',
      status: 'completed',
      best: null,
      result: null,
      updatedAt: 2,
    });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});

describe('the newest saved record, within one millisecond', () => {
  // Two saves in one millisecond tied on their time and listed in their random ids' order, so Data's Saved
  // picked "the newest" dataset by a coin toss (it failed CI once). A later save must list first.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`lists a dataset, alignment and evaluation saved later first (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
      try {
        for (let i = 0; i < 6; i++) {
          await store.saveDataset({ name: `D${i}`, kind: 'train', queries: [{ id: `q${i}`, text: `Question ${i}?` }] });
          await store.saveAlignment({
            name: `A${i}`,
            artifact: sampleArtifact({ systemPrompt: `Prompt ${i}.` }),
            source: 'run',
          });
          await store.createEvaluation({ name: `E${i}`, job: evalJob() });
        }
        const names = (list: { name: string }[]) => list.map((r) => r.name);
        const newestFirst = (p: string) => [5, 4, 3, 2, 1, 0].map((i) => `${p}${i}`);
        expect(names(await store.listDatasets())).toEqual(newestFirst('D'));
        expect(names(await store.listAlignments())).toEqual(newestFirst('A'));
        expect(names(await store.listEvaluations())).toEqual(newestFirst('E'));
      } finally {
        vi.restoreAllMocks();
        if (kind === 'memory') store.close();
      }
    });
  }
});

describe('the newest run, within one millisecond', () => {
  // Runs written in one millisecond (a fast machine; History's seeding wrote 120 in a loop) tied and listed in
  // their random ids' order, so History's first row and the run Live opens were a coin toss.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`lists runs by their last write, each write after the newest (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      const at = 1_700_000_000_000;
      const clock = vi.spyOn(Date, 'now').mockReturnValue(at);
      try {
        const runs = [];
        for (let i = 0; i < 5; i++) runs.push(await store.createRun(buildRunConfig('quick', { name: `R${i}` })));
        const names = async () => (await store.listRuns()).map((r) => r.name);
        expect(await names()).toEqual(['R4', 'R3', 'R2', 'R1', 'R0']);
        const renamed = await store.renameRun(runs[1]!.id, 'R1 renamed');
        expect(renamed.updatedAt).toBeGreaterThan(runs[4]!.updatedAt);
        await createRunSink(store).onEvents(runs[3]!.id, [
          { runId: runs[3]!.id, at, type: 'stage-changed', stage: 'search' },
        ]);
        expect(await names()).toEqual(['R3', 'R1 renamed', 'R4', 'R2', 'R0']);
        // A run imported from a machine whose clock is a day ahead lists first by its own time; the writes after
        // it follow this machine's newest run (R3, at + 6), not the other clock.
        const exported = await store.exportRun(runs[0]!.id);
        await store.deleteRun(runs[0]!.id);
        const ahead = await store.importRun({ ...exported, run: { ...exported.run, updatedAt: at + 86_400_000 } });
        expect(ahead.updatedAt).toBe(at + 86_400_000);
        clock.mockReturnValue(at + 5);
        expect((await store.createRun(buildRunConfig('quick', { name: 'Later' }))).updatedAt).toBe(at + 7);
        expect(await names()).toEqual(['R0', 'Later', 'R3', 'R1 renamed', 'R4', 'R2']);
      } finally {
        vi.restoreAllMocks();
        if (kind === 'memory') store.close();
      }
    });
  }
});

describe('a burst of writes in one millisecond', () => {
  it('still lists in write order past a second of stamps (more than 1000 writes before the clock moves)', async () => {
    const store = await openStore({ forceMemory: true });
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    try {
      const config = buildRunConfig('quick', { name: 'Burst' });
      for (let i = 0; i < 1_100; i++) await store.createRun(config, `R${i}`);
      const listed = await store.listRuns();
      expect(new Set(listed.map((r) => r.updatedAt)).size).toBe(1_100);
      expect(listed.slice(0, 2).map((r) => r.name)).toEqual(['R1099', 'R1098']);
    } finally {
      vi.restoreAllMocks();
      store.close();
    }
  });
});

describe('an unnamed run', () => {
  it('is numbered in the writing transaction, past runs and saved alignments (also started together)', async () => {
    const store = await open();
    const config = buildRunConfig('quick', { name: 'DRPO Quick' });
    const first = await store.createRun(config, 'DRPO Quick', undefined, { numbered: true });
    expect(first.name).toBe('DRPO Quick');
    // Its run deleted, its alignment stays in the Playground's and Evaluate's lists: the name is still taken.
    await store.saveAlignment({ name: 'DRPO Quick', artifact: sampleArtifact(), source: 'run', runId: first.id });
    await store.deleteRun(first.id);
    // Two tabs starting at once.
    const both = await Promise.all([
      store.createRun(config, 'DRPO Quick', undefined, { numbered: true }),
      store.createRun(config, 'DRPO Quick', undefined, { numbered: true }),
    ]);
    expect(both.map((r) => r.name).sort()).toEqual(['DRPO Quick (2)', 'DRPO Quick (3)']);
    // A name the user typed is theirs.
    expect((await store.createRun(config, 'DRPO Quick')).name).toBe('DRPO Quick');
  });
});

describe('the name an unnamed run would take', () => {
  it('is the one createRun numbers it to (the Run view shows it before Start)', async () => {
    const store = await open();
    const config = buildRunConfig('quick');
    expect(await store.nextRunName('DRPO Quick')).toEqual({ name: 'DRPO Quick' });
    await store.createRun(config, 'DRPO Quick', undefined, { numbered: true });
    await store.saveAlignment({ name: 'DRPO Quick (2)', artifact: sampleArtifact(), source: 'run' });
    const { name: next } = await store.nextRunName('DRPO Quick');
    expect(next).toBe('DRPO Quick (3)');
    expect((await store.createRun(config, 'DRPO Quick', undefined, { numbered: true })).name).toBe(next);
  });
});

describe('a run started under a name the user typed', () => {
  // The Run view numbers it as it does an unnamed one: History lists runs by name, and its result is saved under
  // it. The view says so beside the field (nextRunName's `taken`); the store numbers it as it writes the run.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`is numbered in the writing transaction when a run or a saved alignment has it, and says which (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      try {
        const config = buildRunConfig('quick', { name: 'Kind and brief' });
        const start = (name: string) => store.createRun(config, name, undefined, { numbered: true });
        expect(await store.nextRunName('Kind and brief')).toEqual({ name: 'Kind and brief' });
        expect((await start('Kind and brief')).name).toBe('Kind and brief');
        expect(await store.nextRunName('Kind and brief')).toEqual({
          name: 'Kind and brief (2)',
          taken: { name: 'Kind and brief', by: 'run' },
        });
        // Two tabs starting at once under one typed name: each its own.
        const both = await Promise.all([start('Kind and brief'), start('Kind and brief')]);
        expect(both.map((r) => r.name).sort()).toEqual(['Kind and brief (2)', 'Kind and brief (3)']);
        // The run's config carries the name it got: the engine names its result from it (the Result heading,
        // the download, the share link), stored and read back alike.
        for (const r of both) {
          expect(r.config.name).toBe(r.name);
          expect((await store.getRun(r.id))?.config.name).toBe(r.name);
        }
        // A saved alignment's name (a file imported, a deleted run's result) is taken too, and said so.
        await store.saveAlignment({ name: 'Polite', artifact: sampleArtifact(), source: 'file' });
        expect(await store.nextRunName('Polite')).toEqual({
          name: 'Polite (2)',
          taken: { name: 'Polite', by: 'alignment' },
        });
        expect((await start('Polite')).name).toBe('Polite (2)');
        // A name differing only in case is another (as renames compare).
        expect((await start('polite')).name).toBe('polite');
        expect((await store.listRuns()).map((r) => r.name).sort()).toEqual(
          ['Kind and brief', 'Kind and brief (2)', 'Kind and brief (3)', 'Polite (2)', 'polite'].sort(),
        );
      } finally {
        if (kind === 'memory') store.close();
      }
    });
  }
});

describe('renaming a saved alignment', () => {
  // The Playground, Evaluate and History list alignments by name: two under one name could not be told apart.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`refuses another one's name, in the writing transaction; its own name is fine (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      try {
        const save = (name: string, prompt: string) =>
          store.saveAlignment({ name, artifact: sampleArtifact({ systemPrompt: prompt }), source: 'run' });
        const a = await save('Careful', 'Prompt A.');
        const b = await save('Concise', 'Prompt B.');
        const taken = { name: ErrorName.InvalidInput, message: expect.stringMatching(/already called “Careful”/) };
        await expect(store.renameAlignment(b.id, '  Careful ')).rejects.toMatchObject(taken);
        // Nothing lost, and the store goes on: both keep their names, and a free name is taken at once.
        expect((await store.listAlignments()).map((r) => r.name)).toEqual(['Concise', 'Careful']);
        expect((await store.getAlignment(b.id))?.artifact.systemPrompt).toBe('Prompt B.');
        // As runs are numbered (case-sensitive): a name differing in case tells them apart.
        expect((await store.renameAlignment(b.id, 'careful')).name).toBe('careful');
        expect((await store.renameAlignment(a.id, 'Careful')).name).toBe('Careful');
        // Two tabs renaming to one free name at once: one gets it.
        const both = await Promise.allSettled([
          store.renameAlignment(a.id, 'Kept'),
          store.renameAlignment(b.id, 'Kept'),
        ]);
        expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect((await store.listAlignments()).filter((r) => r.name === 'Kept')).toHaveLength(1);
      } finally {
        if (kind === 'memory') store.close();
      }
    });
  }

  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`refuses a run's name but its own run's, in the writing transaction (${kind})`, async () => {
      // History lists runs by name and a run's result is saved under it: renameRun's rule, the other way round.
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      try {
        const config = buildRunConfig('quick');
        const a = await store.createRun(config, 'Careful');
        const b = await store.createRun(config, 'Concise');
        const artifact = (p: string) => sampleArtifact({ systemPrompt: p });
        const own = await store.saveAlignment({
          name: 'Concise',
          artifact: artifact('B.'),
          source: 'run',
          runId: b.id,
        });
        const file = await store.saveAlignment({ name: 'Imported', artifact: artifact('I.'), source: 'file' });
        const taken = {
          name: ErrorName.InvalidInput,
          message: 'A run is already called “Careful”. Choose another name.',
        };
        await expect(store.renameAlignment(file.id, ' Careful ')).rejects.toMatchObject(taken);
        await expect(store.renameAlignment(own.id, 'Careful')).rejects.toMatchObject(taken);
        // Nothing lost, and the store goes on.
        expect((await store.listAlignments()).map((r) => r.name)).toEqual(['Imported', 'Concise']);
        expect((await store.listRuns()).map((r) => r.name)).toEqual(['Concise', 'Careful']);
        // Its own run's name is fine (renamed away and back), and one differing only in case.
        expect((await store.renameAlignment(own.id, 'Concise result')).name).toBe('Concise result');
        expect((await store.renameAlignment(own.id, 'Concise')).name).toBe('Concise');
        expect((await store.renameAlignment(file.id, 'careful')).name).toBe('careful');
        // The run deleted, its name is free.
        await store.deleteRun(a.id);
        expect((await store.renameAlignment(file.id, 'Careful')).name).toBe('Careful');
      } finally {
        if (kind === 'memory') store.close();
      }
    });
  }

  it('to its own name stays fine beside an older twin (saved before names were checked)', async () => {
    const store = await open();
    const save = (prompt: string) =>
      store.saveAlignment({ name: 'Twin', artifact: sampleArtifact({ systemPrompt: prompt }), source: 'file' });
    const first = await save('Prompt A.');
    await save('Prompt B.');
    expect((await store.renameAlignment(first.id, 'Twin')).name).toBe('Twin');
    expect((await store.renameAlignment(first.id, 'Twin one')).name).toBe('Twin one');
  });
});

describe('a new alignment under a name already listed', () => {
  // The Playground, Evaluate and History list alignments by name: two under one name could not be told apart.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`is numbered in the writing transaction, and says why; a run's own keeps the run's name (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      try {
        const prompt = (p: string, name = 'Helper') => sampleArtifact({ name, systemPrompt: p });
        const first = await store.saveAlignment({ name: 'Helper', artifact: prompt('Prompt A.'), source: 'file' });
        expect(first.name).toBe('Helper');
        expect(first.nameTaken).toBeUndefined();
        // Imported from a file, saved from a link: numbered as runs and datasets are, with what had the name.
        const file = await store.importAlignmentFile(JSON.stringify(prompt('Prompt B.')), 'helper.json');
        expect(file).toMatchObject({ name: 'Helper (2)', nameTaken: { name: 'Helper', by: 'alignment' } });
        const link = await store.saveAlignment({ name: 'Helper', artifact: prompt('Prompt C.'), source: 'link' });
        expect(link).toMatchObject({ name: 'Helper (3)', nameTaken: { name: 'Helper', by: 'alignment' } });
        // The same content again is the one stored, under its name: nothing numbered, nothing added.
        const again = await store.importAlignmentFile(JSON.stringify(prompt('Prompt B.')), 'helper.json');
        expect(again).toMatchObject({ id: file.id, name: 'Helper (2)', existing: true });
        expect(again.nameTaken).toBeUndefined();

        // A run's result is saved under the run's name on purpose (run-controller's saveResult): its own run's
        // name is not taken for it, another run's is.
        const run = await store.createRun(buildRunConfig('quick'), 'Basil helper');
        const result = await store.saveAlignment({
          name: 'Basil helper',
          artifact: prompt('Prompt R.', 'Basil helper'),
          source: 'run',
          runId: run.id,
        });
        expect(result.name).toBe('Basil helper');
        expect(result.nameTaken).toBeUndefined();
        const other = await store.saveAlignment({
          name: 'Basil helper',
          artifact: prompt('Prompt S.', 'Basil helper'),
          source: 'link',
        });
        expect(other).toMatchObject({ name: 'Basil helper (2)', nameTaken: { name: 'Basil helper', by: 'alignment' } });
        const running = await store.createRun(buildRunConfig('quick'), 'Still going');
        const beside = await store.importAlignmentFile(JSON.stringify(prompt('Prompt T.', 'Still going')), 'x.json');
        expect(beside).toMatchObject({ name: 'Still going (2)', nameTaken: { name: 'Still going', by: 'run' } });
        // ...so the run's result, saved when it ends, still has the run's name.
        const ended = await store.saveAlignment({
          name: 'Still going',
          artifact: prompt('Prompt U.', 'Still going'),
          source: 'run',
          runId: running.id,
        });
        expect(ended.name).toBe('Still going');
        // A closest candidate saved as an alignment of its own, under a name another has: numbered too.
        const candidate = await store.saveAlignment({
          name: 'Helper',
          artifact: prompt('Prompt V.'),
          source: 'run',
          runId: run.id,
        });
        expect(candidate.name).toBe('Helper (4)');

        // Two tabs saving two under one free name at once: each gets a name of its own.
        const both = await Promise.all([
          store.saveAlignment({ name: 'Twice', artifact: prompt('Prompt W.'), source: 'link' }),
          store.saveAlignment({ name: 'Twice', artifact: prompt('Prompt X.'), source: 'link' }),
        ]);
        expect(both.map((r) => r.name).sort()).toEqual(['Twice', 'Twice (2)']);
        // The longest name keeps its number: shortened before it, within the limit.
        const long = 'L'.repeat(200);
        await store.saveAlignment({ name: long, artifact: prompt('Prompt Y.'), source: 'link' });
        const longer = await store.saveAlignment({ name: long, artifact: prompt('Prompt Z.'), source: 'link' });
        expect(longer.name).toBe(`${'L'.repeat(196)} (2)`);

        // Every one kept, each name once; what is stored carries no note of the numbering.
        const names = (await store.listAlignments()).map((a) => a.name);
        expect(names).toHaveLength(12);
        expect(new Set(names).size).toBe(names.length);
        expect(await store.getAlignment(file.id)).not.toHaveProperty('nameTaken');
      } finally {
        if (kind === 'memory') store.close();
      }
    });
  }
});

describe('renaming a run', () => {
  // History lists runs by name, and a run's result is saved under the run's name when it ends.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`refuses another run's name and another's saved alignment, in the writing transaction; its own alignment's is fine (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      try {
        const config = buildRunConfig('quick');
        const a = await store.createRun(config, 'Careful');
        const b = await store.createRun(config, 'Concise');
        const taken = (what: string, name: string) => ({
          name: ErrorName.InvalidInput,
          message: `${what} is already called “${name}”. Choose another name.`,
        });
        await expect(store.renameRun(b.id, '  Careful ')).rejects.toMatchObject(taken('Another run', 'Careful'));
        // Nothing lost, and the store goes on: both keep their names (and their place in the list).
        expect((await store.listRuns()).map((r) => r.name)).toEqual(['Concise', 'Careful']);
        expect((await store.getRun(b.id))?.name).toBe('Concise');
        // A saved alignment's name: refused, but for the run's own (its result, renamed or not).
        const artifact = (p: string) => sampleArtifact({ systemPrompt: p });
        await store.saveAlignment({ name: 'Imported', artifact: artifact('Prompt I.'), source: 'file' });
        await expect(store.renameRun(b.id, 'Imported')).rejects.toMatchObject(taken('A saved alignment', 'Imported'));
        const own = await store.saveAlignment({
          name: 'Concise',
          artifact: artifact('Prompt C.'),
          source: 'run',
          runId: b.id,
        });
        await store.renameAlignment(own.id, 'Concise result');
        expect((await store.renameRun(b.id, 'Concise result')).name).toBe('Concise result');
        await expect(store.renameRun(a.id, 'Concise result')).rejects.toMatchObject(
          taken('Another run', 'Concise result'),
        );
        // Its own name again, and one differing only in case (as alignments and numbering compare): fine.
        expect((await store.renameRun(a.id, 'Careful')).name).toBe('Careful');
        expect((await store.renameRun(b.id, 'careful')).name).toBe('careful');
        // Two tabs renaming to one free name at once: one gets it.
        const both = await Promise.allSettled([store.renameRun(a.id, 'Kept'), store.renameRun(b.id, 'Kept')]);
        expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect((await store.listRuns()).filter((r) => r.name === 'Kept')).toHaveLength(1);
        await expect(store.renameRun('gone', 'Anything')).rejects.toMatchObject({ name: ErrorName.Gone });
      } finally {
        if (kind === 'memory') store.close();
      }
    });
  }

  it('to its own name stays fine beside an older twin (named before names were checked)', async () => {
    const store = await open();
    const first = await store.createRun(buildRunConfig('quick'), 'Twin');
    await store.createRun(buildRunConfig('quick'), 'Twin');
    expect((await store.renameRun(first.id, 'Twin')).name).toBe('Twin');
    expect((await store.renameRun(first.id, 'Twin one')).name).toBe('Twin one');
  });
});

describe('a run imported under a name already listed', () => {
  // History lists runs by name, and every other way a run or an alignment gets a name numbers it past the others:
  // an import kept the file's name, so two rows (or two "Name (imported)" copies) could not be told apart.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`is numbered in the writing transaction, and says why; beside its own result it keeps its name (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      try {
        const basil = await store.createRun(buildRunConfig('quick'), 'Basil');
        const exported = await store.exportRun(basil.id);
        const file = (run: Partial<RunRecord>) => ({ ...exported, run: { ...exported.run, ...run } });
        // Another device's run under the same name.
        const other = await store.importRun(file({ id: 'from-elsewhere' }));
        expect(other).toMatchObject({ name: 'Basil (2)', nameTaken: { name: 'Basil', by: 'run' } });
        // Two later exports of the run here: a copy each, each under a name of its own.
        const later = await store.importRun(file({ updatedAt: exported.run.updatedAt + 1 }));
        expect(later.name).toBe('Basil (imported)');
        expect(later.nameTaken).toBeUndefined();
        const latest = await store.importRun(file({ updatedAt: exported.run.updatedAt + 2 }));
        expect(latest).toMatchObject({
          name: 'Basil (imported) (2)',
          nameTaken: { name: 'Basil (imported)', by: 'run' },
        });
        // A saved alignment's name.
        await store.saveAlignment({ name: 'Sage', artifact: sampleArtifact({ name: 'Sage' }), source: 'file' });
        const sage = await store.importRun(file({ id: 'sage', name: 'Sage' }));
        expect(sage).toMatchObject({ name: 'Sage (2)', nameTaken: { name: 'Sage', by: 'alignment' } });
        // A run imported back beside its own result (the run was deleted, its alignment kept): the run's name.
        await store.saveAlignment({
          name: 'Own',
          artifact: sampleArtifact({ name: 'Own', systemPrompt: 'Own prompt.' }),
          source: 'run',
          runId: 'own',
        });
        const own = await store.importRun(file({ id: 'own', name: 'Own' }));
        expect(own.name).toBe('Own');
        expect(own.nameTaken).toBeUndefined();
        // On another device, its result's file (or link) imported first knows no run: it is the run's all the same.
        for (const [how, name] of [
          ['file', 'Result first'],
          ['link', 'Link first'],
        ] as const) {
          const result = sampleArtifact({ name, systemPrompt: `${name}: the prompt.` });
          if (how === 'file') await store.importAlignmentFile(JSON.stringify(result), 'result.json');
          else await store.saveAlignment({ name, artifact: linkArtifact(result)!, source: 'link' });
          const run = await store.importRun(file({ id: name, name, artifact: result }));
          expect(run.name).toBe(name);
          expect(run.nameTaken).toBeUndefined();
        }
        // Another alignment under the name of a run with a result: numbered still.
        const differs = await store.importRun(
          file({ id: 'differs', name: 'Sage', artifact: sampleArtifact({ name: 'Sage', systemPrompt: 'Other.' }) }),
        );
        expect(differs.name).toBe('Sage (3)');
        // The same file again is the run stored, under its name: nothing numbered, nothing added.
        const again = await store.importRun(file({ id: 'from-elsewhere' }));
        expect(again).toMatchObject({ id: 'from-elsewhere', name: 'Basil (2)', existing: true });
        expect(again.nameTaken).toBeUndefined();
        const names = (await store.listRuns()).map((r) => r.name);
        expect(names).toHaveLength(9);
        expect(new Set(names).size).toBe(names.length);
        expect(await store.getRun(other.id)).not.toHaveProperty('nameTaken');
      } finally {
        if (kind === 'memory') store.close();
      }
    });
    it(`its result's file imported after it is the run's own: it keeps the run's name (${kind})`, async () => {
      const store = kind === 'memory' ? await openStore({ forceMemory: true }) : await open();
      try {
        const run = await store.createRun(buildRunConfig('quick'), 'Export me');
        const exported = await store.exportRun(run.id);
        const result = sampleArtifact({ name: 'Export me', systemPrompt: 'The result.' });
        await store.deleteRun(run.id);
        // On another device: the run export first, then the alignment file its Result downloaded.
        const imported = await store.importRun({ ...exported, run: { ...exported.run, artifact: result } });
        const file = await store.importAlignmentFile(JSON.stringify(result), 'export-me.json');
        expect(file.name).toBe('Export me');
        expect(file.nameTaken).toBeUndefined();
        expect(file.runId).toBe(imported.id);
        // Another alignment under the run's name is numbered still.
        const other = await store.importAlignmentFile(
          JSON.stringify(sampleArtifact({ name: 'Export me', systemPrompt: 'Another prompt.' })),
          'other.json',
        );
        expect(other).toMatchObject({ name: 'Export me (2)', nameTaken: { name: 'Export me', by: 'alignment' } });
      } finally {
        if (kind === 'memory') store.close();
      }
    });
  }
});

describe('a run imported while it could still go on', () => {
  // No checkpoint travels with an export: the Live view's Resume started such a run over, on this device's
  // server, writing its first prompts over the file's (node ids are the same), so the imported work was lost.
  for (const status of ['pending', 'running', 'paused', 'failed'] as const) {
    it(`(${status}) cannot be resumed: it is stored as cancelled`, async () => {
      const store = await openStore({ forceMemory: true });
      try {
        const run = await store.createRun(buildRunConfig('quick'), 'Moved');
        const exported = await store.exportRun(run.id);
        await store.deleteRun(run.id);
        const imported = await store.importRun({ ...exported, run: { ...exported.run, status } });
        expect(imported.status).toBe('cancelled');
        expect((await store.getRun(run.id))?.status).toBe('cancelled');
        expect(await store.listUnfinishedRuns()).toEqual([]);
      } finally {
        store.close();
      }
    });
  }
});

/** A backend that notes each store method called (`alignments.getAll`), to see what an operation reads. */
function noting(backend: Backend): { backend: Backend; calls: string[] } {
  const calls: string[] = [];
  const store = (tx: Tx) => (name: StoreName) =>
    new Proxy(tx.store(name), {
      get(target, key, receiver) {
        calls.push(`${name}.${String(key)}`);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  const run: Backend['run'] = (stores, mode, fn) => backend.run(stores, mode, (tx) => fn({ store: store(tx) } as Tx));
  return { backend: { ...backend, run }, calls };
}

describe('names are looked up, never read with every record', () => {
  // With hundreds of saved alignments, numbering an unnamed run read each in full (prompt, examples, path) to see
  // its name; the name indexes (v4) answer instead, as they do when a rename checks its name is free.
  for (const kind of ['IndexedDB', 'memory'] as const) {
    it(`numbering an unnamed run and renaming an alignment (${kind})`, async () => {
      const name = `node-test-${n++}`;
      const raw = kind === 'memory' ? createMemoryBackend('test') : await openIdbBackend({ name, steps: MIGRATIONS });
      if (kind === 'IndexedDB') opened.push({ store: { close: () => undefined } as Store, name });
      const { backend, calls } = noting(raw);
      const store = createStore(backend, name);
      try {
        const config = buildRunConfig('quick', { name: 'DRPO Quick' });
        const save = (name: string, i: number) =>
          store.saveAlignment({ name, artifact: sampleArtifact({ systemPrompt: `Prompt ${i}.` }), source: 'run' });
        for (let i = 0; i < 40; i++) await save(i < 5 ? numbered('DRPO Quick', i + 1) : `Other ${i}`, i);
        await store.createRun(config, 'DRPO Quick (6)');
        await store.createRun(config, 'drpo quick (7)');
        calls.length = 0;

        expect((await store.nextRunName('DRPO Quick')).name).toBe('DRPO Quick (7)');
        expect((await store.createRun(config, 'DRPO Quick', undefined, { numbered: true })).name).toBe(
          'DRPO Quick (7)',
        );
        const other = (await store.listAlignments()).find((a) => a.name === 'Other 9')!;
        calls.length = 0;
        await expect(store.renameAlignment(other.id, 'DRPO Quick (3)')).rejects.toMatchObject({
          name: ErrorName.InvalidInput,
        });
        // (A run's name is refused as well: 'DRPO Quick (7)' is the run just started.)
        expect((await store.renameAlignment(other.id, 'DRPO Quick (9)')).name).toBe('DRPO Quick (9)');
        await store.createRun(config, 'DRPO Quick', undefined, { numbered: true });
        // No list of records is read: only names counted in an index, and the one alignment renamed.
        expect(calls.filter((c) => /^(alignments|runSummaries)\.getAll(FromIndex)?$/.test(c))).toEqual([]);
        expect(calls.filter((c) => c === 'alignments.get')).toHaveLength(2);
        expect((await store.listRuns()).map((r) => r.name)[0]).toBe('DRPO Quick (8)');
      } finally {
        store.close();
      }
    });
  }
});

const numbered = (base: string, i: number) => (i === 1 ? base : `${base} (${i})`);
