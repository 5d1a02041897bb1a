/**
 * The IndexedDB schema: record types, store/index names and the typed idb `DBSchema`.
 * Bump DB_VERSION only together with a new step in ./migrations.ts.
 */
import type { StoredEvent } from './event-log';
import type { DBSchema } from 'idb';
import type { EvalProgress, EvalReport } from '../core/eval/eval-types';
import type { EvalJobPlan } from '../core/eval/eval-job';
import type { SerializedError } from '../core/contracts/errors';
import type { RunCheckpoint } from '../core/contracts/run-api';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import type { BestSoFar, RunStage, RunStats, RunStatus } from '../core/contracts/run-events';
import type { Query, RunConfig } from '../core/contracts/run-config';
import type { SearchNode, SelectedAspect } from '../core/contracts/search-node';

export const DB_NAME = 'drpo-studio';
export const DB_VERSION = 4;

export const STORE = {
  runs: 'runs',
  runSummaries: 'runSummaries',
  nodes: 'nodes',
  events: 'events',
  aspectCache: 'aspectCache',
  checkpoints: 'checkpoints',
  alignments: 'alignments',
  datasets: 'datasets',
  settings: 'settings',
  evaluations: 'evaluations',
} as const;
export type StoreName = (typeof STORE)[keyof typeof STORE];

export const INDEX = {
  byUpdatedAt: 'byUpdatedAt',
  byRun: 'byRun',
  byRunDepth: 'byRunDepth',
  byRunHash: 'byRunHash',
  bySavedAt: 'bySavedAt',
  byCreatedAt: 'byCreatedAt',
  byName: 'byName',
} as const;
export type IndexName = (typeof INDEX)[keyof typeof INDEX];

export interface RunProgress {
  /** Deepest level evaluated so far. */
  depth: number;
  /** Current maximum depth (grows with depth extensions). */
  maxDepth: number;
  /** Nodes stored for this run. */
  nodes: number;
  calls: number;
  generatedTokens: number;
}

export interface RunRecord {
  id: string;
  name: string;
  config: RunConfig;
  status: RunStatus;
  progress: RunProgress;
  /** The best so far; once the run ended, the prompt it handed back (see RunFacts.best). */
  best: BestSoFar | null;
  /** The best path mean the search reached, never lowered by the end's pick (see RunFacts.reached). */
  reached?: BestSoFar | null;
  stats: RunStats;
  error?: SerializedError;
  stage?: RunStage;
  /** Set when the run finished with an alignment. */
  artifact?: AlignmentArtifact | null;
  createdAt: number;
  updatedAt: number;
  /** Next event sequence number; kept here because counting an index is O(n) in IndexedDB. */
  eventSeq?: number;
  /**
   * The base URL of each endpoint its roles use (by endpoint id), as when it first ran: the page keeps one
   * endpoint id across URL changes, so a resume checks that the id still points at the same server.
   */
  endpointUrls?: Record<string, string>;
  /**
   * Set on a copy made when an imported run clashed with a stored one of the same id: which file it came
   * from (the exported run's id, last change and node count), so importing that file again finds the copy.
   */
  importedFrom?: { id: string; updatedAt: number; nodes: number };
}

/**
 * What lists show of a run (History, the resume banner, Live's latest run, Run's measured speeds): the run record
 * without its heavy parts. Kept in `runSummaries`, written in the same transaction as every write of the run
 * record (run-listing.ts), so listing 500 runs never reads their training queries or results.
 */
export interface RunListing extends Pick<
  RunRecord,
  | 'id'
  | 'name'
  | 'status'
  | 'progress'
  | 'best'
  | 'reached'
  | 'stats'
  | 'error'
  | 'stage'
  | 'createdAt'
  | 'updatedAt'
  | 'endpointUrls'
> {
  /** Of the config, only what lists show: the preset and the models (never the queries). */
  config: Pick<RunConfig, 'preset' | 'roles'>;
  /** Of the alignment it finished with, only the verdict's figures (see ListedResult). */
  result: ListedResult | null;
}

/** An alignment's outcome and scores, for a list's verdict column; the closest candidate's prompt is left out. */
export type ListedResult = Pick<AlignmentArtifact, 'outcome' | 'scores'>;

export interface NodeRecord extends SearchNode {
  runId: string;
  /** Position among the run's events (see event-log.ts); absent when no event names the node. */
  seq?: number;
  /** `at` of the node-evaluated event that stored it. */
  loggedAt?: number;
}

export interface EventRecord {
  runId: string;
  /** 0-based position in the run's stored log. */
  seq: number;
  /** Content hash: replaying the exact same event is a no-op. */
  hash: string;
  /** Never node-evaluated: those are rebuilt from the nodes (see event-log.ts). */
  event: StoredEvent;
}

