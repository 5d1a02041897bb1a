/**
 * Stage 2: beam search over system prompts. Level 0 scores the initial prompt; each later level asks
 * the optimizer for rewrites of every beam prompt (or carries a strong prompt forward unchanged),
 * scores each distinct candidate on that level's queries and keeps the best by mean path reward.
 */
import {
  batchFor,
  compareNodes,
  nodeId,
  pathMean,
  pathTo,
  selectBeam,
  shouldCarryForward,
  toBest,
} from './beam-helpers';
import type { SearchView } from './final-selection';
import type { ChatRequest } from '../contracts/chat-model';
import { evaluatePrompt, prefetchAspects, takeFailures, type EvalOutcome } from './score-prompt';
import { mapOrdered } from '../calls/parallel';
import { mean } from './prompts/judge';
import { OPTIMIZER_SCHEMA, normalisePrompt, optimizerMessages, parseOptimizer } from './prompts/optimizer';
import type { OptimizerOutput } from './prompts/optimizer';
import type { Retriever } from './retrieval';
import { deriveSeed } from '../data/random';
import { jobWidth, mayCallAhead, type RunCtx } from './run-context';
import { proposalCost, scoringCost } from './job-costs';
import { parseChoice, retryStructured, structuredCall } from '../calls/structured-call';
import type { ParseFailure, QueryEvaluation, SearchNode } from '../contracts/search-node';
import type { Query } from '../contracts/run-config';
import { SETTING_DEFAULTS } from '../plan/settings-schema';

export interface SearchHooks {
  /** Called after each node is complete (emits 'node-evaluated' and writes a checkpoint). */
  onNode(node: SearchNode): Promise<void>;
  now(): number;
  /** Deepest level a resumed checkpoint already holds (-1 on a fresh run): its level events are not repeated. */
  replayedDepth: number;
}

interface Candidate {
  parent: SearchNode | null;
  prompt: string;
  carried: boolean;
  note?: { analysis: string; thought: string };
  failures: ParseFailure[];
}

export class BeamSearch implements SearchView {
  readonly nodes: SearchNode[] = [];
  /** The beam kept at each level (index = depth), best first; the last one is the final beam. */
  readonly beams: SearchNode[][] = [];
  private readonly byId = new Map<string, SearchNode>();
  private readonly order = new Map<string, number>();

  constructor(
    private readonly ctx: RunCtx,
    private readonly ordered: Query[],
    private readonly retriever: Retriever,
    private readonly hooks: SearchHooks,
  ) {}

  async run(): Promise<void> {
    const { s } = this.ctx;
    const [root] = await this.evaluateLevel(
      [{ parent: null, prompt: this.ctx.config.initialPrompt, carried: false, failures: [] }],
      0,
    );
    let beam = [root!];
    this.beams.push(beam);
    let maxDepth = s.depth;
    let extensions = 0;
    for (let depth = 1; depth <= maxDepth; depth++) {
      // Carry-forward is decided first (it needs no model), then every other parent's rewrites are
      // asked for at once; candidates are assembled in beam order whatever finishes first.
      const carry = beam.map((parent) => shouldCarryForward(parent, s.carryForwardThreshold));
      // With parallel calls, learn what matters for this level's queries while the rewrites are written.
      if (mayCallAhead(this.ctx)) {
        for (const q of batchFor(this.ordered, depth, s.queriesPerLevel)) prefetchAspects(this.ctx, q.text);
      }
      if (carry.some(Boolean) && extensions < s.maxDepthExtension) {
        extensions++;
        maxDepth++;
        if (depth > this.hooks.replayedDepth) await this.ctx.emit({ type: 'depth-extended', depth, maxDepth });
      }
      const multi = this.ctx.models.optimizer.capabilities.multipleChoices;
      const proposals = await mapOrdered(
        beam,
        this.ctx.concurrency,
        (parent, i) => (carry[i] ? Promise.resolve(null) : this.propose(parent)),
        undefined,
        this.ctx.gate?.admission((_, i) => proposalCost(s, multi, carry[i]!)),
      );
      const candidates: Candidate[] = [];
      const seen = new Set<string>();
      beam.forEach((parent, i) => {
        const p = proposals[i];
        if (!p) {
          this.push(candidates, seen, { parent, prompt: parent.prompt, carried: true, failures: [] });
          return;
        }
        // No usable rewrite: keep the parent's prompt so the path continues.
        if (p.actions.length === 0) {
          this.push(candidates, seen, { parent, prompt: parent.prompt, carried: true, failures: p.failures });
          return;
        }
        // The incumbent competes with its rewrites on the same fresh queries: a rewrite is kept only
        // when it scores better (first in line, so it also wins ties).
        if (s.keepParent) this.push(candidates, seen, { parent, prompt: parent.prompt, carried: true, failures: [] });
        p.actions.forEach((a, j) =>
          this.push(candidates, seen, {
            parent,
            prompt: a.prompt,
            carried: false,
            note: { analysis: a.analysis, thought: a.thought },
            failures: j === 0 ? p.failures : [],
          }),
        );
      });
      const level = await this.evaluateLevel(candidates, depth);
      beam = selectBeam(level, s.beamWidth, s.beamRanking ?? 'path');
      this.beams.push(beam);
      if (depth >= this.hooks.replayedDepth) {
        await this.ctx.emit({
          type: 'beam-selected',
          depth,
          nodeIds: beam.map((n) => n.id),
          best: toBest(this.best()!),
        });
      }
    }
  }

