/** The page's evaluation session (controllers/eval-session.ts): one at a time per page, whoever starts it. */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EvalSession,
  currentEvalSession,
  startEvalSession,
  supersededEvaluation,
  type EvalClientPort,
  type EvalStorePort,
} from '../../../src/ui/controllers/eval-session';
import type { EvaluationRecord } from '../../../src/store/store';
import type { EvalReport } from '../../../src/core/eval/eval-types';
import { DEFAULT_ANSWER_TOKENS } from '../../../src/core/eval/evaluate-alignments';
import type { EvalJobResult } from '../../../src/core/eval/eval-job';
import type { EvalJobRequest } from '../../../src/protocol/worker-api';
import { evalJob } from '../../support/store';
import { ErrorName } from '../../../src/core/contracts/errors';

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

/** Review finding 6: Retry on an evaluation deleted meanwhile spent its calls, then could not save the report. */
describe('EvalSession.run resuming', () => {
  // An id per test: each takes the evaluation's lock.
  let n = 0;
  let record: EvaluationRecord;
  beforeEach(() => {
    record = { id: `e${++n}`, name: 'Careful', savedAt: 1, job, status: 'failed' };
  });
  /** A store holding `held` (none: deleted), whose reads may fail, that counts its writes. */
  function fakeStore(held: 'held' | 'deleted', readFails = false) {
    const writes: unknown[] = [];
    const store = {
      createEvaluation: async () => {
        throw new Error('not expected');
      },
      deleteEvaluation: async () => undefined,
      getEvaluation: async () => {
        if (readFails) throw Object.assign(new Error('The disk said no.'), { name: 'UnknownError' });
        return held === 'held' ? record : undefined;
      },
      updateEvaluation: async (...args: unknown[]) => {
        writes.push(args);
        return undefined;
      },
    } satisfies EvalStorePort;
    return { store, writes };
  }

  it('stops before any call when the record was deleted meanwhile, and says it is no longer stored', async () => {
    const { store, writes } = fakeStore('deleted'); // Discard in another tab
    const { client, started } = heldClient();
    const session = new EvalSession(client, store);
    await session.run('Careful', job, record);
    expect(started).toHaveLength(0);
    expect(session.status).toBe('failed');
    expect(session.error?.name).toBe(ErrorName.Gone);
    expect(session.error?.message).toMatch(/no longer exists/);
    expect(session.saveError).toBeNull();
    expect(writes).toHaveLength(0);
    // Nothing offers to retry or discard it, and a stale list read does not offer to resume it.
    expect(session.recordId).toBeNull();
    expect(session.discardedId).toBe(record.id);
  });

  it('stops before any call when the record cannot be read, and says so without writing to it', async () => {
    const { store, writes } = fakeStore('held', true);
    const { client, started } = heldClient();
    const session = new EvalSession(client, store);
    await session.run('Careful', job, record);
    expect(started).toHaveLength(0);
    expect(session.status).toBe('failed');
    expect(session.error?.message).toMatch(/The disk said no/);
    expect(writes).toHaveLength(0);
    // Still its record: Retry stays offered.
    expect(session.recordId).toBe(record.id);
  });

  it('resumes a record still stored', async () => {
    const { store } = fakeStore('held');
    const { client, started, end } = heldClient();
    const session = new EvalSession(client, store);
    const ran = session.run('Careful', job, record);
    await expect.poll(() => started.length).toBe(1);
    end();
    await ran;
    expect(session.status).toBe('completed');
  });
});

/** Finding 3 of the trust audit: Resume was offered above the completed report of the very same comparison. */
describe('supersededEvaluation', () => {
  const record = (id: string, savedAt: number, over: Partial<EvaluationRecord> = {}): EvaluationRecord => ({
    id,
    name: id,
    savedAt,
    job: evalJob(),
    status: 'running',
    ...over,
  });
  const done = (id: string, savedAt: number, over: Partial<EvaluationRecord> = {}) =>
    record(id, savedAt, { status: 'completed', report: { complete: true } as EvalReport, ...over });

  it('an unfinished evaluation is superseded once the same comparison, started after it, completed', () => {
    const interrupted = record('i', 10);
    expect(supersededEvaluation(interrupted, [done('c', 20), interrupted])).toBe(true);
    // Failed ones too (they offer Resume as well).
    const failed = record('f', 10, { status: 'failed', error: { name: 'HttpError', message: 'x' } });
    expect(supersededEvaluation(failed, [done('c', 20), failed])).toBe(true);
  });

  it('is not superseded by an older report, a stopped one, or another comparison', () => {
    const interrupted = record('i', 10);
    // Started again after a completed one: the user wants it.
    expect(supersededEvaluation(interrupted, [interrupted, done('c', 5)])).toBe(false);
    expect(
      supersededEvaluation(interrupted, [
        record('s', 20, { status: 'stopped', report: { complete: false } as EvalReport }),
      ]),
    ).toBe(false);
    const other = (patch: Partial<EvaluationRecord['job'] & object>) =>
      done('c', 20, { job: { ...evalJob(), ...patch } });
    expect(supersededEvaluation(interrupted, [other({ maxTokens: 512 })])).toBe(false);
    expect(supersededEvaluation(interrupted, [other({ pairwise: true })])).toBe(false);
    expect(supersededEvaluation(interrupted, [other({ queries: [{ id: 'q2', text: 'Why is the sky blue?' }] })])).toBe(
      false,
    );
    expect(
      supersededEvaluation(interrupted, [other({ judge: { engine: 'openai', endpointId: 'ep', modelId: 'j' } })]),
    ).toBe(false);
    // A completed record is never superseded itself.
    expect(supersededEvaluation(done('c', 10), [done('d', 20)])).toBe(false);
  });

  it('counts a setting left out as its default, and not the order of the fields', () => {
    const interrupted = record('i', 10);
    const { queries, candidates, policy, judge } = evalJob();
    const reordered = {
      judge,
      policy,
      seed: 0,
      pairwise: false,
      maxTokens: DEFAULT_ANSWER_TOKENS,
      queries,
      candidates,
    };
    expect(supersededEvaluation(interrupted, [done('c', 20, { job: reordered })])).toBe(true);
  });
});
