/**
 * createWorkerApi in the page with a fake MLCEngine-like object and a fake engine run: model loading
 * (progress throttling, ETA, GPU checks, the cross-tab lock), WebLLM chats and cancellation, and runs
 * (event batching, the sink, pause vs cancel).
 */
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, InitProgressReport } from '@mlc-ai/web-llm';
import type { ModelRecord } from '@mlc-ai/web-llm';
import type { RunCheckpoint, RunDeps, RunOptions, RunResult } from '../../../src/core/contracts/run-api';
import type { RoleBinding, RunConfig } from '../../../src/core/contracts/run-config';
import type { RunEvent, RunStats } from '../../../src/core/contracts/run-events';
import type { ChatStreamBatch, GpuProbe, LoadProgress, WorkerApi } from '../../../src/protocol/worker-api';
import type { ChatModel, ChatRequest, ChatResult } from '../../../src/core/contracts/chat-model';
import { ModelLock } from '../../../src/worker/model-lock';
import type { RunSink } from '../../../src/protocol/run-sink';
import { createWorkerApi } from '../../../src/worker/worker-api-impl';
import type { WorkerDeps } from '../../../src/worker/worker-api-impl';
import type { MlcEngineLike } from '../../../src/worker/webllm-host';
import { rejection } from '../../support/errors';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import type { RetryFacts } from '../../../src/core/calls/fault-summary';

const F32 = 'Tiny-Instruct-q4f32_1-MLC';
const F16 = 'Tiny-Instruct-q4f16_1-MLC';
const rec = (id: string): ModelRecord => ({
  model: `https://example.invalid/${id}`,
  model_id: id,
  model_lib: 'https://example.invalid/lib.wasm',
  vram_required_MB: 500,
  low_resource_required: true,
  overrides: { context_window_size: 2048 },
});
const gpu: GpuProbe = {
  available: true,
  shaderF16: false,
  adapter: { vendor: 'x', architecture: '', description: '', isFallbackAdapter: true },
};
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const usage0 = { prompt_tokens: 1, completion_tokens: 1 };

class FakeMlc {
  reloads: string[] = [];
  interrupts = 0;
  unloads = 0;
  private interrupted = false;
  constructor(
    private readonly report: (r: InitProgressReport) => void,
    private readonly failReload: unknown = null,
  ) {}

  async reload(id: string): Promise<void> {
    this.reloads.push(id);
    // 40 progress reports over ~200 ms.
    for (let i = 1; i <= 40; i++) {
      await wait(5);
      this.report({ progress: i / 40, timeElapsed: i * 0.005 + 1, text: `Fetching ${i}/40` });
      if (i === 10 && this.failReload) throw this.failReload;
    }
  }
  async unload(): Promise<void> {
    this.unloads += 1;
  }
  async interruptGenerate(): Promise<void> {
    this.interrupts += 1;
    this.interrupted = true;
  }
  chat = {
    completions: {
      create: async (req: { stream?: boolean }) => {
        this.interrupted = false;
        if (!req.stream)
          return { choices: [{ index: 0, message: { content: 'ok' }, finish_reason: 'stop' }], usage: undefined };
        return this.stream();
      },
    },
  };
  completions = { create: async () => ({ choices: [] }) };
  embeddings = { create: async () => ({ data: [] }) };

  private async *stream(): AsyncIterable<ChatCompletionChunk> {
    for (let i = 0; i < 30; i++) {
      await wait(10);
      if (this.interrupted) {
        yield { choices: [{ index: 0, delta: {}, finish_reason: 'abort' }] } as unknown as ChatCompletionChunk;
        return;
      }
      yield {
        choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }],
      } as unknown as ChatCompletionChunk;
    }
  }
}

