/**
 * The `drpo` command line. `runCli` is the testable core (no process globals); `main` wires it
 * to the real process: argv, streams, exit code and Ctrl+C.
 */
import { pathToFileURL } from 'node:url';
import { closeMatches } from '../core/words/close-matches';
import { listInWords } from '../core/words/list-words';
import { EXIT, type CliIo } from './cli-io';
import { runExportCommand } from './commands/export-command';
import { runImportCommand } from './commands/import-command';
import { runOptimizeCommand } from './commands/optimize-command';

export { EXIT, type CliIo } from './cli-io';

export const MAIN_USAGE = `Usage: drpo <command> [options]

DRPO Studio on the command line: align a model's system prompt with DRPO (Dynamic Rewarding
with Prompt Optimization) using an OpenAI-compatible endpoint.

Commands:
  optimize      search for a better system prompt and write an alignment file
  eval          compare alignment files on a set of test queries
  export        write an alignment for Ollama, llama.cpp, a chat API, the OpenAI SDK or WebLLM
  import-drpo   convert a prompt file published with the DRPO paper

Run "drpo <command> --help" (or "drpo help <command>") for the options of a command,
"drpo --version" for the version.
`;

/** package.json's version, set by scripts/build-cli.mjs; absent when the source runs unbundled (tests, tsx). */
declare const __DRPO_VERSION__: string | undefined;

/**
 * The bundle knows its version without carrying package.json (which names the page's libraries too); the
 * source run as it is reads it from the repository.
 */
async function cliVersion(): Promise<string> {
  if (typeof __DRPO_VERSION__ === 'string') return __DRPO_VERSION__;
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

const COMMANDS = ['optimize', 'eval', 'export', 'import-drpo'];

/** "Did you mean import-drpo?" for `drpo import`, `drpo optimise`, `drpo evaluate`; '' when nothing is close. */
function didYouMean(command: string, rest: readonly string[]): string {
  if (['-v', '-V', 'version'].includes(command)) return ' Did you mean --version?';
  if (command.startsWith('-')) {
    // A misspelt option of drpo's own (`--verison`, `--hlep`) before "the command goes first", which is not it.
    const option = closeMatches(['--version', '--help'], command, 1);
    if (option.length) return ` Did you mean ${option[0]}?`;
    // Options before the command (`drpo --base-url URL optimize …`): the command goes first.
    const later = rest.find((a) => COMMANDS.includes(a));
    return later
      ? ` The command goes first: drpo ${later} ${command} …`
      : ` The command goes first: ${listInWords(COMMANDS, 'or')}.`;
  }
  const near = closeMatches(COMMANDS, command, 1);
  return near.length ? ` Did you mean ${near[0]}?` : '';
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
      io.stdout.write(MAIN_USAGE);
      return command === undefined ? EXIT.input : EXIT.ok;
    case 'help':
      // `drpo help eval` is `drpo eval --help`; a misspelt command gets the same hint as at the front.
      if (rest[0] !== undefined && !rest[0].startsWith('-')) return runCli([rest[0], '--help'], io);
      io.stdout.write(MAIN_USAGE);
      return EXIT.ok;
    case '--version':
      io.stdout.write(`drpo ${await cliVersion()}\n`);
      return EXIT.ok;
    case 'optimize':
      return runOptimizeCommand(rest, io);
    case 'import-drpo':
      return runImportCommand(rest, io);
    case 'export':
      return runExportCommand(rest, io);
    case 'eval': {
      // Loaded lazily: the evaluation code is only needed by this subcommand.
      const { runEvalCommand } = await import('./commands/eval-command');
      return runEvalCommand(rest, io);
    }
    default:
      io.stderr.write(
        `drpo: unknown command "${command}".${didYouMean(command, rest)}\n  Run "drpo --help" for the list of commands.\n`,
      );
      return EXIT.input;
  }
}

/** Entry point for bin/drpo.mjs and `tsx src/cli/drpo.ts`. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nStopping after the current step (press Ctrl+C again to quit at once)…\n');
      controller.abort();
    } else process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSigint);
  // A reader that goes away (`drpo optimize --json | head`) stops the run as Ctrl+C does, checkpoint kept,
  // instead of crashing on an unhandled EPIPE; later writes to the closed pipe are dropped.
  const onPipeError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    controller.abort();
  };
  process.stdout.on('error', onPipeError);
  process.stderr.on('error', onPipeError);
  try {
    const code = await runCli(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      signal: controller.signal,
    });
    process.exitCode = code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) void main();
