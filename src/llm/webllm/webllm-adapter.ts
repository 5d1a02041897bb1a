/**
 * ChatModel over a loaded web-llm MLCEngine model. Used only inside the worker.
 * Type-only imports from @mlc-ai/web-llm: the 6.8 MB package is loaded by the worker entry, not here.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionFinishReason,
  ChatCompletionRequestBase,
  ChatCompletionTokenLogprob,
  Completion,
  CompletionCreateParamsBase,
  CompletionUsage,
  MLCEngine,
} from '@mlc-ai/web-llm';
import type {
  ChatChoice,
  ChatModel,
  ChatRequest,
  ChatResult,
  CompletionRequest,
  FinishReason,
  ModelCapabilities,
  TokenLogprob,
  Usage,
} from '../../core/contracts/chat-model';
import { ENGINE_CAPABILITIES } from '../../core/contracts/chat-model';
import { AppError, ErrorName, isAbort } from '../../core/contracts/errors';
import { withoutReasoning } from '../../core/formats/reasoning';
import { mapWebLlmError } from './webllm-errors';
import { abortError, fifoFor } from './webllm-fifo';
import type { Fifo } from './webllm-fifo';

/** The part of MLCEngine we use; tests pass a fake object of this shape. */
export type WebLlmEngineLike = Pick<MLCEngine, 'chat' | 'completions' | 'embeddings' | 'interruptGenerate'>;

export interface WebLlmModelOptions {
  /** From the model record (overrides.context_window_size) or the loaded chat config. */
  contextWindow: number | null;
  /** Set when an embedding model is loaded next to this one; enables embed(). */
  embeddingModelId?: string;
}

/** web-llm's structured-output failures (xgrammar), as opposed to GPU or input errors. */
export function isGrammarFailure(err: unknown): boolean {
  const e = err as { message?: unknown; detail?: unknown } | null;
  const text = `${typeof e?.message === 'string' ? e.message : ''} ${typeof e?.detail === 'string' ? e.detail : ''}`;
  return /invalid token id|grammar|xgrammar|json schema/i.test(text);
}

/** When the record does not say, assume a conservative window rather than none. */
const FALLBACK_CONTEXT_WINDOW = 4096;

/** Stringified schemas by name: an identical string lets web-llm reuse the compiled grammar. */
const schemaStrings = new Map<string, string>();

export function schemaString(name: string, schema: object): string {
  const fresh = JSON.stringify(schema);
  const cached = schemaStrings.get(name);
  if (cached === fresh) return cached;
  schemaStrings.set(name, fresh);
  return fresh;
}

type Sampling = Pick<
  ChatRequest,
  'temperature' | 'top_p' | 'max_tokens' | 'stop' | 'seed' | 'logprobs' | 'top_logprobs'
>;

function samplingParams(req: Sampling, seedOffset: number): Partial<ChatCompletionRequestBase> {
  const out: Partial<ChatCompletionRequestBase> = {};
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.top_p = req.top_p;
  if (req.max_tokens !== undefined) out.max_tokens = req.max_tokens;
  if (req.stop && req.stop.length > 0) out.stop = req.stop;
  // web-llm rejects non-integer seeds.
  if (req.seed !== undefined && Number.isFinite(req.seed)) out.seed = Math.trunc(req.seed) + seedOffset;
  if (req.logprobs) {
    out.logprobs = true;
    if (req.top_logprobs !== undefined) out.top_logprobs = Math.max(0, Math.min(5, Math.trunc(req.top_logprobs)));
  }
  return out;
}

export function mapFinishReason(r: ChatCompletionFinishReason | null | undefined): FinishReason {
  return r === 'stop' || r === 'length' || r === 'abort' ? r : 'other';
}

function mapLogprobs(content: ChatCompletionTokenLogprob[] | null | undefined): TokenLogprob[] | undefined {
  if (!content) return undefined;
  return content.map((t) => ({
    token: t.token,
    logprob: t.logprob,
    top: (t.top_logprobs ?? []).map((x) => ({ token: x.token, logprob: x.logprob })),
  }));
}