function setup(over: Partial<WorkerDeps> & { probe?: GpuProbe; failReload?: unknown } = {}) {
  const engines: FakeMlc[] = [];
  const deleted: [string, string | undefined][] = [];
  const lockName = `drpo-test-lock-${Math.random()}`;
  const deps: WorkerDeps = {
    probeGpu: async () => over.probe ?? gpu,
    webllm: {
      modelList: [rec(F32), rec(F16), { ...rec('embed-b4'), model_type: 1 }],
      createEngine: (cfg) => {
        const e = new FakeMlc(cfg.initProgressCallback, over.failReload);
        engines.push(e);
        return e as unknown as MlcEngineLike;
      },
      hasModelInCache: async (id) => id === F32,
      deleteModelAllInfoInCache: async (id, cfg) => {
        deleted.push([id, cfg.cacheBackend]);
      },
    },
    endpoints: {
      listModels: async () => ['m'],
      createModel: () => {
        throw new Error('not used');
      },
    },
    lock: new ModelLock(navigator.locks, lockName),
    ...over,
  };
  const api: WorkerApi = createWorkerApi(deps);
  return { api, engines, deleted, lockName };
}

describe('worker api: models', () => {
  it('lists chat models with cache state', async () => {
    const { api } = setup();
    const models = await api.listModels('cache');
    expect(models.map((m) => [m.id, m.cached, Boolean(m.disabledReason)])).toEqual([
      [F32, true, false],
      [F16, false, true],
    ]);
  });

  it('loads with throttled progress and an ETA, and reports the loaded model', async () => {
    const { api, engines } = setup();
    const progress: LoadProgress[] = [];
    const started = performance.now();
    const loaded = await api.loadModel(F32, 'indexeddb', (p) => progress.push(p));
    const elapsed = performance.now() - started;
    expect(loaded).toEqual({ engine: 'webllm', modelId: F32, contextWindow: 2048 });
    expect(engines).toHaveLength(1);
    // 40 reports over ~200+ ms → at most one callback per 100 ms (≤ 10/s), the first and the final one: counted
    // against the time the load took, so a slow machine (a longer load) is not failed for its slowness.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(progress.length).toBeLessThan(40);
    expect(progress.at(-1)).toMatchObject({ progress: 1, etaS: 0 });
    const mid = progress.find((p) => p.progress > 0.1 && p.progress < 1);
    if (mid) expect(mid.etaS).toBeGreaterThan(0);
    expect(await api.loadedModels()).toEqual([loaded]);
    await api.unloadModel();
    expect(await api.loadedModels()).toEqual([]);
  });

  it('fails fast without WebGPU and on f16 models without shader-f16', async () => {
    const none = setup({ probe: { available: false, shaderF16: false, reason: 'No WebGPU in this browser.' } });
    const e1 = await rejection(none.api.loadModel(F32, 'cache'));
    expect(e1).toMatchObject({ name: 'WebGPUUnavailableError', message: 'No WebGPU in this browser.' });
    expect(none.engines).toHaveLength(0);
    const { api, engines } = setup();
    expect((await rejection(api.loadModel(F16, 'cache'))).name).toBe('ShaderF16MissingError');
    expect(engines).toHaveLength(0);
  });

  it('maps a failing download and releases the lock', async () => {
    const { api, lockName } = setup({ failReload: new TypeError('Failed to fetch') });
    const err = await rejection(api.loadModel(F32, 'cache'));
    expect(err.name).toBe('ModelDownloadError');
    expect(err.message).toMatch(/offline/);
    const free = await navigator.locks.request(lockName, { ifAvailable: true }, (l) => l !== null);
    expect(free).toBe(true);
  });

  it('refuses to load while another tab holds the model lock, and frees it on unload', async () => {
    const { api, lockName } = setup();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const got = new Promise<void>((ready) => void navigator.locks.request(lockName, () => (ready(), held)));
    await got;
    const err = await rejection(api.loadModel(F32, 'cache'));
    expect(err.name).toBe('ModelLockedError');
    expect(err.message).toMatch(/another tab/);
    release();
    // The other tab's lock goes once the browser has handled its release (no set time: a busy machine is slow).
    await expect
      .poll(async () => ((await navigator.locks.query()).held ?? []).some((l) => l.name === lockName))
      .toBe(false);
    await api.loadModel(F32, 'cache');
    expect(await navigator.locks.request(lockName, { ifAvailable: true }, (l) => l !== null)).toBe(false);
    await api.unloadModel();
    expect(await navigator.locks.request(lockName, { ifAvailable: true }, (l) => l !== null)).toBe(true);
  });

  it('deletes cached models through the chosen backend and rejects unknown ids', async () => {
    const { api, deleted } = setup();
    await api.deleteCachedModel(F32, 'opfs');
    expect(deleted).toEqual([[F32, 'opfs']]);
    expect((await rejection(api.deleteCachedModel('nope', 'cache'))).name).toBe('InvalidInputError');
  });
});

