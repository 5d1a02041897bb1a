/**
 * The worker's evaluation job (WorkerApi.startEval), wired as in drpo.worker.ts with scripted endpoint
 * models: plain data in and out, the endpoint's parallel requests, throttled progress, checkpoints into
 * the stored evaluation (the sink), resume without repeated calls, Stop, and failures by name.
 */
import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../src/core/contracts/chat-model';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import type { EvalCheckpoint } from '../../../src/core/eval/eval-job';
import type { RunSink } from '../../../src/protocol/run-sink';
import type { EvalJobRequest, EvalJobUpdate } from '../../../src/protocol/worker-api';
import type { OutageWatch } from '../../../src/llm/openai/outage-watch';
import { createWorkerApi } from '../../../src/worker/worker-api-impl';
import { best, judge, policy, queries } from '../../support/eval-models';
import { rejection } from '../../support/errors';

const binding = (modelId: string): RoleBinding => ({ engine: 'openai', endpointId: 'ep', modelId });

function setup(opts: { judgeModel?: ChatModel; concurrency?: number } = {}) {
  const p = policy();
  const j = judge();
  const inFlight = { now: 0, max: 0 };
  const counted = (m: ChatModel): ChatModel => ({
    ...m,
    chat: async (req) => {
      inFlight.max = Math.max(inFlight.max, ++inFlight.now);
      try {
        await new Promise((r) => setTimeout(r, 2));
        return await m.chat(req);
      } finally {
        inFlight.now--;
      }
    },
  });
  const models: Record<string, ChatModel> = {
    'policy-1': counted(p.model),
    'judge-1': counted(opts.judgeModel ?? j.model),
  };
  const saved: { evalId: string; cp: EvalCheckpoint }[] = [];
  const outages: OutageWatch[] = [];
  const sink: RunSink = {
    onEvents: async () => undefined,
    onCheckpoint: async () => undefined,
    onEvalCheckpoint: async (evalId, cp) => void saved.push({ evalId, cp: structuredClone(cp) }),
  };
  const api = createWorkerApi({
    webllm: () => Promise.reject(new Error('not used')),
    probeGpu: async () => ({ available: false, shaderF16: false }),
    endpoints: {
      listModels: async () => Object.keys(models),
      createModel: (o) => (outages.push(o.outage!), models[o.model]!),
    },
    sink,
    throttleMs: 50,
  });
  void api.setEndpoint({ id: 'ep', baseUrl: 'http://127.0.0.1:39/v1', concurrency: opts.concurrency ?? 3 });
  const request: EvalJobRequest = structuredClone({
    evalId: 'eval-1',
    candidates: [best, { label: 'Baseline', systemPrompt: 'You are a helpful assistant.' }],
    queries,
    policy: binding('policy-1'),
    judge: binding('judge-1'),
    maxTokens: 256,
    seed: 3,
  });
  return { api, request, saved, inFlight, p, j, outages };
}

