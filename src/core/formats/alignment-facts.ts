/**
 * Facts the "Use it" exports and the comparison views derive from an alignment, on top of the ones in
 * verdict-text.ts (examples per question, the recorded starting prompt).
 */
import { DEFAULT_INITIAL_PROMPT } from '../plan/presets';
import { MAX_TOKENS_RANGE, NUMBER_SETTINGS, rangeProblem } from '../plan/settings-schema';
import type { AlignmentArtifact } from '../contracts/alignment';
import type { IclExample } from '../contracts/run-config';
import { inferenceExamples, startingPrompt } from '../words/verdict-text';
import { modelWords } from './model-names';

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

/**
 * The answer length its run's policy answered with (`settings.maxTokens.policy`): the length the prompt was tuned
 * on. Undefined when the file records none (converted and older files) or one no run could have used.
 */
export function recordedAnswerTokens(a: Pick<AlignmentArtifact, 'settings'>): number | undefined {
  const perRole = a.settings.maxTokens;
  const policy =
    typeof perRole === 'object' && perRole !== null ? (perRole as Record<string, unknown>).policy : undefined;
  return rangeProblem(policy, { ...MAX_TOKENS_RANGE, step: 1 }) === null ? (policy as number) : undefined;
}

/**
 * The temperature its run's policy answered with (`settings.policyTemperature`), when the file records one in the
 * setting's range; undefined otherwise (converted and older files).
 */
export function recordedAnswerTemperature(a: Pick<AlignmentArtifact, 'settings'>): number | undefined {
  const range = NUMBER_SETTINGS.find((s) => s.key === 'policyTemperature')!;
  const t = a.settings.policyTemperature;
  return rangeProblem(t, range) === null ? (t as number) : undefined;
}

/**
 * What an alignment is called where no saved record names it: its own name, else the name the share page saves it
 * under (one wording for the share page's Save and the Playground).
 */
export function alignmentDisplayName(a: AlignmentArtifact): string {
  return a.name || `Shared alignment for ${modelWords(a.model)}`;
}

/** The name an alignment of a run is saved under (its result, or its closest candidate), from its Result or the Playground. */
export function runAlignmentName(a: AlignmentArtifact): string {
  return a.name || `Alignment for ${modelWords(a.model)}`;
}
