import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorName } from '../../../src/core/contracts/errors';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import { createRunSink } from '../../../src/store/store-sink';
import type { RunExport, Store } from '../../../src/store/store';
import { openStore } from '../../../src/store/store';
import { artifact, burst, config, uniqueDb } from '../../support/store';
import { fellShortArtifact } from '../../support/artifacts';
import { decodeAlignmentLink, encodeAlignmentLink } from '../../../src/core/formats/link-codec';

let db = uniqueDb();
afterEach(async () => {
  await db.cleanup();
  db = uniqueDb();
});

async function runWithData(store: Store) {
  const leaky = config();
  (leaky.roles.judge as RoleBinding & { apiKey?: string }).apiKey = 'sk-secret-should-never-leave';
  const run = await store.createRun(leaky, 'Exported');
  await createRunSink(store).onEvents(run.id, burst(run.id));
  return (await store.getRun(run.id))!;
}

async function expectNothingStored(store: Store, before: number) {
  expect((await store.listRuns()).length).toBe(before);
}

describe('run export / import', () => {
  it('round trip: export, delete, import gives the same run, nodes and events; no API keys', async () => {
    const store = await db.open();
    const run = await runWithData(store);
    const exported = await store.exportRun(run.id);
    const text = JSON.stringify(exported);
    expect(text).not.toMatch(/apiKey|sk-secret/);
    expect(exported).toMatchObject({ format: 'drpo-run-export', version: 1 });
    expect(exported.nodes).toHaveLength(3);
    expect(exported.nodes[0]).not.toHaveProperty('runId');

    await store.deleteRun(run.id);
    const imported = await store.importRun(text);
    expect(imported.id).toBe(run.id);
    expect(imported).toMatchObject({ name: 'Exported', best: run.best, progress: run.progress });
    expect(imported.status).toBe('cancelled'); // it was running; no checkpoint travels with the file
    expect(await store.countNodes(run.id)).toBe(3);
    expect(await store.getEvents(run.id)).toEqual(exported.events);

    // The same file again: one copy is enough, and the caller is told.
    const same = await store.importRun(exported);
    expect(same).toMatchObject({ id: run.id, existing: true });
    expect((await store.listRuns()).length).toBe(1);
    // Another run under the same id (it went on after this export): a new id and a visible name.
    const again = await store.importRun({
      ...exported,
      run: { ...exported.run, updatedAt: exported.run.updatedAt + 1 },
    });
    expect(again.existing).toBeUndefined();
    expect(again.id).not.toBe(run.id);
    expect(again.name).toBe('Exported (imported)');
    expect(await store.countNodes(again.id)).toBe(3);
    expect((await store.getEvents(again.id)).every((e) => e.runId === again.id)).toBe(true);
    // That file again: its copy is found, however it was renamed meanwhile; no third run.
    await store.renameRun(again.id, 'Renamed copy');
    const thrice = await store.importRun({
      ...exported,
      run: { ...exported.run, updatedAt: exported.run.updatedAt + 1 },
    });
    expect(thrice).toMatchObject({ id: again.id, name: 'Renamed copy', existing: true });
    expect((await store.listRuns()).length).toBe(2);
    // An export of the copy does not say where it came from (this device's business).
    expect((await store.exportRun(again.id)).run).not.toHaveProperty('importedFrom');
    // With the run it clashed with deleted, the file is still found through its copy.
    await store.deleteRun(run.id);
    const fourth = await store.importRun({
      ...exported,
      run: { ...exported.run, updatedAt: exported.run.updatedAt + 1 },
    });
    expect(fourth).toMatchObject({ id: again.id, existing: true });
    expect((await store.listRuns()).length).toBe(1);
    // A file cannot bring in such records of its own.
    const planted = await store.importRun({
      ...exported,
      run: {
        ...exported.run,
        id: 'planted',
        importedFrom: { id: 'x', updatedAt: 1, nodes: 1 },
        endpointUrls: { e: 'http://10.0.0.9:8080/v1' },
      },
    } as typeof exported);
    expect(planted).not.toHaveProperty('importedFrom');
    expect(planted).not.toHaveProperty('endpointUrls');
  });

  it('import: node events without a node or naming a missing node are dropped; the rest keep their order', async () => {
    const store = await db.open();
    const run = await runWithData(store);
    const exported = await store.exportRun(run.id);
    await store.deleteRun(run.id);
    const nodeEvent = exported.events.find((e) => e.type === 'node-evaluated')!;
    const broken = [
      { type: 'node-evaluated', runId: run.id, at: 1 },
      { ...nodeEvent, node: { ...(nodeEvent as { node: object }).node, id: 'not-in-the-file' } },
    ];
    // A replayed node event at the end: one event per node, at its first position.
    const imported = await store.importRun({ ...exported, events: [...broken, ...exported.events, nodeEvent] });
    expect(await store.countNodes(imported.id)).toBe(3);
    expect(await store.getEvents(imported.id)).toEqual(exported.events);
  });

  it('export leaves out the servers a run used', async () => {
    const store = await db.open();
    const run = await runWithData(store);
    await store.updateRun(run.id, { endpointUrls: { 'endpoint-1': 'http://10.1.2.3:8080/v1' } });
    const exported = await store.exportRun(run.id);
    expect(JSON.stringify(exported)).not.toContain('10.1.2.3');
    expect(exported.run.id).toBe(run.id);
  });

  it('exportRun of an unknown run says so', async () => {
    const store = await db.open();
    await expect(store.exportRun('nope')).rejects.toMatchObject({ name: ErrorName.Gone });
  });

  const cases: [string, (good: RunExport) => unknown, RegExp][] = [
    ['not JSON', () => '{"format": "drpo-run-export", ', /not JSON/],
    ['not an object', () => '[1, 2]', /not a JSON object/],
    ['wrong format', (g) => ({ ...g, format: 'drpo-alignment' }), /not a DRPO Studio run export/],
    ['wrong version', (g) => ({ ...g, version: 7 }), /version 7 is not supported/],
    [
      'oversized field',
      (g) => ({ ...g, nodes: [{ ...g.nodes[0]!, prompt: 'x'.repeat(200_001) }, ...g.nodes.slice(1)] }),
      /nodes\[0\]\.prompt: text is longer than 200000/,
    ],
    [
      'wrong types',
      (g) => ({ ...g, nodes: [{ ...g.nodes[0]!, depth: 'one' }] }),
      /nodes\[0\]\.depth: must be a number/,
    ],
    ['bad status', (g) => ({ ...g, run: { ...g.run, status: 'exploded' } }), /run\.status: must be one of/],
    ['missing events list', (g) => ({ ...g, events: undefined }), /file\.events: must be a list/],
    [
      'unknown event type',
      (g) => ({ ...g, events: [{ type: 'boom', at: 1 }] }),
      /events\[0\]\.type: unknown event type "boom"/,
    ],
    [
      'bad artifact',
      (g) => ({ ...g, run: { ...g.run, artifact: { format: 'drpo-alignment', version: 1 } } }),
      /run\.artifact: systemPrompt/,
    ],
    ['duplicate node ids', (g) => ({ ...g, nodes: [g.nodes[0], g.nodes[0]] }), /appears twice/],
  ];

  it.each(cases)('refuses %s, names the problem and stores nothing', async (_label, mutate, message) => {
    const store = await db.open();
    const run = await runWithData(store);
    const good = await store.exportRun(run.id);
    await store.deleteRun(run.id); // so a successful import would be visible
    const err = await store.importRun(mutate(good)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: ErrorName.InvalidInput, message: expect.stringMatching(message) });
    await expectNothingStored(store, 0);
    expect(await store.countNodes(run.id)).toBe(0);
    expect(await store.getEvents(run.id)).toEqual([]);
  });
});

