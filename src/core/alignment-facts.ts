/**
 * Facts derived from an alignment artifact that several views and exports need: the prompt the run
 * started from and how many examples go with each question at inference. Newer artifacts carry these
 * explicitly (`initialPrompt`, `examplesPerQuery`); older ones are read from the lineage and settings.
 */
import { DEFAULT_INITIAL_PROMPT } from './presets';
import type { AlignmentArtifact, IclExample } from './types';

/** Optional fields newer artifacts may carry; read defensively so older files keep working. */
type ArtifactExtras = { initialPrompt?: unknown; examplesPerQuery?: unknown };

/** Examples per question when neither the artifact nor its settings say. */
export const FALLBACK_EXAMPLES_PER_QUERY = 3;

/** The system prompt the search started from (what the alignment should be compared against). */
export function startingPrompt(a: AlignmentArtifact): string {
  const explicit = (a as AlignmentArtifact & ArtifactExtras).initialPrompt;
  if (typeof explicit === 'string') return explicit;
  return a.lineage[0]?.prompt ?? DEFAULT_INITIAL_PROMPT;
}

/** Examples used with each question at inference (0 = the prompt alone). */
export function examplesPerQuery(a: AlignmentArtifact): number {
  const explicit = (a as AlignmentArtifact & ArtifactExtras).examplesPerQuery;
  if (typeof explicit === 'number' && Number.isInteger(explicit) && explicit >= 0) return explicit;
  const k = a.settings?.['iclKInference'];
  return typeof k === 'number' && Number.isInteger(k) && k >= 0 ? k : FALLBACK_EXAMPLES_PER_QUERY;
}

/**
 * The fixed examples a static export ships: the studio retrieves the most similar examples per
 * question, which a Modelfile or a system-prompt file cannot do, so exports take the first ones.
 */
export function fixedExamples(a: AlignmentArtifact): IclExample[] {
  return a.icl.slice(0, Math.min(a.icl.length, examplesPerQuery(a)));
}
