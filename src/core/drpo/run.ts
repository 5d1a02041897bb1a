/**
 * `runDrpo`: the whole DRPO run (stage 1 ICL polishing, stage 2 beam search, optional validation)
 * against ChatModels. Pure core: runs in the worker and in Node. Contract: contracts/run-api.ts.
 *
 * Resume: the run replays from the start with the checkpoint's call cache, so it reaches the same
 * state without repeating a finished call. Nodes the checkpoint already holds are NOT re-emitted as
 * 'node-evaluated' and trigger no checkpoint; new nodes keep the same deterministic ids (`d3-n5`).
 * Level events ('depth-extended', 'beam-selected') of levels the checkpoint finished are not repeated
 * either (the last, possibly unfinished level's 'beam-selected' may be; it carries the same data).
 * Finalists of the validation stage are emitted again (same id, `race` and `verdict` set): consumers
 * upsert nodes by id.
 */
import { createAspectCatalog } from './aspect-catalog';
import { orderQueries, toBest } from './beam-helpers';
import { chooseResult, officialPick, unverifiedChoice, warmStart, type FinalChoice } from './final-selection';
import { BudgetTracker } from '../calls/budget';
import { BudgetGate } from '../calls/budget-gate';
import { AwakeClock } from '../calls/awake-clock';
import type { GatewayEvent } from '../calls/call-gateway';
import { CallGateway, copyHits, emptyStats, snapshot } from '../calls/call-gateway';
import { AppError, ErrorName, isAbort, isNamed, serializeError } from '../contracts/errors';
import { checkpointProblem } from './checkpoint-check';
import { checkpointPacer } from '../calls/checkpoint-pacer';
import { FailureLedger } from './failure-ledger';
import { nothingScoredError } from '../calls/nothing-scored';
import { EMPTY_STREAK } from '../calls/empty-replies';
import { runIclStage } from './icl-stage';
import { settlePrefetches } from './score-prompt';
import { validateBudget, validateSettings } from '../plan/presets';
import { projectionCaps, projectRun } from '../plan/projection';
import { checkQueries } from '../plan/settings-schema';
import { createRetriever } from './retrieval';
import type { RunCheckpoint, RunDeps, RunOptions, RunResult } from '../contracts/run-api';
import type { RunCtx } from './run-context';
import { BeamSearch } from './beam-search';
import { getTemplate } from './templates';
import type { AlignmentArtifact } from '../contracts/alignment';
import type { IclExample, RunConfig } from '../contracts/run-config';
import type { RunStats, RunStatus } from '../contracts/run-events';
import type { SearchNode } from '../contracts/search-node';
import { ROLES } from '../contracts/run-config';

export type { RunCheckpoint, RunDeps, RunOptions, RunResult };

/** While calls finish, a checkpoint at least this often (a reload repeats at most this much work). */
export const CHECKPOINT_EVERY_MS = 3_000;

export async function runDrpo(config: RunConfig, deps: RunDeps, options: RunOptions): Promise<RunResult> {
  validateInput(config, deps, options);
  // Elapsed time, the time per call and the Minutes budget count awake time (see AwakeClock); event times stay
  // on the real clock: the page compares them with its own.
  const base = options.checkpoint ? snapshot(options.checkpoint.stats).elapsedMs : 0;
  const clock = new AwakeClock(deps.now ?? Date.now, base);
  const stopBeat = clock.beat();
  try {
    return await runWith(clock, config, deps, options);
  } finally {
    stopBeat();
  }
}

