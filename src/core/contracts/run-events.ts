/** What a run reports while it goes: its events, statistics, status and projection. Plain data. */
import type { OutageInfo, Usage } from './chat-model';
import type { SerializedError } from './errors';
import type { AlignmentArtifact } from './alignment';
import type { IclExample, PresetName, Role } from './run-config';
import type { ParseFailure, SearchNode } from './search-node';

export interface RoleStats {
  calls: number;
  promptTokens: number;
  generatedTokens: number;
}

export interface RunStats {
  calls: number;
  promptTokens: number;
  generatedTokens: number;
  perRole: Record<Role, RoleStats>;
  elapsedMs: number;
  /** Last decode speed the engine reported (tokens/s). */
  decodeTokensPerS?: number;
  parseFailures: number;
  cachedCalls: number;
  /** Attempts repeated after a failure, by the endpoint adapter (HTTP 429/5xx, network) or the run (timeout, unreadable reply); optional for old checkpoints. */
  retries?: number;
  /** Failed attempts at the endpoint by kind ('HTTP 500', 'timeout', 'network', ...), retried or not. */
  endpointErrors?: Record<string, number>;
  /** Prompt tokens the server reported reading, by role: how prompts it cut are noticed (calls/prompt-reads.ts). */
  promptReads?: Partial<Record<Role, PromptReads>>;
  /** The endpoint's outages the run met, in the order they began (calls/outage-log.ts); optional for old checkpoints. */
  outages?: OutageRecord[];
  /** Replies with no text, by role (calls/empty-replies.ts); optional for old checkpoints. */
  emptyReplies?: Partial<Record<Role, number>>;
}

/** An outage of an endpoint that answered before: its requests waited for it (up to `graceMs`) instead of failing. */
export interface OutageRecord {
  /**
   * When it began (its first failed attempt, on the adapter's clock): a run paused during an outage and resumed
   * in the same session meets the same outage again and goes on with its record. Absent in older records.
   */
  since?: number;
  /** From its first failed attempt to the probe that found the endpoint back (or, not back, to its last failure). */
  downMs: number;
  /** How long it was waited out at most. */
  graceMs: number;
  /** 'back': the endpoint answered again; 'gave-up': it did not within `graceMs`; 'open': not known (yet). */
  end: 'back' | 'gave-up' | 'open';
  /** Failed attempts during it (each also in `endpointErrors`). Absent in older records. */
  failures?: number;
  /**
   * The endpoint that was down (ChatModel.endpoint: its host), set only when the run's roles are served from
   * more than one endpoint, so its faults can tell them apart. Absent in older records.
   */
  endpoint?: string;
}

export interface PromptReads {
  /** The most prompt tokens any call read. */
  most: number;
  /** Calls that read far fewer tokens than were sent (estimated): their counts and prompt lengths. */
  cut?: { calls: number; minRead: number; maxRead: number; minSent: number; maxSent: number };
}

export interface Projection {
  /** Expected model calls at the nominal depth (what a run usually makes). */
  calls: number;
  /** Upper bound: every depth extension happens, nothing is cached, every race runs in full. */
  worstCalls?: number;
  promptTokens: number;
  generatedTokens: number;
  perRole: Record<Role, RoleStats>;
}

/** The part of a run that is going: example polishing, the search, the final check; then done. */
export type RunStage = 'icl' | 'search' | 'validation' | 'done';

export type RunStatus = 'pending' | 'running' | 'paused' | 'completed' | 'budget-exhausted' | 'cancelled' | 'failed';

export type BudgetKind = 'calls' | 'tokens' | 'time';

export interface BestSoFar {
  nodeId: string;
  prompt: string;
  reward: number;
  depth: number;
}

interface EventBase {
  runId: string;
  at: number;
}

export type RunEvent = EventBase &
  (
    | { type: 'run-started'; projection: Projection; preset: PresetName; resumed: boolean }
    | { type: 'stage-changed'; stage: RunStage }
    | { type: 'icl-updated'; index: number; example: IclExample; score: number }
    | { type: 'node-evaluated'; node: SearchNode }
    | { type: 'beam-selected'; depth: number; nodeIds: string[]; best: BestSoFar }
    | { type: 'depth-extended'; depth: number; maxDepth: number }
    | { type: 'budget-warning'; kind: BudgetKind; used: number; limit: number }
    | { type: 'parse-failure'; nodeId?: string; failure: ParseFailure }
    | {
        type: 'call-retry';
        role: Role;
        error: SerializedError;
        /** The attempt that failed (1-based) of `attempts`; the next one starts in `retryInMs`. */
        attempt: number;
        attempts: number;
        retryInMs: number;
        /** Set when the endpoint stopped answering after answering before: it is waited for, up to a grace. */
        outage?: OutageInfo;
        /** The endpoint's host and port, set only when the run's roles are served from more than one endpoint. */
        endpoint?: string;
      }
    | { type: 'usage'; role: Role; usage: Usage; cached: boolean; stats: RunStats }
    | {
        type: 'run-finished';
        status: RunStatus;
        best: BestSoFar | null;
        stats: RunStats;
        artifact: AlignmentArtifact | null;
      }
    | { type: 'error'; error: SerializedError }
  );

export type RunEventType = RunEvent['type'];
