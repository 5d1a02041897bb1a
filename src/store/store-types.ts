/**
 * The app's storage API (the contract; `openStore` in store.ts returns one). One interface, two backends:
 * IndexedDB (persistent) and an in-memory fallback for browsers where IndexedDB cannot be opened (private
 * mode), so the app still works for the session. UI and worker code against `Store` only.
 */
import type { RunCheckpoint } from '../core/contracts/run-api';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import type { Query, RunConfig } from '../core/contracts/run-config';
import type { EndpointConfig } from '../core/contracts/endpoint-config';
import type { RunEvent } from '../core/contracts/run-events';
import type { SearchNode, SelectedAspect } from '../core/contracts/search-node';
import type { EvalCheckpoint, EvalJobPlan } from '../core/eval/eval-job';
import type { Migration } from './backends/migrations';
import type {
  AlignmentRecord,
  AlignmentSource,
  DatasetKind,
  DatasetRecord,
  EvaluationRecord,
  NodeRecord,
  RunListing,
  RunRecord,
} from './schema';

/** The stored records' types, so callers import the whole storage API from one module. */
export type * from './schema';

/** What `exportRun` produces and `importRun` accepts. Never contains API keys. */
export interface RunExport {
  format: 'drpo-run-export';
  version: 1;
  run: RunRecord;
  nodes: SearchNode[];
  events: RunEvent[];
}

/**
 * A save that may have found the same content already stored (`existing`). `detailsAdded`: what was stored came
 * from this alignment's share link, and now holds what the link left out (its settings, its whole path).
 */
export type Saved<T> = T & { existing?: boolean; detailsAdded?: boolean; nameTaken?: NameTaken };

/**
 * The name a new record asked for, which another already had (`by`: a saved alignment, or a run): the record was
 * saved under a numbered one ("Name (2)"), which a page says with why.
 */
export interface NameTaken {
  name: string;
  by: 'alignment' | 'run';
}

/** Fields of an evaluation the page and the worker change as it runs; `undefined` removes a field. */
export type EvaluationPatch = Partial<
  Pick<EvaluationRecord, 'name' | 'report' | 'status' | 'progress' | 'calls' | 'hits' | 'stats' | 'error'>
>;

/** A run as lists get it: its listing, and whether it can be resumed (a resumable status and a checkpoint). */
export type ListedRun = RunListing & { resumable: boolean };

/** Fields of a run the UI/worker may change directly. */
export type RunPatch = Partial<
  Pick<
    RunRecord,
    'name' | 'status' | 'progress' | 'best' | 'reached' | 'stats' | 'error' | 'stage' | 'artifact' | 'endpointUrls'
  >
>;

/** An endpoint's connection settings (every field of EndpointConfig) and what the page keeps beside them. */
export interface SavedEndpoint extends EndpointConfig {
  /** Present only when `remember` was ticked. */
  apiKey?: string;
  remember: boolean;
  /** A key was used but not remembered: after a reload it must be typed again (never the key itself). */
  keyNotRemembered?: boolean;
  /** The model last used from it, so the page reopens ready (never a secret). */
  modelId?: string;
  /** The models it listed at the last connection check, so a reload can offer them for every role. */
  models?: string[];
  /** Optional prices per million tokens, for cost estimates. */
  pricePerMInput?: number;
  pricePerMOutput?: number;
}

/** Broadcast (also across tabs and the worker, via BroadcastChannel) after a write. */
export type StoreChange =
  | { kind: 'runs'; runId: string }
  | { kind: 'alignments' }
  | { kind: 'datasets' }
  | { kind: 'evaluations' }
  | { kind: 'settings'; key: string };

export interface StoreOptions {
  /** Database name; tests pass a unique one. Default DB_NAME. */
  name?: string;
  /** Another tab holds an older version open: tell the user to close it (the open waits). */
  onBlocked?: (message: string) => void;
  /** Another tab wants to upgrade: we closed our connection; the page should ask for a reload. */
  onVersionChange?: (message: string) => void;
  /** Test hook: migration steps to apply (version = length). Default: all of MIGRATIONS. */
  migrations?: readonly Migration[];
  /** Test hook: skip IndexedDB and use the in-memory backend. */
  forceMemory?: boolean;
}

