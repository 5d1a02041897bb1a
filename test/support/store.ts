/** Hand-built records and events for the store tests, plus a unique-database helper. */
import { deleteDB } from 'idb';
import { buildRunConfig } from '../../src/core/plan/presets';
import type { RunConfig } from '../../src/core/contracts/run-config';
import type { EvalJobPlan } from '../../src/core/eval/eval-job';
import type { RunEvent, RunStats } from '../../src/core/contracts/run-events';
import type { SearchNode } from '../../src/core/contracts/search-node';
import { openStore } from '../../src/store/store';
import type { Store, StoreOptions } from '../../src/store/store';
import { sampleArtifact } from './artifacts';

let counter = 0;

/** A fresh database name per test; `cleanup` closes every store opened and deletes the database. */
export function uniqueDb(): { name: string; open: (o?: StoreOptions) => Promise<Store>; cleanup: () => Promise<void> } {
  const name = `drpo-test-${Date.now()}-${counter++}-${Math.random().toString(36).slice(2, 8)}`;
  const opened: Store[] = [];
  return {
    name,
    open: async (o = {}) => {
      const s = await openStore({ ...o, name });
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) s.close();
      await deleteDB(name);
    },
  };
}

/** An evaluation's plan: the baseline on one query, on an endpoint model. */
export function evalJob(): EvalJobPlan {
  const model = { engine: 'openai' as const, endpointId: 'ep', modelId: 'm' };
  return {
    candidates: [{ label: 'Baseline', systemPrompt: 'You are a helpful assistant.' }],
    queries: [{ id: 'q1', text: 'What is DNS?' }],
    policy: model,
    judge: model,
  };
}

export function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return buildRunConfig('quick', {
    name: 'Test run',
    trainQueries: [{ id: 'q1', text: 'How do plants make food?' }],
    ...overrides,
  });
}

export function stats(calls: number, generatedTokens = calls * 10): RunStats {
  const role = { calls: 0, promptTokens: 0, generatedTokens: 0 };
  return {
    calls,
    promptTokens: calls * 20,
    generatedTokens,
    perRole: { policy: { ...role }, aspect: { ...role }, judge: { ...role }, optimizer: { ...role } },
    elapsedMs: calls * 100,
    parseFailures: 0,
    cachedCalls: 0,
  };
}

export function node(id: string, depth: number, parentId: string | null = null, reward = 4): SearchNode {
  return {
    id,
    parentId,
    depth,
    prompt: `Prompt ${id}`,
    evaluations: [
      {
        queryId: 'q1',
        query: 'How do plants make food?',
        answer: 'Photosynthesis.',
        finishReason: 'stop',
        aspects: [{ name: 'Clarity', reason: 'explanatory question' }],
        scores: [{ aspect: 'Clarity', score: reward, rationale: 'clear' }],
        reward,
      },
    ],
    reward,
    pathReward: reward,
    carriedForward: false,
    parseFailures: [],
    createdAt: 1000 + depth,
  };
}

/** A scripted burst: start, root node, two children, a beam selection, usage, depth extension. */
export function burst(runId: string): RunEvent[] {
  const projection = { calls: 10, promptTokens: 100, generatedTokens: 100, perRole: stats(0).perRole };
  return [
    { runId, at: 1, type: 'run-started', projection, preset: 'quick', resumed: false },
    { runId, at: 2, type: 'stage-changed', stage: 'search' },
    { runId, at: 3, type: 'node-evaluated', node: node('root', 0) },
    {
      runId,
      at: 4,
      type: 'usage',
      role: 'policy',
      usage: { prompt_tokens: 5, completion_tokens: 7 },
      cached: false,
      stats: stats(9),
    },
    {
      runId,
      at: 5,
      type: 'usage',
      role: 'judge',
      usage: { prompt_tokens: 5, completion_tokens: 7 },
      cached: false,
      stats: stats(10),
    },
    { runId, at: 6, type: 'node-evaluated', node: node('a', 1, 'root', 4.5) },
    { runId, at: 7, type: 'node-evaluated', node: node('b', 1, 'root', 3) },
    {
      runId,
      at: 8,
      type: 'beam-selected',
      depth: 1,
      nodeIds: ['a'],
      best: { nodeId: 'a', prompt: 'Prompt a', reward: 4.5, depth: 1 },
    },
    { runId, at: 9, type: 'depth-extended', depth: 1, maxDepth: 4 },
  ];
}

/** Unnamed: an import takes its name from the file. */
export const artifact = sampleArtifact;
