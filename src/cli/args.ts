/** Small helpers on top of node:util parseArgs, turning its errors into readable ones. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, ErrorName } from '../core/contracts/errors';

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
