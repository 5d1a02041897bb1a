/**
 * The page's only door to the worker: the single `Comlink.wrap<WorkerApi>()`.
 * Methods mirror WorkerApi but take plain callbacks (wrapped with Comlink.proxy here) and
 * return the same promises. Errors arrive as AppError with their `name` preserved.
 * The worker is created lazily on first use, so the 6.8 MB web-llm bundle loads only when needed.
 */
import * as Comlink from 'comlink';
import type { ChatResult } from '../core/contracts/chat-model';
import type { RunCheckpoint, RunResult } from '../core/contracts/run-api';
import type { RoleBinding, RunConfig } from '../core/contracts/run-config';
import type { RunEvent } from '../core/contracts/run-events';
import type { EvalCheckpoint, EvalJobResult } from '../core/eval/eval-job';
import type { RetryFacts } from '../core/calls/fault-summary';
import { AppError, ErrorName, serializeError } from '../core/contracts/errors';
import { installComlinkErrorTransfer } from '../protocol/error-transfer';
// What crosses the boundary, by name (P.CacheBackend, …): the client mirrors WorkerApi method by method.
import type * as P from '../protocol/worker-api';

/** Anything Comlink can talk to; a real Worker in the app, a MessagePort in tests. */
export interface WorkerConnection {
  endpoint: Comlink.Endpoint;
  /** Ends the connection (worker.terminate() for a real worker). */
  close(): void;
  /** Registers a listener for a worker that failed to start or crashed (calls would never settle). */
  onFatal?(listener: (message: string) => void): void;
}

export type ConnectionFactory = () => WorkerConnection;

export class WorkerClient {
  private connection: WorkerConnection | null = null;
  private remote: Comlink.Remote<P.WorkerApi> | null = null;
  private jobCounter = 0;
  /** Rejecters of calls in flight, so a dead worker fails them instead of leaving them hanging. */
  private readonly inFlight = new Set<(err: AppError) => void>();
  /** Endpoint ids registered with the current worker. */
  private readonly endpoints = new Set<string>();

  constructor(private readonly connect: ConnectionFactory) {
    installComlinkErrorTransfer();
  }

  probeGpu(): Promise<P.GpuProbe> {
    return this.call((api) => api.probeGpu());
  }

  listModels(cacheBackend: P.CacheBackend): Promise<P.ModelInfo[]> {
    return this.call((api) => api.listModels(cacheBackend));
  }

  loadModel(
    modelId: string,
    cacheBackend: P.CacheBackend,
    onProgress?: (p: P.LoadProgress) => void,
  ): Promise<P.LoadedModel> {
    return this.call((api) => api.loadModel(modelId, cacheBackend, maybeProxy(onProgress)));
  }

  unloadModel(): Promise<void> {
    return this.call((api) => api.unloadModel());
  }

  loadedModels(): Promise<P.LoadedModel[]> {
    return this.call((api) => api.loadedModels());
  }

  deleteCachedModel(modelId: string, cacheBackend: P.CacheBackend): Promise<void> {
    return this.call((api) => api.deleteCachedModel(modelId, cacheBackend));
  }

  async setEndpoint(config: P.EndpointConfig): Promise<void> {
    await this.call((api) => api.setEndpoint(config));
    this.endpoints.add(config.id);
  }

  /** The models these settings list, leaving the endpoint in use as it is (see WorkerApi.testEndpoint). */
  testEndpoint(config: P.EndpointConfig): Promise<string[]> {
    return this.call((api) => api.testEndpoint(config));
  }

  /** Whether the current worker knows this endpoint (a reload or a new worker forgets them all). */
  hasEndpoint(id: string): boolean {
    return this.endpoints.has(id);
  }

  listEndpointModels(endpointId: string): Promise<string[]> {
    return this.call((api) => api.listEndpointModels(endpointId));
  }