describe('worker api: WebLLM chat', () => {
  const binding: RoleBinding = { engine: 'webllm', modelId: F32 };
  const req = { messages: [{ role: 'user' as const, content: 'hi' }] };

  it('streams through the loaded model and cancels with interruptGenerate', async () => {
    const { api, engines } = setup();
    await api.loadModel(F32, 'cache');
    const full: string[] = [];
    const res = await api.chat('j1', binding, req, (b) => full.push(b.text));
    expect(full.join('')).toBe(res.choices[0]?.text);
    expect(res.choices[0]?.text.startsWith('w0 w1 ')).toBe(true);

    const p = api.chat('j2', binding, req, () => undefined);
    await wait(50);
    await api.cancel('j2');
    expect((await rejection(p)).name).toBe('AbortError');
    expect(engines[0]!.interrupts).toBeGreaterThanOrEqual(1);
    // Usable afterwards.
    await expect(api.chat('j3', binding, req)).resolves.toMatchObject({ model: F32 });
  });

  it('cancelling one job does not interrupt another job generating on the same model', async () => {
    const { api } = setup();
    await api.loadModel(F32, 'cache');
    const running = api.chat('a', binding, req, () => undefined);
    const queued = api.chat('b', binding, req, () => undefined);
    await wait(30);
    await api.cancel('b');
    expect((await rejection(queued)).name).toBe('AbortError');
    const res = await running;
    expect(res.choices[0]?.finish_reason).toBe('other');
    expect(res.choices[0]?.text.split(' ').filter(Boolean)).toHaveLength(30);
  });

  it('unloading stops a chat in progress (AbortError) and later chats need a model again', async () => {
    const { api, engines } = setup();
    await api.loadModel(F32, 'cache');
    const p = api.chat('u1', binding, req, () => undefined);
    await wait(40);
    await api.unloadModel();
    expect((await rejection(p)).name).toBe('AbortError');
    expect(engines[0]!.unloads).toBe(1);
    expect((await rejection(api.chat('u2', binding, req))).name).toBe('ModelNotLoadedError');
  });

  it('rejects a duplicate job id and a request without messages', async () => {
    const { api } = setup();
    await api.loadModel(F32, 'cache');
    const p = api.chat('dup', binding, req, () => undefined);
    expect((await rejection(api.chat('dup', binding, req))).name).toBe('InvalidInputError');
    await p;
    expect((await rejection(api.chat('x', binding, { messages: [] }))).name).toBe('InvalidInputError');
  });
});

describe('worker api: endpoint chat', () => {
  it('passes thinking beside the text on as a flag of its batches, never its words', async () => {
    // What the OpenAI-compatible adapter does when a server streams `reasoning_content`.
    const thinker = {
      id: 'r1',
      engine: 'openai',
      async chat(r: ChatRequest): Promise<ChatResult> {
        for (let i = 0; i < 30; i++) r.onThinking?.();
        await wait(120);
        r.onToken?.('Hi.');
        return { model: 'r1', choices: [{ text: 'Hi.', finish_reason: 'stop' }], usage: usage0 };
      },
    } as ChatModel;
    const { api } = setup({ endpoints: { listModels: async () => ['r1'], createModel: () => thinker } });
    await api.setEndpoint({ id: 'e', baseUrl: 'http://127.0.0.1:8080' });
    const batches: ChatStreamBatch[] = [];
    const req = { messages: [{ role: 'user' as const, content: 'hi' }] };
    await api.chat('t1', { engine: 'openai', endpointId: 'e', modelId: 'r1' }, req, (b) => batches.push(b));
    const firstText = batches.findIndex((b) => b.text);
    expect(batches.findIndex((b) => b.thinking)).toBeGreaterThanOrEqual(0);
    expect(batches.findIndex((b) => b.thinking)).toBeLessThan(firstText);
    expect(batches.map((b) => b.text).join('')).toBe('Hi.');
    expect(batches.length).toBeLessThan(6);
  });
});

