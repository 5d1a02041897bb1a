/**
 * The Store, written once against the Backend surface (IndexedDB or memory).
 * Runs and the run sink live here; alignments, datasets and settings in store-library.ts.
 */
import { mergeEventLog } from './event-log';
import { AppError, ErrorName } from '../core/contracts/errors';
import type { RunConfig } from '../core/contracts/run-config';
import type { RunEvent } from '../core/contracts/run-events';
import { isResumable } from '../core/contracts/run-status';
import type { Backend, Tx } from './backends/backend';
import { openIdbBackend } from './backends/idb-backend';
import { createMemoryBackend } from './backends/memory-backend';
import { MIGRATIONS } from './backends/migrations';
import { RUN_RECORD_STORES, repairRunListings, writeRun } from './run-listing';
import { buildRunExport, parseRunExport, stripSecrets, withoutDeviceFields } from './run-export';
import { applyEventsToRun, hashEvent, initialProgress, shouldLogEvent } from './run-progress';
import { emptyStats } from '../core/calls/call-gateway';
import { DB_NAME, INDEX, STORE } from './schema';
import type { EventRecord, NodeRecord, RunListing, RunRecord } from './schema';
import {
  createLibrary,
  createNotifier,
  freeName,
  runResultOf,
  newId,
  persistenceAsker,
  requestPersistence,
  requireName,
  stampAfterNewest,
} from './store-library';
import type { ListedRun, NameTaken, Store, StoreOptions } from './store-types';

/** The database version whose step made the run listings (migrations.ts v3). */
const LISTINGS_VERSION = 3;

const RUN_STORES = [...RUN_RECORD_STORES, STORE.nodes, STORE.events];

/** A listing as callers get it: with whether a resume is possible (a resumable status and a checkpoint). */
function listed(r: RunListing, withCheckpoint: ReadonlySet<string>): ListedRun {
  return { ...r, resumable: isResumable(r.status) && withCheckpoint.has(r.id) };
}

/** A run's time of change, after every listed run's (listRuns ranks by it); `tx` must span the listings. */
const stampRun = (tx: Tx) => stampAfterNewest(tx, STORE.runSummaries, INDEX.byUpdatedAt);

/** The name an unnamed run takes (freeName: runs and saved alignments); `tx` must span both. */
const freeRunName = async (tx: Tx, base: string): Promise<string> => (await freeName(tx, base)).name;

function missingRun(): AppError {
  return new AppError(ErrorName.Gone, 'This run no longer exists (it may have been deleted in another tab).');
}

function unavailableReason(err: unknown): string {
  const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const meanwhile = 'Until then, new runs and alignments last only until this tab closes.';
  // Data is stored but could not be opened: say it is safe, or the user may clear site data to "fix" it.
  if (err instanceof Error && err.name === 'UpgradeFailedError')
    return `DRPO Studio could not bring your saved runs and alignments up to this version of the page. They are untouched: reload the page to try again. ${meanwhile} (${why})`;
  if (err instanceof Error && err.name === 'VersionError')
    return `Your saved runs and alignments were last saved by a newer version of DRPO Studio than this page. They are untouched: reload the page to get the newer version. ${meanwhile} (${why})`;
  return `This browser does not let DRPO Studio store data here (private browsing or storage turned off?), so runs and alignments last only until this tab closes. (${why})`;
}

export async function openStoreImpl(opts: StoreOptions): Promise<Store> {
  const name = opts.name ?? DB_NAME;
  let backend: Backend;
  if (opts.forceMemory) backend = createMemoryBackend('Storage is in memory for this session.');
  else if (typeof indexedDB === 'undefined') backend = createMemoryBackend(unavailableReason('IndexedDB is missing'));
  else {
    const steps = opts.migrations ?? MIGRATIONS;
    try {
      backend = await openIdbBackend({ ...opts, name, steps });
    } catch (err) {
      backend = createMemoryBackend(unavailableReason(err));
    }
    // Listings exist from v3 on (tests open older versions). A failed repair leaves the store as it was.
    if (backend.persistent && steps.length >= LISTINGS_VERSION)
      await repairRunListings(backend).catch((err: unknown) => console.warn('Could not repair run listings', err));
  }
  return createStore(backend, name);
}