export function mapUsage(u: CompletionUsage | undefined): Usage {
  if (!u) return { prompt_tokens: 0, completion_tokens: 0 };
  const out: Usage = { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens };
  const x = u.extra;
  if (x) {
    if (Number.isFinite(x.prefill_tokens_per_s)) out.prefill_tokens_per_s = x.prefill_tokens_per_s;
    if (Number.isFinite(x.decode_tokens_per_s)) out.decode_tokens_per_s = x.decode_tokens_per_s;
    if (Number.isFinite(x.time_to_first_token_s)) out.time_to_first_token_s = x.time_to_first_token_s;
    if (Number.isFinite(x.e2e_latency_s)) out.e2e_latency_s = x.e2e_latency_s;
  }
  return out;
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    ...b,
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
  };
}

interface OneResult {
  choice: ChatChoice;
  usage: Usage;
}

export class WebLlmChatModel implements ChatModel {
  readonly engine = 'webllm' as const;
  readonly capabilities: ModelCapabilities;
  private readonly queue: Fifo;
  /** Set once this model's JSON grammar has failed: structured output is off for it from then on. */
  private grammarBroken = false;

  constructor(
    private readonly mlc: WebLlmEngineLike,
    readonly id: string,
    private readonly opts: WebLlmModelOptions = { contextWindow: null },
  ) {
    this.queue = fifoFor(mlc, id);
    this.capabilities = {
      ...ENGINE_CAPABILITIES.webllm,
      contextWindow: opts.contextWindow ?? FALLBACK_CONTEXT_WINDOW,
    };
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    const useSchema = !!req.json && !this.grammarBroken;
    try {
      return await this.chatWith(req, useSchema);
    } catch (err) {
      // Some models crash web-llm's JSON grammar ("Invalid token id", web-llm#766/#807). The prompt
      // asks for JSON too and the core parses defensively, so fall back to plain generation for
      // this model instead of failing the run.
      if (!useSchema || !isGrammarFailure(err)) throw err;
      this.grammarBroken = true;
      this.capabilities.jsonSchema = false;
      return this.chatWith(req, false);
    }
  }

  private async chatWith(req: ChatRequest, useSchema: boolean): Promise<ChatResult> {
    const base: Partial<ChatCompletionRequestBase> = { model: this.id, messages: req.messages };
    if (useSchema && req.json) {
      base.response_format = { type: 'json_object', schema: schemaString(req.json.name, req.json.schema) };
    }
    // Qwen3 thinks before it answers unless told not to: hundreds of tokens per call that a small model's
    // answer and a judge's scores do not need (web-llm allows the switch for Qwen3 only).
    if (switchesThinking(this.id)) base.extra_body = { enable_thinking: false };
    const result = await this.runChoices(req, (seedOffset, stream) => {
      const body = { ...base, ...samplingParams(req, seedOffset) } as ChatCompletionRequestBase;
      return stream ? this.streamChat(body, req) : this.onceChat(body);
    });
    // Models that always think (DeepSeek-R1 distills) still write it: the answer is what follows.
    return withoutReasoning(result);
  }

  complete(req: CompletionRequest): Promise<ChatResult> {
    return this.runChoices(req, (seedOffset, stream) => {
      const body = {
        model: this.id,
        prompt: req.prompt,
        ...samplingParams(req, seedOffset),
      } as CompletionCreateParamsBase;
      return stream ? this.streamCompletion(body, req) : this.onceCompletion(body);
    });
  }

