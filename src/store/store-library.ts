/** Alignments, datasets, settings (endpoints) and the aspect cache; plus small shared helpers. */
import { validateArtifact, stripSecrets as stripArtifactSecrets } from '../core/formats/alignment-file';
import { AppError, ErrorName } from '../core/contracts/errors';
import { isConverted } from '../core/contracts/alignment';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import { nameCandidates, numberedName, problemsSentence } from '../core/words/list-words';
import type { Backend, Tx, Value } from './backends/backend';
import type { IndexName } from './schema';
import { stripSecrets } from './run-export';
import { INDEX, STORE } from './schema';
import type { AlignmentRecord, DatasetRecord, EvaluationRecord } from './schema';
import { alignmentContent, contentHash, datasetContent, linkRelation } from './content-hash';
import type { EvaluationPatch, NameTaken, SavedEndpoint, Store, StoreChange } from './store-types';

/** Stores of saved things (each change is announced under the store's name). */
type LibraryStore = 'alignments' | 'datasets' | 'evaluations';

const ENDPOINTS_KEY = 'endpoints';
export const MAX_NAME = 200;

export function newId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function requireName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed) throw new AppError(ErrorName.InvalidInput, 'Please enter a name.');
  if (trimmed.length > MAX_NAME)
    throw new AppError(ErrorName.InvalidInput, `Names can be at most ${MAX_NAME} characters.`);
  return trimmed;
}