export type AlignmentSource = 'run' | 'file' | 'link' | 'drpo-import';

export interface AlignmentRecord {
  id: string;
  name: string;
  artifact: AlignmentArtifact;
  savedAt: number;
  source: AlignmentSource;
  /** Content hash of the artifact (see content-hash.ts): an identical alignment is not stored twice. */
  contentHash?: string;
  /** The run that produced it, when it was saved from one. */
  runId?: string;
}

export type DatasetKind = 'train' | 'eval';

export interface DatasetRecord {
  id: string;
  name: string;
  kind: DatasetKind;
  queries: Query[];
  /** What the parser reported (skipped lines, duplicates...); shape owned by the data parser. */
  report: unknown;
  createdAt: number;
  /** Content hash of kind + queries: an identical file is not stored twice. */
  contentHash?: string;
}

/** 'running' with no job in this page = interrupted (a reload or a closed tab): it can be resumed. */
export type EvaluationStatus = 'running' | 'completed' | 'stopped' | 'failed';

/**
 * A held-out evaluation (src/core/eval), kept so results survive the tab. The page creates it when the
 * evaluation starts; the worker keeps its checkpoint (finished calls, counters, progress) up to date, so a
 * reload resumes it without repeating a call; the page stores the report at the end.
 */
export interface EvaluationRecord {
  id: string;
  name: string;
  /** The report, once the evaluation ended (absent while it runs). */
  report?: EvalReport;
  savedAt: number;
  /** Absent in records from before evaluations ran as jobs: those are completed. */
  status?: EvaluationStatus;
  /** What is evaluated with which models: enough to resume it. */
  job?: EvalJobPlan;
  progress?: EvalProgress | null;
  /** Finished calls by key (the checkpoint); dropped once the evaluation ended. */
  calls?: Record<string, unknown>;
  /** The checkpoint's cache hits already counted in `stats` (see EvalCheckpoint); dropped with `calls`. */
  hits?: Record<string, number>;
  stats?: RunStats;
  error?: SerializedError;
}

export interface AspectCacheRecord {
  aspects: SelectedAspect[];
  savedAt: number;
}

export interface DrpoDB extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { byUpdatedAt: number } };
  runSummaries: { key: string; value: RunListing; indexes: { byUpdatedAt: number; byName: string } };
  nodes: { key: [string, string]; value: NodeRecord; indexes: { byRun: string; byRunDepth: [string, number] } };
  events: { key: number; value: EventRecord; indexes: { byRun: string; byRunHash: [string, string] } };
  aspectCache: { key: string; value: AspectCacheRecord };
  checkpoints: { key: string; value: RunCheckpoint };
  alignments: { key: string; value: AlignmentRecord; indexes: { bySavedAt: number; byName: string } };
  datasets: { key: string; value: DatasetRecord; indexes: { byCreatedAt: number } };
  settings: { key: string; value: unknown };
  evaluations: { key: string; value: EvaluationRecord; indexes: { bySavedAt: number } };
}

/**
 * The CURRENT shape of every store (key path and index key paths). The memory fallback reads it;
 * a test checks that a database opened through all migrations matches it. Migrations themselves
 * never read this table, so old steps stay frozen when it changes.
 */
export const CURRENT_SCHEMA: Record<
  StoreName,
  { keyPath: string | string[] | null; autoIncrement: boolean; indexes: Partial<Record<IndexName, string | string[]>> }
> = {
  runs: { keyPath: 'id', autoIncrement: false, indexes: { byUpdatedAt: 'updatedAt' } },
  runSummaries: { keyPath: 'id', autoIncrement: false, indexes: { byUpdatedAt: 'updatedAt', byName: 'name' } },
  nodes: {
    keyPath: ['runId', 'id'],
    autoIncrement: false,
    indexes: { byRun: 'runId', byRunDepth: ['runId', 'depth'] },
  },
  events: { keyPath: null, autoIncrement: true, indexes: { byRun: 'runId', byRunHash: ['runId', 'hash'] } },
  aspectCache: { keyPath: null, autoIncrement: false, indexes: {} },
  checkpoints: { keyPath: 'runId', autoIncrement: false, indexes: {} },
  alignments: { keyPath: 'id', autoIncrement: false, indexes: { bySavedAt: 'savedAt', byName: 'name' } },
  datasets: { keyPath: 'id', autoIncrement: false, indexes: { byCreatedAt: 'createdAt' } },
  settings: { keyPath: null, autoIncrement: false, indexes: {} },
  evaluations: { keyPath: 'id', autoIncrement: false, indexes: { bySavedAt: 'savedAt' } },
};
