/**
 * What every `drpo` subcommand gets instead of touching `process` directly, so commands run
 * in-process in tests. Exit codes are shared by all subcommands.
 */
import { ENDPOINT_ERROR_NAMES, ErrorName, serializeError } from '../core/contracts/errors';
import { endpointHint, type HintSettings } from './endpoint-options';

export interface CliStream {
  write(s: string): unknown;
  /** Set for a terminal: progress redraws in place. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl+C: the run stops cooperatively and keeps its checkpoint. */
  signal?: AbortSignal;
}

export const EXIT = { ok: 0, input: 1, endpoint: 2, budget: 3, interrupted: 130 } as const;

/**
 * ModelNotListed is a bad argument (a misspelt --model), so it exits 1 with the close matches; NoModelsListed
 * (the server lists none) exits 1 too, as it always has (docs/cli.md), though no option was wrong.
 */
export function exitCodeFor(err: unknown): number {
  const name = serializeError(err).name;
  if (name === ErrorName.Abort) return EXIT.interrupted;
  if (name === ErrorName.Budget) return EXIT.budget;
  // Not one answer judged: what the endpoint's model sent was unusable (empty, or unreadable judgements).
  if (name === ErrorName.NothingScored) return EXIT.endpoint;
  return ENDPOINT_ERROR_NAMES.has(name) ? EXIT.endpoint : EXIT.input;
}

/** The last line of a bad-arguments report: where the command's options are listed. */
export function helpHint(command: string): string {
  return `Run "drpo ${command} --help" for all options.`;
}

/** Failures that exit as bad input where the options are not what went wrong: pointing at --help would mislead. */
const NOT_THE_OPTIONS: ReadonlySet<string> = new Set([
  // A file that could not be written: the disk or the folder is.
  ErrorName.StorageUnavailable,
  // A server that lists no models: one must be loaded there (the error's detail says how).
  ErrorName.NoModelsListed,
]);

/** The help line for a failure that exits as bad input, and none for one the options did not cause. */
export function inputHint(command: string, err: unknown): string | undefined {
  if (exitCodeFor(err) !== EXIT.input) return undefined;
  return NOT_THE_OPTIONS.has(serializeError(err).name) ? undefined : helpHint(command);
}

/**
 * One line for the problem, an indented line of detail, and a hint: `hint` when given, else for an
 * endpoint failure what to check and which of the command's `endpoint` settings to raise.
 */
export function reportError(
  io: CliIo,
  command: string,
  err: unknown,
  hint?: string,
  endpoint: HintSettings = {},
): number {
  const e = serializeError(err);
  io.stderr.write(`drpo ${command}: ${e.message}\n`);
  if (e.detail) io.stderr.write(`  ${e.detail}\n`);
  const shown = hint ?? endpointHint(e.name, endpoint);
  if (shown) io.stderr.write(`  ${shown}\n`);
  return exitCodeFor(err);
}
