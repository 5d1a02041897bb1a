/**
 * Plain-data types shared by the engine, the worker, the store, the UI and the CLI.
 * Everything here must survive structuredClone and JSON: no classes, no functions.
 */
import type { EngineKind, Usage } from './chat-model';
import type { SerializedError } from './errors';

export const ROLES = ['policy', 'aspect', 'judge', 'optimizer'] as const;
export type Role = (typeof ROLES)[number];

export const PRESET_NAMES = ['quick', 'paper', 'thorough'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const QUERY_CATEGORIES = [
  'knowledge',
  'how-to',
  'creative',
  'coding',
  'reasoning',
  'advice',
  'limitations',
  'false-premise',
  'ambiguous',
  'unsafe',
] as const;
export type QueryCategory = (typeof QUERY_CATEGORIES)[number];

export interface Query {
  id: string;
  text: string;
  /** Known categories from QUERY_CATEGORIES; user data may carry any string. */
  category?: string;
}

export interface IclExample {
  query: string;
  answer: string;
}

/** Which model plays a role. `endpointId` refers to a configured OpenAI-compatible endpoint. */
export interface RoleBinding {
  engine: EngineKind;
  modelId: string;
  endpointId?: string;
}

export interface AspectDef {
  name: string;
  description: string;
}

export interface RoleMaxTokens {
  policy: number;
  aspect: number;
  judge: number;
  optimizer: number;
}

export interface SearchSettings {
  beamWidth: number;
  /** Optimizer rewrites per expanded beam node. */
  actions: number;
  depth: number;
  /** Upper bound on depth extensions from carried-forward levels (paper: 10). */
  maxDepthExtension: number;
  /** Training queries scored per candidate per level (paper: 1). */
  queriesPerLevel: number;
  /** Mean score above which the prompt is carried forward unchanged (paper: 4.5). */
  carryForwardThreshold: number;
  /** Retrieved ICL examples during the search and at inference. */
  iclK: number;
  iclKInference: number;
  policyTemperature: number;
  optimizerTemperature: number;
  optimizerTopP: number;
  judgeTemperature: number;
  /** Score aspects as expectations over logprobs of "1".."5" when the judge supports it. */
  logprobScoring: boolean;
  maxTokens: RoleMaxTokens;
  /** Optimizer rules: at most this many new bullets per step, this many in total. */
  maxNewBullets: number;
  maxBullets: number;
  /** Prompts from the path shown to the optimizer. */
  historyWindow: number;
  /** Held-out queries used for the final choice among the best candidates (0 = off). */
  validationSize: number;
  /** Stage 1 rounds per seed query (0 skips ICL optimization). */
  iclRounds: number;
  /** Ask the judge for one-sentence rationales (fewer generated tokens). Default false. */
  shortRationales?: boolean;
  /** Distinct finalists re-scored on the validation queries (besides the starting prompt). Default 3. */
  validationCandidates?: number;
  /**
   * How the result is chosen. 'last-beam': the best path of the final beam, as the official DRPO code
   * returns it. 'race': finalists from where the search ended are re-scored on the same validation
   * queries, the starting prompt among them as a control. Default 'race'.
   */
  finalSelection?: FinalSelection;
  /** Examples per question tried at validation; the alignment ships with the winner's. Default [iclKInference]. */
  inferenceExampleOptions?: number[];
  /** Validation queries added per racing round. Default 2. */
  raceBatch?: number;
  /**
   * Standard errors by which a result must beat the starting prompt (paired, on the validation queries)
   * to be returned as an improvement; also the drop rule of the race. Default 1.
   */
  verdictZ?: number;
  /** Beam ranking: 'path' = mean reward along the path (the paper); 'level' = this level's queries only. */
  beamRanking?: 'path' | 'level';
  /** Each kept prompt competes, unchanged, with its own rewrites on the level's queries. Default false. */
  keepParent?: boolean;
  /** Reviews shown to the optimizer: the parent's, then its level's and its ancestors', up to this many. Default 0. */
  optimizerEvidence?: number;
  /** Most aspects the judge scores per query (2–5; the paper: 5). Fewer = shorter judgements. */
  maxAspects?: number;
}

export type FinalSelection = 'last-beam' | 'race';

/** How the returned alignment compares with the starting prompt on the validation queries. */
export type Outcome = 'improved' | 'no-improvement' | 'unverified';

export interface Verdict {
  outcome: Outcome;
  /** Validation queries both were scored on (0 when unverified). */
  queries: number;
  /** Mean validation reward of the returned alignment, and of the starting prompt on the same queries. */
  validation?: number;
  initialValidation?: number;
  /** validation − initialValidation, and the standard error of that paired difference. */
  delta?: number;
  standardError?: number;
  /** Examples per question the returned alignment uses at inference. */
  examplesPerQuery: number;
  /** With 'no-improvement': how the best candidate compared with the starting prompt (within noise or below). */
  bestCandidate?: { delta: number; standardError: number };
}

export interface Budget {
  maxCalls?: number;
  maxGeneratedTokens?: number;
  maxWallMs?: number;
}

export interface RunConfig {
  name: string;
  preset: PresetName;
  seed: number;
  roles: Record<Role, RoleBinding>;
  settings: SearchSettings;
  budget: Budget;
  initialPrompt: string;
  trainQueries: Query[];
  validationQueries: Query[];
  /** ICL example pool (seed answers, optimized in stage 1 when iclRounds > 0). */
  icl: IclExample[];
  customAspects: AspectDef[];
  /** Prompt template family for base models using raw completions; undefined = chat. */
  template?: string;
}

export interface SelectedAspect {
  name: string;
  reason: string;
}

export interface AspectScore {
  aspect: string;
  /** 1–5 (possibly fractional when scored from logprobs). */
  score: number;
  rationale: string;
}

export interface ParseFailure {
  role: Role;
  /** What was being parsed: 'aspects' | 'judgement' | 'optimizer' | 'icl-rewrite' | ... */
  stage: string;
  message: string;
  /** The raw model output, truncated to a few hundred characters. */
  raw: string;
}

export interface QueryEvaluation {
  queryId: string;
  query: string;
  answer: string;
  finishReason: string;
  aspects: SelectedAspect[];
  scores: AspectScore[];
  /** Mean of the scores, or null when judging failed (never silently 0). */
  reward: number | null;
}

export interface SearchNode {
  id: string;
  parentId: string | null;
  depth: number;
  prompt: string;
  evaluations: QueryEvaluation[];
  /** Mean reward of this node's evaluations that parsed; null if none did. */
  reward: number | null;
  /** Mean reward along the path from the root (beam selection key). */
  pathReward: number;
  carriedForward: boolean;
  parseFailures: ParseFailure[];
  optimizerNote?: { analysis: string; thought: string };
  /** Validation reward when the node took part in the final selection. */
  validationReward?: number;
  createdAt: number;
}

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
    | { type: 'stage-changed'; stage: 'icl' | 'search' | 'validation' | 'done' }
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

/** Alignment file format v1 (see docs/alignment-format.md). */
export interface AlignmentArtifact {
  format: 'drpo-alignment';
  version: 1;
  systemPrompt: string;
  icl: IclExample[];
  model: { id: string; engine: string };
  judge: { id: string; engine: string };
  preset: string;
  settings: Record<string, unknown>;
  scores: ArtifactScores;
  lineage: { depth: number; prompt: string; reward: number }[];
  createdAt: string;
  /** Optional human label. */
  name?: string;
  /** The prompt the run started from (the root of its tree, the control in validation). */
  initialPrompt?: string;
  /** Examples retrieved per question at inference (0 = none). Absent in older files: settings.iclKInference, else 3. */
  examplesPerQuery?: number;
  /** The verdict against the starting prompt; absent in older files and imports. */
  outcome?: Outcome;
}

export interface ArtifactScores {
  train: number;
  /** The returned alignment on the validation queries. */
  validation?: number;
  /** The starting prompt on the same validation queries. */
  initialValidation?: number;
  /** How many validation queries both were scored on. */
  validationQueries?: number;
  /** Standard error of validation − initialValidation (paired over the queries). */
  validationStandardError?: number;
}
