/**
 * Before a run starts we show what it may cost: worst-case model calls and expected tokens per role.
 * Calls are an upper bound (every level expands fully, every depth extension happens, no cache hits,
 * no JSON retries). Tokens are expectations at the nominal depth from the per-call assumptions below.
 */
import type { ModelCapabilities } from './chat-model';
import type { Projection, Role, RoleStats, RunConfig } from './types';
import { ROLES } from './types';

/** Tokens of an alignment prompt mid-search (a sentence plus a handful of bullets). */
export const TOK_ALIGNMENT_PROMPT = 180;
/** Tokens of a typical training query. */
export const TOK_QUERY = 50;
/** Tokens of one retrieved example (query + answer) placed in the system prompt. */
export const TOK_ICL_EXAMPLE = 350;
/** Tokens a chat model writes for a typical answer when not cut off. */
export const TOK_ANSWER = 450;
/** Fixed instruction + aspect catalog of the aspect-selection request. */
export const TOK_ASPECT_INSTRUCTIONS = 380;
/** Aspects chosen per query on average (the paper's cache: mostly 5). */
export const ASPECTS_PER_QUERY = 4.5;
/** Aspect-selection output: a one-sentence analysis plus a short reason per aspect. */
export const TOK_ASPECT_ANALYSIS = 35;
export const TOK_ASPECT_PER_ITEM = 18;
/** Fixed judge instructions, plus per-aspect description lines. */
export const TOK_JUDGE_INSTRUCTIONS = 170;
export const TOK_JUDGE_ASPECT_LINE = 20;
/** Judge output per aspect: JSON overhead + rationale (full vs one short sentence). */
export const TOK_JUDGE_ITEM_OVERHEAD = 14;
export const TOK_RATIONALE_FULL = 50;
export const TOK_RATIONALE_SHORT = 20;
/** Fixed optimizer instructions. */
export const TOK_OPTIMIZER_INSTRUCTIONS = 330;
/** Answer characters shown to the optimizer are capped (see prompts/optimizer.ts); in tokens: */
export const TOK_OPTIMIZER_ANSWER_CAP = 300;
/** Optimizer output: analysis + thought, plus the new prompt. */
export const TOK_OPTIMIZER_NOTES = 80;
/** ICL answer rewrite: instructions and the rewritten answer's expected length. */
export const TOK_ICL_REWRITE_INSTRUCTIONS = 200;

export type ProjectionCaps = Partial<Record<Role, Partial<ModelCapabilities>>>;

interface Acc {
  perRole: Record<Role, RoleStats>;
}

function add(acc: Acc, role: Role, calls: number, prompt: number, generated: number): void {
  const r = acc.perRole[role];
  r.calls += calls;
  r.promptTokens += calls * prompt;
  r.generatedTokens += calls * generated;
}

