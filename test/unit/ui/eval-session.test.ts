/** The page's evaluation session (controllers/eval-session.ts): one at a time per page, whoever starts it. */
import { describe, expect, it } from 'vitest';
import { currentEvalSession, startEvalSession, type EvalClientPort } from '../../../src/ui/controllers/eval-session';
import type { EvalJobResult } from '../../../src/core/eval/eval-job';
import type { EvalJobRequest } from '../../../src/protocol/worker-api';
import { evalJob } from '../../support/store';

const job = evalJob();

/** A client whose evaluations end when the test says so. */
function heldClient() {
  const started: EvalJobRequest[] = [];
  const finish: ((r: EvalJobResult) => void)[] = [];
  let n = 0;
  const client = {
    newJobId: () => `job-${++n}`,
    cancel: async () => undefined,
    startEval: (_jobId, request) => {
      started.push(request);
      return new Promise<EvalJobResult>((resolve) => finish.push(resolve));
    },
  } satisfies EvalClientPort;
  const result = { report: { complete: true }, stats: { calls: 0 } } as unknown as EvalJobResult;
  return { client, started, end: () => finish.shift()!(result) };
}

describe('startEvalSession', () => {
  it('refuses a second evaluation while the first runs, and leaves the first alone', async () => {
    const { client, started, end } = heldClient();
    const first = startEvalSession(client, undefined, 'First', job)!;
    expect(first.running).toBe(true);
    await expect.poll(() => started.length).toBe(1);
    // No store, no record: the worker is asked for no checkpoints.
    expect(started[0]).not.toHaveProperty('evalId');
    expect(startEvalSession(client, undefined, 'Second', job)).toBeNull();
    expect(currentEvalSession()).toBe(first);
    expect(first.running).toBe(true);
    expect(started).toHaveLength(1);
    // Once it ended, the next one starts.
    end();
    await expect.poll(() => first.status).toBe('completed');
    const next = startEvalSession(client, undefined, 'Next', job);
    expect(next).not.toBeNull();
    expect(currentEvalSession()).toBe(next);
    await expect.poll(() => started.length).toBe(2);
    end();
    await expect.poll(() => next!.running).toBe(false);
  });
});
