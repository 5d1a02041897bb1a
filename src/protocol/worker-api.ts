/**
 * The typed boundary between page and worker. The page imports this with `import type` only.
 * Everything crossing it is plain data; callbacks are Comlink proxies (throttled by the worker).
 */
import type { ChatMessage, ChatResult, EngineKind, StructuredOutput } from '../core/contracts/chat-model';
import type { SerializedError } from '../core/contracts/errors';
import type { RunCheckpoint, RunResult } from '../core/contracts/run-api';
import type { RoleBinding, RunConfig } from '../core/contracts/run-config';
import type { EvalCheckpoint, EvalJobPlan, EvalJobResult } from '../core/eval/eval-job';
import type { EvalProgress } from '../core/eval/eval-types';
import type { GatewayEvent } from '../core/calls/call-gateway';
import type { RetryFacts } from '../core/calls/fault-summary';
import type { RunEvent, RunStats } from '../core/contracts/run-events';
import type { EndpointConfig } from '../core/contracts/endpoint-config';
import type { GpuProbe, ModelInfo } from '../core/contracts/webgpu';

export type CacheBackend = 'cache' | 'indexeddb' | 'opfs';

/** Defined in core (the in-browser adapter lists models by them, and the page words them). */
export type { GpuProbe, ModelInfo } from '../core/contracts/webgpu';
export interface LoadProgress {
  modelId: string;
  /** 0–1 */
  progress: number;
  elapsedS: number;
  etaS: number | null;
  text: string;
}

/** Defined in core beside the one list of its fields, which the page, the store and the worker share. */
export type { EndpointConfig } from '../core/contracts/endpoint-config';

export interface LoadedModel {
  engine: EngineKind;
  modelId: string;
  contextWindow: number | null;
}

/** Streamed chat output, batched by the worker (at most ~10 callbacks a second). */
export interface ChatStreamBatch {
  jobId: string;
  text: string;
  done: boolean;
  /** The model thought beside its text since the last batch (a server's separate reasoning field). */
  thinking?: boolean;
}

export interface PlainChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  /** Structured output (JSON Schema); the adapter maps it to the engine's own mechanism. */
  json?: StructuredOutput;
}

export type CancelMode = 'pause' | 'cancel';

/**
 * A held-out evaluation for the worker to run; `evalId` names its stored record (checkpoints go there).
 * Without one (no store, or its record could not be made) no checkpoint is written.
 */
export interface EvalJobRequest extends EvalJobPlan {
  evalId?: string;
}

/**
 * What the page hears of a running evaluation (throttled: the latest state wins). Besides its progress, a
 * failed request waiting for its retry (an outage), so the page says what it waits for instead of looking
 * frozen. Each update carries the whole state: a later step cannot drop a retry that still waits.
 */
export interface EvalJobUpdate {
  /** Null until the first step of a new evaluation (its first call may be the one that failed). */
  progress: EvalProgress | null;
  stats: RunStats | null;
  /** The latest retry announced, until a call finished after it (as in the live view); absent: none. */
  retry?: Extract<GatewayEvent, { type: 'call-retry' }> | null;
}

export interface WorkerApi {
  probeGpu(): Promise<GpuProbe>;
  listModels(cacheBackend: CacheBackend): Promise<ModelInfo[]>;
  loadModel(modelId: string, cacheBackend: CacheBackend, onProgress?: (p: LoadProgress) => void): Promise<LoadedModel>;
  unloadModel(): Promise<void>;
  loadedModels(): Promise<LoadedModel[]>;
  deleteCachedModel(modelId: string, cacheBackend: CacheBackend): Promise<void>;
  setEndpoint(config: EndpointConfig): Promise<void>;
  /**
   * Lists the models of these settings without putting them in use: the endpoint of that id keeps the settings
   * it has until `setEndpoint` (which, given the same settings, counts the listing as the server's answer).
   */
  testEndpoint(config: EndpointConfig): Promise<string[]>;
  listEndpointModels(endpointId: string): Promise<string[]>;
  /**
   * One chat (the Playground, Setup's check). `onRetry`: a failed attempt the adapter retries (an endpoint's
   * outage it waits out, a retry it makes), as runs and evaluations hear of theirs, so the page says what the
   * answer waits for instead of looking frozen.
   */
  chat(
    jobId: string,
    binding: RoleBinding,
    req: PlainChatRequest,
    onStream?: (batch: ChatStreamBatch) => void,
    onRetry?: (retry: RetryFacts) => void,
  ): Promise<ChatResult>;
  /** Starts or resumes a DRPO run; the worker persists nodes/events/checkpoints itself. */
  startRun(
    jobId: string,
    config: RunConfig,
    checkpoint: RunCheckpoint | null,
    onEvents?: (events: RunEvent[]) => void,
  ): Promise<RunResult>;
  /**
   * Runs a held-out evaluation through the same call pipeline as a run (cache, budget, retries, usage,
   * context guard); saves checkpoints to the stored evaluation so a reload can resume it from `checkpoint`.
   * Cancelling ends it with the part judged so far (`report.complete` false).
   */
  startEval(
    jobId: string,
    request: EvalJobRequest,
    checkpoint: EvalCheckpoint | null,
    onProgress?: (p: EvalJobUpdate) => void,
  ): Promise<EvalJobResult>;
  /**
   * Cooperative: aborts the job's signal and interrupts generation; the worker stays alive.
   * 'pause' ends a run with status 'paused' (its checkpoint is kept so it can resume); default 'cancel'.
   */
  cancel(jobId: string, mode?: CancelMode): Promise<void>;
}

export type { SerializedError };
