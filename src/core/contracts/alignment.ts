/** The alignment a run hands back (file format v1) and its verdict against the starting prompt. Plain data. */
import type { IclExample } from './run-config';

/** How the returned alignment compares with the starting prompt on the validation queries. */
export type Outcome = 'improved' | 'no-improvement' | 'unverified';

export interface Verdict {
  outcome: Outcome;
  /** Validation queries both were scored on (0 when unverified, or when none of the candidate's was read). */
  queries: number;
  /** Mean validation reward of the returned alignment, and of the starting prompt on the same queries. */
  validation?: number;
  initialValidation?: number;
  /** validation − initialValidation, and the standard error of that paired difference. */
  delta?: number;
  standardError?: number;
  /** Examples per question the returned alignment uses at inference. */
  examplesPerQuery: number;
  /**
   * 'no-improvement' only: the candidate that reached the verdict and fell short, on the same queries
   * (its mean and the standard error of its paired difference to the start). Absent when nothing even led,
   * or when none of its answers there could be read (the verdict then has no figures at all).
   */
  bestCandidate?: Pick<CandidateScore, 'validation' | 'standardError'>;
  /**
   * Held-out questions the final check had, how many of them the race scored to choose the candidate (it
   * may settle before using all of its own), and how many were kept back for the verdict (0: none, the
   * race's data was the verdict's).
   */
  heldOutQueries?: number;
  raceQueries?: number;
  keptBackQueries?: number;
}

/** The best candidate of a run that found no improvement: how close it came, and what it was. */
export interface CandidateScore {
  validation: number;
  standardError: number;
  /**
   * The candidate itself, so a user can try it or have a larger judge evaluate it (absent in older files
   * and in share links): its prompt, the examples per question it was scored with, and those examples.
   */
  systemPrompt?: string;
  examplesPerQuery?: number;
  icl?: IclExample[];
  /** Its own path mean on the training questions and its path from the start (as `train` and `lineage`). */
  train?: number;
  lineage?: LineageStep[];
}

/** One step of a prompt's path from the starting prompt. */
export interface LineageStep {
  depth: number;
  prompt: string;
  reward: number;
}

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
  lineage: LineageStep[];
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
  /** Mean reward along the prompt's path (1–5); 0 when nothing on it was scored (imported examples, say). */
  train: number;
  /** The returned alignment on the validation queries. */
  validation?: number;
  /** The starting prompt on the same validation queries. */
  initialValidation?: number;
  /** How many validation queries both were scored on. */
  validationQueries?: number;
  /** Standard error of validation − initialValidation (paired over the queries). */
  validationStandardError?: number;
  /** 'no-improvement' runs: the candidate that fell short, on the same queries as `initialValidation`. */
  bestCandidate?: CandidateScore;
  /** Held-out queries the run's final check had (race and kept back together). */
  heldOutQueries?: number;
  /**
   * Training queries the search had (newer files). With fewer than its levels ask for, later levels asked the
   * same ones again, and the advice after "no improvement" is more questions before a longer preset.
   */
  trainQueries?: number;
  /** Of those, how many the race scored to choose the candidate (never the verdict's, when any were kept back). */
  raceQueries?: number;
  /**
   * Of those, how many were kept back for the verdict, whether or not it was taken (0: none, the race's data
   * was the verdict's). The race may settle early, so this is not always heldOutQueries − raceQueries.
   */
  keptBackQueries?: number;
}

/** `settings.source` of an alignment converted from an official DRPO file (alignment-import.ts). */
export const CONVERTED_SOURCES = { published: 'drpo-published', examples: 'drpo-icl-examples' } as const;

/** Converted from an official DRPO file: its `createdAt` is when it was converted, not when it was made. */
export function isConverted(artifact: AlignmentArtifact): boolean {
  return (Object.values(CONVERTED_SOURCES) as unknown[]).includes(artifact.settings.source);
}
