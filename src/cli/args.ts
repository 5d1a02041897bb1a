/** Small helpers on top of node:util parseArgs, turning its errors into readable ones. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, ErrorName } from '../core/contracts/errors';
import { shownAddress } from '../core/formats/base-url';
import { closeMatches } from '../core/words/close-matches';

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

/** What a help placeholder ("--out FILE") asks for, in words. */
const PLACEHOLDER_WORDS: Record<string, string> = {
  FILE: 'a file path',
  F: 'a file path',
  CHECKPOINT: 'a checkpoint file path',
  N: 'a number',
  URL: 'a URL such as http://127.0.0.1:11434/v1',
  ID: 'a model id',
  KEY: 'an API key',
  NAME: 'a name',
  TEXT: 'some text',
};

/** "a file path" for --out when the help shows `--out FILE`; "a value" when it shows no placeholder. */
function valueWords(usage: string, flag: string): string {
  const placeholder = new RegExp(`--${flag} ([A-Z]+)\\b`).exec(usage)?.[1];
  return (placeholder && PLACEHOLDER_WORDS[placeholder]) ?? 'a value';
}

/**
 * parseArgs' own messages ("Option '--out <value>' argument missing") reworded as the rest of the CLI
 * speaks: what the option needs, in words its help uses. The caller adds where the help is.
 */
function parseError(err: unknown, options: Options, usage: string): string {
  const e = err as { code?: string; message?: string };
  const message = String(e.message ?? err);
  // The long name where the message gives both ("Option '-h, --help' does not take an argument").
  const flag = /--([\w-]+)/.exec(message)?.[1] ?? /'-(\w)/.exec(message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return `--${flag} takes no value: give it alone.`;
      if (/ambiguous/.test(message))
        return `--${flag} needs a value (${valueWords(usage, flag)}), not the option after it. For a value starting with "-", write --${flag}=-value.`;
      return `--${flag} needs a value (${valueWords(usage, flag)}).`;
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = closeMatches(Object.keys(options), flag, 1);
      return `Unknown option '${message.match(/'([^']+)'/)?.[1] ?? flag}'.${near.length ? ` Did you mean --${near[0]}?` : ''}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /'([^']*)'/.exec(message)?.[1] ?? '';
      return `Unexpected argument "${arg}": every value goes after its option (as in --out FILE).`;
    }
    default:
      return message.replace(/\. To specify a positional.*$/s, '.');
  }
}

/** `usage` is the command's help text: an option error names what the option needs as its help does. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage: string, positionals = false) {
  try {
    const args = joinNegativeValues(argv, options);
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals, tokens: true });
    const repeated = repeatedValue(parsed.tokens, options);
    if (repeated) throw repeated;
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw bad(parseError(err, options, usage));
  }
}

/**
 * An option that takes one value, given twice with different values: parseArgs keeps the last one without a
 * word, so `--train a.jsonl --train b.jsonl` would train on b alone and `--model x … --model y` use y. Said
 * instead; the same value twice (a script that repeats an option) changes nothing and is let through.
 */
function repeatedValue(tokens: ReturnType<typeof parseArgs>['tokens'], options: Options): AppError | null {
  const seen = new Map<string, string>();
  for (const t of tokens ?? []) {
    if (t.kind !== 'option' || options[t.name]?.type !== 'string' || options[t.name]?.multiple) continue;
    const value = t.value ?? '';
    const before = seen.get(t.name);
    if (before === undefined || sameValue(t.name, before, value)) {
      seen.set(t.name, value);
      continue;
    }
    return bad(`--${t.name} is given twice${shownPair(t.name, before, value)}: give it once.`);
  }
  return null;
}

/** Options whose value the commands trim before use: "x" and "x " are one value there. */
const TRIMMED = new Set(['base-url', 'model', 'judge-model', 'aspect-model', 'optimizer-model', 'name']);

function sameValue(name: string, a: string, b: string): boolean {
  return TRIMMED.has(name) ? a.trim() === b.trim() : a === b;
}

/** An address as typed without what may hold a secret (user:password, the query, a fragment). */
const withoutSecrets = (v: string): string =>
  v
    .trim()
    .replace(/[?#].*$/s, '')
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1');

/**
 * The two values as the message shows them, for the message may end up in a log or a bug report: an API
 * key never; an address as read (shownAddress: no user:password, no query, which may hold a key under any
 * name). Two that read alike are said to differ in what is not shown, or only in how they are written.
 */
function shownPair(name: string, a: string, b: string): string {
  if (name === 'api-key') return '';
  if (name !== 'base-url') return ` ("${a}" and "${b}")`;
  const [shownA, shownB] = [shownAddress(a), shownAddress(b)];
  if (shownA !== shownB) return ` ("${shownA}" and "${shownB}")`;
  return withoutSecrets(a) === withoutSecrets(b)
    ? ` (both "${shownA}", differing only in user:password or the query, which are not shown)`
    : ` (both read as "${shownA}", written two ways)`;
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
