/** Options every endpoint-calling subcommand shares: the server, models and key, and how long one attempt may take and how big a reply may be. */
import { ENDPOINT_ERROR_NAMES, ErrorName } from '../core/contracts/errors';
import { DEFAULT_MAX_REPLY_BYTES } from '../core/calls/endpoint-limits';
import { HTTP_DEFAULTS } from '../core/calls/endpoint-limits';
import { intArg, numArg } from './args';

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
  out: TEXT,
  help: { type: 'boolean', short: 'h' },
} as const;

/** `{ name: { type: 'string' } }` for each option name (a parseArgs spec). */
export function textOptions<const K extends string>(...names: K[]): { [P in K]: typeof TEXT } {
  return Object.fromEntries(names.map((n) => [n, TEXT])) as { [P in K]: typeof TEXT };
}

/** Help lines, the descriptions starting at column `width`. */
export function endpointUsage(width: number): string {
  const row = (flag: string, text: string) => `  ${flag.padEnd(width - 2)}${text}`;
  return [
    row('--timeout-ms N', `per request attempt, the whole answer included (default ${HTTP_DEFAULTS.timeoutMs})`),
    row('--max-reply-mb N', `largest reply read from the endpoint (default ${DEFAULT_MAX_REPLY_BYTES / 2 ** 20})`),
  ].join('\n');
}

export interface EndpointSettings {
  timeoutMs?: number;
  maxReplyBytes?: number;
}

export function endpointSettings(args: { 'timeout-ms'?: string; 'max-reply-mb'?: string }): EndpointSettings {
  const out: EndpointSettings = {};
  const timeoutMs = intArg(args['timeout-ms'], 'timeout-ms', 1);
  const mb = numArg(args['max-reply-mb'], 'max-reply-mb');
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  if (mb !== undefined) out.maxReplyBytes = Math.max(1024, Math.round(mb * 2 ** 20));
  return out;
}

/** The hint under an endpoint error: what to check, and the option that helps when one does. */
export function endpointHint(errorName: string, settings: EndpointSettings): string | undefined {
  if (!ENDPOINT_ERROR_NAMES.has(errorName)) return undefined;
  if (errorName === ErrorName.Timeout) {
    const now = settings.timeoutMs ?? HTTP_DEFAULTS.timeoutMs;
    return `If the endpoint is just slow, raise --timeout-ms (now ${now}).`;
  }
  if (errorName === ErrorName.ReplyTooLarge) return 'If such long replies are expected, raise --max-reply-mb.';
  return 'Check --base-url, --api-key and that the server is running.';
}
