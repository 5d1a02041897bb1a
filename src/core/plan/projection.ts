/**
 * Before a run starts we show what it will likely cost: expected model calls and tokens per role at
 * the nominal depth (what runs usually use: within ±25% on the scripted model, tested), plus a
 * worst-case call count (every depth extension, every race in full, no cache hits) for budgets.
 * Token figures come from the per-call assumptions below.
 */
import type { EngineKind, ModelCapabilities } from '../contracts/chat-model';
import { ENGINE_CAPABILITIES, estimateTokens } from '../contracts/chat-model';
import type { Projection, RoleStats } from '../contracts/run-events';
import type { Budget, Role, RunConfig } from '../contracts/run-config';
import { ROLES } from '../contracts/run-config';
import { checkQueries, finalCheckShape } from './settings-schema';
import { DEFAULT_INITIAL_PROMPT } from './presets';

/** Tokens of an alignment prompt mid-search (a sentence plus a handful of bullets), from the default start. */
export const TOK_ALIGNMENT_PROMPT = 130;

/**
 * Tokens of an alignment prompt mid-search from this start: the search rewrites and extends its start, so a
 * start longer than the default makes every prompt it sends (and the optimizer writes) longer by as much.
 */
function alignmentPromptTokens(initialPrompt: string): number {
  return TOK_ALIGNMENT_PROMPT + Math.max(0, estimateTokens(initialPrompt) - estimateTokens(DEFAULT_INITIAL_PROMPT));
}

/** Tokens of a typical training query. */
export const TOK_QUERY = 50;
/** Tokens of one retrieved example (query + answer) placed in the system prompt. */
export const TOK_ICL_EXAMPLE = 350;
/** Tokens a chat model writes for a typical answer when not cut off. */
export const TOK_ANSWER = 330;
/** Answers vary in length around TOK_ANSWER with this relative spread; a cap cuts only the long ones. */
export const TOK_ANSWER_SPREAD = 0.35;
/** Fixed instruction + aspect catalog of the aspect-selection request. */
export const TOK_ASPECT_INSTRUCTIONS = 380;
/** Aspects chosen per query on average (the paper's cache: mostly 5). */
export const ASPECTS_PER_QUERY = 4;
/** Aspect-selection output: a one-sentence analysis plus a short reason per aspect. */
export const TOK_ASPECT_ANALYSIS = 30;
export const TOK_ASPECT_PER_ITEM = 18;
/** Fixed judge instructions, plus per-aspect description lines. */
export const TOK_JUDGE_INSTRUCTIONS = 170;
export const TOK_JUDGE_ASPECT_LINE = 20;
/** Judge output per aspect: JSON overhead + rationale (full vs one short sentence). */
export const TOK_JUDGE_ITEM_OVERHEAD = 14;
export const TOK_RATIONALE_FULL = 30;
export const TOK_RATIONALE_SHORT = 12;
/** Fixed optimizer instructions. */
export const TOK_OPTIMIZER_INSTRUCTIONS = 330;
/** Answer characters shown to the optimizer are capped (see prompts/optimizer.ts); in tokens: */
export const TOK_OPTIMIZER_ANSWER_CAP = 300;
/** Optimizer output: analysis + thought, plus the new prompt. */
export const TOK_OPTIMIZER_NOTES = 60;
/** ICL answer rewrite: instructions and the rewritten answer's expected length. */
export const TOK_ICL_REWRITE_INSTRUCTIONS = 200;

/**
 * Share of the validation grid a race is expected to score: every cell gets the first round; after
 * that, finalists and example counts that trail stop and a settled race ends early, so about this share
 * of the rest is scored (measured on the scripted and simulated models: 0.2–0.6).
 */
export const RACE_LATE_SHARE = 0.3;

export function raceShare(raceQueries: number, batch: number): number {
  const first = Math.min(1, batch / Math.max(1, raceQueries));
  return first + (1 - first) * RACE_LATE_SHARE;
}

export type ProjectionCaps = Partial<Record<Role, Partial<ModelCapabilities>>>;

/** A role's model (what it declares), or before it exists its binding (what its engine declares). */
interface RoleModel {
  engine: EngineKind;
  capabilities?: Partial<ModelCapabilities>;
}

