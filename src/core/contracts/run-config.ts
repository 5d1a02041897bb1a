/**
 * What a run is asked to do: roles and their models, the search settings, the budget, the queries and
 * examples. Plain data (survives structuredClone and JSON): no classes, no functions.
 */
import type { EngineKind } from './chat-model';

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

/** The endpoints some roles use, each once, in role order. */
export function endpointIdsOf(roles: Partial<Record<Role, RoleBinding | undefined>>): string[] {
  return [...new Set(Object.values(roles).flatMap((b) => (b?.endpointId ? [b.endpointId] : [])))];
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
   * Standard errors by which a result must beat the starting prompt (paired, on the questions kept back
   * for the verdict) to be returned as an improvement. Default 1.
   */
  verdictZ?: number;
  /**
   * Validation queries kept back for the verdict (the last ones; at most half): the race chooses the
   * candidate on the others, then the candidate and the starting prompt are scored on these, and only
   * these decide "improved". 0 = the race's own data decides. Default 8.
   */
  verdictQueries?: number;
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
