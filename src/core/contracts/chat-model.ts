/**
 * The one model interface every realm uses. Shaped after OpenAI chat completions so the
 * WebLLM adapter and the OpenAI-compatible adapter map onto it with little translation.
 * Lives in core (not llm/) because imports point inwards: core drives models, adapters implement them.
 */
import type { AppError } from './errors';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** A JSON Schema object (plain data). Adapters serialise it as each engine wants. */
export type JsonSchema = { [key: string]: unknown };

export interface StructuredOutput {
  /** Short identifier, e.g. `aspect_selection`; used as `json_schema.name` by OpenAI-style endpoints. */
  name: string;
  schema: JsonSchema;
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  /** Integer seed; honoured only where `capabilities.seed` is true. */
  seed?: number;
  /** Number of choices. Engines without native `n` run the request n times. */
  n?: number;
  /** Request JSON that validates against this schema (where `capabilities.jsonSchema`). */
  json?: StructuredOutput;
  logprobs?: boolean;
  /** 0–5 alternatives per token (where `capabilities.logprobs`). */
  top_logprobs?: number;
  /** Cooperative cancellation. Aborting rejects with an error named `AbortError`. */
  signal?: AbortSignal;
  /** When set the request streams; each text delta is passed here (n must be 1). */
  onToken?: (delta: string) => void;
  /**
   * Streaming only: called while the model thinks in a field beside its text (a server's `reasoning_content`),
   * so a view can say it is thinking before any text comes. The thinking itself is not passed on.
   */
  onThinking?: () => void;
  /** Told about every failed attempt as it happens (counters, "retrying" notes); adapters without retries may never call it. */
  onAttemptFailed?: (failure: AttemptFailure) => void;
}

/** One failed attempt at a request. `error` is the very object thrown if this was the last attempt. */
export interface AttemptFailure {
  error: AppError;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  /** Attempts the adapter makes at most. */
  attempts: number;
  /** Milliseconds until the next attempt, or null when the adapter gives up and throws `error`. */
  retryInMs: number | null;
  /**
   * Set while an endpoint that answered before is being waited for: its retries then go beyond `attempts`. Also
   * set on the failure that ends such a wait (`retryInMs` null): the outage outlasted it.
   */
  outage?: OutageInfo;
}

/** An endpoint that answered earlier in this session stopped answering: how long ago, for how long it is waited for. */
export interface OutageInfo {
  /** When the outage began (its first failed attempt; ms on the adapter's clock): the same for all its reports. */
  since: number;
  /** Since the first failed attempt of this outage. */
  downForMs: number;
  /** How long an outage is waited out in all before the request fails. */
  graceMs: number;
  /** Which retry of this outage comes next (1-based, counted for the whole endpoint, not per request). */
  retry: number;
}

/** Raw completion for base models (no chat template). */
export interface CompletionRequest extends Omit<ChatRequest, 'messages' | 'json'> {
  prompt: string;
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'error' | 'other';

export interface TopLogprob {
  token: string;
  logprob: number;
}

export interface TokenLogprob extends TopLogprob {
  top: TopLogprob[];
}

export interface ChatChoice {
  text: string;
  finish_reason: FinishReason;
  logprobs?: TokenLogprob[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Engine-reported throughput where available (web-llm `usage.extra`). */
  prefill_tokens_per_s?: number;
  decode_tokens_per_s?: number;
  time_to_first_token_s?: number;
  e2e_latency_s?: number;
}

/**
 * Rough: ~4 characters a token for English text. Where a server reports no usage, and for a run's
 * projection of text it knows (the starting prompt).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface ChatResult {
  /** The model id that answered. */
  model: string;
  choices: ChatChoice[];
  usage: Usage;
}

export interface ModelCapabilities {
  jsonSchema: boolean;
  logprobs: boolean;
  seed: boolean;
  /** Native `n > 1` in one request (otherwise requests are repeated). */
  multipleChoices: boolean;
  /** Tokens the model can attend to (prompt + completion). */
  contextWindow: number;
  embeddings: boolean;
  /** Raw completions without a chat template (useful for base models). */
  rawCompletion: boolean;
}

export const ENGINE_KINDS = ['webllm', 'openai'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/**
 * What each engine's adapter declares for every model it serves (the context window is the model's own):
 * one table, so that the page, which plans a run before any model of it exists, projects the run with the
 * capabilities the run will have (see projectionCaps in core/plan/projection.ts).
 */
export const ENGINE_CAPABILITIES: Readonly<Record<EngineKind, Readonly<Omit<ModelCapabilities, 'contextWindow'>>>> = {
  // In-page models answer one request at a time: `n > 1` is repeated requests.
  webllm: {
    jsonSchema: true,
    logprobs: true,
    seed: true,
    multipleChoices: false,
    embeddings: false,
    rawCompletion: true,
  },
  openai: {
    jsonSchema: true,
    logprobs: true,
    seed: true,
    multipleChoices: true,
    embeddings: false,
    rawCompletion: true,
  },
};

export interface ChatModel {
  readonly id: string;
  readonly engine: EngineKind;
  /**
   * The host (and port) of the endpoint that serves it, e.g. "127.0.0.1:8080", never its path, key or user: what
   * a run's faults name an endpoint by when its roles are served from more than one. Absent for in-page models.
   */
  readonly endpoint?: string;
  readonly capabilities: ModelCapabilities;
  chat(req: ChatRequest): Promise<ChatResult>;
  complete?(req: CompletionRequest): Promise<ChatResult>;
  embed?(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}
