/**
 * Folds the run's event stream into what the live view draws. No DOM, unit-tested.
 *
 * Cost model: `applyEvents` is O(new events). It appends to the model's collections in place
 * (copying 500-node arrays on every batch is what makes a UI stutter) and returns a fresh
 * top-level object with a bumped `version`, so Lit's identity check still sees a change.
 * Treat a model as owned by one fold chain; `reduceRunEvents` builds one from scratch.
 */
import type { SerializedError } from '../../../core/contracts/errors';
import { foldRunFacts } from '../../../core/contracts/run-status';
import { mean } from '../../../core/eval/stats';
import { leastCheckCalls, projectionCaps, projectRun } from '../../../core/plan/projection';
import type { TimedRetry } from '../../../core/calls/fault-summary';
import type { AlignmentArtifact } from '../../../core/contracts/alignment';
import type {
  BestSoFar,
  BudgetKind,
  Projection,
  RunEvent,
  RunStage,
  RunStats,
  RunStatus,
} from '../../../core/contracts/run-events';
import type { Budget, IclExample, PresetName, RunConfig, SearchSettings } from '../../../core/contracts/run-config';
import type { ParseFailure, SearchNode } from '../../../core/contracts/search-node';

export interface RewardPoint {
  depth: number;
  /** Highest node reward evaluated at this depth (null until a node there parsed). */
  best: number | null;
  /** Mean reward of the beam selected at this depth (null until the beam is chosen). */
  beamMean: number | null;
}

export interface FailureEntry {
  nodeId?: string;
  failure: ParseFailure;
  at: number;
}

export interface RunViewModel {
  runId: string;
  version: number;
  status: RunStatus;
  stage: RunStage | null;
  preset: PresetName | null;
  resumed: boolean;
  projection: Projection | null;
  budget: Budget;
  nodes: Map<string, SearchNode>;
  /** Node ids in the order they were evaluated. */
  order: string[];
  /** Node ids per depth, in evaluation order. */
  byDepth: string[][];
  /** The beam chosen at each depth (index = depth). */
  beams: string[][];
  /** Depth of the most recent beam selection, -1 before the first. */
  beamDepth: number;
  /** The best so far; at the end, the prompt the run handed back (RunFacts.best). */
  best: BestSoFar | null;
  /** The best path mean the search reached: what "so far" shows, never lowered by the end (RunFacts.reached). */
  reached: BestSoFar | null;
  stats: RunStats | null;
  rewardSeries: RewardPoint[];
  /** Bumped whenever rewardSeries changes (the chart re-renders only then). */
  seriesVersion: number;
  /** Depths where a prompt was carried forward unchanged. */
  carriedDepths: Set<number>;
  /** Current maximum depth after extensions (null until the engine reports one). */
  maxDepth: number | null;
  parseFailures: FailureEntry[];
  budgetWarnings: Partial<Record<BudgetKind, { used: number; limit: number }>>;
  icl: { index: number; example: IclExample; score: number }[];
  error: SerializedError | null;
  artifact: AlignmentArtifact | null;
  newestNodeId: string | null;
  firstEventAt: number | null;
  lastEventAt: number | null;
  /** Internal: dedupe keys for parse failures (events and node records may both report one). */
  failureKeys: Set<string>;
  /** Model calls made when the beam at each depth was chosen (calibrates the time left). */
  callsAtBeam: number[];
  /**
   * The latest failed request waiting for its retry, with when it was announced (cleared by the next finished
   * call; its note counts down from `at` and goes once the retry is due, see waiting.ts).
   */
  retry: TimedRetry | null;
  /** When the run was last heard from, or (re)started from this page: a long silence is measured from it. */
  heardAt: number | null;
  /**
   * When `stats.elapsedMs` was true (the event that brought it, or the run's start in this session): while the
   * run goes, its elapsed time is that plus the time since (liveElapsedMs).
   */
  clockAt: number | null;
}

export function createRunViewModel(runId: string, budget: Budget = {}): RunViewModel {
  return {
    runId,
    version: 0,
    status: 'pending',
    stage: null,
    preset: null,
    resumed: false,
    projection: null,
    budget,
    nodes: new Map(),
    order: [],
    byDepth: [],
    beams: [],
    beamDepth: -1,
    best: null,
    reached: null,
    stats: null,
    rewardSeries: [],
    seriesVersion: 0,
    carriedDepths: new Set(),
    maxDepth: null,
    parseFailures: [],
    budgetWarnings: {},
    icl: [],
    error: null,
    artifact: null,
    newestNodeId: null,
    firstEventAt: null,
    lastEventAt: null,
    failureKeys: new Set(),
    callsAtBeam: [],
    retry: null,
    heardAt: null,
    clockAt: null,
  };
}

