/**
 * The engine's public contract: `runDrpo(config, deps, options)` (implemented in drpo/run.ts).
 * Worker and CLI depend only on these types.
 */
import type { ChatModel } from './chat-model';
import type { AlignmentArtifact, Verdict } from './alignment';
import type { BestSoFar, RunEvent, RunStats, RunStatus } from './run-events';
import type { Role, RunConfig } from './run-config';
import type { SearchNode } from './search-node';

export interface RunDeps {
  /** The model for each role; one object may serve several roles (self-alignment). */
  models: Record<Role, ChatModel>;
  /** Clock, injectable for deterministic tests. Defaults to Date.now. */
  now?: () => number;
  /**
   * Independent calls (a level's answers and judgements, validation, examples) in flight at most.
   * Default 1. Results never depend on it: same seed, same artifact, same node ids and events.
   */
  concurrency?: number;
}

/**
 * A checkpoint is plain JSON. It holds the config and every finished model call keyed by a
 * deterministic call key, so a resumed run replays to the same state without repeating calls.
 */
export interface RunCheckpoint {
  format: 'drpo-checkpoint';
  version: 1;
  runId: string;
  config: RunConfig;
  /** Finished calls: key → serialized result. */
  calls: Record<string, unknown>;
  nodes: SearchNode[];
  stats: RunStats;
  savedAt: number;
  /**
   * Cache hits already counted in `stats.cachedCalls`, by call key (only keys with one): a resume's replay does not
   * count them again (see calls/call-gateway.ts). Absent in old checkpoints.
   */
  hits?: Record<string, number>;
  /** Parse failures already counted in `stats` (see failure-ledger.ts); absent in old checkpoints. */
  failures?: Record<string, number>;
  /**
   * Where the run's calls went (the CLI's normalized --base-url; the page keeps its endpoints elsewhere). A
   * resume to this same address waits out an outage from its first request; one elsewhere does not.
   */
  endpoint?: string;
}

export interface RunOptions {
  runId: string;
  signal?: AbortSignal;
  checkpoint?: RunCheckpoint;
  /** Awaited: the engine does not move on until the listener's promise settles (so storage keeps up). */
  onEvent?: (event: RunEvent) => void | Promise<void>;
  /** Called after every evaluated node with a fresh checkpoint. Awaited. */
  onCheckpoint?: (checkpoint: RunCheckpoint) => void | Promise<void>;
}

export interface RunResult {
  status: RunStatus;
  best: BestSoFar | null;
  artifact: AlignmentArtifact | null;
  stats: RunStats;
  nodes: SearchNode[];
  /** How the returned alignment compares with the starting prompt (absent when nothing was scored). */
  verdict?: Verdict;
}