describe('worker api: a chat that waits for a retry', () => {
  it('tells the page of each attempt it retries, as plain data, and not of the failure it throws', async () => {
    const failure = new AppError(ErrorName.ServerError, 'HTTP 500', { status: 500 });
    const outage = { since: 1, downForMs: 2000, graceMs: 60_000, retry: 2 };
    // What the OpenAI-compatible adapter does while an endpoint that answered before is out.
    const flaky = {
      id: 'm',
      engine: 'openai',
      async chat(r: ChatRequest): Promise<ChatResult> {
        r.onAttemptFailed?.({ error: failure, attempt: 1, attempts: 3, retryInMs: 4000, outage });
        r.onAttemptFailed?.({ error: failure, attempt: 2, attempts: 3, retryInMs: null, outage });
        throw failure;
      },
    } as ChatModel;
    const { api } = setup({ endpoints: { listModels: async () => ['m'], createModel: () => flaky } });
    await api.setEndpoint({ id: 'e', baseUrl: 'http://127.0.0.1:8080' });
    const retries: RetryFacts[] = [];
    const req = { messages: [{ role: 'user' as const, content: 'hi' }] };
    const err = await rejection(
      api.chat('t1', { engine: 'openai', endpointId: 'e', modelId: 'm' }, req, undefined, (r) => retries.push(r)),
    );
    expect(err).toMatchObject({ name: ErrorName.ServerError });
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, attempts: 3, retryInMs: 4000, outage });
    expect(retries[0]!.error).toMatchObject({ name: ErrorName.ServerError, status: 500 });
    expect(retries[0]!.error).not.toBeInstanceOf(Error);
  });
});