/** A run stored as running that no tab drives any more (its tab closed): every view says it this way. */
export const INTERRUPTED_WORD = 'Interrupted';

/** The search's best so far as the live view and History show it: it never goes down (see RunFacts.reached). */
export function bestSoFar(vm: Pick<RunViewModel, 'best' | 'reached'>): BestSoFar | null {
  return vm.reached ?? vm.best;
}

/** Run status in words (view-independent so every view says the same: Live, History, the resume banner). */
export const STATUS_WORDS: Record<RunStatus, string> = {
  pending: 'Not started',
  running: 'Running',
  paused: 'Paused',
  completed: 'Finished',
  'budget-exhausted': 'Stopped: budget used up',
  cancelled: 'Cancelled',
  failed: 'Stopped by an error',
};

function point(vm: RunViewModel, depth: number): RewardPoint {
  if (depth >= vm.rewardSeries.length) vm.seriesVersion++;
  for (let d = vm.rewardSeries.length; d <= depth; d++) vm.rewardSeries.push({ depth: d, best: null, beamMean: null });
  return vm.rewardSeries[depth]!;
}

function addFailure(vm: RunViewModel, failure: ParseFailure, nodeId: string | undefined, at: number): void {
  const key = `${nodeId ?? ''}|${failure.role}|${failure.stage}|${failure.message}`;
  if (vm.failureKeys.has(key)) return;
  vm.failureKeys.add(key);
  vm.parseFailures.push({ nodeId, failure, at });
}

function addNode(vm: RunViewModel, node: SearchNode, at: number): void {
  const known = vm.nodes.has(node.id);
  vm.nodes.set(node.id, node);
  if (!known) {
    vm.order.push(node.id);
    while (vm.byDepth.length <= node.depth) vm.byDepth.push([]);
    vm.byDepth[node.depth]!.push(node.id);
  }
  vm.newestNodeId = node.id;
  if (node.carriedForward) vm.carriedDepths.add(node.depth);
  const p = point(vm, node.depth);
  if (node.reward !== null && (p.best === null || node.reward > p.best)) {
    p.best = node.reward;
    vm.seriesVersion++;
  }
  for (const f of node.parseFailures) addFailure(vm, f, node.id, at);
}

function applyOne(vm: RunViewModel, e: RunEvent): void {
  if (vm.firstEventAt === null) vm.firstEventAt = e.at;
  vm.lastEventAt = e.at;
  vm.heardAt = Math.max(vm.heardAt ?? e.at, e.at);
  // Status, error, stage, best, counters and alignment: the same fold as the stored run record.
  foldRunFacts(vm, e);
  switch (e.type) {
    case 'run-started':
      vm.projection = e.projection;
      vm.preset = e.preset;
      vm.resumed = e.resumed;
      // The run's clock starts again here from what it had measured (a resumed run does not count the pause).
      vm.clockAt = e.at;
      vm.retry = null;
      break;
    case 'icl-updated':
      vm.icl[e.index] = { index: e.index, example: e.example, score: e.score };
      break;
    case 'node-evaluated':
      addNode(vm, e.node, e.at);
      break;
    case 'beam-selected': {
      vm.beams[e.depth] = e.nodeIds;
      vm.beamDepth = Math.max(vm.beamDepth, e.depth);
      vm.callsAtBeam[e.depth] = vm.stats?.calls ?? 0;
      const rewards = e.nodeIds.map((id) => vm.nodes.get(id)?.reward).filter((r): r is number => typeof r === 'number');
      point(vm, e.depth).beamMean = mean(rewards);
      vm.seriesVersion++;
      break;
    }
    case 'depth-extended':
      vm.maxDepth = e.maxDepth;
      vm.carriedDepths.add(e.depth);
      break;
    case 'budget-warning':
      vm.budgetWarnings[e.kind] = { used: e.used, limit: e.limit };
      break;
    case 'parse-failure':
      addFailure(vm, e.failure, e.nodeId, e.at);
      break;
    case 'call-retry': {
      const { error, attempt, attempts, retryInMs, outage, endpoint, at } = e;
      vm.retry = {
        error,
        attempt,
        attempts,
        retryInMs,
        at,
        ...(outage ? { outage } : {}),
        ...(endpoint ? { endpoint } : {}),
      };
      break;
    }
    case 'usage':
    case 'run-finished':
      vm.retry = null;
      vm.clockAt = e.at;
      break;
  }
}

