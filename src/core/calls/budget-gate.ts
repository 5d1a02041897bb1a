/**
 * Under a call or token budget, which call the gateway refuses must not depend on which concurrent call finished
 * first: then a budgeted run's tree, node count and call totals, and the history a resume with a larger budget
 * builds on, would change from run to run. The gate admits jobs (see `mapOrdered`) so that a budgeted run at any
 * concurrency stops exactly where it stops at concurrency 1:
 *  - before a job starts beside others, the most it can spend is reserved (`JobCost`: every call and every retry
 *    it could make, each call's output at its `max_tokens`). A job is let in only when what was spent, what the
 *    jobs in flight have reserved and its own reservation all fit in the budget: then no call of these jobs can
 *    be refused, in this run or in one at concurrency 1, and the order they finish in changes nothing;
 *  - a job that does not fit waits for the jobs in flight (their reservations freed, what they spent counted),
 *    and if it still does not fit, it runs alone (`solo`): its calls one after another, in the order of a run at
 *    concurrency 1, so the call the budget refuses is the same one.
 * Far from the budget, everything runs at full width; close to it, the last jobs go one at a time. Unbudgeted
 * runs have no gate.
 *
 * Tokens are known only once a call has finished, so they cannot be reserved exactly. A call's output is bounded
 * by its `max_tokens`, and reserving that bound keeps the rule exact, at the price of going one at a time a bit
 * earlier (replies are usually far shorter than their limit). The other timing-free rule, deciding in commit
 * order (jobs that started may finish, later ones are refused once the committed jobs reach the budget), was not
 * taken: it stops at another point at each concurrency, so a resume at another concurrency would build on a
 * different history, and it needs each job's own tokens, which the gateway cannot tell apart (an identical
 * request is made once and shared by whichever jobs ask for it). A server that writes past `max_tokens` (counted
 * as reported) can make a reserved job cross the budget; the gateway's own check still stops the run there.
 */
import type { Budget } from '../contracts/run-config';
import type { RunStats } from '../contracts/run-events';

/** The most one job can spend: model calls, and generated tokens. */
export interface JobCost {
  calls: number;
  tokens: number;
}

export const NO_COST: JobCost = { calls: 0, tokens: 0 };

export function addCosts(...costs: JobCost[]): JobCost {
  return costs.reduce((a, c) => ({ calls: a.calls + c.calls, tokens: a.tokens + c.tokens }), NO_COST);
}

export function timesCost(cost: JobCost, times: number): JobCost {
  return { calls: cost.calls * times, tokens: cost.tokens * times };
}

/** How `mapOrdered` admits jobs near a budget (see BudgetGate). */
export interface Admission<T> {
  /** Reserves what the job may spend beside the jobs in flight: the release, or null when it does not fit. */
  reserve(item: T, index: number): (() => void) | null;
  /** Runs a job that does not fit even with nothing in flight: its calls go one at a time. */
  alone<R>(job: () => Promise<R>): Promise<R>;
}

export class BudgetGate {
  /** A job runs alone near the budget: every call inside it waits for the one before (as at concurrency 1). */
  solo = false;
  private calls = 0;
  private tokens = 0;

  private constructor(
    private readonly budget: Budget,
    private readonly stats: RunStats,
  ) {}

  /** A gate for a run with parallel calls and a call or token budget; none otherwise (nothing to order). */
  static for(budget: Budget, stats: RunStats, concurrency: number): BudgetGate | undefined {
    if (concurrency <= 1 || (budget.maxCalls === undefined && budget.maxGeneratedTokens === undefined)) return;
    return new BudgetGate(budget, stats);
  }

  /** Admission for jobs whose cost `cost` tells. */
  admission<T>(cost: (item: T, index: number) => JobCost): Admission<T> {
    return {
      reserve: (item, index) => this.reserve(cost(item, index)),
      alone: (job) => this.alone(job),
    };
  }

  private reserve(cost: JobCost): (() => void) | null {
    const { maxCalls, maxGeneratedTokens } = this.budget;
    // What was spent counts in full, the calls already made by jobs in flight included (their reservations
    // still hold too): a little early, never late.
    if (maxCalls !== undefined && this.stats.calls + this.calls + cost.calls > maxCalls) return null;
    const spent = this.stats.generatedTokens;
    if (maxGeneratedTokens !== undefined && spent + this.tokens + cost.tokens > maxGeneratedTokens) return null;
    this.calls += cost.calls;
    this.tokens += cost.tokens;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.calls -= cost.calls;
      this.tokens -= cost.tokens;
    };
  }

  private async alone<R>(job: () => Promise<R>): Promise<R> {
    this.solo = true;
    try {
      return await job();
    } finally {
      this.solo = false;
    }
  }
}
