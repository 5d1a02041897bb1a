/**
 * OpenAI-compatible endpoints configured by the page. API keys stay in the worker's memory only:
 * they are never echoed back across the boundary nor persisted here.
 */
import type { ChatModel } from '../core/contracts/chat-model';
import { AppError, ErrorName } from '../core/contracts/errors';
import type { AdaptiveGate } from '../llm/openai/adaptive-gate';
import type { OutageWatch } from '../llm/openai/outage-watch';
import { endpointGuards } from '../llm/openai/endpoint-guards';
import type { EndpointGuards } from '../llm/openai/endpoint-guards';
import { normalizeBaseUrl } from '../core/formats/base-url';
import {
  DEFAULT_ENDPOINT_CONCURRENCY,
  HTTP_DEFAULTS,
  MAX_OUTAGE_GRACE_MS,
  concurrencyProblem,
} from '../core/calls/endpoint-limits';
import type { EndpointConfig } from '../protocol/worker-api';

export interface EndpointRuntime {
  /** `outage`: the endpoint's watch, told that it answered when the listing succeeds. */
  listModels(opts: { baseUrl: string; apiKey?: string; timeoutMs?: number; outage?: OutageWatch }): Promise<string[]>;
  createModel(opts: {
    baseUrl: string;
    model: string;
    apiKey?: string;
    timeoutMs?: number;
    maxRetries?: number;
    maxReplyBytes?: number;
    gate?: AdaptiveGate;
    outage?: OutageWatch;
  }): ChatModel;
}

export class EndpointRegistry {
  private readonly configs = new Map<string, EndpointConfig>();
  private readonly models = new Map<string, ChatModel>();
  /**
   * One gate and one outage watch per endpoint: every model and role on that server shares its parallel slots
   * and waits out its short outages together.
   */
  private readonly guards = new Map<string, EndpointGuards>();

  constructor(private readonly runtime: EndpointRuntime) {}

  set(config: EndpointConfig): void {
    if (!config || typeof config.id !== 'string' || !config.id.trim()) {
      throw new AppError(ErrorName.InvalidInput, 'The endpoint needs an id.');
    }
    // Fails here with InvalidUrlError and a helpful message, so the setup form can say so at once.
    normalizeBaseUrl(config.baseUrl);
    const n = config.concurrency ?? DEFAULT_ENDPOINT_CONCURRENCY;
    const problem = concurrencyProblem(n);
    if (problem) throw new AppError(ErrorName.InvalidInput, `${problem} (got ${String(n)}).`);
    const grace = config.outageGraceMs ?? HTTP_DEFAULTS.outageGraceMs;
    if (!Number.isFinite(grace) || grace < 0 || grace > MAX_OUTAGE_GRACE_MS) {
      throw new AppError(
        ErrorName.InvalidInput,
        `The outage wait must be from 0 to ${MAX_OUTAGE_GRACE_MS / 1000} seconds (got ${String(grace)} ms).`,
      );
    }
    this.configs.set(config.id, { ...config, baseUrl: config.baseUrl.trim(), concurrency: n });
    this.guards.set(config.id, endpointGuards({ concurrency: n, outageGraceMs: grace }));
    // Settings changed: drop model objects built from the old ones.
    for (const key of [...this.models.keys()]) if (key.startsWith(`${config.id}\u0000`)) this.models.delete(key);
  }

  listModels(endpointId: string): Promise<string[]> {
    const c = this.config(endpointId);
    const { outage } = this.guards.get(c.id)!;
    return this.runtime.listModels({ baseUrl: c.baseUrl, apiKey: c.apiKey, timeoutMs: c.timeoutMs, outage });
  }

  /** The endpoint answered in an earlier session of the run or evaluation being resumed (see OutageWatch). */
  answeredBefore(endpointId: string | undefined): void {
    if (endpointId) this.guards.get(endpointId)?.outage.answeredBefore();
  }

  model(endpointId: string | undefined, modelId: string): ChatModel {
    const c = this.config(endpointId);
    const key = `${c.id}\u0000${modelId}`;
    let m = this.models.get(key);
    if (!m) {
      m = this.runtime.createModel({
        baseUrl: c.baseUrl,
        model: modelId,
        apiKey: c.apiKey,
        timeoutMs: c.timeoutMs,
        maxRetries: c.maxRetries,
        maxReplyBytes: c.maxReplyBytes,
        ...this.guards.get(c.id),
      });
      this.models.set(key, m);
    }
    return m;
  }

  /** Requests a run may keep in flight to this endpoint. */
  concurrency(endpointId: string | undefined): number {
    return this.config(endpointId).concurrency ?? DEFAULT_ENDPOINT_CONCURRENCY;
  }

  private config(endpointId: string | undefined): EndpointConfig {
    const c = endpointId ? this.configs.get(endpointId) : undefined;
    if (!c) {
      throw new AppError(
        ErrorName.InvalidInput,
        endpointId
          ? `The endpoint "${endpointId}" is not configured; add it in the setup first.`
          : 'No endpoint was chosen for this model.',
      );
    }
    return c;
  }
}
