/** One status fold: the stored run record and the live view say the same for the same events. */
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../../../src/core/plan/presets';
import type { RunEvent, RunStatus } from '../../../../src/core/contracts/run-events';
import { applyEventsToRun, initialProgress } from '../../../../src/store/run-progress';
import { emptyStats } from '../../../../src/core/calls/call-gateway';
import type { RunRecord } from '../../../../src/store/schema';
import { reduceRunEvents } from '../../../../src/ui/view-models/run/run-view-model';

const config = buildRunConfig('quick');
const error = { name: 'DeviceLostError', message: 'The GPU was lost.' };
const started: RunEvent = {
  type: 'run-started',
  runId: 'r',
  at: 1,
  preset: 'quick',
  resumed: false,
  projection: { calls: 1, promptTokens: 1, generatedTokens: 1, perRole: emptyStats().perRole },
};
const failed: RunEvent = { type: 'error', runId: 'r', at: 2, error };
const finished = (status: RunStatus): RunEvent => ({
  type: 'run-finished',
  runId: 'r',
  at: 3,
  status,
  best: null,
  stats: emptyStats(),
  artifact: null,
});

function record(): RunRecord {
  return {
    id: 'r',
    name: 'r',
    config,
    status: 'pending',
    progress: initialProgress(config),
    best: null,
    stats: emptyStats(),
    createdAt: 0,
    updatedAt: 0,
  };
}

describe('run status, stored and shown', () => {
  const cases: [string, RunEvent[], RunStatus, boolean][] = [
    ['started', [started], 'running', false],
    ['an error with no end (the worker went away)', [started, failed], 'failed', true],
    ['a lost GPU: error, then paused', [started, failed, finished('paused')], 'paused', true],
    ['finished', [started, finished('completed')], 'completed', false],
    ['resumed after a failure', [started, failed, started], 'running', false],
  ];
  it.each(cases)('%s', (_name, events, status, hasError) => {
    const stored = applyEventsToRun(record(), events, 0, 10);
    const shown = reduceRunEvents('r', events);
    expect(stored.status).toBe(status);
    expect(shown.status).toBe(status);
    expect(stored.error ?? null).toEqual(hasError ? error : null);
    expect(shown.error).toEqual(hasError ? error : null);
  });
});

describe('the best so far, stored and shown', () => {
  const best = (nodeId: string, reward: number, depth: number) => ({ nodeId, prompt: nodeId, reward, depth });
  const beam = (depth: number, b: ReturnType<typeof best>): RunEvent => ({
    type: 'beam-selected',
    runId: 'r',
    at: 2 + depth,
    depth,
    nodeIds: [b.nodeId],
    best: b,
  });
  it('never goes down: the end names its pick (lower) as the best, the best reached stays', () => {
    const events: RunEvent[] = [
      started,
      beam(0, best('root', 3.75, 0)),
      beam(1, best('kid', 4.08, 1)),
      {
        type: 'run-finished',
        runId: 'r',
        at: 9,
        status: 'failed',
        best: best('deep', 4.0, 2),
        stats: emptyStats(),
        artifact: null,
      },
    ];
    const shown = reduceRunEvents('r', events);
    expect(shown.best?.reward).toBe(4.0);
    expect(shown.reached?.reward).toBe(4.08);
    // Stored in bursts, as the run sink writes them: the record keeps what the live view shows.
    const first = applyEventsToRun(record(), events.slice(0, 3), 0, 10);
    const stored = applyEventsToRun(first, events.slice(3), 0, 11);
    expect(stored.best?.reward).toBe(4.0);
    expect(stored.reached).toEqual(best('kid', 4.08, 1));
  });

  it('a record stored before the best reached was kept starts from its best so far (a resumed old run)', () => {
    // Paused at 0.80 by an older version (no `reached`), resumed now: a first level at 0.70 must not lower it.
    const old: RunRecord = { ...record(), status: 'paused', best: best('old', 0.8, 3) };
    const stored = applyEventsToRun(old, [started, beam(4, best('new', 0.7, 4))], 0, 12);
    expect(stored.reached).toEqual(best('old', 0.8, 3));
    // A newer record with nothing reached yet stays so.
    expect(applyEventsToRun(record(), [started], 0, 12).reached ?? null).toBeNull();
  });
});
