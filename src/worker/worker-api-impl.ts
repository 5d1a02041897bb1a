/**
 * WorkerApi implementation. Pure wiring over injected dependencies so browser tests can build it
 * in-page with a fake engine; drpo.worker.ts supplies the real web-llm runtime and exposes it.
 */
import type { ChatModel, ChatResult } from '../core/contracts/chat-model';
import { AppError, ErrorName, isAbort, serializeError } from '../core/contracts/errors';
import type { RunCheckpoint, RunDeps, RunOptions, RunResult } from '../core/contracts/run-api';
import { ROLES } from '../core/contracts/run-config';
import { rolesAnswered, type GatewayEvent } from '../core/calls/call-gateway';
import { runWidth } from '../core/calls/endpoint-limits';
import type { RetryFacts } from '../core/calls/fault-summary';
import type { EvalJobDeps, EvalJobOptions, EvalJobResult, EvalJobSpec } from '../core/eval/eval-job';
import type { Role, RoleBinding, RunConfig } from '../core/contracts/run-config';
import type { RunEvent } from '../core/contracts/run-events';
import type {
  CacheBackend,
  CancelMode,
  ChatStreamBatch,
  EndpointConfig,
  EvalJobUpdate,
  GpuProbe,
  LoadedModel,
  LoadProgress,
  ModelInfo,
  PlainChatRequest,
  WorkerApi,
} from '../protocol/worker-api';
import { EndpointRegistry } from './endpoint-registry';
import type { EndpointRuntime } from './endpoint-registry';
import { noopRunSink } from '../protocol/run-sink';
import type { RunSink } from '../protocol/run-sink';
import { createRunPipe } from './run-pipe';
import type { RunPipe } from './run-pipe';
import { safeCall } from './safe-call';
import { batcher, throttle } from './throttle';
import { WebLlmHost } from './webllm-host';
import type { WebLlmRuntime } from './webllm-host';
import type { ModelLock } from './model-lock';

export type RunDrpoFn = (config: RunConfig, deps: RunDeps, options: RunOptions) => Promise<RunResult>;
export type RunEvalJobFn = (spec: EvalJobSpec, deps: EvalJobDeps, options: EvalJobOptions) => Promise<EvalJobResult>;

export interface WorkerDeps {
  /** The web-llm package functions; a factory (dynamic import) keeps it out of the worker's startup. */
  webllm: WebLlmRuntime | (() => Promise<WebLlmRuntime>);
  endpoints: EndpointRuntime;
  probeGpu: () => Promise<GpuProbe>;
  /** Defaults to a dynamic import of src/core/drpo/run.ts. */
  runDrpo?: RunDrpoFn;
  /** Defaults to a dynamic import of src/core/eval/eval-job.ts. */
  runEvalJob?: RunEvalJobFn;
  /** Persistence; a factory lets the worker open IndexedDB lazily. Default: keep nothing. */
  sink?: RunSink | (() => Promise<RunSink>);
  lock?: ModelLock;
  now?: () => number;
  /** Minimum gap between callbacks to the page (default 100 ms → ≤ 10/s). */
  throttleMs?: number;
}

interface Job {
  controller: AbortController;
  mode: CancelMode;
  usesWebLlm: boolean;
}

/** Makes sure whatever we throw across the boundary carries a stable name. */
function named(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const s = serializeError(err);
  const name = s.name === 'Error' || s.name === 'TypeError' ? ErrorName.Unknown : s.name;
  return new AppError(name, s.message || 'Something went wrong in the worker.', { detail: s.detail, cause: err });
}

/**
 * The checkpoint holding more finished work (a refused one is newer than what storage still has). Not older and
 * holding at least as many calls: a refused checkpoint made in the millisecond of the stored one (a fast machine)
 * is still the one to resume from.
 */
function newerCheckpoint(a: RunCheckpoint | null, b: RunCheckpoint | undefined): RunCheckpoint | null {
  if (!b) return a;
  if (!a) return b;
  return b.savedAt >= a.savedAt && Object.keys(b.calls).length >= Object.keys(a.calls).length ? b : a;
}

