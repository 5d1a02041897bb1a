/**
 * Facts the "Use it" exports and the comparison views derive from an alignment, on top of the ones in
 * verdict-text.ts (examples per question, the recorded starting prompt).
 */
import { DEFAULT_INITIAL_PROMPT } from '../plan/presets';
import type { AlignmentArtifact } from '../contracts/alignment';
import type { IclExample } from '../contracts/run-config';
import { inferenceExamples, startingPrompt } from './verdict-text';

/** What the alignment should be compared with: the prompt the run started from (the default for old files). */
export function comparisonPrompt(a: AlignmentArtifact): string {
  return startingPrompt(a) ?? DEFAULT_INITIAL_PROMPT;
}

/**
 * The fixed examples a static export ships: the studio retrieves the most similar examples per
 * question, which a Modelfile or a system-prompt file cannot do, so exports take the first ones.
 */
export function fixedExamples(a: AlignmentArtifact): IclExample[] {
  return a.icl.slice(0, inferenceExamples(a));
}
