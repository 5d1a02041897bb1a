/**
 * `drpo optimize`: runs the DRPO search against an OpenAI-compatible endpoint, keeping a checkpoint
 * up to date as prompts are scored so an interrupted run resumes where it stopped.
 */
import path from 'node:path';
import { stripSecrets } from '../../core/formats/alignment-file';
import { normalizeBaseUrl, shownAddress } from '../../core/formats/base-url';
import type { ChatModel } from '../../core/contracts/chat-model';
import { BUILTIN_TRAIN } from '../../core/data/builtin-train';
import { OWN_FILE_WHAT, ownFileKind } from '../../core/data/own-files';
import { CHECKPOINT_EVERY_MS, runDrpo } from '../../core/drpo/run';
import { callKeyModel, snapshot } from '../../core/calls/call-gateway';
import { AppError, ErrorName, isAbort, serializeError, type SerializedError } from '../../core/contracts/errors';
import {
  DEFAULT_PRESET,
  DEFAULT_RUN_SEED,
  isPresetName,
  PRESET_CHOICES,
  PRESETS,
  presetRunName,
} from '../../core/plan/presets';
import {
  normalizeStartingPrompt,
  notHeldOut,
  planRun,
  runNameProblem,
  startingPromptProblem,
} from '../../core/plan/plan-run';
import {
  LARGER_JUDGE,
  PLUS_MINUS_WORDS,
  closestCandidateStep,
  refersToEvalCommand,
  selfJudged,
  uncheckedBecause,
  verdictLine,
} from '../../core/words/verdict-text';
import { closestCandidate } from '../../core/formats/closest-candidate';
import { listInWords, plural } from '../../core/words/list-words';
import { projectionCaps, projectRun } from '../../core/plan/projection';
import { checkQueries, finalCheckWarning } from '../../core/plan/settings-schema';
import type { RunCheckpoint } from '../../core/contracts/run-api';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import type { RunStats } from '../../core/contracts/run-events';
import type { Budget, PresetName, Role, RoleBinding, RunConfig } from '../../core/contracts/run-config';
import { PRESET_NAMES, ROLES } from '../../core/contracts/run-config';
import { bad, intArg, numArg, parseCommandArgs } from '../args';
import { EXIT, helpHint, inputHint, reportError, type CliIo } from '../cli-io';
import {
  checkOutputFile,
  readInputFile,
  realOrResolved,
  removeFile,
  removeStaleTemps,
  writeAtomic,
  type InputFile,
} from '../files';
import {
  changedSince,
  fileDigest,
  freeNameBeside,
  guardExistingOut,
  outOfCheckpoint,
  resumableCheckpoints,
  textDigest,
  type OutStamp,
} from '../earlier-work';
import {
  CheckpointWriter,
  MAX_OWN_OUTPUTS,
  type CliRunCheckpoint,
  checkCheckpointFile,
  checkpointPathFor,
  loadCheckpoint,
  newCliRunId,
  FILE_WRITE_EVERY_MS,
} from '../checkpoint-file';
import * as endpointCli from '../endpoint-options';
import { faultReport } from '../fault-report';
import { acquireRunLock, HEARTBEAT_MS, STALE_AFTER_MS, type RunLock } from '../run-lock';
import { readQueries } from '../read-queries';
import { resolveModels } from '../resolve-models';
import { endpointGuards } from '../../llm/openai/endpoint-guards';
import { describeProjection, ProgressLine, resumedAt } from '../progress';

/** How many questions of a --validation file each preset holds out, in words: "12 (quick), 32 (paper) or …". */
const VALIDATION_SIZES = listInWords(
  PRESET_NAMES.map((name) => `${PRESETS[name].settings.validationSize} (${name})`),
  'or',
);

/** Lines of at most 100 characters, as the rest of the help is wrapped. */
function wrapHelp(text: string): string {
  return text.replace(/(.{1,100})(?:\s+|$)/g, '$1\n').trimEnd();
}