async function runWith(clock: AwakeClock, config: RunConfig, deps: RunDeps, options: RunOptions): Promise<RunResult> {
  const now = deps.now ?? Date.now;
  const cp = options.checkpoint;
  const runId = options.runId;
  const cache: Record<string, unknown> = cp ? cp.calls : {};
  const stats = cp ? snapshot(cp.stats) : emptyStats();
  // The replay of the checkpoint's calls is not counted again (calls, or hits already in `stats.cachedCalls`).
  const hits = copyHits(cp?.hits);
  const known = new Map((cp?.nodes ?? []).map((n) => [n.id, n]));
  // Replayed failures (stage 1, validation) must not be counted again on every resume.
  const ledger = new FailureLedger(cp?.failures);
  const tick = () => {
    stats.elapsedMs = clock.elapsedMs();
  };
  const emit = async (e: GatewayEvent): Promise<void> => {
    if (options.onEvent) await options.onEvent({ ...e, runId, at: now() } as Parameters<typeof options.onEvent>[0]);
  };
  // Checkpoints after every scored prompt, and also every few seconds while calls finish: between two scored
  // prompts lie whole stages (a level's answers, the final check's race) whose calls a reload would repay.
  const pacer = checkpointPacer({
    now,
    everyMs: CHECKPOINT_EVERY_MS,
    write: () => options.onCheckpoint?.(checkpoint()),
  });
  const save = pacer.save;
  const gw = new CallGateway({
    models: deps.models,
    cache,
    stats,
    hits,
    budget: new BudgetTracker(config.budget),
    signal: options.signal,
    emit: async (e) => {
      await emit(e);
      if (options.onCheckpoint) await pacer.onCall(e);
    },
    tick,
    // Three prompts' worth of questions, so a few prompts that silence the model do not look like a dead endpoint.
    emptyStreak: Math.max(EMPTY_STREAK, 3 * config.settings.queriesPerLevel),
  });
  const concurrency = Math.max(1, Math.floor(deps.concurrency ?? 1));
  const ctx: RunCtx = {
    config,
    s: config.settings,
    gw,
    models: deps.models,
    catalog: createAspectCatalog(config.customAspects),
    template: getTemplate(config.template),
    stats,
    emit,
    aspectMemo: new Map(),
    prefetches: new Set(),
    aspectFailuresReported: new Set(),
    concurrency,
    gate: BudgetGate.for(config.budget, stats, concurrency),
    async recordFailure(failure, nodeId) {
      if (nodeId && known.has(nodeId)) return;
      if (!ledger.record(failure, nodeId ?? '')) return;
      stats.parseFailures++;
      await emit(nodeId ? { type: 'parse-failure', nodeId, failure } : { type: 'parse-failure', failure });
    },
  };

  let nodesRef: SearchNode[] = [];
  // When each node was built, in replies noted (EmptyReplyWatch.seq), and the nodes built on empty replies a
  // failure dropped from the cache: out of the checkpoint, so a resume builds and reports them anew.
  const builtAt = new Map<string, number>();
  const retracted = new Set<string>();
  const checkpoint = (): RunCheckpoint => {
    tick();
    // The cache is copied here, with the counters: consumers serialise it after an await (a store transaction,
    // the CLI's paced writer), and calls that finish meanwhile must not land in it uncounted.
    return {
      format: 'drpo-checkpoint',
      version: 1,
      runId,
      config,
      calls: { ...cache },
      hits: { ...hits },
      // Until the replay has reached them, the checkpoint's own nodes are kept (a resume never shrinks it).
      nodes: withKnownNodes(known, nodesRef).filter((n) => !retracted.has(n.id)),
      stats: snapshot(stats),
      savedAt: now(),
      failures: ledger.toJSON(),
    };
  };

  const projection = projectRun(config, projectionCaps(deps.models));
  await emit({ type: 'run-started', projection, preset: config.preset, resumed: !!cp });

  let status: RunStatus = 'completed';
  let icl: IclExample[] = config.icl;
  let search: BeamSearch | null = null;
  let choice: FinalChoice | null;
  // The warm start of the final check runs beside the search; when the run stops it must stop too.
  let warm: Promise<void> = Promise.resolve();
  let stopped = false;
  try {
    if (config.settings.iclRounds > 0 && config.icl.length > 0) {
      await emit({ type: 'stage-changed', stage: 'icl' });
      // Checkpoints during stage 1 keep its finished calls safe too.
      icl = await runIclStage(ctx, config.icl, save);
    }
    const policy = deps.models.policy;
    const embed = policy.capabilities.embeddings && policy.embed ? policy.embed.bind(policy) : undefined;
    const retriever = createRetriever(icl, embed, options.signal);
    await emit({ type: 'stage-changed', stage: 'search' });
    const s = config.settings;
    const vq = checkQueries(s, config.validationQueries);
    // With parallel calls, the start's share of the final check runs alongside the search.
    warm = warmStart(ctx, config.initialPrompt, retriever, vq, icl.length, () => stopped);
    search = new BeamSearch(ctx, orderQueries(config.trainQueries, config.seed), retriever, {
      now,
      replayedDepth: Math.max(-1, ...(cp?.nodes ?? []).map((n) => n.depth)),
      onNode: async (node) => {
        builtAt.set(node.id, gw.emptyReplies.seq);
        const old = known.get(node.id);
        if (old) {
          node.createdAt = old.createdAt;
          return;
        }
        await emit({ type: 'node-evaluated', node });
        await save();
      },
    });
    nodesRef = search.nodes;
    await search.run();
    await warm;
    nothingScored(search.nodes, stats);
    if (vq.length > 0) await emit({ type: 'stage-changed', stage: 'validation' });
    choice = await chooseResult(ctx, search, retriever, vq, icl.length);
    // A race that settled early may leave the next round's aspects in flight: counted before the last checkpoint.
    await settlePrefetches(ctx);
    if (vq.length > 0) {
      for (const n of search.nodes)
        if (n.validationReward !== undefined) await emit({ type: 'node-evaluated', node: n });
      await save();
    }
  } catch (err) {
    if (isNamed(err, ErrorName.Budget)) status = 'budget-exhausted';
    else if (isAbort(err) || options.signal?.aborted) status = 'cancelled';
    else if (isNamed(err, ErrorName.DeviceLost) || isNamed(err, ErrorName.Quota)) {
      // The GPU or the disk failed, not the run: stop as paused (checkpoint kept) so it resumes once
      // the model is reloaded or space is freed.
      status = 'paused';
      await safeEmit(emit, { type: 'error', error: serializeError(err) });
    } else {
      status = 'failed';
      if (isNamed(err, ErrorName.EmptyReplies)) {
        // The endpoint turned to empty replies: they leave the cache, and what was built since the first of
        // them leaves the checkpoint, so a resume once it is fixed asks them again (see EmptyReplyWatch).
        const from = gw.emptyReplies.retract(cache, hits);
        for (const [id, at] of builtAt)
          if (from !== undefined && at >= from) {
            retracted.add(id);
            known.delete(id);
          }
      }
      await safeEmit(emit, { type: 'error', error: serializeError(err) });
    }
    // Waiting calls of the warm start are dropped and those in flight finish before the run reports its end,
    // as do aspect choices asked for ahead of need (counted, and kept by the checkpoint below).
    stopped = true;
    await warm;
    await settlePrefetches(ctx);
    // Stopped early: the search's own pick so far, not checked against the starting prompt.
    // A search that scored nothing has no pick: the start, unscored, is no result.
    choice =
      search && judgedAny(search.nodes) ? unverifiedChoice(officialPick(search), config.settings, icl.length) : null;
    // Keep the calls finished since the last node, so a resume does not pay for them again.
    // Also on a budget stop: a resume with a larger budget continues from exactly here.
    try {
      await save();
    } catch {
      // Storage failing is reported by the caller; the result still stands.
    }
  }
  tick();
  const nodes = search?.nodes ?? [];
  const artifact = choice && search ? buildArtifact(config, deps, choice, search.path.bind(search), icl, now()) : null;
  const best = choice ? toBest(choice.node) : null;
  const finalStats = snapshot(stats);
  await safeEmit(emit, { type: 'stage-changed', stage: 'done' });
  await safeEmit(emit, { type: 'run-finished', status, best, stats: finalStats, artifact });
  const result: RunResult = { status, best, artifact, stats: finalStats, nodes: nodes.slice() };
  if (choice) result.verdict = choice.verdict;
  return result;
}

