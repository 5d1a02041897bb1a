/** What the stages of one run share: config, the call gateway, the aspect catalog and event plumbing. */
import type { AspectCatalog } from './aspect-catalog';
import type { BudgetGate } from '../calls/budget-gate';
import type { CallGateway, GatewayEvent } from '../calls/call-gateway';
import type { ChatModel } from '../contracts/chat-model';
import type { PromptTemplate } from './templates';
import type { ParseFailure, SelectedAspect } from '../contracts/search-node';
import type { Role, RunConfig, SearchSettings } from '../contracts/run-config';
import type { RunStats } from '../contracts/run-events';

export interface AspectChoice {
  aspects: SelectedAspect[];
  failure?: ParseFailure;
}

export interface RunCtx {
  config: RunConfig;
  s: SearchSettings;
  gw: CallGateway;
  models: Record<Role, ChatModel>;
  catalog: AspectCatalog;
  template: PromptTemplate;
  stats: RunStats;
  emit(event: GatewayEvent): Promise<void>;
  /** Counts and emits a parse failure (silently skipped while replaying nodes a checkpoint already holds). */
  recordFailure(failure: ParseFailure, nodeId?: string): Promise<void>;
  /** Aspect choices per query text: selected once per run (and cached across resumes). */
  aspectMemo: Map<string, Promise<AspectChoice>>;
  /** Queries whose aspect-selection failure has been reported (each is reported once). */
  aspectFailuresReported: Set<string>;
  /** Aspect choices asked for ahead of need and still in flight: the run's end waits for them. */
  prefetches: Set<Promise<void>>;
  /** Independent model calls in flight at most (1 = sequential; endpoints serve several at once). */
  concurrency: number;
  /** Admits jobs near a call or token budget (parallel calls under such a budget only; see BudgetGate). */
  gate?: BudgetGate;
}

/** Calls inside one job in flight at most: 1 while a job runs alone near a budget (as at concurrency 1). */
export function jobWidth(ctx: Pick<RunCtx, 'concurrency' | 'gate'>): number {
  return ctx.gate?.solo ? 1 : ctx.concurrency;
}

/**
 * Calls may be made ahead of need (the next queries' aspects): only with parallel calls, and not under a call
 * or token budget, where such a call could take budget a run at concurrency 1 would spend first elsewhere.
 */
export function mayCallAhead(ctx: Pick<RunCtx, 'concurrency' | 'gate'>): boolean {
  return ctx.concurrency > 1 && !ctx.gate;
}
