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
import { endpointSettingsKey } from '../core/contracts/endpoint-config';

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

  /**
   * Settings whose model list answered (`test`) but that are not in use: a failed or unchosen test must leave
   * the endpoint in use as it was. Kept per id until `set` takes them (the same settings) or another test.
   */
  private readonly tried = new Map<string, { key: string; guards: EndpointGuards }>();

  set(config: EndpointConfig): void {
    const c = this.checked(config);
    const tried = this.tried.get(c.id);
    this.tried.delete(c.id);
    this.configs.set(c.id, c);
    // The same settings as just tested: their guards saw the server answer its model list, and that counts.
    this.guards.set(c.id, tried?.key === endpointSettingsKey(c) ? tried.guards : this.newGuards(c));
    // Settings changed: drop model objects built from the old ones.
    for (const key of [...this.models.keys()]) if (key.startsWith(`${c.id}\u0000`)) this.models.delete(key);
  }

  /**
   * Lists the models of these settings without putting them in use (the endpoint keeps its current ones).
   * Checked as `set` checks them; a later `set` with the same settings takes the listing's answer with them.
   */
  async test(config: EndpointConfig): Promise<string[]> {
    const c = this.checked(config);
    this.tried.delete(c.id);
    const guards = this.newGuards(c);
    const models = await this.runtime.listModels({
      baseUrl: c.baseUrl,
      apiKey: c.apiKey,
      timeoutMs: c.timeoutMs,
      outage: guards.outage,
    });
    this.tried.set(c.id, { key: endpointSettingsKey(c), guards });
    return models;
  }

  /** The settings as used, or InvalidInput / InvalidUrl naming what is wrong. */
  private checked(config: EndpointConfig): EndpointConfig & { concurrency: number } {
    if (!config || typeof config.id !== 'string' || !config.id.trim()) {
      throw new AppError(ErrorName.InvalidInput, 'The endpoint needs an id.');
    }
    // Fails here with InvalidUrlError and a helpful message, so the setup form can say so at once.
    normalizeBaseUrl(config.baseUrl);
    const n = config.concurrency ?? DEFAULT_ENDPOINT_CONCURRENCY;
    const problem = concurrencyProblem(n);
    // "(got NaN)" says nothing to a user who left the field empty or typed a word.
    if (problem)
      throw new AppError(ErrorName.InvalidInput, `${problem} (got ${Number.isFinite(n) ? n : 'no number'}).`);
    const grace = config.outageGraceMs ?? HTTP_DEFAULTS.outageGraceMs;
    if (!Number.isFinite(grace) || grace < 0 || grace > MAX_OUTAGE_GRACE_MS) {
      throw new AppError(
        ErrorName.InvalidInput,
        `The outage wait must be from 0 to ${MAX_OUTAGE_GRACE_MS / 1000} seconds (got ${String(grace)} ms).`,
      );
    }
    return { ...config, baseUrl: config.baseUrl.trim(), concurrency: n };
  }

  private newGuards(c: EndpointConfig & { concurrency: number }): EndpointGuards {
    return endpointGuards({
      concurrency: c.concurrency,
      outageGraceMs: c.outageGraceMs ?? HTTP_DEFAULTS.outageGraceMs,
    });
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