/** Folds new events into `vm` (see the cost model above) and returns the next snapshot. */
export function applyEvents(vm: RunViewModel, events: readonly RunEvent[]): RunViewModel {
  if (events.length === 0) return vm;
  for (const e of events) applyOne(vm, e);
  return { ...vm, version: vm.version + 1 };
}

/** Adds stored nodes that the event log lacks (e.g. events were trimmed); O(nodes). */
export function mergeNodes(vm: RunViewModel, nodes: readonly SearchNode[]): RunViewModel {
  let added = 0;
  for (const n of nodes) {
    if (vm.nodes.has(n.id)) continue;
    addNode(vm, n, n.createdAt);
    added++;
  }
  return added ? { ...vm, version: vm.version + 1 } : vm;
}

export function reduceRunEvents(runId: string, events: readonly RunEvent[], budget: Budget = {}): RunViewModel {
  return applyEvents(createRunViewModel(runId, budget), events);
}

/**
 * The run is started or resumed from this page at `now`: a silence is measured from here, not from the last
 * event of its previous session, and a retry that session waited for is not waited for any more.
 */
export function restarted(vm: RunViewModel, now: number): RunViewModel {
  return { ...vm, heardAt: now, retry: null, version: vm.version + 1 };
}

/**
 * The run's elapsed time at `now`: what its last stats measured, plus the time since while the run goes (a call
 * that takes long still counts); what was measured when it is not running.
 */
export function liveElapsedMs(vm: RunViewModel, now: number): number {
  const measured = vm.stats?.elapsedMs ?? 0;
  if (vm.status !== 'running' || vm.clockAt === null) return measured;
  return measured + Math.max(0, now - vm.clockAt);
}

/** Plain status change (pause/cancel/failure observed by the page rather than the engine). */
export function withStatus(vm: RunViewModel, status: RunStatus, error?: SerializedError | null): RunViewModel {
  return { ...vm, status, error: error === undefined ? vm.error : error, version: vm.version + 1 };
}

export interface BudgetUsage {
  kind: BudgetKind;
  label: string;
  used: number;
  limit: number | null;
  /** 0–1 when a limit is set. */
  fraction: number | null;
}

export function budgetUsage(vm: RunViewModel): BudgetUsage[] {
  const s = vm.stats;
  const rows: [BudgetKind, string, number, number | undefined][] = [
    ['calls', 'Model calls', s?.calls ?? 0, vm.budget.maxCalls],
    ['tokens', 'Generated tokens', s?.generatedTokens ?? 0, vm.budget.maxGeneratedTokens],
    [
      'time',
      'Minutes',
      (s?.elapsedMs ?? 0) / 60_000,
      vm.budget.maxWallMs === undefined ? undefined : vm.budget.maxWallMs / 60_000,
    ],
  ];
  return rows.map(([kind, label, used, configured]) => {
    const warned = vm.budgetWarnings[kind];
    const limit = configured ?? (warned ? (kind === 'time' ? warned.limit / 60_000 : warned.limit) : undefined);
    return { kind, label, used, limit: limit ?? null, fraction: limit ? Math.min(1, used / limit) : null };
  });
}

/**
 * Planned calls for the config with some settings changed (the projection is pure arithmetic), with the
 * capabilities of the run's models, as the run projected itself.
 */
function planned(config: RunConfig, patch: Partial<SearchSettings>): { expected: number; worst: number } {
  const p = projectRun({ ...config, settings: { ...config.settings, ...patch } }, projectionCaps(config.roles));
  return { expected: p.calls, worst: p.worstCalls ?? p.calls };
}

/**
 * The final check's calls: a race over held-out questions that stops early only on a clear verdict, so
 * its length lies between the expected stop and the full race.
 */
function validationCalls(config: RunConfig): { least: number; expected: number; worst: number } {
  const st = config.settings;
  if (st.validationSize <= 0 || config.validationQueries.length === 0) return { least: 0, expected: 0, worst: 0 };
  const all = planned(config, { maxDepthExtension: 0 });
  const search = planned(config, { maxDepthExtension: 0, validationSize: 0 });
  const expected = Math.max(0, all.expected - search.expected);
  return {
    least: Math.min(expected, leastCheckCalls(config)),
    expected,
    worst: Math.max(expected, all.worst - search.worst),
  };
}

/** Calls still to come: the likely number, and the range the final check's race leaves open. */
export interface CallsLeft {
  low: number;
  likely: number;
  high: number;
}

