/** Held-out evaluation: public surface used by the CLI and the Evaluate view. */
export * from './types';
export { mean, bootstrapCI, winRates, wilsonInterval, seededRandom } from './stats';
export { AnswerCache, queryKind, policyMessages } from './answers';
export type { CachedAnswer } from './answers';
export { evaluateAlignments, referenceCandidates } from './evaluate';
export type { EvaluateOptions, EvaluateResult } from './evaluate';
export { comparePairwise, combineVerdicts, defaultPairs } from './pairwise';
export type { PairwiseOptions } from './pairwise';
export { runPairwise } from './run-pairwise';
export { toCsv } from './csv';
export { BASELINE_PROMPT, BASELINE_LABEL, NO_SYSTEM_LABEL, REGULAR_ASPECTS, SAFETY_ASPECTS } from './prompts';
export { formatReportTable } from './format';
export { STARTING_LABEL, belowReferences, describeBelow, isReferenceLabel, startingLabelFor } from './compare';
export type { BelowReference } from './compare';
