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

/** A whole number within [min, max]; an empty value is not 0, and past 2^53 numbers lose their last digits. */
export function intArg(
  value: string | undefined,
  flag: string,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  // Digits only: Number() would also read "1e3", "0x10" and "1.0" as whole numbers the user did not type.
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw bad(`--${flag} must be a whole number ${range} (got "${value}").`);
  }
  return n;
}

export function numArg(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  // Plain decimals only, as intArg: Number() would read "0x10" as 16 and "1e3" as 1000.
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw bad(`--${flag} must be a positive number (got "${value}").`);
  return n;
}
