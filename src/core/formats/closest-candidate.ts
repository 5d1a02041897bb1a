/**
 * The candidate a "no-improvement" run came closest with, as an alignment of its own. The run rightly
 * hands back the starting prompt, but a user deciding what to do next wants to see what came close, try
 * it side by side, or have a larger judge evaluate it on more questions (a small self-judge's noise is
 * often what kept it from a verdict). It is marked unverified and carries how close it came.
 */
import type { AlignmentArtifact } from '../contracts/alignment';
import { ARTIFACT_LIMITS } from './alignment-file';
import { startingPrompt } from '../words/verdict-text';

export function closestCandidate(a: AlignmentArtifact): AlignmentArtifact | null {
  const c = a.scores.bestCandidate;
  if (a.outcome !== 'no-improvement' || !c?.systemPrompt) return null;
  const icl = c.icl ?? [];
  const k = Math.min(c.examplesPerQuery ?? 0, icl.length);
  const { bestCandidate: _, ...scores } = a.scores;
  const label = `Closest candidate${a.name ? ` of ${a.name}` : ''}`;
  return {
    ...a,
    systemPrompt: c.systemPrompt,
    icl: k > 0 ? icl.map((e) => ({ query: e.query, answer: e.answer })) : [],
    examplesPerQuery: k,
    name: label.slice(0, ARTIFACT_LIMITS.label),
    // Named outright: an older file's start may live only in its lineage, which is not the candidate's.
    ...(startingPrompt(a) !== undefined ? { initialPrompt: startingPrompt(a) } : {}),
    outcome: 'unverified',
    // Its own path (older files: none) and training score; the start's score on the same questions stays,
    // the candidate's own and its standard error join it.
    lineage: (c.lineage ?? []).map((l) => ({ ...l })),
    scores: {
      ...scores,
      train: c.train ?? scores.train,
      validation: c.validation,
      validationStandardError: c.standardError,
    },
  };
}
