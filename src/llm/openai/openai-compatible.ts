import type {
  ChatModel,
  ChatRequest,
  ChatResult,
  CompletionRequest,
  AttemptFailure,
  ModelCapabilities,
  Usage,
} from '../../core/contracts/chat-model';
import { ENGINE_CAPABILITIES } from '../../core/contracts/chat-model';
import { AppError, ErrorName, isNamed } from '../../core/contracts/errors';
import { badResponse } from './http-errors';
import type { AdaptiveGate } from './adaptive-gate';
import type { OutageWatch } from './outage-watch';
import { cleanApiKey, defaultSleep, readJson, request } from './http';
import { HTTP_DEFAULTS } from '../../core/calls/endpoint-limits';
import type { HttpSettings, SleepFn } from './http';
import { readAnswer, readStream } from './openai-stream';
import type { ParsedAnswer } from './openai-stream';
import { estimateUsage, isObj } from './openai-wire';
import { normalizeBaseUrl } from '../../core/formats/base-url';
import { withoutReasoning } from '../../core/formats/reasoning';

export interface OpenAICompatibleOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per attempt, including the whole streamed answer. Default 120 s. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and network failures. Default 3. */
  maxRetries?: number;
  fetchImpl?: typeof fetch;
  capabilities?: Partial<ModelCapabilities>;
  /** Test seams: waiting between retries and the jitter source. */
  sleep?: SleepFn;
  random?: () => number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  retryAfterMaxMs?: number;
  /** Largest reply read, in bytes (default 8 MB); a bigger one fails with ReplyTooLarge. */
  maxReplyBytes?: number;
  /** Requests in flight to this endpoint: share one gate between the models of one server. */
  gate?: AdaptiveGate;
  /** Waits out a short outage of this endpoint once it has answered: share one watch between the models of one server. */
  outage?: OutageWatch;
}

export const OPENAI_DEFAULT_CAPABILITIES: ModelCapabilities = { ...ENGINE_CAPABILITIES.openai, contextWindow: 8192 };

type SamplingRequest = Omit<CompletionRequest, 'prompt'>;

function positiveOr(value: number | undefined, fallback: number, what: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new AppError(ErrorName.InvalidInput, `${what} must be a number ≥ ${min} (got ${value}).`);
  }
  return value;
}

function sumUsage(a: Usage, b: Usage): Usage {
  return {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
  };
}

/** A model behind an OpenAI-compatible HTTP API (OpenAI, Ollama, llama-server, vLLM, LM Studio, ...). */
export class OpenAICompatibleModel implements ChatModel {
  readonly engine = 'openai' as const;
  readonly id: string;
  readonly baseUrl: string;
  readonly endpoint: string;
  readonly capabilities: ModelCapabilities;
  private readonly http: HttpSettings;
  /**
   * Settings this model's server refused by name (OpenAI's reasoning models refuse `max_tokens`, which they
   * call `max_completion_tokens`, and any temperature but 1): left out of every later request.
   */
  private readonly refused = new Set<RefusableSetting>();

  constructor(opts: OpenAICompatibleOptions) {
    this.baseUrl = normalizeBaseUrl(opts.baseUrl);
    // Host and port only: a normalised address holds no user or password, and its path may hold a secret.
    this.endpoint = new URL(this.baseUrl).host;
    const model = typeof opts.model === 'string' ? opts.model.trim() : '';
    if (!model) throw new AppError(ErrorName.InvalidInput, 'Choose a model name for this endpoint.');
    this.id = model;
    this.capabilities = { ...OPENAI_DEFAULT_CAPABILITIES, ...opts.capabilities };
    const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
    this.http = {
      baseUrl: this.baseUrl,
      apiKey: cleanApiKey(opts.apiKey),
      timeoutMs: positiveOr(opts.timeoutMs, HTTP_DEFAULTS.timeoutMs, 'The timeout', 1),
      maxRetries: Math.floor(positiveOr(opts.maxRetries, HTTP_DEFAULTS.maxRetries, 'The retry count', 0)),
      // Bound so a method reference keeps working when called as a plain function.
      fetchImpl: (input, init) => fetchImpl(input, init),
      sleep: opts.sleep ?? defaultSleep,
      random: opts.random ?? Math.random,
      backoffBaseMs: opts.backoffBaseMs ?? HTTP_DEFAULTS.backoffBaseMs,
      backoffMaxMs: opts.backoffMaxMs ?? HTTP_DEFAULTS.backoffMaxMs,
      retryAfterMaxMs: opts.retryAfterMaxMs ?? HTTP_DEFAULTS.retryAfterMaxMs,
      maxReplyBytes: positiveOr(opts.maxReplyBytes, HTTP_DEFAULTS.maxReplyBytes, 'The reply size limit', 1024),
      gate: opts.gate,
      outage: opts.outage,
    };
  }