describe('worker api: runs', () => {
  const stats: RunStats = {
    calls: 0,
    promptTokens: 0,
    generatedTokens: 0,
    perRole: {
      policy: { calls: 0, promptTokens: 0, generatedTokens: 0 },
      aspect: { calls: 0, promptTokens: 0, generatedTokens: 0 },
      judge: { calls: 0, promptTokens: 0, generatedTokens: 0 },
      optimizer: { calls: 0, promptTokens: 0, generatedTokens: 0 },
    },
    elapsedMs: 0,
    parseFailures: 0,
    cachedCalls: 0,
  };
  const binding: RoleBinding = { engine: 'webllm', modelId: F32 };
  const config = { roles: { policy: binding, aspect: binding, judge: binding, optimizer: binding } } as RunConfig;

  /** Emits 60 stage events over ~300 ms with a checkpoint every 10, honouring the signal like the engine. */
  async function fakeRun(_c: RunConfig, deps: RunDeps, o: RunOptions): Promise<RunResult> {
    expect(deps.models.policy.id).toBe(F32);
    for (let i = 0; i < 60; i++) {
      if (o.signal?.aborted) break;
      await o.onEvent?.({ runId: o.runId, at: i, type: 'stage-changed', stage: 'search' });
      if (i % 10 === 9) {
        await o.onCheckpoint?.({ runId: o.runId, calls: {}, nodes: [], savedAt: i } as unknown as RunCheckpoint);
      }
      await wait(5);
    }
    const status = o.signal?.aborted ? 'cancelled' : 'completed';
    await o.onEvent?.({ runId: o.runId, at: 99, type: 'run-finished', status, best: null, stats, artifact: null });
    return { status, best: null, artifact: null, stats, nodes: [] };
  }

  function recordingSink() {
    const bursts: RunEvent[][] = [];
    const checkpoints: unknown[] = [];
    const sink: RunSink = {
      onEvents: async (_id, events) => void bursts.push(events),
      onCheckpoint: async (_id, cp) => void checkpoints.push(cp),
    };
    return { sink, bursts, checkpoints };
  }

  it('batches events to the page, persists them before each checkpoint, and completes', async () => {
    const rec = recordingSink();
    const { api } = setup({ runDrpo: fakeRun, sink: async () => rec.sink });
    await api.loadModel(F32, 'cache');
    const batches: RunEvent[][] = [];
    const started = performance.now();
    const result = await api.startRun('run-1', config, null, (events) => batches.push(events));
    const elapsed = performance.now() - started;
    expect(result.status).toBe('completed');
    expect(batches.flat()).toHaveLength(61);
    // At most one batch per 100 ms, the first and the last, over the time the run took (61 events, ~5 ms apart).
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(batches.length).toBeLessThan(61);
    expect(rec.bursts.flat()).toHaveLength(61);
    expect(rec.checkpoints).toHaveLength(6);
    expect(rec.bursts.flat().every((e) => e.runId === 'run-1')).toBe(true);
  });

  it('pause ends as paused (run-finished relabelled), cancel as cancelled', async () => {
    for (const mode of ['pause', 'cancel'] as const) {
      const rec = recordingSink();
      const { api, engines } = setup({ runDrpo: fakeRun, sink: rec.sink });
      await api.loadModel(F32, 'cache');
      const events: RunEvent[] = [];
      const p = api.startRun(`run-${mode}`, config, null, (b) => events.push(...b));
      await wait(60);
      await api.cancel(`run-${mode}`, mode);
      const result = await p;
      const want = mode === 'pause' ? 'paused' : 'cancelled';
      expect(result.status).toBe(want);
      const finished = events.find((e) => e.type === 'run-finished');
      expect(finished && finished.type === 'run-finished' ? finished.status : null).toBe(want);
      expect(rec.bursts.flat().at(-1)).toMatchObject({ type: 'run-finished', status: want });
      // Nothing was generating, so nothing was interrupted (interrupts are per running request).
      expect(engines[0]!.interrupts).toBe(0);
    }
  });

  it('a cancel sent right after starting is not lost', async () => {
    const { api } = setup({ runDrpo: fakeRun });
    await api.loadModel(F32, 'cache');
    const p = api.startRun('early', config, null);
    await api.cancel('early', 'cancel');
    expect((await p).status).toBe('cancelled');
  });

  it('storage that cannot open fails the run by name, and is retried next time', async () => {
    let attempts = 0;
    const rec = recordingSink();
    const { api } = setup({
      runDrpo: fakeRun,
      sink: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('IDB blocked');
        return rec.sink;
      },
    });
    await api.loadModel(F32, 'cache');
    const err = await rejection(api.startRun('s1', config, null));
    expect(err.name).toBe('StorageUnavailableError');
    expect((await api.startRun('s2', config, null)).status).toBe('completed');
    expect(attempts).toBe(2);
    expect(rec.bursts.flat().length).toBeGreaterThan(0);
  });

  it('refuses a run whose model is not loaded, and reports engine failures by name', async () => {
    const { api } = setup({
      runDrpo: async () => {
        throw new TypeError('x is undefined');
      },
    });
    expect((await rejection(api.startRun('r', config, null))).name).toBe('ModelNotLoadedError');
    await api.loadModel(F32, 'cache');
    const err = await rejection(api.startRun('r', config, null));
    expect(err.name).toBe('UnknownError');
    expect(err.message).toMatch(/x is undefined/);
    expect((await rejection(api.startRun('r', {} as RunConfig, null))).name).toBe('InvalidInputError');
  });
});
