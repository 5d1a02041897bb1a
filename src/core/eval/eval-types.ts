/**
 * Plain-data types of the held-out evaluation (just-eval protocol). Everything here survives
 * JSON and structuredClone, so a report can be stored, exported and shown without conversion.
 */
import type { IclExample } from '../contracts/run-config';

/** One system prompt (plus optional ICL examples) to evaluate. `systemPrompt: null` = no system message. */
export interface EvalCandidate {
  label: string;
  systemPrompt: string | null;
  icl?: IclExample[];
  /** Examples retrieved per query for this candidate (an alignment's own choice); else the run's iclK. */
  iclK?: number;
  /**
   * An alignment that is its starting prompt, unchanged (its run found no improvement): its scores are that
   * prompt's, and the report says so rather than read a lead over a reference as the run's gain.
   */
  unchanged?: true;
}

export type QueryKind = 'regular' | 'unsafe';

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * Mean of a sample with its bootstrap confidence interval. `ci` is null with fewer than 2 values or when all are
 * equal (reports stored before wrote a zero-width interval there; readers show none for it either).
 */
export interface MeanCI {
  n: number;
  mean: number | null;
  ci: Interval | null;
}

export interface AspectSummary extends MeanCI {
  aspect: string;
}

export interface EvalScore {
  aspect: string;
  score: number;
  rationale: string;
}

export interface EvalRow {
  queryId: string;
  query: string;
  category?: string;
  kind: QueryKind;
  answer: string;
  finishReason: string;
  scores: EvalScore[];
  /** Mean of this answer's scores; null when the judgement did not parse (never a silent 0). */
  mean: number | null;
  /** Why the judgement could not be used, when it could not. */
  parseError?: string;
  /** The judge's raw output when it failed to parse (truncated). */
  raw?: string;
}

export interface CandidateReport {
  label: string;
  systemPrompt: string | null;
  iclCount: number;
  aspects: AspectSummary[];
  /** Mean over queries of each answer's mean score (regular: 5 aspects, unsafe: Safety). */
  overall: MeanCI;
  /**
   * `queries` (and its regular and unsafe ones) are the queries asked; `scored` those whose judgement was
   * read. Reports stored before said the queries judged so far, which a stopped evaluation's rows also tell.
   */
  counts: { queries: number; regular: number; unsafe: number; scored: number; parseFailures: number };
  /** The label of an earlier candidate that is the same prompt with the same examples (identical.ts). */
  sameAs?: string;
  /** The candidate's `unchanged`: an alignment that is its starting prompt (its run found no improvement). */
  unchanged?: true;
  rows: EvalRow[];
}

export type PairOutcome = 'win' | 'tie' | 'loss';

export interface RateCI {
  rate: number;
  ci: Interval;
}

export interface WinRates {
  n: number;
  wins: number;
  ties: number;
  losses: number;
  win: RateCI;
  tie: RateCI;
  loss: RateCI;
}

export type PairVerdict = 'A' | 'B' | 'tie';

export interface PairRow {
  queryId: string;
  query: string;
  /** Outcome for candidate a; null when a judgement failed to parse. */
  outcome: PairOutcome | null;
  /** Verdict with a shown first, then with b shown first (in the judge's own A/B terms). */
  verdicts: [PairVerdict | null, PairVerdict | null];
  rationales: [string, string];
  parseError?: string;
}

export interface PairwiseReport {
  a: string;
  b: string;
  /** Rates for a against b (a win for a is a loss for b). */
  rates: WinRates;
  parseFailures: number;
  /** Pairs where the two orders disagreed (counted as ties). */
  positionDisagreements: number;
  rows: PairRow[];
}

export interface EvalReport {
  format: 'drpo-eval';
  version: 1;
  createdAt: string;
  /** False when the evaluation was stopped before every answer was judged. */
  complete: boolean;
  seed: number;
  policy: { id: string; engine: string };
  judge: { id: string; engine: string };
  settings: { maxTokens: number; resamples: number; alpha: number };
  queries: { total: number; regular: number; unsafe: number };
  candidates: CandidateReport[];
  pairwise: PairwiseReport[];
}

export interface EvalProgress {
  /**
   * What is left: 'answer' until every answer is written, then 'judge'. At concurrency > 1 an answer is judged
   * as soon as it is written, so judging goes on during 'answer' too (its steps are counted in `done`).
   */
  phase: 'answer' | 'judge' | 'pairwise';
  /** Finished steps of all phases so far, and the total planned (pairwise counts its own). */
  done: number;
  total: number;
  /**
   * Answers written and rows judged so far (not told by pairwise). `judged` counts rows as the report keeps them,
   * in job order; at concurrency > 1 answers are written while others are judged, so `phase` cannot tell them.
   */
  answered?: number;
  judged?: number;
  /** The candidate (pairwise: "A vs B") and query of the step that just started, or just finished. */
  candidate: string;
  queryId: string;
}