/**
 * Model calls still to come, from what this run measured: the calls the latest full level took (and a
 * carried-forward level, which only re-scores the beam), times the levels left up to the depth reached so
 * far (an extension counts once it happened), plus the final check on held-out queries (between its
 * expected stop and the full race; the middle is likely until the race runs past it). Before the first
 * level is done there is nothing to measure, so the plan is used, scaled later by how the levels went.
 */
export function remainingCalls(vm: RunViewModel, config: RunConfig): CallsLeft {
  const st = config.settings;
  const calls = vm.stats?.calls ?? 0;
  const through = (depth: number) => planned(config, { maxDepthExtension: 0, validationSize: 0, depth }).expected;
  const val = validationCalls(config);
  const mid = (val.expected + val.worst) / 2;
  // Low: the race can end after its first round with nothing ahead of the start (no verdict to score).
  const left = (search: number, done: number): CallsLeft => ({
    low: Math.max(0, search + val.least - done),
    likely: Math.max(0, search + mid - done),
    high: Math.max(0, search + val.worst - done),
  });
  const d = vm.beamDepth;
  const doneAtBeam = d >= 1 ? vm.callsAtBeam[d] : undefined;
  if (doneAtBeam === undefined) return left(through(st.depth), calls);
  const sinceBeam = calls - doneAtBeam;
  if (vm.stage === 'validation') {
    const range = left(0, sinceBeam);
    // Past the middle the race is running long: the full race is the estimate.
    return sinceBeam < mid ? range : { ...range, likely: range.high };
  }
  const ratio = through(d) > 0 ? doneAtBeam / through(d) : 1;
  const full: number[] = [];
  const carried: number[] = [];
  for (let level = 2; level <= d; level++) {
    const before = vm.callsAtBeam[level - 1];
    const after = vm.callsAtBeam[level];
    if (before === undefined || after === undefined) continue;
    (vm.carriedDepths.has(level) ? carried : full).push(after - before);
  }
  // The latest full level: level costs drift as a run goes on (cache hits, fewer new aspects).
  const fullLevel = full.at(-1) ?? (through(2) - through(1)) * ratio;
  const carriedLevel = mean(carried) ?? fullLevel / Math.max(1, st.actions);
  const firstLevel = (through(1) - through(0)) * ratio;
  let search = 0;
  const maxDepth = Math.max(st.depth, vm.maxDepth ?? st.depth);
  for (let level = d + 1; level <= maxDepth; level++) {
    search += vm.carriedDepths.has(level) ? carriedLevel : level === 1 ? firstLevel : fullLevel;
  }
  return left(search, sinceBeam);
}

/** Time left in ms (likely, and the range), from the calls left and this run's measured time per call. */
export interface TimeLeft {
  low: number;
  likely: number;
  high: number;
}

/**
 * Remaining time: the calls still expected times this run's measured time per call, capped by the
 * budgets; null when unknown, or when the run is not going (paused, finished). Without the run's config it
 * falls back to the run-start projection. Given `now`, it counts down from when it was measured (the last
 * finished call), never below zero.
 */
export function timeLeft(vm: RunViewModel, config?: RunConfig | null, now?: number): TimeLeft | null {
  const s = vm.stats;
  if (!s || s.calls === 0 || vm.status !== 'running') return null;
  let left: CallsLeft;
  if (config) left = remainingCalls(vm, config);
  else if (vm.projection) {
    const n = Math.max(0, vm.projection.calls - s.calls);
    left = { low: n, likely: n, high: n };
  } else return null;
  const perCall = s.elapsedMs / s.calls;
  const cap = (calls: number): number => {
    let ms = calls * perCall;
    if (vm.budget.maxCalls !== undefined) ms = Math.min(ms, Math.max(0, vm.budget.maxCalls - s.calls) * perCall);
    if (vm.budget.maxWallMs !== undefined) ms = Math.min(ms, Math.max(0, vm.budget.maxWallMs - s.elapsedMs));
    return ms;
  };
  const since = now !== undefined && vm.clockAt !== null ? Math.max(0, now - vm.clockAt) : 0;
  const at = (calls: number) => Math.max(0, cap(calls) - since);
  return { low: at(left.low), likely: at(left.likely), high: at(left.high) };
}

/** The path from the root to `nodeId` (root first). */
export function pathTo(vm: RunViewModel, nodeId: string): SearchNode[] {
  const out: SearchNode[] = [];
  const seen = new Set<string>();
  let cur = vm.nodes.get(nodeId);
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    out.unshift(cur);
    cur = cur.parentId ? vm.nodes.get(cur.parentId) : undefined;
  }
  return out;
}