  chat(req: ChatRequest): Promise<ChatResult> {
    if (!Array.isArray(req.messages) || req.messages.length === 0) {
      return Promise.reject(new AppError(ErrorName.InvalidInput, 'A chat request needs at least one message.'));
    }
    const messages = req.json && !this.capabilities.jsonSchema ? withSchemaInstruction(req) : req.messages;
    const extra: Record<string, unknown> = { messages };
    if (req.json && this.capabilities.jsonSchema) {
      extra.response_format = {
        type: 'json_schema',
        // OpenAI allows only [a-zA-Z0-9_-]{1,64} here.
        json_schema: { name: schemaName(req.json.name), schema: req.json.schema, strict: true },
      };
    }
    if (req.logprobs && this.capabilities.logprobs) {
      extra.logprobs = true;
      if (req.top_logprobs !== undefined) extra.top_logprobs = req.top_logprobs;
    }
    // A reasoning model's thinking is not its answer (core/formats/reasoning.ts).
    return this.generate('/chat/completions', req, extra, messages).then(withoutReasoning);
  }

  complete(req: CompletionRequest): Promise<ChatResult> {
    if (!this.capabilities.rawCompletion) {
      return Promise.reject(new AppError(ErrorName.InvalidInput, `Raw completions are switched off for ${this.id}.`));
    }
    const extra: Record<string, unknown> = { prompt: req.prompt };
    // The legacy completions API takes an integer: how many alternatives to report per token.
    if (req.logprobs && this.capabilities.logprobs) extra.logprobs = Math.max(1, req.top_logprobs ?? 1);
    return this.generate('/completions', req, extra, req.prompt);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    if (texts.length === 0) return [];
    const spec = {
      method: 'POST' as const,
      path: '/embeddings',
      body: { model: this.id, input: texts },
      signal,
      model: this.id,
    };
    return request(this.http, spec, async (res, ctx) => {
      const json = await readJson(res, ctx);
      const data = isObj(json) && Array.isArray(json.data) ? json.data : null;
      const out: number[][] = [];
      data?.forEach((d, pos) => {
        if (isObj(d) && Array.isArray(d.embedding))
          out[typeof d.index === 'number' ? d.index : pos] = d.embedding as number[];
      });
      if (!data || out.length !== texts.length || out.some((v) => !Array.isArray(v))) {
        throw badResponse('The server did not return one embedding per text.', ctx.url);
      }
      return out;
    });
  }

  private async generate(
    path: string,
    req: SamplingRequest,
    extra: Record<string, unknown>,
    prompt: ChatRequest['messages'] | string,
  ): Promise<ChatResult> {
    const n = req.n ?? 1;
    if (!Number.isInteger(n) || n < 1)
      throw new AppError(ErrorName.InvalidInput, `n must be a whole number ≥ 1 (got ${n}).`);
    if (req.onToken && n > 1) throw new AppError(ErrorName.InvalidInput, 'Streaming needs n = 1.');
    if (n > 1 && !this.capabilities.multipleChoices) {
      // No native n: repeat, varying the seed so the answers can differ.
      const runs: ChatResult[] = [];
      for (let i = 0; i < n; i++) {
        const seed = req.seed === undefined ? undefined : req.seed + i;
        runs.push(await this.generate(path, { ...req, n: 1, seed }, extra, prompt));
      }
      return {
        model: runs[0].model,
        choices: runs.flatMap((r) => r.choices),
        usage: runs.map((r) => r.usage).reduce(sumUsage),
      };
    }
    const body: Record<string, unknown> = { model: this.id, ...extra };
    if (req.temperature !== undefined) body.temperature = req.temperature;
    if (req.top_p !== undefined) body.top_p = req.top_p;
    if (req.max_tokens !== undefined) body.max_tokens = req.max_tokens;
    if (req.stop && req.stop.length > 0) body.stop = req.stop;
    if (req.seed !== undefined && this.capabilities.seed) body.seed = req.seed;
    if (n > 1) body.n = n;
    const onToken = req.onToken;
    if (onToken) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    const spec = {
      method: 'POST' as const,
      path,
      body,
      signal: req.signal,
      model: this.id,
      // A setting refused by name is no fault: the request is asked again without it (below).
      onAttemptFailed:
        req.onAttemptFailed &&
        ((f: AttemptFailure) => {
          if (!refusedSetting(f.error, body)) req.onAttemptFailed!(f);
        }),
    };
    // Timed from the start of the attempt that answered: waiting for a slot, failed attempts and back-off
    // say nothing about the model's speed. Only attempts that fail before their body is read are retried,
    // so the first token always belongs to the answering attempt.
    let t0 = 0;
    let firstToken: number | null = null;
    const timedOnToken = onToken
      ? (delta: string) => {
          firstToken ??= performance.now();
          onToken(delta);
        }
      : undefined;
    let answer: ParsedAnswer;
    for (;;) {
      this.leaveOutRefused(body);
      try {
        answer = await request(this.http, spec, (res, ctx) => {
          t0 = ctx.startedAt;
          return timedOnToken ? readStream(res, ctx, timedOnToken, req.onThinking) : readAnswer(res, ctx);
        });
        break;
      } catch (err) {
        // Asked again once per setting the server names: each is then out of the body, so this ends.
        const setting = refusedSetting(err, body);
        if (!setting) throw err;
        // The capabilities stay as they are: requests, and so their cache keys, must not depend on which
        // call happened to learn this first.
        this.refused.add(setting);
      }
    }
    // Servers that report no usage (some local ones, or streams without include_usage) get a ~4 chars/token
    // estimate so budgets and stats still move; it is approximate by design.
    const usage: Usage =
      answer.usage ??
      estimateUsage(
        prompt,
        answer.choices.map((c) => c.text),
      );
    return {
      model: answer.model ?? this.id,
      choices: answer.choices,
      usage: { ...usage, ...timing(usage, t0, firstToken) },
    };
  }