export const OPTIMIZE_USAGE = `Usage: drpo optimize --base-url URL --model ID [options]

Aligns a model with DRPO: searches for a better system prompt, judged by a model you choose.

${endpointCli.targetUsage(27)}
  --model ID               the model to align (answers the queries)
  --judge-model ID         model that judges the answers (default: --model)
  --aspect-model ID        model that picks the aspects per query (default: the judge model)
  --optimizer-model ID     model that rewrites the prompt (default: the judge model)
  --train FILE             training queries: JSONL, JSON, CSV or text (default: built-in set)
  --validation FILE        held-out queries for the final check, in file order: the preset's first
                           ${VALIDATION_SIZES} (default: split from --train)
  --preset NAME            ${PRESET_NAMES.join(' | ')} (default: ${DEFAULT_PRESET})
  --initial-prompt TEXT    the system prompt to start from and compare against
                           (default: "You are a helpful assistant.")
  --initial-prompt-file F  the same, read from a text file
  --seed N                 seed for sampling and splits (default: 42)
  --max-tokens-budget N    stop after N generated tokens
  --max-calls N            stop after N model calls
  --max-minutes N          stop after N minutes of work (sleep does not count)
  --name NAME              a label stored in the alignment file
  --out FILE               alignment file to write (default: alignment.json; for --resume, the
                           --out its run started with)
  --force                  replace an alignment already at --out (else the run refuses to start)
  --resume CHECKPOINT      continue an interrupted run from its checkpoint (--base-url may be left
                           out: the address its calls went to is used)
${endpointCli.endpointUsage(27)}
  --json                   print run events as JSON lines on stdout
  -h, --help               show this help

A checkpoint <out>.<run id>.checkpoint.json is kept up to date: after every scored prompt and, while
calls finish, at least every ${CHECKPOINT_EVERY_MS / 1000} s (the file is rewritten at most every ${FILE_WRITE_EVERY_MS / 1000} s, and always when
the run stops). It is removed when the run is done, and kept when the run is interrupted, fails or
reaches its budget (resume it with
--resume; a budget-stopped run needs a larger --max-calls / --max-tokens-budget / --max-minutes). A new
run names the checkpoints of earlier runs for its --out that can still be resumed. While a run
goes, <checkpoint>.lock stops a second process from running the same checkpoint, and <out>.lock a
second run from writing the same --out; a run refreshes its locks every ${HEARTBEAT_MS / 1000} s, and a lock from
another machine not refreshed for ${STALE_AFTER_MS / 60_000} minutes is taken over. A "no improvement" result also
writes the closest candidate beside --out as NAME.closest.json, to try or to compare with your prompt
(drpo eval --alignment NAME.closest.json --starting).
${wrapHelp(`The last line gives the verdict against your starting prompt. ${PLUS_MINUS_WORDS}`)}
Query files: JSONL, a JSON array or CSV whose records have a query (or instruction, prompt, question)
field and an optional category, or text with one query per line (docs/query-files.md in the repository).
Exit codes: 0 done, 1 bad arguments or input (including a model the server does not list, a server that lists none,
a file already at --out without --force, and a resume whose budget is used up), 2 endpoint failure, 3 budget reached (the best alignment so far is written if any prompt was scored),
130 interrupted (Ctrl+C; the checkpoint is kept).
`;