  private push(candidates: Candidate[], seen: Set<string>, c: Candidate): void {
    const key = normalisePrompt(c.prompt);
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push(c);
  }

  private bestNode: SearchNode | null = null;

  /** Best node so far by the beam ranking, kept incrementally (no re-sort per level). */
  best(): SearchNode | null {
    return this.bestNode;
  }

  get root(): SearchNode {
    return this.nodes[0]!;
  }

  level(depth: number): SearchNode[] {
    return this.nodes.filter((n) => n.depth === depth);
  }

  path(node: SearchNode): SearchNode[] {
    return pathTo(node, this.byId);
  }

  /**
   * Scores every candidate of a level on the level's queries. All (candidate, query) pairs are
   * independent and run concurrently; nodes are built, counted and checkpointed in candidate order.
   */
  private async evaluateLevel(candidates: readonly Candidate[], depth: number): Promise<SearchNode[]> {
    const queries = batchFor(this.ordered, depth, this.ctx.s.queriesPerLevel);
    const jobs = candidates.flatMap((c, ci) => queries.map((q) => ({ c, ci, q })));
    const done: EvalOutcome[][] = candidates.map(() => []);
    const level: SearchNode[] = [];
    await mapOrdered(
      jobs,
      this.ctx.concurrency,
      async ({ c, q }) => {
        const examples = await this.retriever.retrieve(q.text, this.ctx.s.iclK);
        return evaluatePrompt(this.ctx, c.prompt, examples, q);
      },
      async (out, { c, ci }) => {
        done[ci]!.push(out);
        if (done[ci]!.length === queries.length) level.push(await this.addNode(c, depth, ci, done[ci]!));
      },
      this.ctx.gate?.admission(() => scoringCost(this.ctx.s)),
    );
    return level;
  }

  private async addNode(c: Candidate, depth: number, index: number, outcomes: EvalOutcome[]): Promise<SearchNode> {
    const id = nodeId(depth, index);
    const failures = [...c.failures];
    const evaluations = [];
    for (const out of outcomes) {
      evaluations.push(out.evaluation);
      failures.push(...takeFailures(this.ctx, out.evaluation.query, out));
    }
    const rewards = evaluations.map((e) => e.reward).filter((r): r is number => r !== null);
    const node: SearchNode = {
      id,
      parentId: c.parent?.id ?? null,
      depth,
      prompt: c.prompt,
      evaluations,
      reward: mean(rewards),
      pathReward: 0,
      carriedForward: c.carried,
      parseFailures: failures,
      createdAt: this.hooks.now(),
    };
    if (c.note) node.optimizerNote = c.note;
    node.pathReward = pathMean(c.parent ? [...this.path(c.parent), node] : [node]);
    // Failures are reported before the node joins the tree: a checkpoint taken meanwhile (they run every few
    // seconds) must not hold a node whose own event is not written yet, or a resume would never store it.
    for (const f of failures) await this.ctx.recordFailure(f, id);
    this.nodes.push(node);
    this.byId.set(id, node);
    if (!this.bestNode || compareNodes(node, this.bestNode, this.order) < 0) this.bestNode = node;
    this.order.set(id, this.nodes.length);
    await this.hooks.onNode(node);
    return node;
  }

