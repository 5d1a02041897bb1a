/** Small helpers on top of node:util parseArgs, turning its errors into readable ones. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, ErrorName } from '../core/contracts/errors';

export function bad(message: string): AppError {
  return new AppError(ErrorName.InvalidInput, message);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** A value that reads as a negative number ("-1", "-0.5", "-.5"). */
const NEGATIVE = /^-(\d|\.\d)/;

/**
 * `--flag -1` is passed on as `--flag=-1`: parseArgs calls a value starting with a dash ambiguous and says
 * nothing about the number, which the flag's own check then does, as it does for `--flag=-1`.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name && options[name]?.type === 'string' && next !== undefined && NEGATIVE.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function parseCommandArgs<O extends Options>(argv: string[], options: O, positionals = false) {
  try {
    const args = joinNegativeValues(argv, options);
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
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
  const digits = /^\s*\d+\s*$/.test(value);
  const n = digits ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    // The rule the value breaks: a flag without a limit of its own names 2^53 − 1 only to a value past it.
    const tooBig = digits && !(n <= max);
    const range = max === Number.MAX_SAFE_INTEGER && !tooBig ? `≥ ${min}` : `from ${min} to ${max}`;
    throw bad(`--${flag} must be a whole number ${range} (got "${value}").`);
  }
  return n;
}

export function numArg(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  // Plain decimals only, as intArg: Number() would read "0x10" as 16 and "1e3" as 1000.
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw bad(`--${flag} must be a positive decimal number such as 2.5 (got "${value}").`);
  return n;
}