const OPTIONS = {
  ...endpointCli.ENDPOINT_OPTIONS,
  ...endpointCli.textOptions(
    'aspect-model',
    'optimizer-model',
    'train',
    'validation',
    'preset',
    'initial-prompt',
    'initial-prompt-file',
    'max-tokens-budget',
    'max-calls',
    'max-minutes',
    'name',
    'resume',
  ),
  json: { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

type Args = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

const HELP_HINT = helpHint('optimize');

export async function runOptimizeCommand(argv: string[], io: CliIo): Promise<number> {
  let args: Args;
  try {
    args = parseCommandArgs(argv, OPTIONS, OPTIMIZE_USAGE).values;
  } catch (err) {
    return reportError(io, 'optimize', err, HELP_HINT);
  }
  if (args.help) {
    io.stdout.write(OPTIMIZE_USAGE);
    return EXIT.ok;
  }
  // Parsed first, so an endpoint failure's hint names the limits this run had.
  let endpoint: endpointCli.EndpointSettings | undefined;
  try {
    endpoint = endpointCli.endpointSettings(args, io.env);
    return await optimize(args, endpoint, io);
  } catch (err) {
    return reportError(io, 'optimize', err, inputHint('optimize', err), endpoint);
  }
}

/** The starting prompt: the root of the search and the control it must beat. */
async function readInitialPrompt(args: Args, io: CliIo): Promise<string | undefined> {
  const text = args['initial-prompt'];
  const file = args['initial-prompt-file'];
  if (text !== undefined && file !== undefined) {
    throw bad('Pass either --initial-prompt or --initial-prompt-file, not both.');
  }
  let prompt: string;
  if (file !== undefined) {
    const bytes = await readInputFile(io.cwd, file, 'starting prompt file', MAX_PROMPT_FILE_BYTES);
    try {
      prompt = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw bad(`The starting prompt file "${file}" is not UTF-8 text.`);
    }
    // A file of ours (an alignment, to go on from its prompt, say) would start the search from its JSON text.
    const kind = ownFileKind(prompt, jsonOrUndefined(prompt));
    if (kind) {
      const what = `The starting prompt file "${file}" is ${OWN_FILE_WHAT[kind]}, not a prompt as text`;
      throw bad(
        kind === 'alignment'
          ? `${what}. To start from its prompt, save that as text (jq -r .systemPrompt "${file}" > prompt.txt) and give that file.`
          : `${what}: give a text file holding only the prompt, or the prompt itself with --initial-prompt.`,
      );
    }
  } else if (text !== undefined) prompt = text;
  else return undefined;
  prompt = normalizeStartingPrompt(prompt);
  const problem = startingPromptProblem(
    prompt,
    file !== undefined ? `The starting prompt file "${file}"` : 'The starting prompt',
  );
  if (problem) throw bad(problem);
  return prompt;
}

/** `text` parsed as JSON, or undefined when it is not JSON (most prompts). */
function jsonOrUndefined(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A starting prompt is a few hundred words; a bigger file is surely the wrong one. */
const MAX_PROMPT_FILE_BYTES = 256 * 1024;

function budgetFrom(args: Args): Budget {
  const budget: Budget = {};
  const calls = intArg(args['max-calls'], 'max-calls', 1);
  const tokens = intArg(args['max-tokens-budget'], 'max-tokens-budget', 1);
  const minutes = numArg(args['max-minutes'], 'max-minutes');
  if (calls !== undefined) budget.maxCalls = calls;
  if (tokens !== undefined) budget.maxGeneratedTokens = tokens;
  if (minutes !== undefined) budget.maxWallMs = Math.round(minutes * 60_000);
  return budget;
}

function roleModels(args: Args, fallback?: Record<Role, RoleBinding>): Record<Role, string> {
  const policy = args.model?.trim() || fallback?.policy.modelId;
  if (!policy) throw bad('Missing --model (the model to align).');
  const judge = args['judge-model']?.trim() || fallback?.judge.modelId || policy;
  return {
    policy,
    judge,
    aspect: args['aspect-model']?.trim() || fallback?.aspect.modelId || judge,
    optimizer: args['optimizer-model']?.trim() || fallback?.optimizer.modelId || judge,
  };
}

async function buildConfig(args: Args, io: CliIo, ids: Record<Role, string>): Promise<RunConfig> {
  const preset = args.preset ?? DEFAULT_PRESET;
  if (!isPresetName(preset)) throw bad(`--preset must be ${PRESET_CHOICES} (got "${preset}").`);
  const roles = Object.fromEntries(
    ROLES.map((r) => [r, { engine: 'openai', modelId: ids[r], endpointId: 'cli' } satisfies RoleBinding]),
  ) as Record<Role, RoleBinding>;
  const name = runName(args.name, preset);
  const initialPrompt = await readInitialPrompt(args, io);
  const queries = args.train ? await readQueries(args.train, io, 'training file') : BUILTIN_TRAIN;
  const validation = args.validation ? await readQueries(args.validation, io, 'validation file') : undefined;
  if (validation && notHeldOut(queries, validation).length === 0) throw bad(await allHeldOut(args, io));
  // The page plans its runs with the same function: the same data, seed and settings give the same search.
  const config = planRun({
    preset,
    seed: intArg(args.seed, 'seed', 0) ?? DEFAULT_RUN_SEED,
    roles,
    budget: budgetFrom(args),
    queries,
    ...(validation ? { validation } : {}),
    ...(initialPrompt !== undefined ? { initialPrompt } : {}),
    ...(name !== undefined ? { name } : {}),
  });
  const overlap = validation ? queries.length - config.trainQueries.length : 0;
  if (overlap > 0) {
    io.stderr.write(
      `note: ${overlap} ${overlap === 1 ? 'question' : 'questions'} of the training file ${overlap === 1 ? 'is' : 'are'} also in --validation: held out, not trained on.\n`,
    );
  }
  return config;
}

/**
 * --name as the run is labelled with: trimmed, as the Run view's field is. Empty (or only spaces) is refused
 * rather than read as no name: the user asked for a label and would find the preset's default in the file.
 */
function runName(value: string | undefined, preset: PresetName): string | undefined {
  if (value === undefined) return undefined;
  const name = value.trim();
  if (!name)
    throw bad(`--name is empty: give a name, or leave --name out to use the default ("${presetRunName(preset)}").`);
  const problem = runNameProblem(name);
  if (problem) throw bad(problem);
  return name;
}

/**
 * Why no training question is left beside --validation: the same file given twice (a slip when editing a
 * command), or a validation file holding every training question. Both are said with what to do.
 */
async function allHeldOut(args: Args, io: CliIo): Promise<string> {
  const fix = 'Give --validation a file of other questions, or leave it out to hold some out of the training file.';
  const validation = args.validation!;
  if (args.train) {
    const [train, held] = await Promise.all(
      [args.train, validation].map((f) => realOrResolved(path.resolve(io.cwd, f))),
    );
    if (train === held)
      return `--train and --validation are the same file ("${validation}"): every training question would be held out (held-out questions are never trained on), so none is left for the search. ${fix}`;
  }
  const from = args.train ? `the training file "${args.train}"` : 'the built-in training set';
  return `Every question of ${from} is also in the validation file "${validation}" (held-out questions are never trained on), so none is left for the search. ${fix}`;
}

/**
 * A resumed run must call the models its finished calls came from: the cache is keyed by the endpoint's own
 * id, so a server that now names the model otherwise would be paid again for every finished call.
 */
function assertSameModels(cp: RunCheckpoint, ids: readonly string[]): void {
  // One pass over the cache: the models each role's finished calls came from.
  const before = new Map<string, Set<string>>();
  for (const key of Object.keys(cp.calls)) {
    const { role, modelId } = callKeyModel(key);
    before.set(role, (before.get(role) ?? new Set()).add(modelId));
  }
  for (const [i, r] of ROLES.entries()) {
    const used = before.get(r);
    const was = used && [...used][0];
    if (was !== undefined && !used!.has(ids[i]!)) {
      throw bad(
        `The endpoint now serves the ${r} model as "${ids[i]}", but this run's finished calls came from "${was}": ` +
          `resuming would pay for all of them again. Serve it as "${was}" again, or start a new run.`,
      );
    }
  }
}

async function optimize(args: Args, endpoint: endpointCli.EndpointSettings, io: CliIo): Promise<number> {
  // A resume may leave --base-url out: its checkpoint records where the calls went (read once it is loaded).
  const { baseUrl, apiKey } =
    args.resume && !args['base-url']?.trim()
      ? { baseUrl: undefined, apiKey: endpointCli.apiKeyFrom(args, io.env).apiKey }
      : endpointCli.endpointTarget(args, io.env);
  // Before any work: a result that cannot be written (or would replace an input) is told now, not after the run.
  const inputs: InputFile[] = [
    { flag: 'train', file: args.train },
    { flag: 'validation', file: args.validation },
    { flag: 'initial-prompt-file', file: args['initial-prompt-file'] },
    { flag: 'resume', file: args.resume },
  ];
  // A resume writes the --out its run started with (the checkpoint is named after it), unless told otherwise.
  const runOut = args.resume ? outOfCheckpoint(path.resolve(io.cwd, args.resume)) : undefined;
  const shownOut = args.out ?? (runOut ? path.relative(io.cwd, runOut) || runOut : 'alignment.json');
  // A new run's checkpoint, its lock and their temp files are named after --out: they must fit beside it too.
  const out = await checkOutputFile(io.cwd, args.out, 'out', shownOut, inputs, {
    ...(args.resume ? {} : { suffixChars: 72 }),
  });
  // The closest candidate's side file is written (or a stale one removed) beside --out: checked the same way.
  const nearPath = await checkOutputFile(io.cwd, closestPathFor(out), 'out', '', inputs, {
    what: `The closest-candidate file "${closestPathFor(out)}" (written beside --out)`,
  });
  // The arguments and input files are read before earlier work at --out is looked at: a typo or a missing file
  // is told as such, not as an alignment to pass --force over. (A resume keeps its own settings: only its
  // budget options are read from the command line.)
  const newConfig = args.resume ? undefined : await buildConfig(args, io, roleModels(args));
  if (args.resume) budgetFrom(args);
  const runId = args.resume ? undefined : newCliRunId();
  const checkpointPath = args.resume ? path.resolve(io.cwd, args.resume) : checkpointPathFor(out, runId!);
  // Before the lock (made beside it): a wrong --resume path is told as such, not as a lock that cannot be made.
  if (args.resume) await checkCheckpointFile(io.cwd, args.resume);
  // Read before the guard below: it records which alignments the run may write over.
  const resumed = args.resume ? await loadCheckpoint(io.cwd, args.resume) : undefined;
  const sameOut = !!runOut && (await realOrResolved(runOut)) === out;
  // The calls an earlier run for this --out made are paid for: a new run names the commands that continue them.
  const earlier = args.resume ? [] : await resumableCheckpoints(out);
  const shownEarlier = await Promise.all(
    earlier.slice(0, MAX_RESUMABLE_SHOWN).map((cp) => resumeCommandFor(io.cwd, cp, endpoint.keySource)),
  );
  // An alignment already at --out is not replaced unless asked: refused now, before a call is spent. After a
  // budget stop that is the common case, and continuing the run is the way out most wanted. A resume may replace
  // only its own run's alignment there: not one another run wrote after it stopped (an interrupted run resumed
  // after a new run for that --out finished), which is the same name but not the same work. Its own is told by the
  // digests, whatever --out it is at: a resume given another --out writes there, and so does the command it prints
  // to continue.
  const ownOutputs = resumed?.ownOutputs ?? [];
  const ownRun = resumed && ownRunAt(resumed.ownOutputs, await fileDigest(out), sameOut);
  const outStamp = await guardExistingOut({
    out,
    shown: shownOut,
    cwd: io.cwd,
    force: args.force,
    doer: args.resume ? 'this resume' : 'this run',
    ...(ownRun !== undefined ? { ownRun } : {}),
    ...(shownEarlier.length > 0 ? { orContinue: shownEarlier[0]! } : {}),
  });
  // The file there now may be written over (it is the run's own, or --force said so): a later resume of this run
  // may too, and so the one this run writes.
  const atStart = outStamp ? await fileDigest(out) : null;
  const owned = atStart && !ownOutputs.includes(atStart) ? [...ownOutputs, atStart] : [...ownOutputs];
  // One process per checkpoint: a second `--resume` of the same file stops here (exit 1).
  const note = (line: string) => void io.stderr.write(`${line}\n`);
  const lock = await acquireRunLock(checkpointPath, { shownAs: args.resume, note });
  let outLock: RunLock | undefined;
  try {
    // And one per --out: two runs writing one result would silently replace each other's.
    outLock = await acquireRunLock(out, { shownAs: shownOut, what: 'output file', note });
    // Temp files of writers killed mid-write go now, not never.
    await Promise.all([removeStaleTemps(checkpointPath), removeStaleTemps(out)]);
    return await optimizeLocked(args, io, {
      baseUrl,
      apiKey,
      out,
      outStamp,
      nearPath,
      endpoint,
      runId,
      checkpointPath,
      owned,
      newConfig,
      startsOver: startsOverNote(shownOut, earlier.length, shownEarlier),
    });
  } finally {
    await outLock?.release();
    await lock.release();
  }
}

/**
 * Whether the alignment at a resume's --out (digest `atOut`) is its run's, for guardExistingOut: true when its
 * checkpoint lists it, at whatever --out. False only at the --out the run started with (`sameOut`), where another
 * file can only have been written after the run began; elsewhere undefined, as it may have been there before. A
 * checkpoint without digests (an older drpo's) cannot tell: the rule before them holds, its resume may replace the
 * alignment at the --out its run started with, and nothing is said about whose another one is.
 */
function ownRunAt(listed: readonly string[] | undefined, atOut: string | null, sameOut: boolean): boolean | undefined {
  if (listed === undefined) return sameOut || undefined;
  if (atOut !== null && listed.includes(atOut)) return true;
  return sameOut ? false : undefined;
}

/**
 * Said when a new run really starts (its checks passed): earlier runs for --out could have been continued
 * instead, each with the command that does it. Empty when there are none.
 */
function startsOverNote(shownOut: string, found: number, commands: readonly string[]): string {
  if (found === 0) return '';
  const one = found === 1;
  const more = found - commands.length;
  return (
    `note: ${one ? 'an earlier run' : `${found} earlier runs`} for ${shownOut} stopped before ${one ? 'it was' : 'they were'} done; ` +
    `this run starts over. To continue ${one ? 'it' : 'one'} instead, stop this one (Ctrl+C) and run:\n` +
    commands.map((c) => `  ${c}\n`).join('') +
    (more > 0 ? `  (and ${plural(more, 'older checkpoint')})\n` : '')
  );
}

/**
 * The command that continues the run of checkpoint `cp` (no --base-url: the checkpoint records the address),
 * with the budget option raised when its budget is used: as printed, it is not refused. A checkpoint that
 * cannot be read gets the bare command (resuming it says what is wrong).
 */
async function resumeCommandFor(
  cwd: string,
  cp: string,
  keySource: endpointCli.KeySource | undefined,
): Promise<string> {
  const spent = await loadCheckpoint(cwd, cp).then(
    (c) => budgetSpent(snapshot(c.stats), c.config.budget),
    () => null,
  );
  return (
    `drpo optimize --resume ${path.relative(cwd, cp) || cp}${spent ? ` ${spent.flag} ${spent.raised}` : ''}` +
    endpointCli.addYourKey(keySource)
  );
}

/** Checkpoints named one by one in that note; the rest are counted. */
const MAX_RESUMABLE_SHOWN = 3;

/** A budget a run's stats have reached: the option to raise, and a value to raise it to (twice as much). */
interface SpentBudget {
  used: number;
  limit: number;
  noun: string;
  flag: string;
  scale: number;
  raised: number;
}

/** The first budget `stats` have used up, if any: one rule for the refusal and the commands that avoid it. */
function budgetSpent(stats: RunStats, budget: Budget): SpentBudget | null {
  const kinds: [used: number, limit: number | undefined, noun: string, flag: string, scale: number][] = [
    [stats.calls, budget.maxCalls, 'call', '--max-calls', 1],
    [stats.generatedTokens, budget.maxGeneratedTokens, 'generated token', '--max-tokens-budget', 1],
    [stats.elapsedMs, budget.maxWallMs, 'minute', '--max-minutes', 60_000],
  ];
  for (const [used, limit, noun, flag, scale] of kinds) {
    if (limit === undefined || used < limit) continue;
    return { used, limit, noun, flag, scale, raised: Math.ceil((2 * Math.max(used, limit)) / scale) };
  }
  return null;
}

/**
 * The budget a run that stopped at it should raise, and to what: the one it used up (twice as much), else (it
 * stopped a call short, its last calls not fitting) the first it has, doubled.
 */
function budgetToRaise(stats: RunStats, budget: Budget): { flag: string; raised: number } {
  const spent = budgetSpent(stats, budget);
  if (spent) return spent;
  if (budget.maxCalls !== undefined) return { flag: '--max-calls', raised: 2 * budget.maxCalls };
  if (budget.maxGeneratedTokens !== undefined)
    return { flag: '--max-tokens-budget', raised: 2 * budget.maxGeneratedTokens };
  return { flag: '--max-minutes', raised: Math.ceil((2 * (budget.maxWallMs ?? 60_000)) / 60_000) };
}

/**
 * A resume whose budget is already used would stop before its first call, saying the same again: said now,
 * with the option to raise. Not lifted by leaving the flag out: a budget caps what the run may spend.
 */
function budgetAlreadyUsed(stats: RunStats, budget: Budget): string | null {
  const s = budgetSpent(stats, budget);
  if (!s) return null;
  const shown = (n: number) => Math.round(n * 10) / 10;
  return (
    `This run's budget is already used: ${shown(s.used / s.scale)} of ${plural(shown(s.limit / s.scale), s.noun)}. ` +
    `Resume with a larger ${s.flag} to go on (e.g. ${s.flag} ${s.raised}); the finished calls are not made again.`
  );
}

/** `<out>.closest.json` (`.json` replaced): where a "no improvement" result keeps its closest candidate. */
function closestPathFor(out: string): string {
  return out.replace(/(\.json)?$/i, '.closest.json');
}

interface Locked {
  /** Undefined: a resume without --base-url (the checkpoint's address is used). */
  baseUrl: string | undefined;
  apiKey: string | undefined;
  out: string;
  outStamp: OutStamp;
  nearPath: string;
  endpoint: endpointCli.EndpointSettings;
  runId: string | undefined;
  checkpointPath: string;
  /** Digests of the alignments this run may write over (CliRunCheckpoint.ownOutputs), in its checkpoints. */
  owned: string[];
  /** A new run's settings, read before its checks (undefined for a resume: its checkpoint has them). */
  newConfig: RunConfig | undefined;
  /** A new run's note on the earlier runs it could continue instead ('' for none): said once it really starts. */
  startsOver: string;
}

async function optimizeLocked(args: Args, io: CliIo, o: Locked): Promise<number> {
  const { apiKey, out, nearPath, endpoint, checkpointPath } = o;
  let checkpoint: RunCheckpoint | undefined;
  let config: RunConfig;
  let baseUrl = o.baseUrl;
  if (args.resume) {
    // Read again under the lock: a run holding it a moment ago may have written a newer one.
    checkpoint = await loadCheckpoint(io.cwd, args.resume);
    if (baseUrl === undefined) {
      if (!checkpoint.endpoint) {
        throw bad(
          `Missing --base-url: the checkpoint "${args.resume}" does not record where its calls went (an older drpo wrote it). Pass the --base-url its run used.`,
        );
      }
      baseUrl = checkpoint.endpoint;
      io.stderr.write(
        `note: no --base-url given: resuming at ${shownAddress(baseUrl)}, where this run's calls went.\n`,
      );
    }
    const ignored = (
      ['train', 'validation', 'preset', 'seed', 'name', 'initial-prompt', 'initial-prompt-file'] as const
    ).filter((k) => args[k] !== undefined);
    if (ignored.length > 0) {
      io.stderr.write(
        `note: ${ignored.map((k) => `--${k}`).join(', ')} ignored: a resumed run keeps its own settings.\n`,
      );
    }
    const ids = roleModels(args, checkpoint.config.roles);
    for (const r of ROLES) {
      if (ids[r] !== checkpoint.config.roles[r].modelId) {
        throw bad(
          `The checkpoint was made with ${r} model "${checkpoint.config.roles[r].modelId}"; resume with the same model.`,
        );
      }
    }
    config = { ...checkpoint.config, budget: { ...checkpoint.config.budget, ...budgetFrom(args) } };
    // Stats copied as a run reads them (junk in an edited file left out): the model listing counts into them.
    checkpoint = { ...checkpoint, config, stats: snapshot(checkpoint.stats) };
    const spent = budgetAlreadyUsed(checkpoint.stats, config.budget);
    if (spent) throw bad(spent);
  } else {
    config = o.newConfig!;
  }
  if (baseUrl === undefined) throw bad('Missing --base-url.');

  const guards = endpointGuards(endpoint);
  /** Where this run's calls go, as its checkpoint records it ("…/v1/" and "…/v1" are one address). */
  const address = normalizeBaseUrl(baseUrl);
  // The endpoint answered this run before: its finished calls are in the checkpoint (the cache keeps answers
  // only). An outage is then waited out from the first request, the model listing's included, so a resume into
  // a server still restarting waits for it instead of failing at the listing. (Those calls came from the models
  // the listing resolves, "llama3" served as "llama3:latest": assertSameModels checks that right after it.)
  // Only at the address they went to: a resume given another --base-url (a typo, say) is not waited for.
  const answered = !!checkpoint && Object.keys(checkpoint.calls).length > 0;
  if (checkpoint && answered) {
    if (checkpoint.endpoint === address) guards.outage.answeredBefore();
    else if (checkpoint.endpoint !== undefined) {
      io.stderr.write(
        `note: the checkpoint's calls went to ${shownAddress(checkpoint.endpoint)}; this resume goes to ${address}, so an outage at the start is not waited out.\n`,
      );
    }
  }
  // One form of the command, as resumeCommandFor and drpo eval name it: no --base-url, since the checkpoint this
  // run writes records its address. Only a resume of a checkpoint from an older drpo (which recorded none) names
  // it: the normalized address, as the query and fragment never reach the server and a key in them is not repeated.
  const needsAddress = checkpoint !== undefined && checkpoint.endpoint === undefined;
  const resumeCommand = () =>
    `drpo optimize${needsAddress ? ` --base-url ${address}` : ''} --resume ${path.relative(io.cwd, checkpointPath) || checkpointPath}` +
    (args.out ? ` --out ${args.out}` : '');
  // The key is never printed: a run that sent one says to add it back.
  const yourKey = endpointCli.addYourKey(endpoint.keySource);
  const resumeHint = () => `Resume with: ${resumeCommand()}${yourKey}`;
  let ids: string[];
  try {
    ids = await resolveModels(
      baseUrl,
      apiKey,
      ROLES.map((r) => config.roles[r].modelId),
      io,
      { timeoutMs: endpoint.timeoutMs, outage: guards.outage, ...(checkpoint ? { faults: checkpoint.stats } : {}) },
    );
  } catch (err) {
    if (!checkpoint) throw err;
    // Ctrl+C while the listing waits for a server still restarting: the checkpoint was not touched.
    if (isAbort(err)) {
      io.stderr.write(`Interrupted. The checkpoint is kept.\n${resumeHint()}\n`);
      return EXIT.interrupted;
    }
    // A resume whose server is down for good or lists its model no more: the checkpoint is untouched, and the
    // same command continues once the model is back (as after a run that failed).
    const code = reportError(io, 'optimize', err, inputHint('optimize', err), endpoint);
    io.stderr.write(`The checkpoint is kept.\n${resumeHint()}\n`);
    return code;
  }
  if (checkpoint) assertSameModels(checkpoint, ids);
  // A checkpoint from before addresses were recorded: the listing just answered at this address, and the calls
  // came from the very models it lists, so they are taken as this endpoint's (as they always were).
  if (checkpoint?.endpoint === undefined && answered) guards.outage.answeredBefore();
  const made = endpointCli.endpointModels({ baseUrl, apiKey }, ids, endpoint, guards);
  const models = {} as Record<Role, ChatModel>;
  for (const [i, r] of ROLES.entries()) models[r] = made[i];

  const projection = projectRun(config, projectionCaps(models));
  // What the run will really use (at most half of a file is held out; of a --validation file, the
  // preset's number).
  const heldOut = checkQueries(config.settings, config.validationQueries).length;
  io.stderr.write(
    `Questions: ${config.trainQueries.length} for the search, ${heldOut} held out for the final check.\n`,
  );
  // Said before any call: too few held out, and the run can at best hand back a lead it could not confirm.
  const checkWarning = finalCheckWarning(config.settings, heldOut, 'cli');
  if (checkWarning) io.stderr.write(`note: ${checkWarning}\n`);
  io.stderr.write(`${describeProjection(projection, config.budget.maxCalls)}\n`);
  if (checkpoint)
    io.stderr.write(
      `Resuming run ${checkpoint.runId} (${plural(checkpoint.nodes.length, 'prompt')} already scored).\n`,
    );
  else
    io.stderr.write(
      `${o.startsOver}Run ${o.runId}: checkpoint ${path.relative(io.cwd, checkpointPath) || checkpointPath}\n`,
    );

  const progress = new ProgressLine(io.stderr, {
    maxDepth: config.settings.depth,
    projectedCalls: projection.calls,
    ...(config.budget.maxCalls !== undefined ? { maxCalls: config.budget.maxCalls } : {}),
    examples: config.settings.iclRounds > 0 ? config.icl.length : 0,
    heldOut,
    ...(checkpoint ? { resumed: resumedAt(checkpoint) } : {}),
  });
  const ticker = setInterval(() => progress.tick(), 1000);
  ticker.unref?.();
  let lastError: SerializedError | null = null;
  let lastCheckpoint: CliRunCheckpoint | undefined;
  // A checkpoint holding no work (a run that failed on its first call) is not worth keeping.
  const writer = new CheckpointWriter(checkpointPath);
  // A resume hint only for a checkpoint that is on disk (one stopped before its first finished call has none).
  const kept = () =>
    checkpoint || writer.saved
      ? `The checkpoint is kept.\n${resumeHint()}`
      : 'Nothing was finished yet, so there is nothing to resume: run the same command again.';
  // With a number, as the resume refusal's "e.g." gives one: a placeholder pasted as is would be refused.
  const continueHint = (stats: RunStats) => {
    const { flag, raised } = budgetToRaise(stats, config.budget);
    return `To continue with a larger budget: ${resumeCommand()} ${flag} ${raised}${yourKey}`;
  };

  let result;
  try {
    result = await runDrpo(
      config,
      { models, concurrency: endpointCli.runWidthOf(endpoint) },
      {
        runId: checkpoint?.runId ?? o.runId!,
        signal: io.signal,
        checkpoint,
        onEvent: (e) => {
          if (args.json) io.stdout.write(`${JSON.stringify(e)}\n`);
          if (e.type === 'error') lastError = e.error;
          progress.onEvent(e);
        },
        onCheckpoint: (cp) => writer.offer((lastCheckpoint = { ...cp, endpoint: address, ownOutputs: o.owned })),
      },
    );
  } catch (err) {
    clearInterval(ticker);
    progress.finish();
    await flushCheckpoint(writer, io);
    if (isAbort(err)) {
      io.stderr.write(`Interrupted. ${kept()}\n`);
      return EXIT.interrupted;
    }
    throw err;
  }
  clearInterval(ticker);
  progress.finish();
  // The run's last checkpoint (it stopped, failed or hit its budget) may still be held back.
  await flushCheckpoint(writer, io);
  const checkpointSaved = !!checkpoint || writer.saved;

  const say = (s: string) => (args.json ? io.stderr : io.stdout).write(`${s}\n`);
  const faults = faultReport(result.stats, result.nodes);
  switch (result.status) {
    case 'cancelled':
    case 'paused':
      io.stderr.write(`${faults}Interrupted. ${kept()}\n`);
      return EXIT.interrupted;
    case 'failed': {
      const err = lastError ?? new AppError(ErrorName.Unknown, 'The run failed.');
      io.stderr.write(faults);
      const code = reportError(io, 'optimize', err, undefined, endpoint);
      if (err.name === ErrorName.NothingScored) {
        // A resume would replay the same unusable replies from the checkpoint: it goes.
        await removeFile(checkpointPath);
        io.stderr.write('Nothing was measured, so there is nothing to resume: fix the cause and run again.\n');
      } else if (checkpointSaved) {
        io.stderr.write(`Everything finished so far is in the checkpoint.\n${resumeHint()}\n`);
      } else io.stderr.write('Nothing was finished, so no checkpoint was kept.\n');
      return code;
    }
    default:
      break;
  }
  if (!result.artifact) {
    io.stderr.write('The run ended before any prompt was scored, so there is no alignment to write.\n');
    if (result.status !== 'budget-exhausted') {
      await removeFile(checkpointPath);
      return EXIT.input;
    }
    // Its budget ran out first: the calls it made are kept, and a larger budget continues from them.
    if (checkpointSaved) io.stderr.write(`${continueHint(result.stats)}\n`);
    return EXIT.budget;
  }
  const named = args.name && !result.artifact.name ? { ...result.artifact, name: args.name } : result.artifact;
  const artifact = stripSecrets(named);
  // Written over by another program while the run went (this run's --out lock keeps other runs away): that
  // file stays, and the result goes beside it rather than being lost.
  let written = out;
  if (await changedSince(out, o.outStamp)) {
    const beside = await freeNameBeside(out);
    if (!beside) throw bad(`${out} was replaced during the run and no free name is left beside it. ${kept()}`);
    written = beside;
    io.stderr.write(`note: ${out} was written by another program during this run; it is left as it was.\n`);
  }
  const artifactText = `${JSON.stringify(artifact, null, 2)}\n`;
  await writeAtomic(written, artifactText);
  // A budget-stopped run keeps its checkpoint: it records this alignment as the run's own, so its resume may
  // write over it (and over nothing written there since).
  if (result.status === 'budget-exhausted' && lastCheckpoint) {
    const ownOutputs = [...o.owned, textDigest(artifactText)].slice(-MAX_OWN_OUTPUTS);
    await writer
      .offer({ ...lastCheckpoint, ownOutputs })
      .catch((err: unknown) => void io.stderr.write(`warning: ${serializeError(err).message}\n`));
    await flushCheckpoint(writer, io);
  }
  // "No improvement": the file is the starting prompt; the near miss gets a file of its own, to try or to
  // have a larger judge compare with the start (drpo eval --starting). One left by an earlier run with the
  // same --out would no longer belong to this result: it goes.
  // A side file: failing to write it is told, and the run's result still stands.
  let near = closestCandidate(artifact);
  try {
    if (near) await writeAtomic(nearPath, `${JSON.stringify(near, null, 2)}\n`);
    else await removeFile(nearPath);
  } catch (err) {
    io.stderr.write(`warning: the closest candidate file ${nearPath}: ${serializeError(err).message}\n`);
    near = null;
  }
  // A run stopped by its budget keeps its checkpoint: resuming with a larger budget continues it
  // without repeating a call.
  if (result.status !== 'budget-exhausted') await removeFile(checkpointPath);
  const verdict = ` ${verdictLine(artifact, uncheckedBecause(result.status))}`;
  const used = ` ${plural(result.stats.calls, 'call')}, ${plural(result.stats.generatedTokens, 'generated token')}.`;
  // The verdict's "drpo eval command below", complete: the run's address, model and file.
  const evalWith = (file: string, why: string) =>
    say(`${why}: ${evalStartCommand({ address, artifact, file, keySource: endpoint.keySource })}`);
  const confirm = () => {
    if (refersToEvalCommand(artifact)) evalWith(written, 'To compare it with your prompt on more questions');
  };
  if (result.status === 'budget-exhausted') {
    say(`Budget reached.${verdict}${used} The best alignment so far is in ${written}`);
    confirm();
    if (faults) say(faults.trimEnd());
    io.stderr.write(`${continueHint(result.stats)}\n`);
    return EXIT.budget;
  }
  say(`Done.${verdict}${used} Alignment written to ${written}`);
  // The verdict's "the drpo eval command below" comes right below it.
  confirm();
  // A "no improvement" file is the user's own prompt back: nothing new to take elsewhere.
  if (artifact.outcome !== 'no-improvement') say(exportHint(written));
  if (near) {
    const command = evalStartCommand({ address, artifact, file: nearPath, keySource: endpoint.keySource });
    const step = closestCandidateStep(near, 'cli', command);
    say(
      `The closest candidate is in ${nearPath}. ${step || `To compare it with your prompt on more questions: ${command}`}`,
    );
  }
  if (faults) say(faults.trimEnd());
  return EXIT.ok;
}

/** The one line after a result that says how to use it outside the studio (`drpo export`). */
export function exportHint(file: string): string {
  return `To use it in Ollama, llama.cpp or your own code: drpo export ${file} --format ollama (drpo export --help lists the formats).`;
}

export { LARGER_JUDGE };

/** `file` as one shell word: as it is when it needs no quotes, else in single quotes. */
function shellWord(file: string): string {
  return /^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `drpo eval` that compares an alignment with its starting prompt on more questions, complete as printed:
 * the run's address and model and the file's path (the key is never printed: a run that sent one says to add
 * it back). Its judge: the run's, when another model judged; a self-judged run's noise and taste are what a
 * larger judge removes, so there the judge is LARGER_JUDGE, to be replaced (said so after the command).
 */
export function evalStartCommand(o: {
  address: string;
  artifact: AlignmentArtifact;
  file: string;
  keySource: endpointCli.KeySource | undefined;
}): string {
  const own = selfJudged(o.artifact);
  return (
    `drpo eval --base-url ${o.address} --model ${shellWord(o.artifact.model.id)} --alignment ${shellWord(o.file)} --starting` +
    ` --judge-model ${own ? LARGER_JUDGE : shellWord(o.artifact.judge.id)}` +
    (own ? ` (replace ${LARGER_JUDGE} with a larger model your server serves)` : '') +
    endpointCli.addYourKey(o.keySource)
  );
}

/** A failed last write is told, not thrown: the run's result (and the alignment file) still stand. */
async function flushCheckpoint(writer: CheckpointWriter, io: CliIo): Promise<void> {
  try {
    await writer.flush();
  } catch (err) {
    io.stderr.write(`warning: ${serializeError(err).message}\n`);
  }
}