/** Bytes this site stores and may store; `persisted`: the browser keeps them under storage pressure too. */
export interface StorageFacts {
  usage: number;
  quota: number;
  persisted: boolean;
}

export interface Store {
  /** False for the in-memory fallback: nothing survives a reload. */
  readonly persistent: boolean;
  /** Why storage is not persistent, in words (set only when `persistent` is false). */
  readonly unavailableReason?: string;

  // Runs
  /**
   * `numbered`: the name (the preset's default, or one the user typed on the Run view) is numbered in the writing
   * transaction when a run or a saved alignment has it ("DRPO Quick (2)"), so two tabs starting at once do not
   * pick the same one. Without it the name is kept as given.
   */
  createRun(config: RunConfig, name?: string, id?: string, opts?: { numbered?: boolean }): Promise<RunRecord>;
  /**
   * The name createRun's `numbered` would give `base` now, and what has `base` when that is numbered (the Run
   * view's placeholder, and its note beside a typed name).
   */
  nextRunName(base: string): Promise<{ name: string; taken?: NameTaken }>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Newest (by updatedAt) first. Listings only: never reads a run record (see RunListing). */
  listRuns(): Promise<ListedRun[]>;
  /** Runs that can be resumed: status running/paused/pending/failed and a checkpoint exists. */
  listUnfinishedRuns(): Promise<ListedRun[]>;
  /** One run's listing, as listRuns has it (a change notice names one run: a list re-reads that one). */
  getRunListing(id: string): Promise<ListedRun | undefined>;
  /**
   * Changes a run record (and its listing). A status that cannot be resumed (completed, cancelled, out of budget)
   * deletes the run's checkpoint in the same transaction, as does such a run-finished event in appendEvents;
   * putCheckpoint then keeps none for it.
   */
  updateRun(id: string, patch: RunPatch): Promise<RunRecord>;
  /**
   * Refuses another run's name, and a saved alignment's but the run's own (its result is saved under the run's
   * name), in the writing transaction: History lists runs by name. Its own name again is no change.
   */
  renameRun(id: string, name: string): Promise<RunRecord>;
  /** Deletes the run, its listing, nodes, events and checkpoint in one transaction. */
  deleteRun(id: string): Promise<void>;
  getNodes(runId: string): Promise<NodeRecord[]>;
  getNodesAtDepth(runId: string, depth: number): Promise<NodeRecord[]>;
  countNodes(runId: string): Promise<number>;
  /** In the order they were stored. */
  getEvents(runId: string): Promise<RunEvent[]>;
  getCheckpoint(runId: string): Promise<RunCheckpoint | undefined>;
  putCheckpoint(checkpoint: RunCheckpoint): Promise<void>;
  /** Used by the run sink: writes a burst of events atomically (see store-sink.ts). */
  appendEvents(runId: string, events: RunEvent[]): Promise<void>;

  // Alignments
  /**
   * Saves an alignment, or returns the stored one with identical content (`existing: true`), so saving a
   * result twice or importing the same file again adds nothing. An alignment and its share link are one
   * (content-hash.ts, linkRelation): the fuller of the two is kept, under the stored one's id and name. A new one
   * under a name another saved alignment or a run has is numbered ("Name (2)", `nameTaken`), but a run's own
   * (`runId`) keeps the run's name.
   */
  saveAlignment(input: {
    name: string;
    artifact: AlignmentArtifact;
    source: AlignmentSource;
    runId?: string;
  }): Promise<Saved<AlignmentRecord>>;
  /**
   * The stored alignment that is this one (the same content, or its share link's), if any. `lacksDetails`: it was
   * saved from this one's link, so it lacks what this one adds; saving this one gives it that (saveAlignment).
   * Only looks: it never writes.
   */
  findAlignment(artifact: AlignmentArtifact): Promise<(AlignmentRecord & { lacksDetails?: true }) | undefined>;
  getAlignment(id: string): Promise<AlignmentRecord | undefined>;
  /** Newest first. */
  listAlignments(): Promise<AlignmentRecord[]>;
  renameAlignment(id: string, name: string): Promise<AlignmentRecord>;
  deleteAlignment(id: string): Promise<void>;
  /** Our alignment JSON or the official DRPO published-prompt format; saved on success. */
  importAlignmentFile(text: string, fileName: string): Promise<Saved<AlignmentRecord>>;