/** Asks the browser not to evict our data under storage pressure. `false` is fine: we still work. */
export async function requestPersistence(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

/**
 * Asks the browser to keep this site's data at the first moment the user stores much (a saved run or alignment,
 * a model download), once per store: `once` asks if nothing asked yet; `now` (Setup, which says the answer) gets
 * the answer when this call asked, and null when the browser was asked before (Setup's views come and go: the
 * answer is said once, and the storage line says it from then on).
 */
export function persistenceAsker(ask: () => Promise<boolean> = requestPersistence) {
  let answer: Promise<boolean> | null = null;
  return {
    once(): void {
      answer ??= ask();
    },
    async now(): Promise<boolean | null> {
      if (answer) return null;
      answer = ask();
      return answer;
    },
  };
}
export type PersistenceAsker = ReturnType<typeof persistenceAsker>;

export interface Notifier {
  emit(change: StoreChange): void;
  subscribe(listener: (change: StoreChange) => void): () => void;
  /** Resolves once no change emitted here waits in a window (each was told to the listeners), or on close. */
  delivered(): Promise<void>;
  close(): void;
}

/**
 * How often listeners hear of one thing changing (one run, one library store, one setting). A running
 * run writes a burst of events several times a second, and every listener re-reads what it shows on a
 * change: the first change is delivered at once, the ones after it at most once per window (the last one,
 * at the window's end), so no change goes unheard and a burst costs a few reads, not one per write.
 */
export const CHANGE_WINDOW_MS = 300;

const changeKey = (c: StoreChange): string =>
  c.kind === 'runs' ? `runs:${c.runId}` : c.kind === 'settings' ? `settings:${c.key}` : c.kind;

/** Local listeners plus a BroadcastChannel, so a write in the worker refreshes the page's lists. */
export function createNotifier(channelName: string | null, windowMs = CHANGE_WINDOW_MS): Notifier {
  const listeners = new Set<(change: StoreChange) => void>();
  const channel =
    channelName !== null && typeof BroadcastChannel !== 'undefined'
      ? new BroadcastChannel(`drpo-store:${channelName}`)
      : null;
  const fire = (change: StoreChange) => {
    for (const l of [...listeners]) l(change);
  };
  /** Open windows by change key, with the change that came in during the window (if any). */
  const windows = new Map<string, { pending: StoreChange | null; timer: ReturnType<typeof setTimeout> }>();
  /** Callers of `delivered()` waiting for the last held change to be told. */
  const waiters: (() => void)[] = [];
  const holding = () => [...windows.values()].some((w) => w.pending !== null);
  const release = () => {
    if (holding()) return;
    for (const w of waiters.splice(0)) w();
  };
  const deliver = (change: StoreChange) => {
    const key = changeKey(change);
    const open = windows.get(key);
    if (open) {
      open.pending = change;
      return;
    }
    fire(change);
    const w: { pending: StoreChange | null; timer: ReturnType<typeof setTimeout> } = {
      pending: null,
      timer: setTimeout(function end() {
        const last = w.pending;
        if (!last) {
          windows.delete(key);
          return;
        }
        // What came in during the window is heard now, and opens the next window.
        w.pending = null;
        w.timer = setTimeout(end, windowMs);
        try {
          fire(last);
        } finally {
          release();
        }
      }, windowMs),
    };
    windows.set(key, w);
  };
  if (channel) channel.onmessage = (e: MessageEvent<StoreChange>) => deliver(e.data);
  return {
    emit(change) {
      deliver(change);
      channel?.postMessage(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    delivered() {
      return holding() ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve();
    },
    close() {
      listeners.clear();
      for (const w of windows.values()) clearTimeout(w.timer);
      windows.clear();
      channel?.close();
      release();
    },
  };
}

/**
 * The stored record with the same content: same hash (computed for records older than hashes, and for those
 * `staleHash` names, whose stored hash may be of what counted as their content before) and, to rule out a
 * collision, the same canonical text.
 */
function findSame<T extends { contentHash?: string }>(
  all: readonly T[],
  hash: string,
  content: string,
  contentOf: (r: T) => string,
  staleHash: (r: T) => boolean = () => false,
): T | undefined {
  return all.find((r) => {
    const stored = staleHash(r) ? undefined : r.contentHash;
    const text = stored === undefined || stored === hash ? contentOf(r) : null;
    return text !== null && (stored ?? contentHash(text)) === hash && text === content;
  });
}

/** Converted imports were hashed with the time they were converted until it stopped counting as content. */
const sameAlignment = (all: readonly AlignmentRecord[], content: string): AlignmentRecord | undefined =>
  findSame(
    all,
    contentHash(content),
    content,
    (r) => alignmentContent(r.artifact),
    (r) => isConverted(r.artifact),
  );

/**
 * An alignment as it is saved here: under its record's name (a rename changes only the record's name, and a
 * saved link may have had none), so a download or a share link made from it keeps that name elsewhere.
 */
export function savedArtifact(record: Pick<AlignmentRecord, 'name' | 'artifact'>): AlignmentArtifact {
  return { ...record.artifact, name: record.name };
}

/**
 * The stored alignment that is this one: the same content, else (linkRelation) one that is its share link or
 * whose share link it is. `fuller`: the stored one came from this one's link, which left out what this adds.
 * Each stored one is also compared under its record's name (savedArtifact), as History downloads and links it:
 * a file or link made from a renamed alignment, back on this device, is still the one saved.
 */
function storedAlike(
  all: readonly AlignmentRecord[],
  artifact: AlignmentArtifact,
): { record: AlignmentRecord; fuller: boolean } | undefined {
  const content = alignmentContent(artifact);
  const same = sameAlignment(all, content);
  if (same) return { record: same, fuller: false };
  for (const record of all) {
    const named = savedArtifact(record);
    const renamed = record.artifact.name !== record.name;
    if (renamed && alignmentContent(named) === content) return { record, fuller: false };
    const relation = linkRelation(record.artifact, artifact) ?? (renamed ? linkRelation(named, artifact) : null);
    if (relation) return { record, fuller: relation === 'fuller' };
  }
  return undefined;
}

/**
 * Whether a saved alignment is run `runId`'s own: saved as its result or closest candidate, or (a run imported on
 * another device than it ran) its result's file or link imported first, which knows no run: `result` is the run's.
 */
export function runResultOf(runId: string, result: unknown): (a: AlignmentRecord) => boolean {
  const checked = result === undefined || result === null ? null : validateArtifact(result);
  const artifact = checked?.ok ? stripArtifactSecrets(checked.artifact) : null;
  return (a) => a.runId === runId || (artifact !== null && storedAlike([a], artifact) !== undefined);
}

/**
 * The run named `name` whose result `artifact` is (its file or link, which knows no run), if one is: looked up by
 * name, so only the runs of that name are read.
 */
async function runWithResult(tx: Tx, name: string, artifact: AlignmentArtifact): Promise<string | undefined> {
  for (const id of await tx.store(STORE.runSummaries).getAllKeysFromIndex(INDEX.byName, name)) {
    const run = await tx.store(STORE.runs).get(id);
    if (!run?.artifact) continue;
    const asSaved: AlignmentRecord = { id, name: run.name, artifact: run.artifact, savedAt: 0, source: 'run' };
    if (storedAlike([asSaved], artifact)) return id;
  }
  return undefined;
}

type Library = Pick<
  Store,
  | 'saveAlignment'
  | 'getAlignment'
  | 'findAlignment'
  | 'listAlignments'
  | 'renameAlignment'
  | 'deleteAlignment'
  | 'importAlignmentFile'
  | 'saveDataset'
  | 'listDatasets'
  | 'createEvaluation'
  | 'updateEvaluation'
  | 'putEvalCheckpoint'
  | 'listEvaluations'
  | 'getEvaluation'
  | 'deleteEvaluation'
  | 'deleteDataset'
  | 'getSetting'
  | 'setSetting'
  | 'saveEndpoint'
  | 'listEndpoints'
  | 'deleteEndpoint'
  | 'getCachedAspects'
  | 'putCachedAspects'
>;

/**
 * The time a record is written at: now, or just after the newest one listed, so a record written later always
 * lists as newer. Two written in one millisecond (a fast machine, runs written together) would otherwise tie and
 * fall to their random ids' order, and "the newest" (Data's Saved, History, Live's run, Evaluate's list) would be
 * a coin toss. A time more than a minute ahead is another machine's clock (an imported run) and is not
 * followed; within that, stamps may run ahead of the clock (a burst of writes in one millisecond) and still
 * order. Read in the writing transaction.
 */
const STAMP_AHEAD_MS = 60_000;
export async function stampAfterNewest(tx: Tx, name: StampedStore, index: IndexName): Promise<number> {
  const now = Date.now();
  const newest = await tx.store(name).lastIndexKey(index, now + STAMP_AHEAD_MS);
  return typeof newest === 'number' && newest >= now ? newest + 1 : now;
}
type StampedStore = LibraryStore | 'runSummaries';

/**
 * `base`, numbered ("DRPO Quick (2)", numberedName's rule) when a saved alignment or a run has it: the Playground
 * and Evaluate list saved alignments, History the runs, and a run's result is saved under the run's name. A run's
 * own alignments (`ownRun`: its result, its closest candidate) share its name on purpose: its name is not taken
 * for them. `taken`: what had `base`, when the name is numbered. `tx` must span both stores; looked up in it, so
 * two tabs writing at once do not pick the same name. Each name tried is looked up in the name indexes (v4):
 * reading every alignment in full to see its name was slow with hundreds of them. `ownAlignment`: for a run
 * being named (imported), its own saved alignments (runResultOf), which do not take its name, as a rename allows.
 */
export async function freeName(
  tx: Tx,
  base: string,
  ownRun?: string,
  ownAlignment?: (a: AlignmentRecord) => boolean,
): Promise<{ name: string; taken?: NameTaken }> {
  const alignmentsNamed = async (name: string): Promise<number> =>
    ownAlignment
      ? (await tx.store(STORE.alignments).getAllFromIndex(INDEX.byName, name)).filter((a) => !ownAlignment(a)).length
      : tx.store(STORE.alignments).countFromIndex(INDEX.byName, name);
  const holder = async (name: string): Promise<NameTaken['by'] | null> => {
    const [alignments, runs] = await Promise.all([
      alignmentsNamed(name),
      tx.store(STORE.runSummaries).getAllKeysFromIndex(INDEX.byName, name),
    ]);
    return alignments > 0 ? 'alignment' : runs.some((id) => id !== ownRun) ? 'run' : null;
  };
  const candidates = nameCandidates(base, MAX_NAME);
  let taken: NameTaken | undefined;
  for (;;) {
    const name = candidates.next().value;
    const by = await holder(name);
    if (!by) return taken ? { name, taken } : { name };
    taken ??= { name: base, by };
  }
}

export function createLibrary(backend: Backend, notifier: Notifier, keep: PersistenceAsker): Library {
  /** A library store's records, newest first by `index`. */
  const newestFirst = async <N extends LibraryStore>(name: N, index: IndexName): Promise<Value<N>[]> =>
    (await backend.run([name], 'readonly', (tx) => tx.store(name).getAllFromIndex(index))).reverse();
  const addEvaluation = async (
    name: string,
    fields: Partial<EvaluationRecord>,
    id = newId(),
  ): Promise<EvaluationRecord> => {
    const record: EvaluationRecord = { ...fields, id, name: requireName(name), savedAt: Date.now() };
    await backend.run([STORE.evaluations], 'readwrite', async (tx) => {
      record.savedAt = await stampAfterNewest(tx, STORE.evaluations, INDEX.bySavedAt);
      await tx.store(STORE.evaluations).put(record);
    });
    notifier.emit({ kind: 'evaluations' });
    return record;
  };
  /** Writes a patch over an evaluation's record (a field set to undefined is removed); undefined once deleted. */
  const patchEvaluation = (id: string, patch: EvaluationPatch) =>
    backend.run([STORE.evaluations], 'readwrite', async (tx) => {
      const evaluations = tx.store(STORE.evaluations);
      const old = await evaluations.get(id);
      if (!old) return undefined;
      const record: EvaluationRecord = { ...old };
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) delete record[key as keyof EvaluationRecord];
        else (record as unknown as Record<string, unknown>)[key] = value;
      }
      await evaluations.put(record);
      return record;
    });
  const remove = async (name: LibraryStore, id: string): Promise<void> => {
    await backend.run([name], 'readwrite', (tx) => tx.store(name).delete(id));
    notifier.emit({ kind: name });
  };
  const notFound = (what: string) => new AppError(ErrorName.Gone, `This ${what} no longer exists.`);

  const lib: Library = {
    async saveAlignment({ name, artifact, source, runId }) {
      const checked = validateArtifact(artifact);
      if (!checked.ok) {
        throw new AppError(
          ErrorName.InvalidInput,
          `This alignment cannot be saved: ${problemsSentence(checked.errors)}`,
          {
            detail: checked.errors.join('\n'),
          },
        );
      }
      const clean = stripArtifactSecrets(checked.artifact);
      const content = alignmentContent(clean);
      const record: AlignmentRecord = {
        id: newId(),
        name: requireName(name),
        artifact: clean,
        savedAt: Date.now(),
        source,
        contentHash: contentHash(content),
      };
      if (runId) record.runId = runId;
      let taken: NameTaken | undefined;
      // Look up and write in one transaction, so two tabs saving the same result store it once, and two saving
      // others under one name do not both take it.
      const stores = [STORE.alignments, STORE.runSummaries, STORE.runs] as const;
      const existing = await backend.run([...stores], 'readwrite', async (tx) => {
        const s = tx.store(STORE.alignments);
        const alike = storedAlike(await s.getAll(), clean);
        if (!alike) {
          // A run's result imported after its run (a run export, then its alignment file): the run's own.
          const ownRun = runId ?? (await runWithResult(tx, record.name, clean));
          if (ownRun) record.runId = ownRun;
          // Another one under this name could not be told apart from it in the lists: "Name (2)" (freeName).
          ({ name: record.name, taken } = await freeName(tx, record.name, ownRun));
          record.savedAt = await stampAfterNewest(tx, STORE.alignments, INDEX.bySavedAt);
          await s.put(record);
        } else if (alike.fuller) {
          // Saved from this alignment's share link: it gains what the link left out, and keeps its id, name and time.
          const runIdToo = runId && !alike.record.runId ? { runId } : {};
          alike.record = { ...alike.record, ...runIdToo, artifact: clean, contentHash: record.contentHash };
          await s.put(alike.record);
        }
        return alike;
      });
      if (existing?.fuller) notifier.emit({ kind: 'alignments' });
      if (existing) return { ...existing.record, existing: true, ...(existing.fuller ? { detailsAdded: true } : {}) };
      keep.once();
      notifier.emit({ kind: 'alignments' });
      return taken ? { ...record, nameTaken: taken } : record;
    },
    createEvaluation: ({ name, job, id }) => addEvaluation(name, { status: 'running', job, progress: null }, id),
    async updateEvaluation(id, patch) {
      const next = await patchEvaluation(id, patch);
      if (next) notifier.emit({ kind: 'evaluations' });
      return next;
    },
    async putEvalCheckpoint(id, { calls, hits, stats, progress }) {
      await patchEvaluation(id, { calls, hits, stats, progress });
    },
    listEvaluations: () => newestFirst(STORE.evaluations, INDEX.bySavedAt),
    getEvaluation: (id) => backend.run([STORE.evaluations], 'readonly', (tx) => tx.store(STORE.evaluations).get(id)),
    deleteEvaluation: (id) => remove(STORE.evaluations, id),
    async findAlignment(artifact) {
      const checked = validateArtifact(artifact);
      if (!checked.ok) return undefined;
      const all = await backend.run([STORE.alignments], 'readonly', (tx) => tx.store(STORE.alignments).getAll());
      const alike = storedAlike(all, stripArtifactSecrets(checked.artifact));
      if (!alike) return undefined;
      return alike.fuller ? { ...alike.record, lacksDetails: true } : alike.record;
    },
    getAlignment: (id) => backend.run([STORE.alignments], 'readonly', (tx) => tx.store(STORE.alignments).get(id)),
    listAlignments: () => newestFirst(STORE.alignments, INDEX.bySavedAt),
    async renameAlignment(id, name) {
      const clean = requireName(name);
      const record = await backend.run([STORE.alignments, STORE.runSummaries], 'readwrite', async (tx) => {
        const s = tx.store(STORE.alignments);
        const found = await s.get(id);
        if (!found) throw notFound('alignment');
        // The Playground, Evaluate and History list alignments by name: two under one name cannot be told apart.
        // Its own name again is no change (even beside an older twin); as for runs, a name differing only in case
        // tells them apart. Looked up in the name index (v4: no record read) in this transaction, so two tabs
        // renaming at once cannot both take it.
        // A run's name is refused too (History lists runs by name, and the run's result is saved under it), but
        // its own run's: a run's result shares its name on purpose (renameRun's rule, the other way round).
        const [named, runs] =
          clean === found.name
            ? [[], []]
            : await Promise.all([
                s.getAllKeysFromIndex(INDEX.byName, clean),
                tx.store(STORE.runSummaries).getAllKeysFromIndex(INDEX.byName, clean),
              ]);
        const taken = named.some((key) => key !== id)
          ? 'Another saved alignment'
          : runs.some((key) => key !== found.runId)
            ? 'A run'
            : null;
        if (taken)
          throw new AppError(ErrorName.InvalidInput, `${taken} is already called “${clean}”. Choose another name.`);
        const next = { ...found, name: clean };
        await s.put(next);
        return next;
      });
      notifier.emit({ kind: 'alignments' });
      return record;
    },
    deleteAlignment: (id) => remove(STORE.alignments, id),
    async importAlignmentFile(text, fileName) {
      // Loaded on demand: file import is rare and pulls in the official-format converter.
      const { readAlignmentText } = await import('../core/formats/alignment-import');
      const read = readAlignmentText(text, fileName);
      if (!read.ok) {
        // The first three problems, and how many more: a detail repeating them would be shown beside them.
        throw new AppError(
          ErrorName.InvalidInput,
          `${fileName || 'This file'} cannot be imported: ${problemsSentence(read.errors)}`,
        );
      }
      const { artifact, source } = read;
      const name = artifact.name?.trim() || fileName.replace(/\.json$/i, '').trim() || 'Imported alignment';
      return lib.saveAlignment({ name: name.slice(0, MAX_NAME), artifact, source });
    },

    async saveDataset({ name, kind, queries, report }) {
      if (kind !== 'train' && kind !== 'eval')
        throw new AppError(ErrorName.InvalidInput, 'A dataset is either train or eval.');
      if (!Array.isArray(queries) || queries.length === 0) {
        throw new AppError(ErrorName.InvalidInput, 'This dataset has no queries to save.');
      }
      const content = datasetContent(kind, queries);
      const record: DatasetRecord = {
        id: newId(),
        name: requireName(name),
        kind,
        queries,
        report: report ?? null,
        createdAt: Date.now(),
        contentHash: contentHash(content),
      };
      const existing = await backend.run([STORE.datasets], 'readwrite', async (tx) => {
        const s = tx.store(STORE.datasets);
        const all = await s.getAll();
        const same = findSame(all, record.contentHash!, content, (r) => datasetContent(r.kind, r.queries));
        if (same) return same;
        // Other queries under a name already listed (two files both called q.csv): "q.csv (2)", so the lists
        // that offer saved datasets of this kind tell them apart by name, not only by their query counts.
        // Looked up in this transaction, so two tabs saving at once do not pick the same number.
        const names = new Set(all.filter((r) => r.kind === kind).map((r) => r.name));
        record.name = numberedName(record.name, (n) => names.has(n), MAX_NAME);
        record.createdAt = await stampAfterNewest(tx, STORE.datasets, INDEX.byCreatedAt);
        await s.put(record);
        return undefined;
      });
      if (existing) return { ...existing, existing: true };
      notifier.emit({ kind: 'datasets' });
      return record;
    },
    listDatasets: () => newestFirst(STORE.datasets, INDEX.byCreatedAt),
    deleteDataset: (id) => remove(STORE.datasets, id),

    getSetting: async <T>(key: string) =>
      (await backend.run([STORE.settings], 'readonly', (tx) => tx.store(STORE.settings).get(key))) as T | undefined,
    async setSetting(key, value) {
      // Plain settings never hold credentials; remembered endpoint keys go through saveEndpoint.
      await backend.run([STORE.settings], 'readwrite', (tx) => tx.store(STORE.settings).put(stripSecrets(value), key));
      notifier.emit({ kind: 'settings', key });
    },
    async saveEndpoint(endpoint) {
      const { apiKey, keyNotRemembered, ...rest } = endpoint;
      // The key only when asked; otherwise only the fact that one was used (a reload then asks for it).
      const saved: SavedEndpoint =
        endpoint.remember && apiKey
          ? { ...rest, apiKey }
          : apiKey || keyNotRemembered
            ? { ...rest, keyNotRemembered: true }
            : rest;
      await backend.run([STORE.settings], 'readwrite', async (tx) => {
        const s = tx.store(STORE.settings);
        const list = ((await s.get(ENDPOINTS_KEY)) as SavedEndpoint[] | undefined) ?? [];
        await s.put([...list.filter((e) => e.id !== saved.id), saved], ENDPOINTS_KEY);
      });
      notifier.emit({ kind: 'settings', key: ENDPOINTS_KEY });
      return saved;
    },
    listEndpoints: async () => (await lib.getSetting<SavedEndpoint[]>(ENDPOINTS_KEY)) ?? [],
    async deleteEndpoint(id) {
      await backend.run([STORE.settings], 'readwrite', async (tx) => {
        const s = tx.store(STORE.settings);
        const list = ((await s.get(ENDPOINTS_KEY)) as SavedEndpoint[] | undefined) ?? [];
        await s.put(
          list.filter((e) => e.id !== id),
          ENDPOINTS_KEY,
        );
      });
      notifier.emit({ kind: 'settings', key: ENDPOINTS_KEY });
    },

    async getCachedAspects(key) {
      const hit = await backend.run([STORE.aspectCache], 'readonly', (tx) => tx.store(STORE.aspectCache).get(key));
      return hit?.aspects;
    },
    async putCachedAspects(key, aspects) {
      await backend.run([STORE.aspectCache], 'readwrite', (tx) =>
        tx.store(STORE.aspectCache).put({ aspects, savedAt: Date.now() }, key),
      );
    },
  };
  return lib;
}
