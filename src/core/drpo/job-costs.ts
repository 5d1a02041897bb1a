/**
 * The most each kind of job of a run can spend (see BudgetGate): every call it could make, retries included,
 * each call's output at its `max_tokens`. Only an upper bound matters: too high, a job waits for the ones in
 * flight a little early; too low, a budgeted run could stop at a point that depends on timing.
 */
import { MIN_COMPLETION_TOKENS } from '../calls/call-gateway';
import { addCosts, NO_COST, timesCost, type JobCost } from '../calls/budget-gate';
import type { SearchSettings } from '../contracts/run-config';

/** One call's output: the context guard may lower `max_tokens`, but never below its floor. */
const output = (maxTokens: number) => Math.max(maxTokens, MIN_COMPLETION_TOKENS);

const plain = (maxTokens: number): JobCost => ({ calls: 1, tokens: output(maxTokens) });

/** A JSON call and its one retry, which gets half as much room again after a cut-off reply (structured-call.ts). */
const structured = (maxTokens: number): JobCost => addCosts(plain(maxTokens), plain(Math.ceil(maxTokens * 1.5)));

/** Scoring a prompt on one query: the answer, the query's aspects, the judgement. */
export function scoringCost(s: SearchSettings): JobCost {
  return addCosts(plain(s.maxTokens.policy), structured(s.maxTokens.aspect), structured(s.maxTokens.judge));
}

/** Polishing one seed answer (stage 1): aspects and a judgement, then per round a rewrite and its judgement. */
export function polishCost(s: SearchSettings): JobCost {
  const round = addCosts(structured(s.maxTokens.optimizer), structured(s.maxTokens.judge));
  return addCosts(structured(s.maxTokens.aspect), structured(s.maxTokens.judge), timesCost(round, s.iclRounds));
}

/**
 * The optimizer's rewrites of one parent: one call with n choices and a retry per unreadable choice (at the same
 * `max_tokens`), or n JSON calls. A parent carried forward asks for none.
 */
export function proposalCost(s: SearchSettings, multipleChoices: boolean, carried: boolean): JobCost {
  if (carried) return NO_COST;
  const m = s.maxTokens.optimizer;
  if (multipleChoices && s.actions > 1) return { calls: 1 + s.actions, tokens: 2 * s.actions * output(m) };
  return timesCost(structured(m), s.actions);
}