describe('WorkerApi.startEval', () => {
  it('runs the job on the endpoint’s parallel requests, throttles progress and keeps checkpoints', async () => {
    const { api, request, saved, inFlight, p, j } = setup();
    const progress: EvalJobUpdate[] = [];
    const result = await api.startEval('job-1', request, null, (e) => progress.push(e));
    expect(result.report.complete).toBe(true);
    expect(result.report.candidates.map((c) => c.label)).toEqual(['Best', 'Baseline']);
    expect(structuredClone(result)).toEqual(result);
    expect(p.requests.length + j.requests.length).toBe(16);
    expect(inFlight.max).toBe(3);
    // Throttled (≤ one per 50 ms), and the last step always arrives.
    expect(progress.length).toBeLessThan(16);
    expect(progress.at(-1)!.progress).toMatchObject({ done: 16, total: 16 });
    expect(progress.at(-1)!.stats!.calls).toBe(16);
    expect(saved.length).toBeGreaterThanOrEqual(2);
    expect(saved.every((s) => s.evalId === 'eval-1')).toBe(true);
    expect(Object.keys(saved.at(-1)!.cp.calls)).toHaveLength(16);
  });

  it('tells the page of a retry with the step before it, and that it is over once a call went through', async () => {
    let release!: () => void;
    const answered = new Promise<void>((r) => (release = r));
    const real = judge().model;
    let failed = false;
    const failsOnce: ChatModel = {
      ...real,
      // The first judgement fails as an endpoint's HTTP 500 would, and its retry waits until the test ends it.
      chat: async (req) => {
        if (!failed) {
          failed = true;
          const error = new AppError(ErrorName.ServerError, 'Internal error', { status: 500 });
          req.onAttemptFailed?.({ error, attempt: 1, attempts: 4, retryInMs: 4000 });
          await answered;
        }
        return real.chat(req);
      },
    };
    const { api, request } = setup({ judgeModel: failsOnce, concurrency: 1 });
    const updates: EvalJobUpdate[] = [];
    const running = api.startEval('job-1', request, null, (u) => void updates.push(structuredClone(u)));
    // The retry came right after the first judgement started, just after the last answer's step (within one
    // throttle interval): neither is lost, and the step named is the judgement that waits.
    await expect.poll(() => updates.at(-1)?.retry).toBeTruthy();
    const waiting = updates.at(-1)!;
    expect(waiting.retry).toMatchObject({
      type: 'call-retry',
      role: 'judge',
      attempt: 1,
      attempts: 4,
      retryInMs: 4000,
    });
    expect(waiting.retry!.error).toMatchObject({ name: ErrorName.ServerError, status: 500 });
    expect(waiting.progress).toMatchObject({ phase: 'judge', done: 8, total: 16 });
    release();
    await running;
    // The call went through: the page hears the wait is over, and no later update brings it back.
    const after = updates.slice(updates.indexOf(waiting) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((u) => u.retry === null)).toBe(true);
    expect(after.at(-1)!.progress).toMatchObject({ phase: 'judge', done: 16, total: 16 });
  });

  it('writes no checkpoint for an evaluation without a stored record (no evalId, or an empty one)', async () => {
    const { api, request, saved } = setup();
    const { evalId: _, ...unstored } = request;
    await expect(api.startEval('job-1', unstored, null)).resolves.toMatchObject({ report: { complete: true } });
    await expect(api.startEval('job-2', { ...request, evalId: '' }, null)).resolves.toMatchObject({
      report: { complete: true },
    });
    expect(saved).toEqual([]);
  });

  it('refuses a request without candidates or queries, or with a bad model binding, by name; the worker stays usable', async () => {
    const { api, request, saved, p, j } = setup();
    const bad: [EvalJobRequest, RegExp][] = [
      [{ ...request, candidates: undefined as never }, /no candidates or no queries/],
      [{ ...request, queries: undefined as never }, /no candidates or no queries/],
      [null as never, /no candidates or no queries/],
      [{ ...request, policy: { ...request.policy, modelId: '' } }, /No model was chosen for this role/],
      [{ ...request, judge: { engine: 'other', modelId: 'x' } as never }, /Unknown engine "other"/],
      [{ ...request, judge: { ...binding('judge-1'), endpointId: 'gone' } }, /"gone" is not configured/],
    ];
    for (const [req, message] of bad) {
      const err = await rejection(api.startEval('job-1', req, null));
      expect(err).toMatchObject({ name: ErrorName.InvalidInput, message: expect.stringMatching(message) });
    }
    // Nothing was asked of the models or written, and the same job id runs a good request.
    expect(p.requests.length + j.requests.length).toBe(0);
    expect(saved).toEqual([]);
    await expect(api.startEval('job-1', request, null)).resolves.toMatchObject({ report: { complete: true } });
    expect(saved.at(-1)!.evalId).toBe('eval-1');
  });

  it('resumes from a stored checkpoint without repeating its calls', async () => {
    const first = setup();
    const whole = await first.api.startEval('job-1', first.request, null);
    const half = first.saved.find((s) => s.cp.stats.calls >= 8)!.cp;
    const again = setup();
    const result = await again.api.startEval('job-2', again.request, half);
    expect(again.p.requests.length + again.j.requests.length).toBe(16 - half.stats.calls);
    // The checkpoint's calls are replayed, not counted again as calls from the cache.
    expect(result.stats).toMatchObject({ calls: whole.stats.calls, cachedCalls: whole.stats.cachedCalls });
    expect(result.report.complete).toBe(true);
    // The endpoint answered this evaluation before: an outage at once (a server still restarting) is waited out.
    const down = new AppError(ErrorName.Network, 'down');
    const verdict = again.outages[0]!.failed(down, { probe: false, answersBefore: undefined, delayFor: () => 1 });
    expect(verdict).not.toBeNull();
    expect(first.outages[0]).not.toBe(again.outages[0]);
  });

  it('Stop ends the job with what was judged; a failure arrives by name', async () => {
    let judging = false;
    const real = judge().model;
    const waits: ChatModel = {
      ...real,
      // The first judgement waits until the job is stopped.
      chat: (req) => {
        if (judging) return real.chat(req);
        judging = true;
        return new Promise((_, reject) =>
          req.signal?.addEventListener('abort', () => reject(new AppError(ErrorName.Abort, 'cancelled'))),
        );
      },
    };
    const { api, request } = setup({ judgeModel: waits, concurrency: 1 });
    const running = api.startEval('job-1', request, null);
    await expect.poll(() => judging).toBe(true);
    await api.cancel('job-1');
    const stopped = await running;
    expect(stopped.report.complete).toBe(false);
    expect(stopped.stats.perRole.policy.calls).toBe(8);
    // The job id is free again on the same worker (judging now passes calls through).
    await expect(api.startEval('job-1', request, null)).resolves.toMatchObject({
      report: { complete: true },
    });

    const down: ChatModel = {
      ...judge().model,
      chat: async () => {
        throw new AppError(ErrorName.Network, 'The endpoint cannot be reached.');
      },
    };
    const broken = setup({ judgeModel: down });
    await expect(broken.api.startEval('job-9', broken.request, null)).rejects.toMatchObject({
      name: ErrorName.Network,
    });
  });
});
