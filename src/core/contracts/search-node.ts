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

/** One prompt with one example count, scored on some of the final check's held-out questions. */
export interface FinalCheckScore {
  examplesPerQuery: number;
  /** Mean reward (1–5). */
  reward: number;
  /**
   * Questions the mean is over: a finalist dropped early from the race has a mean over its first few only,
   * which can top the chosen one's over all of them. Absent in runs recorded before it was.
   */
  questions?: number;
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
  /**
   * The final check (final-selection.ts), for a node that took part in it. `race`: its mean on the race's
   * held-out questions, which choose the candidate and its example count, one entry per example count
   * tried (a count or a prompt dropped from the race early rests on fewer questions). `verdict`: its mean
   * on the questions kept back for the verdict ("improved" or not), paired with the starting prompt's;
   * only the race's choice and the starting prompt (without examples) have one. The Result shows the
   * same verdict figures. Absent in runs recorded before they were.
   */
  race?: FinalCheckScore[];
  verdict?: FinalCheckScore[];
  /** The best of `race` (older runs: the best race score, its only record). */
  validationReward?: number;
  createdAt: number;
}