describe('alignments', () => {
  it('save, list newest first, rename, delete; bad artifacts are refused', async () => {
    const store = await db.open();
    const a = await store.saveAlignment({ name: 'First', artifact: artifact(), source: 'run' });
    await new Promise((r) => setTimeout(r, 5));
    const b = await store.saveAlignment({
      name: 'Second',
      artifact: artifact({ systemPrompt: 'A second prompt.', settings: { beamWidth: 2, apiKey: 'sk-nope' } }),
      source: 'link',
    });
    expect(b.artifact.settings).not.toHaveProperty('apiKey');
    expect((await store.listAlignments()).map((x) => x.id)).toEqual([b.id, a.id]);
    expect((await store.renameAlignment(a.id, 'Renamed')).name).toBe('Renamed');
    await store.deleteAlignment(b.id);
    expect((await store.listAlignments()).map((x) => x.name)).toEqual(['Renamed']);

    const bad = { ...artifact(), systemPrompt: 42 } as unknown as ReturnType<typeof artifact>;
    await expect(store.saveAlignment({ name: 'Bad', artifact: bad, source: 'file' })).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
      message: expect.stringMatching(/systemPrompt/),
    });
    await expect(store.renameAlignment('nope', 'x')).rejects.toMatchObject({ name: ErrorName.Gone });
    expect(await store.listAlignments()).toHaveLength(1);
  });

  it('asks for persistent storage once, on the first saved alignment; a refusal is fine', async () => {
    const persist = vi.spyOn(navigator.storage, 'persist').mockResolvedValue(false);
    const store = await db.open();
    await store.saveAlignment({ name: 'One', artifact: artifact(), source: 'run' });
    await store.saveAlignment({ name: 'Two', artifact: artifact({ systemPrompt: 'Another prompt.' }), source: 'run' });
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await store.listAlignments()).toHaveLength(2);
    vi.restoreAllMocks();
  });

  it('asks for persistent storage at the first saved run too, once per store (with the alignments and Setup)', async () => {
    const persist = vi.spyOn(navigator.storage, 'persist').mockResolvedValue(false);
    try {
      const store = await db.open();
      expect(persist).not.toHaveBeenCalled(); // not on opening (page load)
      await store.createRun(config(), 'First');
      await store.createRun(config(), 'Second');
      expect(persist).toHaveBeenCalledTimes(1);
      await store.saveAlignment({ name: 'One', artifact: artifact(), source: 'run' });
      expect(persist).toHaveBeenCalledTimes(1);
      // Setup (a download) asks nothing more either: null says the browser was asked before (its answer is not
      // said again); a run after that asks nothing more.
      expect(await store.requestPersistence()).toBeNull();
      await store.createRun(config(), 'Third');
      expect(persist).toHaveBeenCalledTimes(1);
      expect(await store.listRuns()).toHaveLength(3);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('Setup asking first gets the answer once; a memory store never asks the browser to keep anything', async () => {
    const persist = vi.spyOn(navigator.storage, 'persist').mockResolvedValue(true);
    try {
      const store = await db.open();
      expect(await store.requestPersistence()).toBe(true);
      expect(await store.requestPersistence()).toBeNull();
      await store.createRun(config(), 'First');
      expect(persist).toHaveBeenCalledTimes(1);
      const memory = await openStore({ forceMemory: true });
      await memory.createRun(config(), 'In memory');
      await memory.saveAlignment({ name: 'One', artifact: artifact(), source: 'run' });
      await memory.requestPersistence();
      expect(persist).toHaveBeenCalledTimes(1);
      memory.close();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('identical content is stored once (saved twice, imported twice, renamed in between)', async () => {
    const store = await db.open();
    const first = await store.saveAlignment({ name: 'From the run', artifact: artifact(), source: 'run', runId: 'r1' });
    expect(first.existing).toBeUndefined();
    expect(first.runId).toBe('r1');
    await store.renameAlignment(first.id, 'Renamed');
    const again = await store.saveAlignment({ name: 'Save pressed', artifact: artifact(), source: 'run' });
    expect(again).toMatchObject({ id: first.id, name: 'Renamed', existing: true });
    const file = JSON.stringify(artifact());
    const imported = await store.importAlignmentFile(file, 'same.json');
    expect(imported).toMatchObject({ id: first.id, existing: true });
    expect((await store.findAlignment(artifact()))?.id).toBe(first.id);
    expect(await store.findAlignment(artifact({ systemPrompt: 'Different.' }))).toBeUndefined();
    // Different content (here only the name inside the file) is a different alignment.
    const other = await store.importAlignmentFile(JSON.stringify(artifact({ name: 'Other' })), 'other.json');
    expect(other.existing).toBeUndefined();
    expect(await store.listAlignments()).toHaveLength(2);

    const q = [{ id: '1', text: 'Hi?' }];
    const d1 = await store.saveDataset({ name: 'Mine', kind: 'train', queries: q });
    const d2 = await store.saveDataset({ name: 'Mine again', kind: 'train', queries: [{ id: 'x', text: 'Hi?' }] });
    expect(d2).toMatchObject({ id: d1.id, existing: true });
    const d3 = await store.saveDataset({ name: 'As eval', kind: 'eval', queries: q });
    expect(d3.existing).toBeUndefined();
    expect(await store.listDatasets()).toHaveLength(2);
  });

  describe('an alignment and its share link are one alignment', () => {
    // A run's result with more steps than a link keeps (5), settings a link leaves out, and examples it keeps.
    const full = artifact({
      examplesPerQuery: 1,
      lineage: Array.from({ length: 7 }, (_, depth) => ({ depth, prompt: `Step ${depth}.`, reward: 3 + depth / 10 })),
      settings: { iclKInference: 1, beamWidth: 2 },
    });
    const viaLink = async (a: typeof full, dropIcl = false) => {
      const opened = await decodeAlignmentLink((await encodeAlignmentLink(a, { dropIcl })).fragment);
      if (!opened.ok) throw new Error(opened.error);
      return opened.artifact;
    };

    it('saved from the link, then imported from the file: one row, which gains what the file adds', async () => {
      const store = await db.open();
      const link = await viaLink(full);
      expect(link.settings).toEqual({});
      const saved = await store.saveAlignment({ name: 'Audit quick', artifact: link, source: 'link' });
      expect(saved.existing).toBeUndefined();
      const imported = await store.importAlignmentFile(JSON.stringify(full), 'audit-quick.json');
      expect(imported).toMatchObject({ id: saved.id, name: 'Audit quick', existing: true, detailsAdded: true });
      const rows = await store.listAlignments();
      expect(rows).toHaveLength(1);
      // Nothing is lost: the row keeps its name and time and now holds the file's settings and whole path.
      expect(rows[0]).toMatchObject({ id: saved.id, name: 'Audit quick', savedAt: saved.savedAt });
      expect(rows[0]!.artifact).toEqual(full);
      // The link saved again, or the file imported again, finds it and changes nothing.
      expect(await store.saveAlignment({ name: 'Again', artifact: link, source: 'link' })).toMatchObject({
        id: saved.id,
        existing: true,
      });
      const again = await store.importAlignmentFile(JSON.stringify(full), 'audit-quick.json');
      expect(again).toMatchObject({ id: saved.id, existing: true });
      expect(again.detailsAdded).toBeUndefined();
      expect((await store.listAlignments())[0]!.artifact).toEqual(full);
    });

    it('imported from the file, then saved from the link: already saved, and the file stays whole', async () => {
      const store = await db.open();
      const fell = fellShortArtifact({}, { lineage: full.lineage });
      for (const a of [full, fell]) {
        const first = await store.importAlignmentFile(JSON.stringify(a), 'result.json');
        const link = await viaLink(a);
        expect(await store.findAlignment(link)).toMatchObject({ id: first.id });
        const again = await store.saveAlignment({ name: 'From the link', artifact: link, source: 'link' });
        expect(again).toMatchObject({ id: first.id, name: first.name, existing: true });
        expect(again.detailsAdded).toBeUndefined();
        expect((await store.getAlignment(first.id))!.artifact).toEqual(a);
      }
      expect(await store.listAlignments()).toHaveLength(2);
    });

    it('a link without the examples is another alignment; an older file and its link are one', async () => {
      const store = await db.open();
      await store.saveAlignment({ name: 'Whole', artifact: full, source: 'run' });
      // Without its examples the prompt is used alone: its validation and verdict do not go with it.
      const bare = await store.saveAlignment({ name: 'Bare', artifact: await viaLink(full, true), source: 'link' });
      expect(bare.existing).toBeUndefined();
      // An older file says how many examples it retrieves only in its settings, which a link leaves out: the
      // link says it outright, so it retrieves 1 of its 4 as the file does, and is the file.
      const icl = Array.from({ length: 4 }, (_, i) => ({ query: `Q${i}?`, answer: `A${i}.` }));
      const older = artifact({ icl, systemPrompt: 'Older file.', settings: { iclKInference: 1 } });
      delete older.examplesPerQuery;
      const olderFile = await store.saveAlignment({ name: 'Older', artifact: older, source: 'file' });
      const olderLink = await store.saveAlignment({
        name: 'Older link',
        artifact: await viaLink(older),
        source: 'link',
      });
      expect(olderLink).toMatchObject({ id: olderFile.id, existing: true });
      expect(await store.listAlignments()).toHaveLength(3);
    });
  });

  it('importAlignmentFile: our format is saved; junk is refused with the reason', async () => {
    const store = await db.open();
    const rec = await store.importAlignmentFile(JSON.stringify(artifact({ name: 'Friendly' })), 'friendly.json');
    expect(rec).toMatchObject({ name: 'Friendly', source: 'file' });
    const unnamed = await store.importAlignmentFile(JSON.stringify(artifact()), 'my-prompt.json');
    expect(unnamed.name).toBe('my-prompt');

    await expect(store.importAlignmentFile('not json', 'x.json')).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
      message: expect.stringMatching(/x\.json cannot be imported: it is not JSON/),
    });
    await expect(
      store.importAlignmentFile(JSON.stringify({ ...artifact(), version: 9 }), 'future.json'),
    ).rejects.toMatchObject({ name: ErrorName.InvalidInput, message: expect.stringMatching(/newer DRPO Studio/) });
    await expect(store.importAlignmentFile(JSON.stringify({ hello: 1 }), 'odd.json')).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
      message: expect.stringMatching(/neither a DRPO Studio alignment file/),
    });
    expect(await store.listAlignments()).toHaveLength(2);
  });
});

