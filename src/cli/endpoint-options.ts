/**
 * Options every endpoint-calling subcommand shares: the server, models and key, how many requests may be
 * in flight, how long one attempt may take and how big a reply may be.
 */
import { ENDPOINT_ERROR_NAMES, ErrorName } from '../core/contracts/errors';
import {
  DEFAULT_ENDPOINT_CONCURRENCY,
  DEFAULT_MAX_REPLY_BYTES,
  HTTP_DEFAULTS,
  MAX_ENDPOINT_CONCURRENCY,
  MAX_OUTAGE_GRACE_MS,
  runWidth,
} from '../core/calls/endpoint-limits';
import type { EndpointGuards } from '../llm/openai/endpoint-guards';
import { OpenAICompatibleModel } from '../llm/openai/openai-compatible';
import { bad, intArg, numArg } from './args';

/** The longest --timeout-ms: one day. */
const MAX_TIMEOUT_MS = 86_400_000;

const TEXT = { type: 'string' } as const;

/** The options of every subcommand that calls an endpoint: which server and model, and how to talk to it. */
export const ENDPOINT_OPTIONS = {
  'base-url': TEXT,
  model: TEXT,
  'judge-model': TEXT,
  'api-key': TEXT,
  seed: TEXT,
  concurrency: TEXT,
  'timeout-ms': TEXT,
  'max-reply-mb': TEXT,
  'outage-grace-ms': TEXT,
  out: TEXT,
  help: { type: 'boolean', short: 'h' },
} as const;

/** `{ name: { type: 'string' } }` for each option name (a parseArgs spec). */
export function textOptions<const K extends string>(...names: K[]): { [P in K]: typeof TEXT } {
  return Object.fromEntries(names.map((n) => [n, TEXT])) as { [P in K]: typeof TEXT };
}

/** A help line: the flag, then its description starting at column `width`. */
function usageRow(width: number, flag: string, text: string): string {
  return `  ${flag.padEnd(width - 2)}${text}`;
}

/** Where the calls go: the server and its key, as every endpoint-calling subcommand takes them. */
export interface EndpointTarget {
  baseUrl: string;
  apiKey: string | undefined;
}

/** The API key when --api-key is not given, in this order. */
const KEY_VARIABLES = ['DRPO_API_KEY', 'OPENAI_API_KEY'] as const;

/** Where the API key came from: --api-key, an environment variable, or nowhere (null: none sent). */
export type KeySource = '--api-key' | (typeof KEY_VARIABLES)[number] | null;

/** The API key of a command's arguments (--api-key, else the environment) and where it came from. */
export function apiKeyFrom(
  args: { 'api-key'?: string },
  env: Record<string, string | undefined>,
): { apiKey: string | undefined; keySource: KeySource } {
  const flag = args['api-key'];
  if (flag !== undefined) return { apiKey: flag, keySource: flag ? '--api-key' : null };
  const name = KEY_VARIABLES.find((v) => env[v] !== undefined);
  const apiKey = name && env[name];
  return { apiKey: apiKey ?? undefined, keySource: name && apiKey ? name : null };
}

/** The server and key of a command's arguments; a missing --base-url is a bad argument (exit 1). */
export function endpointTarget(
  args: { 'base-url'?: string; 'api-key'?: string },
  env: Record<string, string | undefined>,
): EndpointTarget {
  const baseUrl = args['base-url']?.trim();
  if (!baseUrl) throw bad('Missing --base-url (the OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1).');
  return { baseUrl, apiKey: apiKeyFrom(args, env).apiKey };
}

/**
 * Said after a command to copy (a resume hint) when this run sent a key: the command never repeats it, so
 * the copy needs the key added back (an environment variable still set is read again).
 */
export function addYourKey(keySource: KeySource | undefined): string {
  return keySource ? ` (add your --api-key, or set ${KEY_VARIABLES[0]})` : '';
}