/**
 * A search that judged not one answer has no evidence at all: its "result" would be the starting prompt
 * dressed as a finished run (an empty answer scores 1 without a judge). It fails instead (NothingScored),
 * so the page and the CLI say what went wrong, write no result and offer no resume that would replay it.
 */
function nothingScored(nodes: readonly SearchNode[], stats: RunStats): void {
  const evaluations = nodes.flatMap((n) => n.evaluations);
  if (evaluations.length === 0 || judgedAny(nodes)) return;
  throw nothingScoredError('prompt', {
    answers: evaluations.map((e) => ({ text: e.answer, finishReason: e.finishReason })),
    unreadable: stats.parseFailures,
  });
}

/** Whether any answer with text got a score from the judge: the least a search needs to have measured. */
function judgedAny(nodes: readonly SearchNode[]): boolean {
  return nodes.some((n) => n.evaluations.some((e) => e.reward !== null && e.answer.trim() !== ''));
}

/** The nodes so far, plus the checkpoint's nodes the replay has not reached yet (in their stored order). */
function withKnownNodes(known: ReadonlyMap<string, SearchNode>, nodes: readonly SearchNode[]): SearchNode[] {
  if (known.size === 0) return nodes.slice();
  const ids = new Set(nodes.map((n) => n.id));
  return [...nodes, ...[...known.values()].filter((n) => !ids.has(n.id))];
}