  private leaveOutRefused(body: Record<string, unknown>): void {
    for (const setting of this.refused) {
      if (!(setting in body)) continue;
      if (setting === 'max_tokens') body.max_completion_tokens = body.max_tokens;
      // Alternatives per token mean nothing without the token log-probabilities they belong to.
      if (setting === 'logprobs') delete body.top_logprobs;
      delete body[setting];
    }
  }
}

/** Request settings a server may refuse for some models, which a request can do without. */
const REFUSABLE = [
  'max_tokens',
  'temperature',
  'top_p',
  'seed',
  'stop',
  'logprobs',
  'top_logprobs',
  'stream_options',
] as const;
type RefusableSetting = (typeof REFUSABLE)[number];

/**
 * The setting an HTTP 400 names as unsupported (OpenAI: "Unsupported parameter: 'max_tokens' is not supported
 * with this model…", "Unsupported value: 'temperature' does not support 0.2 with this model…"), when the
 * request holds it and can do without it; else null.
 */
function refusedSetting(err: unknown, body: Record<string, unknown>): RefusableSetting | null {
  if (!isNamed(err, ErrorName.Http) || (err as AppError).status !== 400) return null;
  const said = `${(err as AppError).detail ?? ''} ${(err as AppError).message}`;
  const named = /unsupported (?:parameter|value):\s*'([a-z_]+)'/i.exec(said)?.[1]?.toLowerCase();
  const setting = REFUSABLE.find((s) => s === named);
  return setting && setting in body ? setting : null;
}

/**
 * Speed as measured here, so time estimates work for endpoints too: a streamed reply gives the wait for the
 * first token and the decode rate after it; a plain reply only the whole time, so its rate includes the wait.
 */
function timing(usage: Usage, t0: number, firstToken: number | null): Partial<Usage> {
  const end = performance.now();
  const out: Partial<Usage> = { e2e_latency_s: (end - t0) / 1000 };
  const n = usage.completion_tokens;
  if (firstToken !== null) {
    out.time_to_first_token_s = (firstToken - t0) / 1000;
    if (n >= 2 && end - firstToken > 0) out.decode_tokens_per_s = (n - 1) / ((end - firstToken) / 1000);
  } else if (n > 0 && end - t0 > 0) {
    out.decode_tokens_per_s = n / ((end - t0) / 1000);
  }
  return out;
}

/** Without native structured output we can only ask; the caller's JSON repair handles the rest. */
function withSchemaInstruction(req: ChatRequest): ChatRequest['messages'] {
  const schema = JSON.stringify(req.json?.schema);
  const note = `\n\nReply with only a JSON value (no prose, no code fences) that matches this JSON Schema:\n${schema}`;
  const messages = req.messages.map((m) => ({ ...m }));
  const last = messages[messages.length - 1];
  last.content += note;
  return messages;
}

function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'response';
}
