/** Small helpers on top of node:util parseArgs, turning its errors into readable ones. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, ErrorName } from '../core/contracts/errors';
import { DEFAULT_ENDPOINT_CONCURRENCY, MAX_ENDPOINT_CONCURRENCY } from '../core/calls/endpoint-limits';

export function bad(message: string): AppError {
  return new AppError(ErrorName.InvalidInput, message);
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(argv: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: positionals });
  } catch (err) {
    // parseArgs messages are already specific ("Unknown option '--x'"); keep them, drop the code.
    const msg = err instanceof Error ? err.message.replace(/\. To specify a positional.*$/s, '.') : String(err);
    throw bad(msg);
  }
}

export function intArg(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw bad(`--${flag} must be a whole number ≥ ${min} (got "${value}").`);
  return n;
}

export function numArg(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw bad(`--${flag} must be a positive number (got "${value}").`);
  return n;
}

/** The --concurrency lines of a usage text whose descriptions start at column `column`. */
export function concurrencyHelp(column: number): string {
  const flag = '  --concurrency N'.padEnd(column);
  return `${flag}requests in flight to the endpoint at once (default ${DEFAULT_ENDPOINT_CONCURRENCY}, 1-${MAX_ENDPOINT_CONCURRENCY});
${' '.repeat(column)}match the server's parallel slots; results do not depend on it`;
}

export function concurrencyArg(value: string | undefined): number {
  const n = intArg(value, 'concurrency', 1) ?? DEFAULT_ENDPOINT_CONCURRENCY;
  if (n > MAX_ENDPOINT_CONCURRENCY)
    throw bad(`--concurrency must be at most ${MAX_ENDPOINT_CONCURRENCY} (got "${value}").`);
  return n;
}
