/**
 * Hand-built SearchNode / RunEvent data for the live-view tests and the streaming bench.
 * Deterministic (seeded), no model involved: it only imitates the shape of a real event stream.
 */
import { ROLES, type Role } from '../../src/core/contracts/run-config';
import type { RunEvent } from '../../src/core/contracts/run-events';
import { emptyStats } from '../../src/core/calls/call-gateway';

/** The engine's own empty counters (re-exported for the live-view tests). */
export { emptyStats };
import type { SearchNode } from '../../src/core/contracts/search-node';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export const ROOT_PROMPT = 'You are a helpful assistant.';

export function makeNode(over: Partial<SearchNode> & { id: string }): SearchNode {
  return {
    parentId: null,
    depth: 0,
    prompt: ROOT_PROMPT,
    evaluations: [
      {
        queryId: 'q1',
        query: 'How do I keep basil alive indoors?',
        answer:
          'Give it **six hours** of light and water when the top soil is dry.\n\n- Pinch the tops\n- Use a pot with drainage',
        finishReason: 'stop',
        aspects: [
          { name: 'Helpfulness', reason: 'The user wants practical steps.' },
          { name: 'Clarity', reason: 'Care routines are easier to follow as lists.' },
        ],
        scores: [
          { aspect: 'Helpfulness', score: 4, rationale: 'Covers light and water; misses temperature.' },
          { aspect: 'Clarity', score: 5, rationale: 'Short and well structured.' },
        ],
        reward: 4.5,
      },
    ],
    reward: 4.5,
    pathReward: 4.5,
    carriedForward: false,
    parseFailures: [],
    createdAt: 1_700_000_000_000,
    ...over,
  };
}

export interface SyntheticOptions {
  nodes: number;
  beamWidth?: number;
  actions?: number;
  seed?: number;
  runId?: string;
  /** Usage events per node (the worker batches them with node events). */
  usagePerNode?: number;
}

/** A plausible event stream of about `nodes` evaluated nodes, ending with run-finished. */
export function syntheticRun(opts: SyntheticOptions): RunEvent[] {
  const { nodes: total, beamWidth = 2, actions = 3, seed = 7, runId = 'run-synth', usagePerNode = 2 } = opts;
  const rand = rng(seed);
  const out: RunEvent[] = [];
  let at = 1_700_000_000_000;
  const stats = emptyStats();
  const tick = (ms: number) => (at += ms);
  out.push({
    runId,
    at,
    type: 'run-started',
    preset: 'quick',
    resumed: false,
    projection: {
      calls: total * 3,
      promptTokens: total * 900,
      generatedTokens: total * 400,
      perRole: emptyStats().perRole,
    },
  });
  out.push({ runId, at, type: 'stage-changed', stage: 'search' });
  let made = 0;
  const usage = (role: Role) => {
    const gen = 100 + Math.floor(rand() * 300);
    stats.calls++;
    stats.generatedTokens += gen;
    stats.promptTokens += 600;
    stats.perRole[role].calls++;
    stats.perRole[role].generatedTokens += gen;
    stats.elapsedMs += 800;
    stats.decodeTokensPerS = 20 + rand() * 10;
    out.push({
      runId,
      at: tick(800),
      type: 'usage',
      role,
      cached: false,
      usage: { prompt_tokens: 600, completion_tokens: gen },
      stats: structuredClone(stats),
    });
  };
  const emit = (node: SearchNode) => {
    for (let u = 0; u < usagePerNode; u++) usage(ROLES[u % ROLES.length]!);
    out.push({ runId, at: tick(5), type: 'node-evaluated', node });
    made++;
  };
  const root = makeNode({ id: 'n0', createdAt: at });
  emit(root);
  out.push({ runId, at, type: 'beam-selected', depth: 0, nodeIds: ['n0'], best: best(root) });
  let beam = [root];
  let depth = 0;
  while (made < total) {
    depth++;
    const level: SearchNode[] = [];
    for (const parent of beam) {
      const carry = (parent.reward ?? 0) > 4.6;
      for (let a = 0; a < (carry ? 1 : actions) && made < total; a++) {
        const failed = rand() < 0.05;
        const reward = failed ? null : Math.round((2 + rand() * 3) * 100) / 100;
        const id = `n${made}`;
        const node = makeNode({
          id,
          parentId: parent.id,
          depth,
          prompt: carry ? parent.prompt : `${parent.prompt}\n- Rule ${id}: be specific about step ${depth}.`,
          reward,
          pathReward: ((parent.pathReward ?? 0) * depth + (reward ?? 0)) / (depth + 1),
          carriedForward: carry,
          parseFailures: failed
            ? [
                {
                  role: 'judge',
                  stage: 'judgement',
                  message: 'The judge did not return valid JSON.',
                  raw: '{"scores": [',
                },
              ]
            : [],
          createdAt: at,
        });
        if (failed) node.evaluations[0]!.reward = null;
        emit(node);
        level.push(node);
      }
      if (carry) out.push({ runId, at, type: 'depth-extended', depth, maxDepth: depth + 20 });
    }
    if (!level.length) break;
    beam = [...level].sort((x, y) => y.pathReward - x.pathReward).slice(0, beamWidth);
    out.push({
      runId,
      at: tick(1),
      type: 'beam-selected',
      depth,
      nodeIds: beam.map((n) => n.id),
      best: best(beam[0]!),
    });
  }
  out.push({ runId, at: tick(1), type: 'stage-changed', stage: 'done' });
  out.push({
    runId,
    at,
    type: 'run-finished',
    status: 'completed',
    best: best(beam[0]!),
    stats: structuredClone(stats),
    artifact: null,
  });
  return out;
}

function best(n: SearchNode) {
  return { nodeId: n.id, prompt: n.prompt, reward: n.pathReward, depth: n.depth };
}

/** The beam of one level chose `node` (its reward as the best so far, unless given). */
export function beamSelected(runId: string, at: number, node: SearchNode, reward = node.reward ?? 0): RunEvent {
  const best = { nodeId: node.id, prompt: node.prompt, reward, depth: node.depth };
  return { runId, at, type: 'beam-selected', depth: node.depth, nodeIds: [node.id], best };
}