/**
 * What a projection reads of each role's model (the judge's log-probabilities, the optimizer's native `n`),
 * one rule for the run, `drpo optimize` and the page: the page plans a run before any of its models exists,
 * so it takes what the role's engine declares (ENGINE_CAPABILITIES, from which the adapters are built). So
 * the Run card, Live and the CLI project the same run alike.
 */
export function projectionCaps(roles: Readonly<Record<Role, RoleModel>>): ProjectionCaps {
  return Object.fromEntries(ROLES.map((r) => [r, roles[r].capabilities ?? ENGINE_CAPABILITIES[roles[r].engine]]));
}

interface Acc {
  perRole: Record<Role, RoleStats>;
}

function add(acc: Acc, role: Role, calls: number, prompt: number, generated: number): void {
  const r = acc.perRole[role];
  r.calls += calls;
  r.promptTokens += calls * prompt;
  r.generatedTokens += calls * generated;
}

/** `modelCaps` from projectionCaps (none: a model with neither log-probabilities nor native `n`). */
export function projectRun(config: RunConfig, modelCaps: ProjectionCaps = {}): Projection {
  const s = config.settings;
  const mt = s.maxTokens;
  const acc: Acc = {
    perRole: Object.fromEntries(ROLES.map((r) => [r, { calls: 0, promptTokens: 0, generatedTokens: 0 }])) as Record<
      Role,
      RoleStats
    >,
  };
  let worst = 0;
  const logprobs = s.logprobScoring && modelCaps.judge?.logprobs === true;
  const shortRationale = s.shortRationales === true || logprobs;
  const nativeN = modelCaps.optimizer?.multipleChoices === true;

  const aspects = Math.min(ASPECTS_PER_QUERY, s.maxAspects ?? ASPECTS_PER_QUERY);
  const promptTok = alignmentPromptTokens(config.initialPrompt);
  const answerOut = cappedMean(TOK_ANSWER, TOK_ANSWER_SPREAD * TOK_ANSWER, mt.policy);
  const policyIn = 20 + promptTok + s.iclK * TOK_ICL_EXAMPLE + TOK_QUERY;
  const aspectOut = Math.min(mt.aspect, TOK_ASPECT_ANALYSIS + aspects * TOK_ASPECT_PER_ITEM);
  const aspectIn = TOK_ASPECT_INSTRUCTIONS + TOK_QUERY;
  const judgeItem = TOK_JUDGE_ITEM_OVERHEAD + (shortRationale ? TOK_RATIONALE_SHORT : TOK_RATIONALE_FULL);
  const judgeOut = Math.min(mt.judge, aspects * judgeItem);
  const judgeIn = TOK_JUDGE_INSTRUCTIONS + TOK_QUERY + answerOut + aspects * TOK_JUDGE_ASPECT_LINE;
  const promptOut = Math.min(mt.optimizer, promptTok + TOK_OPTIMIZER_NOTES);
  const optimizerIn =
    TOK_OPTIMIZER_INSTRUCTIONS +
    promptTok * (1 + Math.min(s.historyWindow, 3)) +
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

  // Stage 2 at its nominal depth: level 0 scores the start; level 1 expands it; later levels the beam
  // (each parent's rewrites, plus the parent itself with keepParent). Depth extensions only count in
  // the worst case.
  const Q = s.queriesPerLevel;
  const perParent = s.actions + (s.keepParent ? 1 : 0);
  const optimizerCallsPerParent = nativeN ? 1 : s.actions;
  const level = (l: number) => (l === 1 ? 1 : s.beamWidth);
  let evals = Q;
  let optimizerCalls = 0;
  for (let l = 1; l <= s.depth; l++) {
    evals += level(l) * perParent * Q;
    optimizerCalls += level(l) * optimizerCallsPerParent;
  }
  const extraLevels = s.maxDepthExtension * s.beamWidth;
  worst += evals * 2 + optimizerCalls + extraLevels * (perParent * Q * 2 + optimizerCallsPerParent);
  const optimizerChoices = nativeN ? s.actions : 1;
  add(acc, 'policy', evals, policyIn, answerOut);
  add(acc, 'judge', evals, judgeIn, judgeOut);
  add(acc, 'optimizer', optimizerCalls, optimizerIn, promptOut * optimizerChoices);
  const trainAspects = Math.min(Math.max(1, config.trainQueries.length), Q * (s.depth + 1));
  add(acc, 'aspect', trainAspects, aspectIn, aspectOut);
  worst += trainAspects + Math.min(config.trainQueries.length, Q * s.maxDepthExtension);

  // The final check: (the start + finalists) × example counts on the validation queries, raced.
  const { v, cells, split, batch } = checkShape(config);
  if (v > 0) {
    const validationPolicyIn = policyIn - s.iclK * TOK_ICL_EXAMPLE + (s.iclKInference * TOK_ICL_EXAMPLE) / 2;
    add(acc, 'aspect', v, aspectIn, aspectOut);
    // The race on the first queries, then the candidate and the start on the ones kept back.
    const share = raceShare(split.race, batch);
    const validationCalls = cells * split.race * share + 2 * split.verdict;
    add(acc, 'policy', validationCalls, validationPolicyIn, answerOut);
    add(acc, 'judge', validationCalls, judgeIn, judgeOut);
    worst += v + 2 * (cells * split.race + 2 * split.verdict);
  }

  const out: Projection = { calls: 0, promptTokens: 0, generatedTokens: 0, perRole: acc.perRole, worstCalls: 0 };
  for (const role of ROLES) {
    const r = acc.perRole[role];
    r.calls = Math.round(r.calls);
    r.promptTokens = Math.round(r.promptTokens);
    r.generatedTokens = Math.round(r.generatedTokens);
    out.calls += r.calls;
    out.promptTokens += r.promptTokens;
    out.generatedTokens += r.generatedTokens;
  }
  // JSON retries and every extension are left out of the expectation, never out of the bound.
  out.worstCalls = Math.max(out.calls, Math.round(worst + seeds * (1 + 2 * s.iclRounds)));
  return out;
}

