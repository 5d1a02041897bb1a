/**
 * Candidates that are the same prompt: an alignment whose run kept its starting prompt (and adds no
 * examples) is that starting prompt, word for word. Evaluated side by side they get the same answers and
 * the same scores, so the report says so ("the same prompt as …") and no pair of them is compared pairwise:
 * a 100% tie between a prompt and itself tells a user nothing.
 */
import { DEFAULT_INFERENCE_EXAMPLES } from '../words/verdict-text';
import type { CandidateReport, EvalCandidate } from './eval-types';

/**
 * What the policy is sent for a candidate, as one string: its system prompt (none and an empty one send the
 * same messages) and the examples it retrieves from (none when it retrieves none).
 */
export function candidateKey(c: EvalCandidate, iclK?: number): string {
  const pool = c.icl ?? [];
  const k = Math.min(c.iclK ?? iclK ?? DEFAULT_INFERENCE_EXAMPLES, pool.length);
  return JSON.stringify([c.systemPrompt ?? '', k, k > 0 ? pool.map((e) => [e.query, e.answer]) : []]);
}

/** Each candidate's first earlier one with the same key (undefined when it is the first of its kind). */
export function sameAsLabels(candidates: readonly EvalCandidate[], iclK?: number): (string | undefined)[] {
  const first = new Map<string, string>();
  return candidates.map((c) => {
    const key = candidateKey(c, iclK);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, c.label);
    return earlier;
  });
}

/** Whether two report rows are the same prompt (one is marked the same as the other, or both as a third). */
export function sameCandidate(a: Pick<CandidateReport, 'label' | 'sameAs'>, b: typeof a): boolean {
  return (a.sameAs ?? a.label) === (b.sameAs ?? b.label);
}