export function createStore(backend: Backend, name: string): Store {
  const notifier = createNotifier(backend.persistent ? name : null);
  const emitRun = (runId: string) => notifier.emit({ kind: 'runs', runId });
  // One ask per store, at the first run, alignment or model download (not on page load). A memory store keeps
  // nothing past the tab, so the browser is not asked to keep it.
  const keep = persistenceAsker(backend.persistent ? requestPersistence : async () => false);

  const store: Store = {
    persistent: backend.persistent,
    unavailableReason: backend.unavailableReason,
    ...createLibrary(backend, notifier, keep),

    async createRun(config: RunConfig, runName?: string, id = newId(), opts: { numbered?: boolean } = {}) {
      const now = Date.now();
      const record: RunRecord = {
        id,
        name: requireName(runName ?? config.name ?? `Run ${new Date(now).toISOString()}`),
        config: stripSecrets(config),
        status: 'pending',
        progress: initialProgress(config),
        best: null,
        stats: emptyStats(),
        createdAt: now,
        updatedAt: now,
      };
      const stores = opts.numbered ? [...RUN_RECORD_STORES, STORE.alignments] : RUN_RECORD_STORES;
      await backend.run(stores, 'readwrite', async (tx) => {
        if (await tx.store(STORE.runs).get(id)) {
          throw new AppError(ErrorName.InvalidInput, `A run with id ${id} already exists.`);
        }
        if (opts.numbered) {
          record.name = await freeRunName(tx, record.name);
          // A name the run's config carries is what the engine names its result (heading, download, link):
          // the number goes there too. An unnamed run's config stays unnamed.
          if (record.config.name !== undefined) record.config = { ...record.config, name: record.name };
        }
        record.createdAt = record.updatedAt = await stampRun(tx);
        await writeRun(tx, record);
      });
      keep.once();
      emitRun(id);
      return record;
    },
    nextRunName: (base) =>
      backend.run([STORE.runSummaries, STORE.alignments], 'readonly', (tx) => freeName(tx, requireName(base))),
    getRun: (id) => backend.run([STORE.runs], 'readonly', (tx) => tx.store(STORE.runs).get(id)),
    // Lists read the listings, never the run records (with their queries and results), plus the checkpoints'
    // keys (not the checkpoints).
    async listRuns() {
      const [runs, withCheckpoint] = await backend.run(
        [STORE.runSummaries, STORE.checkpoints],
        'readonly',
        async (tx) => [
          await tx.store(STORE.runSummaries).getAllFromIndex(INDEX.byUpdatedAt),
          new Set(await tx.store(STORE.checkpoints).getAllKeys()),
        ],
      );
      return runs.reverse().map((r) => listed(r, withCheckpoint));
    },
    async listUnfinishedRuns() {
      return (await store.listRuns()).filter((r) => r.resumable);
    },
    async getRunListing(id) {
      const [run, withCheckpoint] = await backend.run(
        [STORE.runSummaries, STORE.checkpoints],
        'readonly',
        async (tx) => [
          await tx.store(STORE.runSummaries).get(id),
          new Set(await tx.store(STORE.checkpoints).getAllKeys()),
        ],
      );
      return run && listed(run, withCheckpoint);
    },
    async updateRun(id, patch) {
      const next = await backend.run(RUN_RECORD_STORES, 'readwrite', async (tx) => {
        const run = await tx.store(STORE.runs).get(id);
        if (!run) throw missingRun();
        const merged: RunRecord = { ...run, ...patch, id, updatedAt: await stampRun(tx) };
        await writeRun(tx, merged);
        return merged;
      });
      emitRun(id);
      return next;
    },
    async renameRun(id, newName) {
      const clean = requireName(newName);
      const next = await backend.run([...RUN_RECORD_STORES, STORE.alignments], 'readwrite', async (tx) => {
        const run = await tx.store(STORE.runs).get(id);
        if (!run) throw missingRun();
        // History lists runs by name, and a run's result is saved under its name (a saved alignment's would be
        // numbered then): another run's name, or a saved alignment's but the run's own, is refused. Its own name
        // again is no change. Looked up in the name indexes in this transaction, so two tabs renaming at once
        // cannot both take one name.
        if (clean !== run.name) {
          const [runs, alignments] = await Promise.all([
            tx.store(STORE.runSummaries).getAllKeysFromIndex(INDEX.byName, clean),
            tx.store(STORE.alignments).getAllFromIndex(INDEX.byName, clean),
          ]);
          const taken = runs.some((key) => key !== id)
            ? 'Another run'
            : alignments.some((a) => a.runId !== id)
              ? 'A saved alignment'
              : null;
          if (taken)
            throw new AppError(ErrorName.InvalidInput, `${taken} is already called “${clean}”. Choose another name.`);
        }
        const merged: RunRecord = { ...run, name: clean, id, updatedAt: await stampRun(tx) };
        await writeRun(tx, merged);
        return merged;
      });
      emitRun(id);
      return next;
    },
    async deleteRun(id) {
      await backend.run(RUN_STORES, 'readwrite', async (tx) => {
        await tx.store(STORE.runs).delete(id);
        await tx.store(STORE.runSummaries).delete(id);
        const nodes = tx.store(STORE.nodes);
        for (const key of await nodes.getAllKeysFromIndex(INDEX.byRun, id)) await nodes.delete(key);
        const events = tx.store(STORE.events);
        for (const key of await events.getAllKeysFromIndex(INDEX.byRun, id)) await events.delete(key);
        await tx.store(STORE.checkpoints).delete(id);
      });
      emitRun(id);
    },
    getNodes: (runId) =>
      backend.run([STORE.nodes], 'readonly', (tx) => tx.store(STORE.nodes).getAllFromIndex(INDEX.byRun, runId)),
    getNodesAtDepth: (runId, depth) =>
      backend.run([STORE.nodes], 'readonly', (tx) =>
        tx.store(STORE.nodes).getAllFromIndex(INDEX.byRunDepth, [runId, depth]),
      ),
    countNodes: (runId) =>
      backend.run([STORE.nodes], 'readonly', (tx) => tx.store(STORE.nodes).countFromIndex(INDEX.byRun, runId)),
    async getEvents(runId) {
      const [records, nodes] = await backend.run([STORE.events, STORE.nodes], 'readonly', async (tx) => [
        await tx.store(STORE.events).getAllFromIndex(INDEX.byRun, runId),
        await tx.store(STORE.nodes).getAllFromIndex(INDEX.byRun, runId),
      ]);
      return mergeEventLog(runId, records, nodes);
    },
    getCheckpoint: (runId) =>
      backend.run([STORE.checkpoints], 'readonly', (tx) => tx.store(STORE.checkpoints).get(runId)),
    async putCheckpoint(checkpoint) {
      // A run deleted while it was still going must not come back as an orphan checkpoint, nor one that ended
      // (its final write dropped the checkpoint: see writeRun). The listing tells both, without the record.
      await backend.run([STORE.runSummaries, STORE.checkpoints], 'readwrite', async (tx) => {
        const run = await tx.store(STORE.runSummaries).get(checkpoint.runId);
        if (run && isResumable(run.status)) await tx.store(STORE.checkpoints).put(checkpoint);
      });
    },
    async appendEvents(runId, events) {
      // Build everything first: the transaction below awaits nothing but its own requests.
      // A node is written once, to `nodes`, with its position in the log (`seq`); only the other
      // events go to the log. Writing nodes twice (log + store) doubled the cost of a long run.
      const logged = events.filter((e) => e.type !== 'node-evaluated' && shouldLogEvent(e));
      const hashes = new Map(logged.map((e) => [e, hashEvent(e)]));
      const prepared = logged.map((event) => ({ event, hash: hashes.get(event)! }));
      const nodes: NodeRecord[] = events.flatMap((e) => (e.type === 'node-evaluated' ? [{ ...e.node, runId }] : []));
      const written = await backend.run([...RUN_RECORD_STORES, STORE.nodes, STORE.events], 'readwrite', async (tx) => {
        const runs = tx.store(STORE.runs);
        const run = await runs.get(runId);
        if (!run) return false; // deleted while running: drop the burst
        const nodeStore = tx.store(STORE.nodes);
        const log = tx.store(STORE.events);
        // Issue lookups together (IndexedDB runs them in order anyway) instead of one await per
        // request, and keep counters in the run record: counting an index is O(n) in IndexedDB,
        // which made long runs quadratic.
        // Which nodes are already stored: one key lookup per depth in the burst (a burst spans one
        // or two levels) instead of one request per node.
        const depths = [...new Set(nodes.map((n) => n.depth))];
        const [keysByDepth, dupes, seq0] = await Promise.all([
          Promise.all(depths.map((d) => nodeStore.getAllKeysFromIndex(INDEX.byRunDepth, [runId, d]))),
          Promise.all(prepared.map(({ hash }) => log.countFromIndex(INDEX.byRunHash, [runId, hash]))),
          run.eventSeq ?? log.countFromIndex(INDEX.byRun, runId),
        ]);
        const stored = new Set(keysByDepth.flat().map((k) => (k as [string, string])[1]));
        const existing = nodes.map((n) => stored.has(n.id));
        // A replayed node keeps its first position in the log (rare: resume, validation scores).
        const previous = await Promise.all(
          nodes.map((n, i) => (existing[i] ? nodeStore.get([runId, n.id]) : Promise.resolve(undefined))),
        );
        let seq = seq0;
        const seen = new Set<string>();
        const dupeByEvent = new Map(prepared.map(({ event }, i) => [event, dupes[i]! > 0]));
        const writes: Promise<void>[] = [];
        let n = 0;
        for (const event of events) {
          if (event.type === 'node-evaluated') {
            const i = n++;
            const first = previous[i];
            writes.push(
              nodeStore.put({ ...nodes[i]!, seq: first?.seq ?? seq++, loggedAt: first?.loggedAt ?? event.at }),
            );
            continue;
          }
          const hash = hashes.get(event);
          if (hash === undefined || seen.has(hash) || dupeByEvent.get(event)) continue;
          seen.add(hash);
          const record: EventRecord = { runId, seq: seq++, hash, event };
          writes.push(log.put(record));
        }
        await Promise.all(writes);
        const count = run.progress.nodes + existing.filter((e) => !e).length;
        await writeRun(tx, { ...applyEventsToRun(run, events, count, await stampRun(tx)), eventSeq: seq });
        return true;
      });
      if (written) emitRun(runId);
    },

    async exportRun(runId) {
      const [run, nodes, events] = await backend.run(
        [STORE.runs, STORE.nodes, STORE.events],
        'readonly',
        async (tx) => [
          await tx.store(STORE.runs).get(runId),
          await tx.store(STORE.nodes).getAllFromIndex(INDEX.byRun, runId),
          await tx.store(STORE.events).getAllFromIndex(INDEX.byRun, runId),
        ],
      );
      if (!run) throw missingRun();
      return buildRunExport(run, nodes, mergeEventLog(runId, events, nodes));
    },
    async importRun(json) {
      const file = parseRunExport(json);
      let existing: RunRecord | undefined;
      let nameTaken: NameTaken | undefined;
      // The alignments too: a run imported under a name another run or a saved alignment has is numbered (freeName).
      const record = await backend.run([...RUN_STORES, STORE.alignments], 'readwrite', async (tx) => {
        const runs = tx.store(STORE.runs);
        const there = await runs.get(file.run.id);
        // The same run again (an export imported twice, or back into the browser it came from): one copy.
        const stored = there ? await tx.store(STORE.nodes).countFromIndex(INDEX.byRun, there.id) : 0;
        if (there && sameRun(there, file.run, stored, file.nodes.length)) {
          existing = there;
          return there;
        }
        const from = { id: file.run.id, updatedAt: file.run.updatedAt, nodes: file.nodes.length };
        // This file was imported before, beside a run of its id (deleted since, or not): that copy is the one.
        const copy = (await runs.getAll()).find((r) => sameSource(r.importedFrom, from));
        if (copy) {
          existing = copy;
          return copy;
        }
        const clash = there !== undefined;
        const id = clash ? newId() : file.run.id;
        // No checkpoint travels with an export, so a run that could go on (going, paused, failed) cannot be
        // resumed: a Resume would start it over, writing its first prompts over the file's (node ids repeat).
        const status = isResumable(file.run.status) ? 'cancelled' : file.run.status;
        const base = clash ? `${file.run.name} (imported)` : file.run.name;
        const named = await freeName(tx, base, id, runResultOf(id, file.run.artifact));
        nameTaken = named.taken;
        const run: RunRecord = {
          ...withoutDeviceFields(file.run),
          id,
          status,
          name: named.name,
          progress: { ...file.run.progress, nodes: file.nodes.length },
          ...(clash ? { importedFrom: from } : {}),
        };
        // Same layout as a live run: each node carries the log position of its first
        // node-evaluated event; other events go to the log. An event naming no node is dropped.
        const firstEvent = new Map<string, { seq: number; at: number }>();
        const logged: EventRecord[] = [];
        let seq = 0;
        for (const event of file.events) {
          const e = { ...event, runId: id } as RunEvent;
          if (e.type !== 'node-evaluated') logged.push({ runId: id, seq: seq++, hash: hashEvent(e), event: e });
          else if (typeof e.node?.id === 'string' && !firstEvent.has(e.node.id)) {
            firstEvent.set(e.node.id, { seq: seq++, at: e.at }); // a file's node may lack an id
          }
        }
        run.eventSeq = seq;
        await writeRun(tx, run);
        const nodeStore = tx.store(STORE.nodes);
        for (const node of file.nodes) {
          const { seq: _seq, loggedAt: _at, ...plain } = node as NodeRecord;
          const first = firstEvent.get(plain.id);
          await nodeStore.put({ ...plain, runId: id, ...(first && { seq: first.seq, loggedAt: first.at }) });
        }
        const log = tx.store(STORE.events);
        for (const record of logged) await log.put(record);
        return run;
      });
      if (existing) return { ...existing, existing: true };
      emitRun(record.id);
      return nameTaken ? { ...record, nameTaken } : record;
    },

    async storageEstimate() {
      try {
        const est = await navigator.storage?.estimate?.();
        if (!est) return null;
        const persisted = (await navigator.storage.persisted?.().catch(() => false)) ?? false;
        return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
      } catch {
        return null;
      }
    },
    requestPersistence: () => keep.now(),
    onChange: (listener) => notifier.subscribe(listener),
    changesDelivered: () => notifier.delivered(),
    close() {
      notifier.close();
      backend.close();
    },
  };
  return store;
}

/**
 * An export of a run this store holds as it was exported: same id, start, last change and number of scored
 * prompts. A run changed since (renamed, resumed) is another version, imported as a copy.
 */
function sameRun(a: RunRecord, b: RunRecord, aNodes: number, bNodes: number): boolean {
  return a.id === b.id && a.createdAt === b.createdAt && a.updatedAt === b.updatedAt && aNodes === bNodes;
}

function sameSource(a: RunRecord['importedFrom'], b: NonNullable<RunRecord['importedFrom']>): boolean {
  return a?.id === b.id && a.updatedAt === b.updatedAt && a.nodes === b.nodes;
}
