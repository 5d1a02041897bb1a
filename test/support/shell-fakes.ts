/** Fakes for the shell tests: a worker client that answers from a script, artifacts, mounting helpers. */
import type { ChatResult } from '../../src/core/contracts/chat-model';
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';
import type { RoleBinding, RunConfig } from '../../src/core/contracts/run-config';
import type { RunStats } from '../../src/core/contracts/run-events';
import { ROLES } from '../../src/core/contracts/run-config';
import type { RunCheckpoint } from '../../src/core/contracts/run-api';
import type {
  ChatStreamBatch,
  EndpointConfig,
  LoadedModel,
  LoadProgress,
  ModelInfo,
  PlainChatRequest,
} from '../../src/protocol/worker-api';
import type { WorkerClient } from '../../src/client/worker-client';
import type { RetryFacts } from '../../src/core/calls/fault-summary';
import { AppError, ErrorName } from '../../src/core/contracts/errors';
import { sampleArtifact } from './artifacts';

export const XSS = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 1">',
  '[click me](javascript:window.__pwned=1)',
  '${window.__pwned = 1} {{constructor}} <svg onload="window.__pwned=1">',
].join('\n\n');

export function pwned(): boolean {
  return (window as unknown as { __pwned?: number }).__pwned !== undefined;
}

export const artifact = (extra: Partial<AlignmentArtifact> = {}): AlignmentArtifact =>
  sampleArtifact({ name: 'Careful helper', ...extra });

export const MODELS: ModelInfo[] = [
  {
    id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
    vramMB: 945,
    contextWindow: 4096,
    needsShaderF16: true,
    lowResource: true,
    base: false,
    cached: false,
  },
  {
    id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    vramMB: 1060,
    contextWindow: 4096,
    needsShaderF16: false,
    lowResource: true,
    base: false,
    cached: true,
  },
  {
    id: 'SmolLM2-360M-Instruct-q4f32_1-MLC',
    vramMB: 580,
    contextWindow: 4096,
    needsShaderF16: false,
    lowResource: true,
    base: false,
    cached: false,
  },
  {
    id: 'phi-2-q4f16_1-MLC',
    vramMB: 3000,
    contextWindow: 2048,
    needsShaderF16: true,
    lowResource: false,
    base: true,
    cached: false,
  },
];

export interface ChatCall {
  jobId: string;
  binding: RoleBinding;
  req: PlainChatRequest;
}

/** A worker client whose chat streams `reply` in pieces; `hang` keeps the job open until cancel. */
export class FakeClient {
  calls: ChatCall[] = [];
  cancelled: string[] = [];
  endpoints: EndpointConfig[] = [];
  loaded: string[] = [];
  deleted: string[] = [];
  reply: string | ((req: PlainChatRequest) => string) = 'Hello **there**.';
  finishReason: ChatResult['choices'][number]['finish_reason'] = 'stop';
  /** The prompt tokens each reply says the server read. */
  promptTokens = 10;
  /** Held until it settles before the reply returns, whatever is cancelled (a server that answers anyway). */
  gate: Promise<void> | null = null;
  hang = false;
  /** Streams a batch that says the model thinks beside its text first, and the reply only once `thought()` is called. */
  thinkBeside = false;
  chatError: AppError | null = null;
  /** Told to the page before the reply (or `chatError`), as the worker tells of an attempt it retries. */
  retry: RetryFacts | null = null;
  endpointError: AppError | null = null;
  endpointModels = ['llama3.2:1b', 'qwen2.5:0.5b'];
  loadError: AppError | null = null;
  private pending = new Map<string, () => void>();
  private thinking: (() => void) | null = null;

  /** Ends the thinking that `thinkBeside` holds the reply behind. */
  thought(): void {
    this.thinking?.();
  }
  private n = 0;