  /** Only when an embedding model was loaded alongside (capabilities.embeddings stays false otherwise). */
  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const model = this.opts.embeddingModelId;
    if (!model) {
      throw new AppError(ErrorName.ModelNotLoaded, 'No embedding model is loaded, so texts cannot be embedded.');
    }
    return fifoFor(this.mlc, model).run(async () => {
      try {
        const res = await this.mlc.embeddings.create({ input: texts, model });
        return res.data.map((d) => d.embedding);
      } catch (err) {
        throw mapWebLlmError(err);
      }
    }, signal);
  }

  /** n > 1 runs sequentially (web-llm re-prefills per choice anyway); only n = 1 streams. */
  private runChoices(
    req: Pick<ChatRequest, 'n' | 'signal' | 'onToken'>,
    one: (seedOffset: number, stream: boolean) => Promise<OneResult>,
  ): Promise<ChatResult> {
    const n = Math.max(1, Math.trunc(req.n ?? 1));
    const signal = req.signal;
    return this.queue.run(async () => {
      const onAbort = (): void => void this.mlc.interruptGenerate();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const choices: ChatChoice[] = [];
        let usage: Usage = { prompt_tokens: 0, completion_tokens: 0 };
        for (let i = 0; i < n; i++) {
          if (signal?.aborted) throw abortError();
          // Distinct seeds per choice, or seeded sequential choices would all be identical.
          const r = await one(i, n === 1 && req.onToken !== undefined);
          if (signal?.aborted || r.choice.finish_reason === 'abort') throw abortError();
          choices.push(r.choice);
          usage = addUsage(usage, r.usage);
        }
        return { model: this.id, choices, usage };
      } catch (err) {
        if (isAbort(err) || signal?.aborted) throw abortError();
        throw mapWebLlmError(err);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    }, signal);
  }

  private async onceChat(body: ChatCompletionRequestBase): Promise<OneResult> {
    const res = (await this.mlc.chat.completions.create({ ...body, stream: false })) as ChatCompletion;
    const c = res.choices[0];
    return {
      choice: {
        text: c?.message.content ?? '',
        finish_reason: mapFinishReason(c?.finish_reason),
        ...(c?.logprobs?.content ? { logprobs: mapLogprobs(c.logprobs.content) } : {}),
      },
      usage: mapUsage(res.usage),
    };
  }

  private async streamChat(body: ChatCompletionRequestBase, req: ChatRequest): Promise<OneResult> {
    const stream = (await this.mlc.chat.completions.create({
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    })) as AsyncIterable<ChatCompletionChunk>;
    return StreamAccumulator.drain(stream, req, (c) => c.delta.content);
  }

  private async onceCompletion(body: CompletionCreateParamsBase): Promise<OneResult> {
    const res = (await this.mlc.completions.create({ ...body, stream: false })) as Completion;
    const c = res.choices[0];
    return {
      choice: {
        text: c?.text ?? '',
        finish_reason: mapFinishReason(c?.finish_reason),
        ...(c?.logprobs?.content ? { logprobs: mapLogprobs(c.logprobs.content) } : {}),
      },
      usage: mapUsage(res.usage),
    };
  }

  private async streamCompletion(body: CompletionCreateParamsBase, req: CompletionRequest): Promise<OneResult> {
    const stream = (await this.mlc.completions.create({
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    })) as AsyncIterable<Completion>;
    return StreamAccumulator.drain(stream, req, (c) => c.text);
  }
}

class StreamAccumulator {
  /**
   * Reads a chat or completion stream into one result. Drained to the end even after an abort:
   * interruptGenerate() ends the stream quickly, and web-llm releases its per-model lock only when the
   * generator finishes.
   */
  static async drain<
    C extends {
      finish_reason?: ChatCompletionFinishReason | null;
      logprobs?: { content?: ChatCompletionTokenLogprob[] | null } | null;
    },
  >(
    stream: AsyncIterable<{ choices: C[]; usage?: Parameters<typeof mapUsage>[0] }>,
    req: Pick<ChatRequest, 'onToken' | 'signal'>,
    textOf: (choice: C) => string | null | undefined,
  ): Promise<OneResult> {
    const acc = new StreamAccumulator();
    for await (const chunk of stream) {
      const c = chunk.choices[0];
      if (c) acc.add(textOf(c) ?? '', c.finish_reason, c.logprobs?.content, req);
      if (chunk.usage) acc.usage = mapUsage(chunk.usage);
    }
    return acc.result();
  }

  text = '';
  finish: FinishReason = 'other';
  logprobs: TokenLogprob[] = [];
  hasLogprobs = false;
  usage: Usage = { prompt_tokens: 0, completion_tokens: 0 };

  add(
    delta: string,
    finish: ChatCompletionFinishReason | null | undefined,
    lp: ChatCompletionTokenLogprob[] | null | undefined,
    req: Pick<ChatRequest, 'onToken' | 'signal'>,
  ): void {
    if (delta) {
      this.text += delta;
      if (!req.signal?.aborted) req.onToken?.(delta);
    }
    if (finish) this.finish = mapFinishReason(finish);
    const mapped = mapLogprobs(lp);
    if (mapped) {
      this.hasLogprobs = true;
      this.logprobs.push(...mapped);
    }
  }

  result(): OneResult {
    const choice: ChatChoice = { text: this.text, finish_reason: this.finish };
    if (this.hasLogprobs) choice.logprobs = this.logprobs;
    return { choice, usage: this.usage };
  }
}

/** Models whose thinking web-llm can switch off (`extra_body.enable_thinking`). */
export function switchesThinking(modelId: string): boolean {
  return /^qwen3-/i.test(modelId);
}
