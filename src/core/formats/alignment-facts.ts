/**
 * Facts the "Use it" exports and the comparison views derive from an alignment, on top of the ones in
 * verdict-text.ts (examples per question, the recorded starting prompt).
 */
import { DEFAULT_INITIAL_PROMPT } from '../plan/presets';
import { MAX_TOKENS_RANGE, NUMBER_SETTINGS, rangeProblem } from '../plan/settings-schema';
import type { AlignmentArtifact } from '../contracts/alignment';
import type { IclExample } from '../contracts/run-config';
import { inferenceExamples, startingPrompt } from '../words/verdict-text';
import { plural } from '../words/list-words';
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

/** What a static export carries of the examples, in one sentence; `lost`: it answers with other examples than measured. */
export interface ExportExamplesNote {
  text: string;
  lost: boolean;
}

/**
 * What a static export carries of the alignment's examples against what the studio does, in the words of the "Use it"
 * panel and `drpo export` alike. `carries` is the subject and its verb ("exports carry", "the Ollama Modelfile export
 * carries"). The studio gives each question the k examples most similar to it; a file cannot choose per question, so
 * it holds the first k (`fixedExamples`): when the alignment has more than k, some questions get other examples than
 * its held-out score was measured with. With k = all of them every question gets the same ones (only their order,
 * most similar first in the studio, is fixed), and with k = 0 there is nothing to carry.
 */
export function exportExamplesNote(a: AlignmentArtifact, carries = 'exports carry'): ExportExamplesNote {
  const k = inferenceExamples(a);
  const n = a.icl.length;
  const lead = carries.charAt(0).toUpperCase() + carries.slice(1);
  if (k === 0) return { lost: false, text: `${lead} the prompt alone: the alignment answers without examples.` };
  if (k === n) {
    const all = n === 1 ? 'its one example' : `all ${n} examples`;
    return {
      lost: false,
      text: `${lead} the prompt and ${all}, which the studio gives every question too (most similar first; a file keeps one order).`,
    };
  }
  // Figures taken with these examples retrieved: improved, unverified, and a closest candidate's file.
  const measured = a.scores.validation !== undefined;
  const how = measured
    ? `Its held-out score was measured with ${plural(k, 'example')} retrieved per question, the most similar of its ${n}`
    : `The studio gives each question ${plural(k, 'example')}, the most similar of its ${n}`;
  return {
    lost: true,
    text: `${how}; a file cannot choose per question, so ${carries} the first ${k === 1 ? 'one' : k} for every question, and answers may differ from ${measured ? 'those measured' : 'the studio’s'}.`,
  };
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