export function createWorkerApi(deps: WorkerDeps): WorkerApi {
  const interval = deps.throttleMs ?? 100;
  const now = deps.now ?? Date.now;
  const host = new WebLlmHost({
    runtime: deps.webllm,
    probeGpu: deps.probeGpu,
    lock: deps.lock,
    now,
    progressIntervalMs: interval,
  });
  const endpoints = new EndpointRegistry(deps.endpoints);
  const jobs = new Map<string, Job>();
  /** Checkpoints storage refused (full): a resume in this session starts from them, not from older stored ones. */
  const unsaved = new Map<string, RunCheckpoint>();
  let sink: Promise<RunSink> | null = null;
  const getSink = (): Promise<RunSink> => {
    if (!sink) {
      const s = deps.sink ?? noopRunSink;
      sink = (typeof s === 'function' ? s() : Promise.resolve(s)).catch((err: unknown) => {
        // Not cached: the next run tries to open storage again.
        sink = null;
        throw new AppError(
          ErrorName.StorageUnavailable,
          'The run cannot be saved because browser storage could not be opened. Check that this site may store data, then try again.',
          { detail: serializeError(err).message },
        );
      });
    }
    return sink;
  };

  const resolveModel = (binding: RoleBinding): ChatModel => {
    if (!binding || typeof binding.modelId !== 'string' || !binding.modelId) {
      throw new AppError(ErrorName.InvalidInput, 'No model was chosen for this role.');
    }
    if (binding.engine === 'webllm') return host.chatModel(binding.modelId);
    if (binding.engine === 'openai') return endpoints.model(binding.endpointId, binding.modelId);
    throw new AppError(ErrorName.InvalidInput, `Unknown engine "${String(binding.engine)}".`);
  };

  /**
   * A resumed job's endpoints that answered it before (its checkpoint holds their replies) are taken as having
   * answered in this session too: an outage they are in (a server still restarting) is waited out, not failed fast.
   */
  const answeredBefore = (cache: Record<string, unknown> | undefined, roles: Partial<Record<Role, RoleBinding>>) => {
    for (const r of cache ? rolesAnswered(cache, roles) : []) {
      if (roles[r]!.engine === 'openai') endpoints.answeredBefore(roles[r]!.endpointId);
    }
  };

  /**
   * Jobs in flight for a job on these models (runWidth): the slots of its distinct endpoints together, the
   * in-browser model counting one (it answers one request at a time). Only in-browser: 1.
   */
  const concurrencyFor = (bindings: RoleBinding[], models: ChatModel[]): number =>
    runWidth(
      bindings.map((b, i) =>
        models[i].engine === 'webllm'
          ? { id: 'webllm', slots: 1 }
          : { id: `endpoint:${b.endpointId}`, slots: endpoints.concurrency(b.endpointId) },
      ),
    );

  const startJob = (jobId: string, usesWebLlm: boolean): Job => {
    if (typeof jobId !== 'string' || !jobId) throw new AppError(ErrorName.InvalidInput, 'A job id is required.');
    if (jobs.has(jobId)) throw new AppError(ErrorName.InvalidInput, `Job "${jobId}" is already running.`);
    const job: Job = { controller: new AbortController(), mode: 'cancel', usesWebLlm };
    jobs.set(jobId, job);
    return job;
  };

  /** Cancels every job that uses the in-browser model (before it is unloaded or replaced). */
  const stopWebLlmJobs = (): void => {
    let any = false;
    for (const job of jobs.values()) {
      if (!job.usesWebLlm) continue;
      job.controller.abort();
      any = true;
    }
    if (any) host.interrupt();
  };

  const api: WorkerApi = {
    probeGpu: () => host.gpu(true),

    listModels: (cacheBackend: CacheBackend): Promise<ModelInfo[]> => host.listModels(cacheBackend),

    loadModel: (modelId: string, cacheBackend: CacheBackend, onProgress?: (p: LoadProgress) => void) => {
      // Swapping models ends whatever the old one was doing (web-llm unloads it first anyway).
      if (host.loaded().some((m) => m.modelId !== modelId)) stopWebLlmJobs();
      return host.load(modelId, cacheBackend, (p) => void safeCall(onProgress, p));
    },

    unloadModel: () => {
      stopWebLlmJobs();
      return host.unload();
    },

    loadedModels: async (): Promise<LoadedModel[]> => host.loaded(),

    deleteCachedModel: (modelId: string, cacheBackend: CacheBackend) => host.deleteCached(modelId, cacheBackend),

    setEndpoint: async (config: EndpointConfig) => endpoints.set(config),

    testEndpoint: (config: EndpointConfig) => endpoints.test(config),

    listEndpointModels: (endpointId: string) => endpoints.listModels(endpointId),

    async chat(
      jobId: string,
      binding: RoleBinding,
      req: PlainChatRequest,
      onStream?: (batch: ChatStreamBatch) => void,
      onRetry?: (retry: RetryFacts) => void,
    ): Promise<ChatResult> {
      if (!req || !Array.isArray(req.messages) || req.messages.length === 0) {
        throw new AppError(ErrorName.InvalidInput, 'The chat request has no messages.');
      }
      const model = resolveModel(binding);
      const job = startJob(jobId, model.engine === 'webllm');
      let lastDelivery: Promise<void> = Promise.resolve();
      // Thinking beside the text is batched as a flag with the text (an empty part), never as its words.
      let thought = false;
      const tokens = batcher<string>(
        (parts) => {
          const batch: ChatStreamBatch = { jobId, text: parts.join(''), done: false };
          if (thought) batch.thinking = true;
          thought = false;
          lastDelivery = safeCall(onStream, batch);
        },
        interval,
        now,
      );
      try {
        const result = await model.chat({
          messages: req.messages,
          temperature: req.temperature,
          top_p: req.top_p,
          max_tokens: req.max_tokens,
          seed: req.seed,
          json: req.json,
          signal: job.controller.signal,
          onToken: onStream ? (delta) => tokens.add(delta) : undefined,
          onThinking: onStream
            ? () => {
                thought = true;
                tokens.add('');
              }
            : undefined,
          // Only what is retried: the last failure is the error thrown, said by the page as such.
          onAttemptFailed: onRetry
            ? (f) => {
                if (f.retryInMs === null) return;
                const { attempt, attempts, retryInMs, outage } = f;
                void safeCall(onRetry, {
                  error: serializeError(f.error),
                  attempt,
                  attempts,
                  retryInMs,
                  ...(outage ? { outage } : {}),
                });
              }
            : undefined,
        });
        tokens.flush();
        await lastDelivery;
        await safeCall(onStream, { jobId, text: '', done: true });
        return result;
      } catch (err) {
        tokens.cancel();
        if (job.controller.signal.aborted || isAbort(err)) {
          throw new AppError(ErrorName.Abort, 'The request was cancelled.');
        }
        const e = named(err);
        if (e.name === ErrorName.DeviceLost) host.forgetLostModel();
        throw e;
      } finally {
        jobs.delete(jobId);
      }
    },

    async startRun(
      jobId: string,
      config: RunConfig,
      checkpoint: RunCheckpoint | null,
      onEvents?: (events: RunEvent[]) => void,
    ): Promise<RunResult> {
      if (!config || typeof config !== 'object' || !config.roles) {
        throw new AppError(ErrorName.InvalidInput, 'The run configuration is missing or has no model roles.');
      }
      const models = {} as Record<Role, ChatModel>;
      for (const role of ROLES) {
        const binding = config.roles[role];
        if (!binding) throw new AppError(ErrorName.InvalidInput, `No model was chosen for the ${role} role.`);
        models[role] = resolveModel(binding);
      }
      const usesWebLlm = ROLES.some((r) => models[r].engine === 'webllm');
      // A local model answers one request at a time (web-llm serialises per model); endpoints serve
      // their parallel slots, each endpoint's gate holding back the rest. Results never depend on this number.
      const concurrency = concurrencyFor(
        ROLES.map((r) => config.roles[r]),
        ROLES.map((r) => models[r]),
      );
      // Registered before any await, so a cancel/pause sent right after starting is never lost.
      const job = startJob(jobId, usesWebLlm);
      // The run's id is the job id (callers pass the stored run's id), unless resuming a checkpoint.
      const runId = checkpoint?.runId ?? jobId;
      checkpoint = newerCheckpoint(checkpoint, unsaved.get(runId));
      answeredBefore(checkpoint?.calls, config.roles);
      let pipe: RunPipe | null = null;
      let deviceLost = false;
      try {
        const runDrpo = deps.runDrpo ?? (await import('../core/drpo/run')).runDrpo;
        pipe = createRunPipe({
          runId,
          sink: await getSink(),
          toPage: (events) => safeCall(onEvents, events),
          pausing: () => job.mode === 'pause',
          intervalMs: interval,
          now,
          onUnsaved: (cp) => (cp ? unsaved.set(runId, cp) : unsaved.delete(runId)),
        });
        const result = await runDrpo(
          config,
          { models, now, concurrency },
          {
            runId,
            signal: job.controller.signal,
            checkpoint: checkpoint ?? undefined,
            onEvent: (event) => {
              if (event.type === 'error' && event.error.name === ErrorName.DeviceLost) deviceLost = true;
              return pipe!.onEvent(event);
            },
            onCheckpoint: pipe.onCheckpoint,
          },
        );
        // The engine pauses on a lost device; the model must be loaded again before the run can resume.
        if (deviceLost) host.forgetLostModel();
        await pipe.close();
        return job.mode === 'pause' && result.status === 'cancelled' ? { ...result, status: 'paused' } : result;
      } catch (err) {
        await pipe?.close().catch(() => undefined);
        throw named(err);
      } finally {
        jobs.delete(jobId);
      }
    },

    // Typed by WorkerApi (one signature for the method).
    async startEval(jobId, request, checkpoint, onProgress) {
      if (!request || !Array.isArray(request.candidates) || !Array.isArray(request.queries)) {
        throw new AppError(ErrorName.InvalidInput, 'The evaluation has no candidates or no queries.');
      }
      const policy = resolveModel(request.policy);
      const judge = resolveModel(request.judge);
      const concurrency = concurrencyFor([request.policy, request.judge], [policy, judge]);
      // Registered before any await, so a Stop sent right after starting is never lost.
      const job = startJob(jobId, policy.engine === 'webllm' || judge.engine === 'webllm');
      answeredBefore(checkpoint?.calls, { policy: request.policy, judge: request.judge });
      let lastDelivery: Promise<void> = Promise.resolve();
      const progress = throttle<EvalJobUpdate>((p) => (lastDelivery = safeCall(onProgress, p)), interval, now);
      // One state, pushed whole on each change: the throttle keeps only the latest value, so a retry sent on
      // its own would be lost to the next step's progress.
      let state: EvalJobUpdate = { progress: null, stats: null, retry: null };
      const tell = (change: Partial<EvalJobUpdate>) => progress.push((state = { ...state, ...change }));
      // A retry is waited for until any call finished after it (the endpoint answers again), as in a run.
      const onCall = (e: GatewayEvent) => {
        if (e.type === 'call-retry') tell({ retry: e });
        else if (e.type === 'usage' && state.retry) tell({ retry: null });
      };
      try {
        const runEvalJob = deps.runEvalJob ?? (await import('../core/eval/eval-job')).runEvalJob;
        // Checkpoints are what a reload resumes from; storage failing must not stop the evaluation itself.
        // Without a record to keep them in, there is nothing to write (and no store to open).
        const { evalId } = request;
        const sink = evalId ? await getSink().catch(() => noopRunSink) : null;
        const { candidates, queries, maxTokens, judgeMaxTokens, pairwise, seed, iclK } = request;
        const result = await runEvalJob(
          { candidates, queries, maxTokens, judgeMaxTokens, pairwise, seed, iclK },
          { policy, judge, concurrency, now },
          {
            signal: job.controller.signal,
            checkpoint: checkpoint ?? undefined,
            onProgress: tell,
            onCall,
            onCheckpoint:
              sink && evalId ? (cp) => sink.onEvalCheckpoint?.(evalId, cp).catch(() => undefined) : undefined,
          },
        );
        progress.flush();
        await lastDelivery;
        return result;
      } catch (err) {
        progress.cancel();
        const e = named(err);
        if (e.name === ErrorName.DeviceLost) host.forgetLostModel();
        throw e;
      } finally {
        jobs.delete(jobId);
      }
    },

    async cancel(jobId: string, mode: CancelMode = 'cancel'): Promise<void> {
      const job = jobs.get(jobId);
      if (!job) return;
      job.mode = mode === 'pause' ? 'pause' : 'cancel';
      // The WebLLM adapter answers the abort with engine.interruptGenerate() for this job's running
      // request only. Interrupting here would be engine-wide and could kill another job's generation.
      job.controller.abort();
    },
  };
  return api;
}