describe('official DRPO files', () => {
  it('a published-prompt file converts and is saved with source drpo-import', async () => {
    const store = await db.open();
    const file = {
      'level 1': {
        Prompt: 'You are a helpful assistant.',
        'Evaluation of the prompt': { Helpfulness: { rationale: 'fine', score: '4' } },
      },
      'level 2': {
        Prompt: 'You are a helpful, honest assistant. Say when you do not know.',
        'Evaluation of the prompt': { Helpfulness: { rationale: 'better', score: '5' } },
      },
    };
    const rec = await store.importAlignmentFile(JSON.stringify(file), 'tiny-model.json');
    expect(rec.source).toBe('drpo-import');
    expect(rec.artifact.systemPrompt.length).toBeGreaterThan(0);
    expect((await store.listAlignments()).map((a) => a.id)).toEqual([rec.id]);
  });

  it('a broken published-prompt file is refused with the converter reason', async () => {
    const store = await db.open();
    const err = await store
      .importAlignmentFile(JSON.stringify({ 'level 1': { Prompt: 42 } }), 'broken.json')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: ErrorName.InvalidInput,
      message: expect.stringMatching(/broken\.json cannot be imported/),
    });
    expect(await store.listAlignments()).toEqual([]);
  });
});

describe('datasets, settings, endpoints, aspect cache', () => {
  it('datasets: save/list/delete; empty ones refused', async () => {
    const store = await db.open();
    const d = await store.saveDataset({ name: 'Mine', kind: 'train', queries: [{ id: '1', text: 'Hi?' }] });
    expect(await store.listDatasets()).toEqual([d]);
    await expect(store.saveDataset({ name: 'Empty', kind: 'eval', queries: [] })).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
    });
    await store.deleteDataset(d.id);
    expect(await store.listDatasets()).toEqual([]);
  });

  it('settings never keep API keys; endpoints keep one only when remembered', async () => {
    const store = await db.open();
    await store.setSetting('ui', { theme: 'dark', nested: { apiKey: 'sk-x', keep: 1 } });
    expect(await store.getSetting('ui')).toEqual({ theme: 'dark', nested: { keep: 1 } });
    expect(await store.getSetting('missing')).toBeUndefined();

    await store.saveEndpoint({ id: 'a', baseUrl: 'http://127.0.0.1:8080/v1', apiKey: 'sk-forget', remember: false });
    await store.saveEndpoint({ id: 'b', baseUrl: 'http://127.0.0.1:9090/v1', apiKey: 'sk-keep', remember: true });
    const list = await store.listEndpoints();
    expect(list.find((e) => e.id === 'a')).not.toHaveProperty('apiKey');
    expect(list.find((e) => e.id === 'b')?.apiKey).toBe('sk-keep');
    // Unticking "remember" drops the stored key.
    await store.saveEndpoint({ id: 'b', baseUrl: 'http://127.0.0.1:9090/v1', apiKey: 'sk-keep', remember: false });
    expect((await store.listEndpoints()).find((e) => e.id === 'b')).not.toHaveProperty('apiKey');
    await store.deleteEndpoint('a');
    expect((await store.listEndpoints()).map((e) => e.id)).toEqual(['b']);
  });

  it('aspect cache get/put', async () => {
    const store = await db.open();
    expect(await store.getCachedAspects('q1')).toBeUndefined();
    await store.putCachedAspects('q1', [{ name: 'Clarity', reason: 'how-to' }]);
    expect(await store.getCachedAspects('q1')).toEqual([{ name: 'Clarity', reason: 'how-to' }]);
  });

  it('storageEstimate returns numbers', async () => {
    const store = await db.open();
    const est = await store.storageEstimate();
    expect(est === null || (typeof est.usage === 'number' && typeof est.quota === 'number')).toBe(true);
    // Whether the browser keeps the data for sure (Setup says it): a plain boolean, false until asked here.
    expect(est === null || typeof est.persisted === 'boolean').toBe(true);
  });
});