/** The final check's size: validation queries, grid cells (start + finalists, × example counts), split, round. */
function checkShape(config: RunConfig) {
  const s = config.settings;
  const v = checkQueries(s, config.validationQueries).length;
  const { cols, finalists, split, batch, firstRound, minRace } = finalCheckShape(s, v, config.icl.length);
  return { v, counts: cols.length, cells: (1 + finalists) * cols.length, split, batch, firstRound, minRace };
}

/**
 * The fewest calls the final check can take: a search that carried its prompt forward throughout leaves
 * no finalist, so the race's first round scores the start at each example count, then the control alone
 * up to the race's minimum of two rounds, with the aspects of those queries; with nothing ahead of the
 * start the kept-back questions are never asked (see chooseResult).
 */
export function leastCheckCalls(config: RunConfig): number {
  const { v, counts, firstRound, minRace } = checkShape(config);
  if (v === 0) return 0;
  return minRace + 2 * (counts * firstRound + (minRace - firstRound));
}

/** A budget limit the run is expected to reach (`likely`), or may reach in the worst case, before it ends. */
export interface BudgetStop {
  limit: 'calls' | 'tokens' | 'time';
  /** The budget's value (calls, generated tokens or milliseconds). */
  at: number;
  /** What the run is expected to use (the worst case when not `likely`). */
  expected: number;
  /** The expectation itself exceeds the limit; else only the worst case (every extension, every race) does. */
  likely: boolean;
}

/**
 * Where a budget would stop the run before the search and its final check are done: a stopped run returns
 * the search's pick so far, unchecked against the starting prompt. The time is checked only when an estimate
 * exists (it needs a measured speed).
 */
export function budgetStops(p: Projection, budget: Budget, estimatedMs: number | null): BudgetStop[] {
  const stops: BudgetStop[] = [];
  const check = (limit: BudgetStop['limit'], at: number | undefined, expected: number | null, worst?: number) => {
    if (at === undefined || expected === null) return;
    if (expected > at) stops.push({ limit, at, expected, likely: true });
    else if (worst !== undefined && worst > at) stops.push({ limit, at, expected: worst, likely: false });
  };
  check('calls', budget.maxCalls, p.calls, p.worstCalls);
  check('tokens', budget.maxGeneratedTokens, p.generatedTokens);
  check('time', budget.maxWallMs, estimatedMs);
  return stops;
}

/** E[min(X, cap)] for X ~ Normal(mean, sd): what a length cap leaves of answers of varying length. */
export function cappedMean(mean: number, sd: number, cap: number): number {
  if (sd <= 0) return Math.min(mean, cap);
  const z = (cap - mean) / sd;
  const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  return mean - sd * pdf - (mean - cap) * (1 - normalCdf(z));
}

/** Φ(z) via the Abramowitz–Stegun erf approximation (error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