  // Datasets
  /** Like saveAlignment: the same queries of the same kind are stored once. */
  saveDataset(input: {
    name: string;
    kind: DatasetKind;
    queries: Query[];
    report?: unknown;
  }): Promise<Saved<DatasetRecord>>;
  /** Newest first. */
  listDatasets(): Promise<DatasetRecord[]>;
  /**
   * Starts the record of an evaluation about to run (status 'running', no report yet). `id` lets the caller
   * take the evaluation's lock before the record is announced (default: a fresh id).
   */
  createEvaluation(input: { name: string; job: EvalJobPlan; id?: string }): Promise<EvaluationRecord>;
  /** Changes an evaluation's record; undefined when it was deleted meanwhile (nothing is brought back). */
  updateEvaluation(id: string, patch: EvaluationPatch): Promise<EvaluationRecord | undefined>;
  /**
   * A running evaluation's checkpoint (its calls, counters and progress), written every few calls. Like
   * putCheckpoint it announces nothing, so views (in every tab) do not re-read all the records, calls
   * included, each time; a deleted evaluation is not brought back.
   */
  putEvalCheckpoint(id: string, checkpoint: EvalCheckpoint): Promise<void>;
  /** Evaluations (running, interrupted and finished), newest first. */
  listEvaluations(): Promise<EvaluationRecord[]>;
  /** One evaluation as stored now, its checkpoint included; undefined when it was deleted. */
  getEvaluation(id: string): Promise<EvaluationRecord | undefined>;
  deleteEvaluation(id: string): Promise<void>;
  deleteDataset(id: string): Promise<void>;

  // Settings (API keys are stripped from plain settings; only saveEndpoint may keep one)
  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;
  saveEndpoint(endpoint: SavedEndpoint): Promise<SavedEndpoint>;
  listEndpoints(): Promise<SavedEndpoint[]>;
  deleteEndpoint(id: string): Promise<void>;

  // Aspect cache (per query key)
  getCachedAspects(key: string): Promise<SelectedAspect[] | undefined>;
  putCachedAspects(key: string, aspects: SelectedAspect[]): Promise<void>;

  // Import / export
  exportRun(runId: string): Promise<RunExport>;
  /** Accepts the JSON text or the parsed value. Refuses (AppError InvalidInput) and stores nothing when invalid. */
  /**
   * `existing`: this browser holds that very run as exported (same id, start, last change, node count): nothing added.
   * `nameTaken`: another run or saved alignment (not its own result) had the file's name, so it was numbered.
   */
  importRun(json: string | unknown): Promise<Saved<RunRecord>>;

  /** What this site stores and may store (navigator.storage.estimate), and whether the browser keeps it for sure. */
  storageEstimate(): Promise<StorageFacts | null>;
  /**
   * Asks the browser to keep this site's data (navigator.storage.persist): true when it will. Asked at a moment
   * the user chose to store much (a model download, a saved result), never on page load; once per store: null
   * when it was asked before (storageEstimate's `persisted` says the answer). A memory store never asks.
   */
  requestPersistence(): Promise<boolean | null>;
  /** Listen for writes (from this or another context). Returns an unsubscribe function. */
  onChange(listener: (change: StoreChange) => void): () => void;
  /**
   * Resolves once every change written through this store has been told to its listeners (a burst's last
   * change waits for the end of its change window). What a listener does on hearing it may still be under way.
   */
  changesDelivered(): Promise<void>;
  close(): void;
}