export function projectRun(config: RunConfig, modelCaps: ProjectionCaps = {}): Projection {
  const s = config.settings;
  const mt = s.maxTokens;
  const acc: Acc = {
    perRole: Object.fromEntries(ROLES.map((r) => [r, { calls: 0, promptTokens: 0, generatedTokens: 0 }])) as Record<
      Role,
      RoleStats
    >,
  };
  const logprobs = s.logprobScoring && modelCaps.judge?.logprobs === true;
  const shortRationale = s.shortRationales === true || logprobs;
  const nativeN = modelCaps.optimizer?.multipleChoices === true;

  const answerOut = Math.min(mt.policy, TOK_ANSWER);
  const policyIn = 20 + TOK_ALIGNMENT_PROMPT + s.iclK * TOK_ICL_EXAMPLE + TOK_QUERY;
  const aspectOut = Math.min(mt.aspect, TOK_ASPECT_ANALYSIS + ASPECTS_PER_QUERY * TOK_ASPECT_PER_ITEM);
  const aspectIn = TOK_ASPECT_INSTRUCTIONS + TOK_QUERY;
  const judgeItem = TOK_JUDGE_ITEM_OVERHEAD + (shortRationale ? TOK_RATIONALE_SHORT : TOK_RATIONALE_FULL);
  const judgeOut = Math.min(mt.judge, ASPECTS_PER_QUERY * judgeItem);
  const judgeIn = TOK_JUDGE_INSTRUCTIONS + TOK_QUERY + answerOut + ASPECTS_PER_QUERY * TOK_JUDGE_ASPECT_LINE;
  const promptOut = Math.min(mt.optimizer, TOK_ALIGNMENT_PROMPT + TOK_OPTIMIZER_NOTES);
  const optimizerIn =
    TOK_OPTIMIZER_INSTRUCTIONS +
    TOK_ALIGNMENT_PROMPT * (1 + Math.min(s.historyWindow, 3)) +
    s.queriesPerLevel * (TOK_QUERY + Math.min(answerOut, TOK_OPTIMIZER_ANSWER_CAP) + judgeOut);

  // Stage 1: per seed one aspect selection + one judgement, then per round a rewrite + a judgement.
  const seeds = s.iclRounds > 0 ? config.icl.length : 0;
  if (seeds > 0) {
    add(acc, 'aspect', seeds, aspectIn, aspectOut);
    add(acc, 'judge', seeds * (1 + s.iclRounds), judgeIn, judgeOut);
    add(
      acc,
      'optimizer',
      seeds * s.iclRounds,
      TOK_ICL_REWRITE_INSTRUCTIONS + judgeIn,
      Math.min(mt.optimizer, TOK_ANSWER),
    );
  }

  // Stage 2: level 0 evaluates the initial prompt; level 1 expands the root; later levels the full beam.
  const Q = s.queriesPerLevel;
  const levelsWorst = s.depth + s.maxDepthExtension;
  const distinctQueries = Math.max(1, config.trainQueries.length);
  let candidatesWorst = 1;
  let candidatesExpected = 1;
  let optimizerCallsWorst = 0;
  let optimizerCallsExpected = 0;
  let aspectCalls = Math.min(Q, distinctQueries);
  for (let level = 1; level <= levelsWorst; level++) {
    const parents = level === 1 ? 1 : s.beamWidth;
    const calls = parents * (nativeN ? 1 : s.actions);
    candidatesWorst += parents * s.actions;
    optimizerCallsWorst += calls;
    if (level <= s.depth) {
      candidatesExpected += parents * s.actions;
      optimizerCallsExpected += calls;
    }
    aspectCalls = Math.min(distinctQueries, aspectCalls + Q);
  }
  const evalsWorst = candidatesWorst * Q;
  const evalsExpected = candidatesExpected * Q;
  const optimizerChoices = nativeN ? s.actions : 1;
  addSplit(acc, 'policy', evalsWorst, evalsExpected, policyIn, answerOut);
  addSplit(acc, 'judge', evalsWorst, evalsExpected, judgeIn, judgeOut);
  addSplit(acc, 'optimizer', optimizerCallsWorst, optimizerCallsExpected, optimizerIn, promptOut * optimizerChoices);
  add(acc, 'aspect', aspectCalls, aspectIn, aspectOut);

  // Final check of the best few candidates on held-out queries.
  const v = Math.min(s.validationSize, config.validationQueries.length || s.validationSize);
  if (v > 0) {
    const finalists = s.validationCandidates ?? 3;
    add(acc, 'aspect', v, aspectIn, aspectOut);
    add(acc, 'policy', finalists * v, policyIn, answerOut);
    add(acc, 'judge', finalists * v, judgeIn, judgeOut);
  }

  const out: Projection = { calls: 0, promptTokens: 0, generatedTokens: 0, perRole: acc.perRole };
  for (const role of ROLES) {
    const r = acc.perRole[role];
    r.promptTokens = Math.round(r.promptTokens);
    r.generatedTokens = Math.round(r.generatedTokens);
    out.calls += r.calls;
    out.promptTokens += r.promptTokens;
    out.generatedTokens += r.generatedTokens;
  }
  return out;
}

/** Worst-case call count, but token expectations at the nominal depth. */
function addSplit(acc: Acc, role: Role, worstCalls: number, expectedCalls: number, prompt: number, out: number): void {
  const r = acc.perRole[role];
  r.calls += worstCalls;
  r.promptTokens += expectedCalls * prompt;
  r.generatedTokens += expectedCalls * out;
}
