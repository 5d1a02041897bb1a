import type { AttemptFailure } from '../../core/contracts/chat-model';
import { AppError, ErrorName } from '../../core/contracts/errors';
import { badResponse } from './http-errors';
import { cleanApiKey, defaultSleep, readJson, request } from './http';
import { HTTP_DEFAULTS } from '../../core/calls/endpoint-limits';
import type { SleepFn } from './http';
import type { OutageWatch } from './outage-watch';
import { isObj } from './openai-wire';
import { normalizeBaseUrl } from '../../core/formats/base-url';
import { closeMatches } from '../../core/words/close-matches';

export interface ListModelsOptions {
  baseUrl: string;
  apiKey?: string;
  fetchImpl?: typeof fetch;
  /** Default 15 s: listing is quick on every server we know, and the user is waiting on it. */
  timeoutMs?: number;
  /** Default 1. */
  maxRetries?: number;
  signal?: AbortSignal;
  sleep?: SleepFn;
  /**
   * The endpoint's outage watch: a listing it answers counts as the endpoint having answered, so an outage right
   * after it is waited out.
   */
  outage?: OutageWatch;
  /**
   * The listing itself waits out an outage like any call (through `outage`, its grace, one probe at a time), where
   * the watch knows the endpoint answered (`hasAnswered`: a resumed run's checkpoint holds its replies): the CLI,
   * which lists before it resumes. Off by default: the page's setup form lists while someone waits to pick a
   * model, and a server not there is better told at once.
   */
  waitOutOutage?: boolean;
  /** Told about every failed attempt (for retry and outage notes while the listing waits). */
  onAttemptFailed?: (failure: AttemptFailure) => void;
}

/** Model ids from OpenAI `{data:[{id}]}`, Ollama `{models:[{name}]}` or a bare list. */
export function parseModelList(json: unknown): string[] | null {
  const list = Array.isArray(json)
    ? json
    : isObj(json) && Array.isArray(json.data)
      ? json.data
      : isObj(json) && Array.isArray(json.models)
        ? json.models
        : null;
  if (!list) return null;
  const ids: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') ids.push(item);
    else if (isObj(item)) {
      const id = [item.id, item.name, item.model].find((v): v is string => typeof v === 'string' && v.length > 0);
      if (id) ids.push(id);
    }
  }
  return [...new Set(ids)];
}

export async function listEndpointModels(opts: ListModelsOptions): Promise<string[]> {
  const baseUrl = normalizeBaseUrl(opts.baseUrl);
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  const settings = {
    baseUrl,
    apiKey: cleanApiKey(opts.apiKey),
    timeoutMs: opts.timeoutMs ?? 15_000,
    maxRetries: opts.maxRetries ?? 1,
    fetchImpl: (input: RequestInfo | URL, init?: RequestInit) => fetchImpl(input, init),
    sleep: opts.sleep ?? defaultSleep,
    random: Math.random,
    backoffBaseMs: HTTP_DEFAULTS.backoffBaseMs,
    backoffMaxMs: HTTP_DEFAULTS.backoffMaxMs,
    retryAfterMaxMs: HTTP_DEFAULTS.retryAfterMaxMs,
    ...(opts.waitOutOutage && opts.outage?.hasAnswered ? { outage: opts.outage } : {}),
  };
  const spec = { method: 'GET', path: '/models', signal: opts.signal, onAttemptFailed: opts.onAttemptFailed } as const;
  const ids = await request(settings, spec, async (res, ctx) => {
    const ids = parseModelList(await readJson(res, ctx));
    if (!ids) {
      throw badResponse(
        'The server answered, but not with a list of models. Is this an OpenAI-compatible API?',
        ctx.url,
      );
    }
    return ids;
  });
  opts.outage?.listed();
  return ids;
}

/**
 * Returns the listed id to use for `model`, or throws ModelNotListed naming close matches.
 * Ollama serves `llama3.2` as `llama3.2:latest`, so an untagged name matches its `:latest` entry.
 * An empty list throws NoModelsListed, as Setup's Test connection does: no name was misspelt, a model must be
 * loaded on the server first (a server restarted without its model, while a run reconnects).
 */
export function assertModelListed(ids: string[], model: string): string {
  const wanted = model.trim();
  if (ids.includes(wanted)) return wanted;
  const tagged = `${wanted}:latest`;
  if (ids.includes(tagged)) return tagged;
  if (ids.length === 0) {
    throw new AppError(ErrorName.NoModelsListed, `The server lists no models, so "${wanted}" cannot be used yet.`, {
      detail: 'Load or pull a model on the server first (for Ollama: ollama pull <name>).',
    });
  }
  const near = closeMatches(ids, wanted);
  const suggestion = near.length ? ` Did you mean ${near.map((m) => `"${m}"`).join(' or ')}?` : '';
  const shown = ids.slice(0, 10).join(', ') + (ids.length > 10 ? `, … (${ids.length} in all)` : '');
  throw new AppError(ErrorName.ModelNotListed, `The server does not list a model called "${wanted}".${suggestion}`, {
    detail: `Listed: ${shown}`,
  });
}