  chat(
    jobId: string,
    binding: RoleBinding,
    req: P.PlainChatRequest,
    onStream?: (batch: P.ChatStreamBatch) => void,
    onRetry?: (retry: RetryFacts) => void,
  ): Promise<ChatResult> {
    return this.call((api) => api.chat(jobId, binding, req, maybeProxy(onStream), maybeProxy(onRetry)));
  }

  startRun(
    jobId: string,
    config: RunConfig,
    checkpoint: RunCheckpoint | null,
    onEvents?: (events: RunEvent[]) => void,
  ): Promise<RunResult> {
    return this.call((api) => api.startRun(jobId, config, checkpoint, maybeProxy(onEvents)));
  }

  /** A held-out evaluation in the worker (see WorkerApi.startEval); cancel(jobId) ends it with the part judged. */
  startEval(
    jobId: string,
    request: P.EvalJobRequest,
    checkpoint: EvalCheckpoint | null,
    onProgress?: (p: P.EvalJobUpdate) => void,
  ): Promise<EvalJobResult> {
    return this.call((api) => api.startEval(jobId, request, checkpoint, maybeProxy(onProgress)));
  }

  /** Cooperative; never terminates the worker. 'pause' keeps a run's checkpoint so it can resume. */
  cancel(jobId: string, mode: P.CancelMode = 'cancel'): Promise<void> {
    // Nothing to cancel if the worker was never started.
    if (!this.remote) return Promise.resolve();
    return this.call((api) => api.cancel(jobId, mode));
  }

  newJobId(): string {
    this.jobCounter += 1;
    const rand = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
    return `job-${this.jobCounter}-${rand}`;
  }

  /** Page teardown only: terminates the worker (a loaded model is lost). */
  dispose(): void {
    if (this.remote) this.remote[Comlink.releaseProxy]();
    this.connection?.close();
    this.connection = null;
    this.remote = null;
    this.endpoints.clear();
  }

  private api(): Comlink.Remote<P.WorkerApi> {
    if (!this.remote) {
      const connection = this.connect();
      this.connection = connection;
      this.remote = Comlink.wrap<P.WorkerApi>(connection.endpoint);
      connection.onFatal?.((message) => {
        if (this.connection !== connection) return;
        const err = new AppError(
          ErrorName.Unknown,
          'The background worker stopped unexpectedly. Reload the page; any loaded model must be loaded again.',
          { detail: message },
        );
        // Forget the dead worker so the next call starts a fresh one.
        this.dispose();
        for (const reject of [...this.inFlight]) reject(err);
      });
    }
    return this.remote;
  }

  private async call<T>(fn: (api: Comlink.Remote<P.WorkerApi>) => Promise<T>): Promise<T> {
    let rejectFatal!: (err: AppError) => void;
    const fatal = new Promise<never>((_, reject) => (rejectFatal = reject));
    this.inFlight.add(rejectFatal);
    try {
      return await Promise.race([fn(this.api()), fatal]);
    } catch (err) {
      throw normalizeError(err);
    } finally {
      this.inFlight.delete(rejectFatal);
    }
  }
}

function maybeProxy<F extends (...args: never[]) => void>(fn: F | undefined): F | undefined {
  return fn ? Comlink.proxy(fn) : undefined;
}

/** Whatever crossed the boundary, hand the UI an AppError with a stable name. */
export function normalizeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const s = serializeError(err);
  if (s.name === 'Error' || !s.name) s.name = ErrorName.Unknown;
  return new AppError(s.name, s.message, { detail: s.detail, status: s.status, retryable: s.retryable, cause: err });
}

/** The app's client: lazily starts the real module worker. */
export function createWorkerClient(): WorkerClient {
  return new WorkerClient(() => {
    const worker = new Worker(new URL('../worker/drpo.worker.ts', import.meta.url), {
      type: 'module',
      name: 'drpo-studio',
    });
    return {
      endpoint: worker,
      close: () => worker.terminate(),
      onFatal: (listener) => {
        worker.addEventListener('error', (ev) => listener(ev.message || 'the worker script failed to load'));
        worker.addEventListener('messageerror', () => listener('a message from the worker could not be read'));
      },
    };
  });
}