/** After a failure or cancellation a listener error must not hide the run's result. */
async function safeEmit(emit: (e: GatewayEvent) => Promise<void>, e: GatewayEvent): Promise<void> {
  try {
    await emit(e);
  } catch {
    // The result is still returned to the caller.
  }
}

function validateInput(config: RunConfig, deps: RunDeps, options: RunOptions): void {
  const bad = (message: string) => new AppError(ErrorName.InvalidInput, message);
  if (!config || typeof config !== 'object') throw bad('The run has no configuration.');
  if (!options?.runId) throw bad('The run needs an id.');
  for (const role of ROLES) {
    const m = deps?.models?.[role];
    if (!m || typeof m.chat !== 'function') throw bad(`No model is set for the ${role} role.`);
  }
  if (!Array.isArray(config.trainQueries) || config.trainQueries.length === 0) {
    throw bad('Add at least one training query before starting a run.');
  }
  if (config.trainQueries.some((q) => !q || typeof q.text !== 'string' || !q.text.trim())) {
    throw bad('Every training query needs some text.');
  }
  if (typeof config.initialPrompt !== 'string') throw bad('The starting prompt must be text.');
  validateSettings(config.settings);
  validateBudget(config.budget ?? {});
  const cp = options.checkpoint;
  if (cp) {
    const c = cp as unknown as Record<string, unknown>;
    if (!c || typeof c !== 'object' || c.format !== 'drpo-checkpoint' || c.version !== 1) {
      throw bad('This checkpoint is not a DRPO Studio checkpoint (or is from another version); start a new run.');
    }
    const problem = checkpointProblem(c);
    if (problem) throw bad(`This checkpoint is damaged (${problem}); start a new run.`);
  }
}

function buildArtifact(
  config: RunConfig,
  deps: RunDeps,
  choice: FinalChoice,
  pathOf: (node: SearchNode) => SearchNode[],
  icl: IclExample[],
  at: number,
): AlignmentArtifact {
  const { node, verdict, examplesPerQuery, candidate } = choice;
  const lineage = (n: SearchNode) =>
    pathOf(n).map((p) => ({ depth: p.depth, prompt: p.prompt, reward: p.reward ?? 0 }));
  const examples = () => icl.map((e) => ({ query: e.query, answer: e.answer }));
  const artifact: AlignmentArtifact = {
    format: 'drpo-alignment',
    version: 1,
    systemPrompt: node.prompt,
    // An alignment that works best without examples ships without them.
    icl: examplesPerQuery > 0 ? examples() : [],
    model: { id: deps.models.policy.id, engine: deps.models.policy.engine },
    judge: { id: deps.models.judge.id, engine: deps.models.judge.engine },
    preset: config.preset,
    settings: { ...config.settings, maxTokens: { ...config.settings.maxTokens } },
    scores: { train: node.pathReward },
    lineage: lineage(node),
    createdAt: new Date(at).toISOString(),
    name: config.name,
    initialPrompt: config.initialPrompt,
    examplesPerQuery,
    outcome: verdict.outcome,
  };
  if (verdict.validation !== undefined) artifact.scores.validation = verdict.validation;
  if (verdict.initialValidation !== undefined) artifact.scores.initialValidation = verdict.initialValidation;
  if (verdict.queries > 0) artifact.scores.validationQueries = verdict.queries;
  if (verdict.standardError !== undefined) artifact.scores.validationStandardError = verdict.standardError;
  if (verdict.heldOutQueries !== undefined) artifact.scores.heldOutQueries = verdict.heldOutQueries;
  artifact.scores.trainQueries = config.trainQueries.length;
  if (verdict.raceQueries !== undefined) artifact.scores.raceQueries = verdict.raceQueries;
  if (verdict.keptBackQueries !== undefined) artifact.scores.keptBackQueries = verdict.keptBackQueries;
  if (verdict.bestCandidate && candidate) {
    // The candidate that fell short, with its path and its own examples (the alignment itself ships none).
    const { node: c, k } = candidate;
    artifact.scores.bestCandidate = {
      ...verdict.bestCandidate,
      systemPrompt: c.prompt,
      examplesPerQuery: k,
      ...(k > 0 ? { icl: examples() } : {}),
      train: c.pathReward,
      lineage: lineage(c),
    };
  }
  return artifact;
}
