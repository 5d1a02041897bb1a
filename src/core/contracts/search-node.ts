/** A scored prompt of the search tree and what scoring it found. Plain data. */
import type { Role } from './run-config';

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