/** The help lines of --base-url and --api-key, the descriptions starting at column `width`. */
export function targetUsage(width: number): string {
  return [
    usageRow(width, '--base-url URL', 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1'),
    usageRow(width, '--api-key KEY', `API key (default: ${KEY_VARIABLES.map((v) => `$${v}`).join(', then ')})`),
  ].join('\n');
}

/** Help lines of how to talk to the endpoint, the descriptions starting at column `width`. */
export function endpointUsage(width: number): string {
  const row = (flag: string, text: string) => usageRow(width, flag, text);
  return [
    row(
      '--concurrency N',
      `requests in flight to the endpoint at once (default ${DEFAULT_ENDPOINT_CONCURRENCY}, 1-${MAX_ENDPOINT_CONCURRENCY});`,
    ),
    row('', "match the server's parallel slots; results do not depend on it"),
    row('--timeout-ms N', `per request attempt, the whole answer included (default ${HTTP_DEFAULTS.timeoutMs})`),
    row('--max-reply-mb N', `largest reply read from the endpoint (default ${DEFAULT_MAX_REPLY_BYTES / 2 ** 20})`),
    row(
      '--outage-grace-ms N',
      `once the endpoint has answered, how long it may stop answering before the run fails (default ${HTTP_DEFAULTS.outageGraceMs}; 0: no wait)`,
    ),
  ].join('\n');
}

export interface EndpointSettings {
  /** Requests in flight to the endpoint at once (the gate's most). */
  concurrency: number;
  timeoutMs?: number;
  maxReplyBytes?: number;
  outageGraceMs?: number;
  /** Where the key came from, for the advice on a refused key (undefined: not known). */
  keySource?: KeySource;
  /** False when no --base-url was given: a resume goes where its checkpoint's calls went. */
  addressGiven?: boolean;
}

/**
 * Checks the options before any file, lock or request is touched: a bad value is exit 1 with its message.
 * Given the environment, it notes where the key comes from too.
 */
export function endpointSettings(
  args: {
    concurrency?: string;
    'timeout-ms'?: string;
    'max-reply-mb'?: string;
    'outage-grace-ms'?: string;
    'api-key'?: string;
    'base-url'?: string;
  },
  env?: Record<string, string | undefined>,
): EndpointSettings {
  const concurrency =
    intArg(args.concurrency, 'concurrency', 1, MAX_ENDPOINT_CONCURRENCY) ?? DEFAULT_ENDPOINT_CONCURRENCY;
  const out: EndpointSettings = { concurrency, addressGiven: Boolean(args['base-url']?.trim()) };
  if (env) out.keySource = apiKeyFrom(args, env).keySource;
  // Node's timers hold at most 2^31 − 1 ms (about 24 days); a longer one fires at once. A day is plenty.
  const timeoutMs = intArg(args['timeout-ms'], 'timeout-ms', 1, MAX_TIMEOUT_MS);
  const mb = numArg(args['max-reply-mb'], 'max-reply-mb');
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  if (mb !== undefined) out.maxReplyBytes = Math.max(1024, Math.round(mb * 2 ** 20));
  const graceMs = intArg(args['outage-grace-ms'], 'outage-grace-ms', 0, MAX_OUTAGE_GRACE_MS);
  if (graceMs !== undefined) out.outageGraceMs = graceMs;
  return out;
}

/**
 * Jobs a command keeps in flight: every role calls the one endpoint, so its slots. The page's worker counts
 * the same way over the endpoints its roles use (runWidth), so both run as wide.
 */
export function runWidthOf(settings: EndpointSettings): number {
  return runWidth([{ id: 'endpoint', slots: settings.concurrency }]);
}

/**
 * One model per distinct id, all behind the endpoint's one gate (every role's requests share the server's
 * parallel slots) and one outage watch (they wait out the server's short outages together): `guards`, made by
 * endpointGuards(settings) before the models were listed, so the listing counts as the endpoint answering.
 * `ids` are resolved ones (see resolve-models.ts); the result is in their order.
 */
export function endpointModels(
  server: { baseUrl: string; apiKey?: string },
  ids: readonly string[],
  settings: EndpointSettings,
  { gate, outage }: EndpointGuards,
): OpenAICompatibleModel[] {
  const { timeoutMs, maxReplyBytes } = settings;
  const made = new Map<string, OpenAICompatibleModel>();
  return ids.map((id) => {
    let m = made.get(id);
    if (!m) {
      m = new OpenAICompatibleModel({ ...server, model: id, gate, outage, timeoutMs, maxReplyBytes });
      made.set(id, m);
    }
    return m;
  });
}

/** What the hint under an endpoint error reads of the command's settings. */
export type HintSettings = Pick<EndpointSettings, 'timeoutMs' | 'outageGraceMs' | 'keySource' | 'addressGiven'>;

/** The hint under an endpoint error: what to check, and the option that helps when one does. */
export function endpointHint(errorName: string, settings: HintSettings): string | undefined {
  // The endpoint's message says only that the prompt did not fit; what to do is said here, once.
  if (errorName === ErrorName.ContextWindowExceeded) {
    return 'Give the model a larger context window (Ollama: OLLAMA_CONTEXT_LENGTH=8192; llama-server: -c 8192 for each parallel slot), or use a model that has one.';
  }
  if (!ENDPOINT_ERROR_NAMES.has(errorName)) return undefined;
  if (errorName === ErrorName.Timeout) {
    const now = settings.timeoutMs ?? HTTP_DEFAULTS.timeoutMs;
    return `If the endpoint is just slow, raise --timeout-ms (now ${now}).`;
  }
  if (errorName === ErrorName.ReplyTooLarge) return 'If such long replies are expected, raise --max-reply-mb.';
  if (errorName === ErrorName.EndpointDown) {
    const now = settings.outageGraceMs ?? HTTP_DEFAULTS.outageGraceMs;
    return `It answered before, so the address is right; if it takes longer to restart, raise --outage-grace-ms (now ${now}).`;
  }
  // It answered, so the key is right; a 502/503/504 may come from a proxy whose server behind it is down.
  if (errorName === ErrorName.ServerError) {
    return 'The server answered but failed the requests: check its logs, and that the server behind --base-url is running.';
  }
  if (errorName === ErrorName.StreamCut) {
    return 'The server stopped in the middle of an answer: check its logs (a restart, or out of memory?), then try again.';
  }
  if (errorName === ErrorName.EmptyReplies) {
    return 'It answered with text before, so the address and key are right: check the server and its model.';
  }
  if (errorName === ErrorName.Auth) return authHint(settings.keySource);
  if (errorName === ErrorName.NotFound) return 'Check --base-url (it usually ends in /v1) and the model name.';
  // Nothing answered: no key was looked at. The message already says to check the server and its address:
  // the hint only names where that address comes from, rather than saying the same again.
  if (errorName === ErrorName.Network)
    return settings.addressGiven === false
      ? "The address and port are the ones this run's checkpoint recorded: give --base-url to use another."
      : 'The address and port are the ones given with --base-url.';
  return 'Check --base-url, --api-key and that the server is running.';
}

/** A refused key: the advice depends on whether one was sent, and from where. */
function authHint(source: KeySource | undefined): string {
  if (source === null) return `This server needs an API key: pass --api-key KEY, or set ${KEY_VARIABLES[0]}.`;
  if (source === undefined || source === '--api-key')
    return 'Check --api-key (leave it out for a server that needs none).';
  return `Check the key in $${source} (--api-key, when given, is used instead).`;
}
