import { describe, expect, it } from 'vitest';
import {
  applyEvents,
  budgetUsage,
  createRunViewModel,
  timeLeft,
  mergeNodes,
  pathTo,
  reduceRunEvents,
  withStatus,
  STATUS_WORDS,
} from '../../../src/ui/view-models/run/run-view-model';
import { listStatus } from '../../../src/ui/view-models/run/run-summary';
import type { RunEvent, RunStatus } from '../../../src/core/contracts/run-events';
import { emptyStats, makeNode, syntheticRun } from '../../support/live-fixtures';

const at = 1;
const runId = 'r1';

describe('run view model', () => {
  it('starts empty and pending', () => {
    const vm = createRunViewModel('r1');
    expect(vm.status).toBe('pending');
    expect(vm.order).toEqual([]);
    expect(timeLeft(vm)).toBeNull();
    expect(applyEvents(vm, [])).toBe(vm);
  });

  it('folds nodes by depth, beams, best and the reward series', () => {
    const root = makeNode({ id: 'a', reward: 3, pathReward: 3 });
    const b = makeNode({ id: 'b', parentId: 'a', depth: 1, reward: 4, pathReward: 3.5, prompt: 'x' });
    const c = makeNode({ id: 'c', parentId: 'a', depth: 1, reward: 2, pathReward: 2.5 });
    const events: RunEvent[] = [
      {
        runId,
        at,
        type: 'run-started',
        preset: 'quick',
        resumed: false,
        projection: { calls: 10, promptTokens: 0, generatedTokens: 0, perRole: emptyStats().perRole },
      },
      { runId, at, type: 'node-evaluated', node: root },
      {
        runId,
        at,
        type: 'beam-selected',
        depth: 0,
        nodeIds: ['a'],
        best: { nodeId: 'a', prompt: root.prompt, reward: 3, depth: 0 },
      },
      { runId, at, type: 'node-evaluated', node: b },
      { runId, at, type: 'node-evaluated', node: c },
      {
        runId,
        at,
        type: 'beam-selected',
        depth: 1,
        nodeIds: ['b', 'c'],
        best: { nodeId: 'b', prompt: 'x', reward: 3.5, depth: 1 },
      },
    ];
    const vm = reduceRunEvents(runId, events);
    expect(vm.status).toBe('running');
    expect(vm.byDepth).toEqual([['a'], ['b', 'c']]);
    expect(vm.beams[1]).toEqual(['b', 'c']);
    expect(vm.beamDepth).toBe(1);
    expect(vm.best?.nodeId).toBe('b');
    expect(vm.rewardSeries).toEqual([
      { depth: 0, best: 3, beamMean: 3 },
      { depth: 1, best: 4, beamMean: 3 },
    ]);
    expect(vm.newestNodeId).toBe('c');
    expect(pathTo(vm, 'b').map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('returns a new snapshot with a bumped version on every batch', () => {
    const vm0 = createRunViewModel(runId);
    const vm1 = applyEvents(vm0, [{ runId, at, type: 'node-evaluated', node: makeNode({ id: 'a' }) }]);
    expect(vm1).not.toBe(vm0);
    expect(vm1.version).toBe(1);
  });

  it('does not duplicate a node replayed after a resume', () => {
    const n = makeNode({ id: 'a' });
    const vm = reduceRunEvents(runId, [
      { runId, at, type: 'node-evaluated', node: n },
      { runId, at, type: 'node-evaluated', node: { ...n, reward: 2 } },
    ]);
    expect(vm.order).toEqual(['a']);
    expect(vm.nodes.get('a')?.reward).toBe(2);
    expect(mergeNodes(vm, [n])).toBe(vm);
    expect(mergeNodes(vm, [makeNode({ id: 'z', depth: 2 })]).byDepth[2]).toEqual(['z']);
  });

  it('records parse failures once, carried-forward levels, budget warnings, errors and the finish', () => {
    const failure = { role: 'judge' as const, stage: 'judgement', message: 'bad JSON', raw: '{' };
    const vm = reduceRunEvents(runId, [
      { runId, at, type: 'node-evaluated', node: makeNode({ id: 'a', reward: null, parseFailures: [failure] }) },
      { runId, at, type: 'parse-failure', nodeId: 'a', failure },
      { runId, at, type: 'parse-failure', failure: { ...failure, stage: 'aspects' } },
      { runId, at, type: 'node-evaluated', node: makeNode({ id: 'b', depth: 1, carriedForward: true }) },
      { runId, at, type: 'depth-extended', depth: 1, maxDepth: 4 },
      { runId, at, type: 'budget-warning', kind: 'calls', used: 90, limit: 100 },
      { runId, at, type: 'error', error: { name: 'NetworkError', message: 'offline' } },
      { runId, at, type: 'run-finished', status: 'budget-exhausted', best: null, stats: emptyStats(), artifact: null },
    ]);
    expect(vm.parseFailures).toHaveLength(2);
    expect(vm.rewardSeries[0]!.best).toBeNull();
    expect([...vm.carriedDepths]).toEqual([1]);
    expect(vm.maxDepth).toBe(4);
    expect(vm.error?.name).toBe('NetworkError');
    expect(vm.status).toBe('budget-exhausted');
    expect(vm.stage).toBe('done');
    const calls = budgetUsage(vm).find((b) => b.kind === 'calls')!;
    expect(calls.limit).toBe(100);
    expect(withStatus(vm, 'failed', null).error).toBeNull();
  });

  it('computes budget usage and an ETA from the call rate', () => {
    let vm = createRunViewModel(runId, { maxCalls: 50, maxWallMs: 600_000 });
    const stats = { ...emptyStats(), calls: 10, generatedTokens: 1000, elapsedMs: 60_000 };
    vm = applyEvents(vm, [
      {
        runId,
        at,
        type: 'run-started',
        preset: 'quick',
        resumed: false,
        projection: { calls: 100, promptTokens: 0, generatedTokens: 0, perRole: emptyStats().perRole },
      },
      {
        runId,
        at,
        type: 'usage',
        role: 'policy',
        cached: false,
        usage: { prompt_tokens: 1, completion_tokens: 1 },
        stats,
      },
    ]);
    const u = budgetUsage(vm);
    expect(u.map((x) => [x.kind, x.used, x.limit])).toEqual([
      ['calls', 10, 50],
      ['tokens', 1000, null],
      ['time', 1, 10],
    ]);
    expect(u[0]!.fraction).toBeCloseTo(0.2);
    // 40 calls left within the call budget at 6 s each = 240 s.
    expect(timeLeft(vm)?.likely).toBe(240_000);
  });

  it('folds a 500-node synthetic stream in small batches in O(new events)', () => {
    const events = syntheticRun({ nodes: 500 });
    const first = createRunViewModel('run-synth');
    let vm = first;
    // O(new events): a batch adds to the model's collections in place and never copies them (a copy per batch
    // would be O(nodes) each time, O(nodes²) over a run). The page's real cost is measured by the ui-streaming
    // bench (no main-thread task over 50 ms on a ~500-node run), not timed here.
    for (let i = 0; i < events.length; i += 8) {
      vm = applyEvents(vm, events.slice(i, i + 8));
      expect(vm.nodes).toBe(first.nodes);
      expect(vm.order).toBe(first.order);
      expect(vm.byDepth).toBe(first.byDepth);
      expect(vm.parseFailures).toBe(first.parseFailures);
    }
    expect(vm.version).toBe(Math.ceil(events.length / 8));
    expect(vm.order).toHaveLength(500);
    expect(vm.status).toBe('completed');
    expect(vm.byDepth.flat()).toHaveLength(500);
    expect(vm.rewardSeries.length).toBe(vm.byDepth.length);
    expect(vm.parseFailures.length).toBeGreaterThan(0);
    // Same result as folding everything at once.
    const once = reduceRunEvents('run-synth', events);
    expect(once.order).toEqual(vm.order);
    expect(once.rewardSeries).toEqual(vm.rewardSeries);
  });
});

describe('listStatus', () => {
  it('says every status in the live view’s words (History, the resume banner)', () => {
    const all: RunStatus[] = ['pending', 'running', 'paused', 'completed', 'budget-exhausted', 'cancelled', 'failed'];
    expect(all.map((status) => listStatus({ status }, true))).toEqual([
      'Not started',
      'Running',
      'Paused',
      'Finished',
      'Stopped: budget used up',
      'Cancelled',
      'Stopped by an error',
    ]);
    for (const status of all) expect(listStatus({ status }, true)).toBe(STATUS_WORDS[status]);
    // Stored as running, but no tab here runs it: its tab closed.
    expect(listStatus({ status: 'running' }, false)).toBe('Interrupted');
    expect(listStatus({ status: 'paused' }, false)).toBe('Paused');
  });
});