  /**
   * The reviews the optimizer reads: the parent's own, then (with `optimizerEvidence`) those of the
   * other prompts of its level (same queries, best first), then of its ancestors. Critique that recurs
   * across many answers is what a rewrite should fix; one query's critique is mostly about that query.
   */
  private evidence(parent: SearchNode): QueryEvaluation[] {
    const max = this.ctx.s.optimizerEvidence ?? SETTING_DEFAULTS.optimizerEvidence;
    if (max <= parent.evaluations.length) return parent.evaluations;
    const siblings = selectBeam(
      this.level(parent.depth).filter((n) => n !== parent),
      Infinity,
      'level',
    );
    const ancestors = this.path(parent).slice(0, -1).reverse();
    const out: QueryEvaluation[] = [...parent.evaluations];
    for (const n of [...siblings, ...ancestors]) {
      for (const e of n.evaluations) if (out.length < max && e.reward !== null) out.push(e);
      if (out.length >= max) break;
    }
    return out;
  }

  /** Optimizer rewrites of a parent's prompt: one call with n choices where supported, else n seeded calls. */
  private async propose(parent: SearchNode): Promise<{ actions: OptimizerOutput[]; failures: ParseFailure[] }> {
    const { s, config, gw, models } = this.ctx;
    const history = this.path(parent)
      .slice(0, -1)
      .map((n) => n.prompt)
      .filter((p, i, all) => p !== all[i - 1])
      .slice(-s.historyWindow);
    const base: ChatRequest = {
      messages: optimizerMessages({
        prompt: parent.prompt,
        history: s.historyWindow > 0 ? history : [],
        evaluations: this.evidence(parent),
        maxNewBullets: s.maxNewBullets,
        maxBullets: s.maxBullets,
      }),
      temperature: s.optimizerTemperature,
      top_p: s.optimizerTopP,
      max_tokens: s.maxTokens.optimizer,
      json: OPTIMIZER_SCHEMA,
    };
    const parse = (obj: Parameters<typeof parseOptimizer>[0]) => parseOptimizer(obj, s.maxBullets);
    const actions: OptimizerOutput[] = [];
    const failures: ParseFailure[] = [];
    if (models.optimizer.capabilities.multipleChoices && s.actions > 1) {
      const req = { ...base, n: s.actions, seed: deriveSeed(config.seed, 'optimizer', parent.id) };
      const result = await gw.call('optimizer', req);
      for (let i = 0; i < s.actions; i++) {
        let r = parseChoice('optimizer', 'optimizer', result.choices[i], parse);
        if (!r.ok)
          r = await retryStructured(gw, 'optimizer', 'optimizer', { ...req, seed: req.seed + i }, parse, { sample: i });
        if (r.ok) actions.push(r.value);
        else failures.push(r.failure);
      }
    } else {
      // n seeded calls, independent of each other: concurrent, kept in sample order.
      const samples = Array.from({ length: s.actions }, (_, i) => i);
      // Inside one job, whose reservation covers them (or which runs alone near a budget).
      await mapOrdered(
        samples,
        jobWidth(this.ctx),
        (i) =>
          structuredCall(
            gw,
            'optimizer',
            'optimizer',
            { ...base, seed: deriveSeed(config.seed, 'optimizer', parent.id, i) },
            parse,
            {
              sample: i,
            },
          ),
        (r) => {
          if (r.ok) actions.push(r.value);
          else failures.push(r.failure);
        },
      );
    }
    return { actions, failures };
  }
}