  newJobId(): string {
    return `job-${++this.n}`;
  }
  listCalls = 0;
  async listModels(): Promise<ModelInfo[]> {
    this.listCalls++;
    return MODELS.map((m) => ({ ...m, cached: m.cached || this.loaded.includes(m.id) }));
  }
  async loadModel(modelId: string, _b: string, onProgress?: (p: LoadProgress) => void): Promise<LoadedModel> {
    onProgress?.({ modelId, progress: 0.5, elapsedS: 3, etaS: 3, text: 'Fetching param cache[3/6]' });
    if (this.loadError) throw this.loadError;
    this.loaded.push(modelId);
    return { engine: 'webllm', modelId, contextWindow: 4096 };
  }
  async unloadModel(): Promise<void> {}
  async deleteCachedModel(modelId: string): Promise<void> {
    this.deleted.push(modelId);
  }
  /** setEndpoint refuses the settings with this (after testEndpoint listed them). */
  setEndpointError: AppError | null = null;
  async setEndpoint(config: EndpointConfig): Promise<void> {
    if (this.setEndpointError) throw this.setEndpointError;
    this.endpoints.push(config);
  }
  /** Settings tested (listed without being put in use). */
  tested: EndpointConfig[] = [];
  async testEndpoint(config: EndpointConfig): Promise<string[]> {
    this.tested.push(config);
    return this.listEndpointModels();
  }
  async listEndpointModels(): Promise<string[]> {
    if (this.endpointError) throw this.endpointError;
    return this.endpointModels;
  }
  async chat(
    jobId: string,
    binding: RoleBinding,
    req: PlainChatRequest,
    onStream?: (b: ChatStreamBatch) => void,
    onRetry?: (retry: RetryFacts) => void,
  ): Promise<ChatResult> {
    this.calls.push({ jobId, binding, req });
    if (this.retry) onRetry?.(this.retry);
    if (this.chatError) throw this.chatError;
    // Waiting for the retry: nothing streams until it is stopped.
    if (this.retry && this.hang) return this.hangUntilCancelled(jobId);
    const text = typeof this.reply === 'function' ? this.reply(req) : this.reply;
    if (this.thinkBeside) {
      onStream?.({ jobId, text: '', done: false, thinking: true });
      await new Promise<void>((resolve) => (this.thinking = resolve));
    }
    const half = Math.ceil(text.length / 2);
    onStream?.({ jobId, text: text.slice(0, half), done: false });
    if (this.hang) return this.hangUntilCancelled(jobId);
    if (this.gate) await this.gate;
    onStream?.({ jobId, text: text.slice(half), done: true });
    return {
      model: binding.modelId,
      choices: [{ text, finish_reason: this.finishReason }],
      usage: { prompt_tokens: this.promptTokens, completion_tokens: 5, decode_tokens_per_s: 12.5 },
    };
  }
  private async hangUntilCancelled(jobId: string): Promise<never> {
    await new Promise<void>((resolve) => this.pending.set(jobId, resolve));
    throw new AppError(ErrorName.Abort, 'Stopped');
  }
  async cancel(jobId: string): Promise<void> {
    this.cancelled.push(jobId);
    this.pending.get(jobId)?.();
    this.pending.delete(jobId);
  }
}

export function asClient(f: FakeClient): WorkerClient {
  return f as unknown as WorkerClient;
}

export function checkpoint(runId: string, config: RunConfig): RunCheckpoint {
  const perRole = Object.fromEntries(ROLES.map((r) => [r, { calls: 0, promptTokens: 0, generatedTokens: 0 }]));
  const stats = {
    calls: 0,
    promptTokens: 0,
    generatedTokens: 0,
    perRole,
    elapsedMs: 0,
    parseFailures: 0,
    cachedCalls: 0,
  };
  return {
    format: 'drpo-checkpoint',
    version: 1,
    runId,
    config,
    calls: {},
    nodes: [],
    stats: stats as RunStats,
    savedAt: 1,
  };
}
