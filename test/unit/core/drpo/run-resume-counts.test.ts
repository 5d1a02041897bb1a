/**
 * Issue 11 (5, 8): a resumed run counts each parse failure once (stage 1 and validation failures are
 * replayed from the call cache on every resume), however it was stopped — Ctrl+C (the engine writes a
 * final checkpoint) or kill -9 (only the last checkpoint written before the kill survives) — and a
 * resume never rewrites its checkpoint with fewer scored prompts than it started from.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SEEDS } from '../../../../src/core/data/builtin-seeds';
import { runDrpo } from '../../../../src/core/drpo/run';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { RunConfig } from '../../../../src/core/contracts/run-config';
import type { RunEvent } from '../../../../src/core/contracts/run-events';
import { SYNTHETIC_QUERIES } from '../../../fixtures/scripted-drpo-model';
import { models, scripted, smallConfig } from '../../../support/engine';

/**
 * Broken judge, aspect and ICL replies: failures in stage 1, in the search and in validation. Broken for
 * most requests, not all: a run whose judge replies can none be read fails (see run.test.ts).
 */
const faulty = () => scripted({ modes: { brokenJson: ['judge', 'aspect', 'icl'], brokenShare: 0.7 } });

function config(): RunConfig {
  return smallConfig({
    icl: BUILTIN_SEEDS.slice(0, 2),
    validationQueries: SYNTHETIC_QUERIES.slice(20, 22),
    settings: { iclRounds: 1, validationSize: 2, validationCandidates: 2 },
  });
}

const copy = (cp: RunCheckpoint): RunCheckpoint => JSON.parse(JSON.stringify(cp)) as RunCheckpoint;

interface Leg {
  status: string;
  parseFailures: number;
  failureEvents: number;
  checkpoints: RunCheckpoint[];
}

/** One leg of a run: stops (abort) once `stopAfterNodes` new nodes were evaluated, if given. */
async function leg(from?: RunCheckpoint, stopAfterNodes?: number, concurrency = 1): Promise<Leg> {
  const ctrl = new AbortController();
  const checkpoints: RunCheckpoint[] = [];
  let nodes = 0;
  let failureEvents = 0;
  const result = await runDrpo(
    config(),
    { models: models(faulty()), concurrency },
    {
      runId: 'counts',
      signal: ctrl.signal,
      checkpoint: from ? copy(from) : undefined,
      onEvent: (e: RunEvent) => {
        if (e.type === 'parse-failure') failureEvents++;
        if (e.type === 'node-evaluated' && e.node.validationReward === undefined && ++nodes === stopAfterNodes)
          ctrl.abort();
      },
      onCheckpoint: (cp) => void checkpoints.push(copy(cp)),
    },
  );
  return { status: result.status, parseFailures: result.stats.parseFailures, failureEvents, checkpoints };
}

describe('resume counts each parse failure once', () => {
  it('Ctrl+C and resume, twice: the same count and the same failure events as one uninterrupted run', async () => {
    const whole = await leg();
    expect(whole.status).toBe('completed');
    expect(whole.parseFailures).toBeGreaterThan(4);
    expect(whole.failureEvents).toBe(whole.parseFailures);

    const first = await leg(undefined, 2);
    expect(first.status).toBe('cancelled');
    const second = await leg(first.checkpoints.at(-1), 2);
    expect(second.status).toBe('cancelled');
    const last = await leg(second.checkpoints.at(-1));
    expect(last.status).toBe('completed');
    expect(last.parseFailures).toBe(whole.parseFailures);
    expect(first.failureEvents + second.failureEvents + last.failureEvents).toBe(whole.failureEvents);
  });

  it('with calls in flight at once: the same count after Ctrl+C and resume', async () => {
    const whole = await leg(undefined, undefined, 4);
    const first = await leg(undefined, 3, 4);
    const last = await leg(first.checkpoints.at(-1), undefined, 4);
    expect(last.status).toBe('completed');
    expect(last.parseFailures).toBe(whole.parseFailures);
    expect(first.failureEvents + last.failureEvents).toBe(whole.failureEvents);
  });

  it('kill -9 after each checkpoint write, resumed from what is on disk, 5 times over: the same count', async () => {
    const whole = await leg();
    let disk: RunCheckpoint | undefined;
    for (let i = 0; i < 5; i++) {
      // The kill lands after the first checkpoint this leg wrote (stage 1 or its first node): the
      // error-path checkpoint a Ctrl+C would write never happens.
      const l = await leg(disk, 1);
      disk = l.checkpoints[Math.min(1, l.checkpoints.length - 1)];
      expect(disk).toBeDefined();
    }
    const last = await leg(disk);
    expect(last.status).toBe('completed');
    expect(last.parseFailures).toBe(whole.parseFailures);
  });

  it('a resumed run keeps its scored prompts in the checkpoint from its first write on', async () => {
    const first = await leg(undefined, 4);
    const from = first.checkpoints.at(-1)!;
    expect(from.nodes.length).toBeGreaterThanOrEqual(4);
    const resumed = await leg(from, 1);
    for (const cp of resumed.checkpoints) {
      expect(cp.nodes.length).toBeGreaterThanOrEqual(from.nodes.length);
      expect(cp.stats.parseFailures).toBeGreaterThanOrEqual(from.stats.parseFailures);
    }
  });
});
