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
import { AppError, ErrorName } from '../../src/core/contracts/errors';

export const XSS = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 1">',
  '[click me](javascript:window.__pwned=1)',
  '${window.__pwned = 1} {{constructor}} <svg onload="window.__pwned=1">',
].join('\n\n');

export function pwned(): boolean {
  return (window as unknown as { __pwned?: number }).__pwned !== undefined;
}

export function artifact(extra: Partial<AlignmentArtifact> = {}): AlignmentArtifact {
  return {
    format: 'drpo-alignment',
    version: 1,
    systemPrompt: 'You are a careful assistant.\n- Admit what you do not know.\n- Be concise.',
    icl: [{ query: 'How tall is Mount Everest?', answer: 'About 8,849 m above sea level.' }],
    model: { id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', engine: 'webllm' },
    judge: { id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', engine: 'webllm' },
    preset: 'quick',
    settings: { iclKInference: 1 },
    scores: { train: 4.25, validation: 4.1 },
    lineage: [
      { depth: 0, prompt: 'You are a helpful assistant.', reward: 3.5 },
      { depth: 2, prompt: 'You are a careful assistant.', reward: 4.25 },
    ],
    createdAt: '2026-11-27T10:00:00.000Z',
    name: 'Careful helper',
    ...extra,
  };
}

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
  hang = false;
  chatError: AppError | null = null;
  endpointError: AppError | null = null;
  endpointModels = ['llama3.2:1b', 'qwen2.5:0.5b'];
  loadError: AppError | null = null;
  private pending = new Map<string, () => void>();
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
  async setEndpoint(config: EndpointConfig): Promise<void> {
    this.endpoints.push(config);
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
  ): Promise<ChatResult> {
    this.calls.push({ jobId, binding, req });
    if (this.chatError) throw this.chatError;
    const text = typeof this.reply === 'function' ? this.reply(req) : this.reply;
    const half = Math.ceil(text.length / 2);
    onStream?.({ jobId, text: text.slice(0, half), done: false });
    if (this.hang) {
      await new Promise<void>((resolve) => this.pending.set(jobId, resolve));
      throw new AppError(ErrorName.Abort, 'Stopped');
    }
    onStream?.({ jobId, text: text.slice(half), done: true });
    return {
      model: binding.modelId,
      choices: [{ text, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, decode_tokens_per_s: 12.5 },
    };
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

const mounted: HTMLElement[] = [];

export async function mount<T extends HTMLElement>(tag: string, props: Record<string, unknown> = {}): Promise<T> {
  const el = document.createElement(tag) as T;
  Object.assign(el, props);
  document.body.append(el);
  mounted.push(el);
  await settle(el);
  return el;
}

export function unmountAll(): void {
  for (const el of mounted.splice(0)) el.remove();
}

/** Waits for Lit updates (including ones triggered by async work in `updated`). */
export async function settle(el: HTMLElement, rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await (el as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
    await new Promise((r) => setTimeout(r, 0));
  }
}

export function $<T extends Element = HTMLElement>(el: Element, selector: string): T {
  const root = el.shadowRoot ?? el;
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found in <${el.tagName.toLowerCase()}>`);
  return found;
}

export function $$<T extends Element = HTMLElement>(el: Element, selector: string): T[] {
  return [...(el.shadowRoot ?? el).querySelectorAll<T>(selector)];
}

export function text(el: Element): string {
  return (el.shadowRoot ?? el).textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
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
