/**
 * Budgets are checked before every model call that is not served from the cache. Reaching one
 * stops the run gracefully (status 'budget-exhausted'); crossing 80% warns once per kind.
 */
import { AppError, ErrorName } from '../contracts/errors';
import type { Budget } from '../contracts/run-config';
import type { BudgetKind, RunStats } from '../contracts/run-events';

export const BUDGET_WARNING_FRACTION = 0.8;

export interface BudgetWarning {
  kind: BudgetKind;
  used: number;
  limit: number;
}

export class BudgetTracker {
  private readonly warned = new Set<BudgetKind>();
  constructor(private readonly budget: Budget) {}

  private usage(stats: RunStats, inFlight = 0): [BudgetKind, number, number | undefined][] {
    return [
      ['calls', stats.calls + inFlight, this.budget.maxCalls],
      ['tokens', stats.generatedTokens, this.budget.maxGeneratedTokens],
      ['time', stats.elapsedMs, this.budget.maxWallMs],
    ];
  }

  /**
   * Throws AppError(Budget) naming the first exhausted budget. Calls already in flight count as
   * made, so concurrent calls never overshoot the call budget (tokens are known only afterwards).
   */
  check(stats: RunStats, inFlight = 0): void {
    for (const [kind, used, limit] of this.usage(stats, inFlight)) {
      if (limit !== undefined && used >= limit) {
        throw new AppError(ErrorName.Budget, budgetMessage(kind, limit), { detail: kind });
      }
    }
  }

  /** New 80% warnings since the last call (each kind at most once per run session). */
  warnings(stats: RunStats): BudgetWarning[] {
    const out: BudgetWarning[] = [];
    for (const [kind, used, limit] of this.usage(stats)) {
      if (limit === undefined || this.warned.has(kind)) continue;
      if (used >= limit * BUDGET_WARNING_FRACTION) {
        this.warned.add(kind);
        out.push({ kind, used, limit });
      }
    }
    return out;
  }
}

function budgetMessage(kind: BudgetKind, limit: number): string {
  if (kind === 'calls') return `The run reached its limit of ${limit} model calls; keeping the best prompt so far.`;
  if (kind === 'tokens')
    return `The run reached its limit of ${limit} generated tokens; keeping the best prompt so far.`;
  return `The run reached its time limit of ${Math.round(limit / 60000)} min; keeping the best prompt so far.`;
}
