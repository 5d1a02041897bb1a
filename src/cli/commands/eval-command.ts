/**
 * `drpo eval`: held-out evaluation of alignment files against an OpenAI-compatible endpoint.
 * Exit codes (as `drpo optimize`): 0 ok, 1 bad arguments or input, 2 endpoint failure.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readAlignmentText } from '../../core/formats/alignment-import';
import { forAnyModel, ollamaModelName } from '../../core/formats/model-names';
import { BUILTIN_EVAL } from '../../core/data/builtin-eval';
import { interleaveByCategory } from '../../core/data/split';
import { decodeUtf8 } from '../../core/data/parse-queries';
import { listInWords, plural, problemsSentence } from '../../core/words/list-words';
import { formatWholeCount } from '../../core/formats/bytes';
import type { Query } from '../../core/contracts/run-config';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import type { EvalProgress } from '../../core/eval/eval-types';
import { answerLength, answerLengthSource, evalCandidates } from '../../core/eval/report/compare';
import { DEFAULT_ANSWER_TOKENS } from '../../core/eval/evaluate-alignments';
import { MAX_TOKENS_RANGE } from '../../core/plan/settings-schema';
import { runEvalJob, type EvalCheckpoint, type EvalJobSpec } from '../../core/eval/eval-job';
import { normalizeBaseUrl, shownAddress } from '../../core/formats/base-url';
import { ErrorName, isNamed } from '../../core/contracts/errors';
import { formatReportTable } from '../../core/eval/report/report-table';
import { toCsv } from '../../core/eval/report/report-csv';
import { bad, intArg, parseCommandArgs } from '../args';
import { EXIT, helpHint, inputHint, reportError, type CliIo } from '../cli-io';
import { faultReport } from '../fault-report';
import { RetryNotes } from '../progress';
import type { GatewayEvent } from '../../core/calls/call-gateway';
import {
  checkOutputFile,
  nameBeside,
  readInputFile,
  realOrResolved,
  removeFile,
  writeAtomic,
  type InputFile,
} from '../files';
import { evalCheckpointPathFor, loadEvalCheckpoint, type EvalCheckpointFile } from '../checkpoint-file';
import { guardExistingOut } from '../earlier-work';
import { acquireRunLock } from '../run-lock';
import { readQueries } from '../read-queries';
import { resolveModels } from '../resolve-models';
import { endpointGuards } from '../../llm/openai/endpoint-guards';
import * as endpointCli from '../endpoint-options';
import { inputLabel, isShareLink, readShareLink } from '../alignment-input';
import { alignmentDisplayName } from '../../core/formats/alignment-facts';
import { extractPayload } from '../../core/formats/link-codec';

/** Kept as an alias: the eval command takes the same io as every subcommand. */
export type EvalIo = CliIo;

export const EVAL_USAGE = `Usage: drpo eval --base-url URL --model ID [--alignment FILE]… [--baseline] [--no-system] [options]

Scores each alignment's answers on a set of test queries (Helpfulness, Clarity, Factuality,
Depth, Engagement; Safety for harmful queries) with a judge model, 95% bootstrap CIs.
Give at least one candidate: --alignment FILE, --baseline or --no-system.

${endpointCli.targetUsage(24)}
  --model ID            model that answers (the policy; default: the model the --alignment files were
                        made for, when they name the same one; for a file made in the browser, that
                        model's name on a server such as Ollama, when the server lists it)
  --judge-model ID      model that judges (default: the same model)
  --alignment FILE      alignment JSON, or a share link (repeatable; a file or link given twice, or a link
                        and its #a=… fragment, is evaluated once)
  --starting            also evaluate the prompt each alignment started from (what its run compared it with)
  --baseline            also evaluate "You are a helpful assistant."
  --no-system           also evaluate answers without a system prompt
  --queries FILE        query file (JSONL, JSON, CSV or text; default: the built-in eval set)
  --limit N             evaluate only N queries (a category-balanced, seeded pick; all when N is more)
  --seed N              seed for sampling, the query pick and the bootstrap (default 0)
  --max-tokens N        answer length in tokens, ${MAX_TOKENS_RANGE.min}–${MAX_TOKENS_RANGE.max} (default: the one the
                        alignments' runs answered with, the longest when they differ; else ${DEFAULT_ANSWER_TOKENS})
  --icl-k N             ICL examples per query for every alignment (default: each alignment's own choice)
  --pairwise            also compare answers pairwise (positions swapped, win/tie/loss): each
                        alignment against its starting prompt and the references, or, without
                        references, every pair
${endpointCli.endpointUsage(24)}
  --out FILE            JSON report (default eval-report.json)
  --force               replace a report already at --out (else the evaluation refuses to start),
                        or start over when an evaluation for --out stopped before it was done
  --resume CHECKPOINT   continue a stopped evaluation from its checkpoint (--base-url may be left
                        out: the checkpoint records where the calls went)
  --csv FILE            also write a CSV
  -h, --help            show this help

A checkpoint <out>.checkpoint.json is kept up to date while the evaluation goes; it stays when the
evaluation stops before it is done (resume it with --resume), and goes once the report is written.

Exit codes: 0 ok, 1 bad arguments or input (also a file already at --out without --force),
2 endpoint failure (also when not one judge reply could be read; nothing is written then),
130 stopped (Ctrl+C; the finished part is still reported and written; when FILE already exists,
beside it: report.json → report.partial.json, so an earlier report is never replaced).
`;

const OPTIONS = {
  ...endpointCli.ENDPOINT_OPTIONS,
  ...endpointCli.textOptions('queries', 'limit', 'max-tokens', 'icl-k', 'csv'),
  alignment: { type: 'string', multiple: true },
  baseline: { type: 'boolean' },
  starting: { type: 'boolean' },
  'no-system': { type: 'boolean' },
  pairwise: { type: 'boolean' },
  force: { type: 'boolean' },
  resume: { type: 'string' },
} as const;

async function loadAlignment(file: string, cwd: string): Promise<{ name: string; artifact: AlignmentArtifact }> {
  // A share link is named as the share page names it (its Save): the link has no file name to fall back on.
  if (isShareLink(file)) {
    const a = await readShareLink(file);
    return { name: alignmentDisplayName(a), artifact: a };
  }
  const bytes = await readInputFile(cwd, file, 'alignment file');
  const checked = readAlignmentText(decodeUtf8(file, bytes, 'JSON'), path.basename(file));
  // Another kind of file (an evaluation report, a query file…) is said in the words the page uses for it.
  if (!checked.ok && checked.otherFile)
    throw bad(`"${file}" is not an alignment file: ${problemsSentence(checked.errors)}`);
  // One sentence, as drpo optimize, drpo import-drpo and the page word a file's problems (problemsSentence).
  if (!checked.ok) throw bad(`"${file}" is not a valid alignment file: ${problemsSentence(checked.errors)}`);
  const a = checked.artifact;
  return { name: a.name?.trim() || path.basename(file).replace(/\.json$/i, ''), artifact: a };
}

async function loadQueries(file: string | undefined, io: EvalIo, limit: number | undefined, seed: number) {
  const queries: Query[] = file ? await readQueries(file, io, 'query file') : [...BUILTIN_EVAL];
  if (queries.length === 0)
    throw bad(file ? `"${file}" holds no queries.` : 'The built-in evaluation set is empty; pass --queries FILE.');
  if (limit === undefined) return queries;
  if (limit < queries.length) return interleaveByCategory(queries, seed).slice(0, limit);
  // Said, not silently shrunk: the user asked for more than there are.
  if (limit > queries.length) {
    const set = file ? `"${file}" holds` : 'the built-in set holds';
    io.stderr.write(
      `note: --limit ${limit}, but ${set} ${plural(queries.length, 'query', 'queries')}: using all ${formatWholeCount(queries.length)}.\n`,
    );
  }
  return queries;
}

/**
 * Each alignment file once: the same file given twice (a repeated flag, a glob that overlaps one named
 * outright, ./a.json and a.json) would be answered and judged twice for two identical rows. Dropped with a
 * note rather than refused: what the user wants evaluated is clear, and the rest of the command can stand.
 */
async function distinctAlignmentFiles(files: readonly string[], io: EvalIo): Promise<string[]> {
  const seen = new Map<string, string>();
  for (const file of files) {
    const real = isShareLink(file) ? linkKey(file) : await realOrResolved(path.resolve(io.cwd, file));
    const first = seen.get(real);
    if (first === undefined) seen.set(real, file);
    else {
      const twice =
        first.trim() === file.trim()
          ? `${inputLabel(file)} is given more than once`
          : isShareLink(file)
            ? `${inputLabel(file)} carries the same alignment as ${inputLabel(first)}`
            : `${file} is the same file as ${first}`;
      io.stderr.write(`note: --alignment ${twice}; evaluating it once.\n`);
    }
  }
  return [...seen.values()];
}

/**
 * A link is the same input as another when it carries the same payload, as the page's decoder reads it: the full
 * link and its bare fragment `#a=…` (or the link on another address, or wrapped in quotes by a chat app) open as
 * one alignment. It is no path to resolve. One with no fragment carries nothing: it is keyed as written.
 */
function linkKey(link: string): string {
  const t = link.trim();
  return t.includes('#') ? `#a=${extractPayload(t)}` : t;
}

/** The model that answers, and, when it was taken from the alignments, what stderr says of it once it is listed. */
interface ModelChoice {
  id: string;
  /** "Model: … (from …)", said once the server lists it (never before a refusal that it does not). */
  said?: string;
  /** Taken from files made in the browser: the refusal when the server does not list the name it was mapped to. */
  unlisted?: () => Error;
}

/**
 * --model left out: the model the alignments were made for (each file records it), said on stderr with where it
 * came from. Converted examples are for any model, so they name none and never conflict; alignments made for
 * different models leave no one answer, so the command refuses and names each, rather than pick one.
 * A file made in the browser names its WebLLM build (Llama-3.2-1B-Instruct-q4f16_1-MLC), which no server lists: it
 * answers with the model's Ollama-style name (llama3.2:1b) when one is known, and only when the server lists it
 * (a guess the server cannot confirm is refused, naming --model, not sent); with no known name it is refused now.
 */
function modelOfAlignments(
  files: readonly string[],
  alignments: readonly { artifact: AlignmentArtifact }[],
): ModelChoice {
  const named = alignments
    .map(({ artifact }, i) => ({ file: inputLabel(files[i]!), model: artifact.model }))
    .filter((x) => !forAnyModel(x.model))
    .map((x) => {
      const browser = x.model.engine === 'webllm';
      const mapped = ollamaModelName(x.model);
      if (browser && !mapped.known)
        throw bad(
          `${x.file} was made in the browser (with ${x.model.id}), which has no known name on a server. ` +
            'Give the model that answers with --model.',
        );
      return { ...x, browser, id: mapped.name };
    });
  const first = named[0];
  if (!first)
    throw bad(
      `Missing --model (the model that answers): ${listInWords(files.map(inputLabel))} ${files.length === 1 ? 'names' : 'name'} no model (made for any model).`,
    );
  const shown = (x: (typeof named)[number]) =>
    x.browser ? `${x.model.id} (made in the browser; ${x.id} on a server)` : x.id;
  if (named.some((x) => x.id !== first.id))
    throw bad(
      `The alignments were made for different models: ${named.map((x) => `${x.file} for ${shown(x)}`).join(', ')}. ` +
        'Give the model that answers with --model.',
    );
  const from = listInWords(named.map((x) => x.file));
  const browser = named.filter((x) => x.browser);
  if (browser.length === 0) return { id: first.id, said: `Model: ${first.id} (from ${from})` };
  const browserFiles = listInWords(browser.map((x) => x.file));
  const builds = listInWords([...new Set(browser.map((x) => x.model.id))]);
  const made = `made in the browser with ${builds}`;
  return {
    id: first.id,
    said: `Model: ${first.id} (from ${from}${browser.length === named.length ? `, ${made}` : `; ${browserFiles} ${made}`})`,
    unlisted: () =>
      bad(
        `${browserFiles} ${browser.length === 1 ? 'was' : 'were'} made in the browser (with ${builds}), and the ` +
          `server does not list ${first.id}, the name servers such as Ollama give that model. ` +
          `Give the model that answers with --model (e.g. --model ${first.id} once the server has it).`,
      ),
  };
}

type Args = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

export async function runEvalCommand(argv: string[], io: EvalIo): Promise<number> {
  // Parsed first, so an endpoint failure's hint names the limits this run had.
  let endpoint: endpointCli.EndpointSettings | undefined;
  let args: Args;
  try {
    args = parseCommandArgs(argv, OPTIONS, EVAL_USAGE).values;
  } catch (err) {
    return reportError(io, 'eval', err, helpHint('eval'));
  }
  try {
    if (args.help) {
      io.stdout.write(EVAL_USAGE);
      return EXIT.ok;
    }
    endpoint = endpointCli.endpointSettings(args, io.env);
    return await run(args, endpoint, io);
  } catch (err) {
    // Bad input ends with where the options are, as drpo optimize's and drpo import-drpo's refusals do.
    return reportError(io, 'eval', err, inputHint('eval', err), endpoint);
  }
}

/** The options that say what to evaluate: a resume keeps its checkpoint's (said when given). */
const PLAN_OPTIONS = [
  'model',
  'judge-model',
  'alignment',
  'starting',
  'baseline',
  'no-system',
  'queries',
  'limit',
  'seed',
  'max-tokens',
  'icl-k',
  'pairwise',
  'out',
  'csv',
] as const;

/** What one evaluation evaluates and where it writes: from the options, or from a checkpoint to resume. */
interface Prepared {
  spec: EvalJobSpec;
  models: [string, string];
  /** How the model that answers was chosen (a resume's was chosen when it began). */
  choice?: ModelChoice;
  baseUrl: string;
  apiKey: string | undefined;
  out: string;
  csv: string | undefined;
  /** Resolved as checkOutputFile resolves them, so a partial report's name is compared like for like. */
  inputPaths: string[];
  checkpointPath: string;
  saved?: EvalCheckpointFile;
}

async function run(args: Args, endpoint: endpointCli.EndpointSettings, io: EvalIo): Promise<number> {
  const p = args.resume ? await prepareResume(args, io) : await prepareNew(args, io);
  // One process per checkpoint: a second evaluation for the same --out (or a second --resume) stops here.
  const lock = await acquireRunLock(p.checkpointPath, {
    shownAs: path.relative(io.cwd, p.checkpointPath) || p.checkpointPath,
    note: (line) => io.stderr.write(`note: ${line}\n`),
  });
  try {
    // --force starts over: the checkpoint of the evaluation it discards goes now that no other process can be
    // writing it, so a forced evaluation that stops before its own first checkpoint leaves none to be refused
    // by (the next plain run would name the discarded one), and "no checkpoint was kept" stays true.
    const discarded = !args.resume && args.force && (await stat(p.checkpointPath).catch(() => null))?.isFile();
    if (discarded) {
      await removeFile(p.checkpointPath);
      io.stderr.write(
        `note: starting over (--force): removed the checkpoint of the stopped evaluation, ${path.relative(io.cwd, p.checkpointPath) || p.checkpointPath}.\n`,
      );
    }
    return await evaluate(p, endpoint, io);
  } finally {
    await lock.release();
  }
}

async function prepareResume(args: Args, io: EvalIo): Promise<Prepared> {
  const file = args.resume!;
  const saved = await loadEvalCheckpoint(io.cwd, file);
  const given = PLAN_OPTIONS.filter((k) => args[k] !== undefined);
  if (given.length > 0)
    io.stderr.write(
      `note: ${given.map((k) => `--${k}`).join(', ')} ignored: a resumed evaluation keeps its own settings.\n`,
    );
  const typed = args['base-url']?.trim();
  if (!typed)
    io.stderr.write(`note: no --base-url given: resuming at ${shownAddress(saved.endpoint)}, where its calls went.\n`);
  const { apiKey } = endpointCli.endpointTarget({ ...args, 'base-url': typed || saved.endpoint }, io.env);
  const { policy, judge, ...spec } = saved.plan;
  return {
    spec,
    models: [policy, judge],
    baseUrl: typed || saved.endpoint,
    apiKey,
    out: saved.out,
    csv: saved.csv,
    // Its inputs were read when it began: none is read now.
    inputPaths: [],
    checkpointPath: path.resolve(io.cwd, file),
    saved,
  };
}

async function prepareNew(args: Args, io: EvalIo): Promise<Prepared> {
  const { baseUrl, apiKey } = endpointCli.endpointTarget(args, io.env);
  const typedModel = args.model?.trim();
  // Without an alignment there is no model to take from a file.
  if (!typedModel && !args.alignment?.length) throw bad('Missing --model (the model that answers).');
  const seed = intArg(args.seed, 'seed', 0) ?? 0;
  const limit = intArg(args.limit, 'limit', 1);
  const typedTokens = intArg(args['max-tokens'], 'max-tokens', MAX_TOKENS_RANGE.min, MAX_TOKENS_RANGE.max);
  // Each alignment retrieves as many examples as its run chose, unless --icl-k overrides it for all.
  const iclOverride = intArg(args['icl-k'], 'icl-k', 0);

  // --starting adds a row per alignment: without one it would add nothing, and say nothing (with --baseline, the
  // user would wait for a table without the row they asked for).
  if (args.starting && !args.alignment?.length)
    throw bad('--starting evaluates the prompt each alignment started from: give it with --alignment FILE.');
  // The same for --icl-k: the references (baseline, no system prompt) retrieve no examples, so without an
  // alignment it would change nothing, and the user would read a report as if it had.
  if (iclOverride !== undefined && !args.alignment?.length)
    throw bad('--icl-k sets how many examples each alignment retrieves per query: give it with --alignment FILE.');
  // Before any work: outputs that cannot be written, or would replace an input or each other, are told now.
  const alignmentFiles = await distinctAlignmentFiles(args.alignment ?? [], io);
  const inputs: InputFile[] = [
    // A link is no file an output could replace.
    ...alignmentFiles.filter((file) => !isShareLink(file)).map((file) => ({ flag: 'alignment', file })),
    { flag: 'queries', file: args.queries },
  ];
  const out = await checkOutputFile(io.cwd, args.out, 'out', 'eval-report.json', inputs);
  const csv =
    args.csv === undefined
      ? undefined
      : await checkOutputFile(io.cwd, args.csv, 'csv', args.csv, [...inputs, { flag: 'out', file: out }]);
  // The inputs are read before earlier work at --out is looked at: a missing or wrong file is told as such,
  // not as a report to pass --force over.
  const alignments = await Promise.all(alignmentFiles.map((f) => loadAlignment(f, io.cwd)));
  const choice: ModelChoice = typedModel ? { id: typedModel } : modelOfAlignments(alignmentFiles, alignments);
  const model = choice.id;
  const judgeModel = args['judge-model']?.trim() || model;
  const candidates = evalCandidates({
    chosen: alignments,
    ...(iclOverride !== undefined ? { iclK: iclOverride } : {}),
    starting: args.starting,
    baseline: args.baseline,
    noSystem: args['no-system'],
  });
  if (candidates.length === 0) throw bad('Nothing to evaluate: pass --alignment FILE, --baseline or --no-system.');
  const queries = await loadQueries(args.queries, io, limit, seed);
  const checkpointPath = evalCheckpointPathFor(out);
  const shownOut = args.out ?? 'eval-report.json';
  // An evaluation for this --out that stopped before it was done: its calls are paid for, so starting over
  // (which would replace its checkpoint) needs --force, and the command that continues it is named.
  const earlier = args.force ? null : await stat(checkpointPath).catch(() => null);
  const continueIt = `drpo eval --resume ${path.relative(io.cwd, checkpointPath) || checkpointPath}`;
  if (earlier?.isFile())
    throw bad(
      `An evaluation for --out "${shownOut}" stopped before it was done; its checkpoint is ` +
        `${path.relative(io.cwd, checkpointPath) || checkpointPath}. To continue it, run:\n  ${continueIt}\n` +
        'To start over instead, pass --force.',
    );
  // A report already there is what its calls paid for: never replaced without --force (as drpo optimize).
  await guardExistingOut({
    out,
    shown: shownOut,
    cwd: io.cwd,
    force: args.force,
    doer: 'this evaluation',
    writes: 'report',
  });

  if (args.pairwise && candidates.length < 2) {
    io.stderr.write('note: --pairwise compares two or more candidates; with one there is nothing to compare.\n');
  }
  for (const { name, artifact } of alignments)
    // A browser build evaluated on the server's name for the same model (llama3.2:1b) is no other model.
    if (artifact.model.id !== model && !forAnyModel(artifact.model) && ollamaModelName(artifact.model).name !== model)
      io.stderr.write(`note: "${name}" was optimized for ${artifact.model.id}; evaluating it on ${model}.\n`);

  // The page's Evaluate view offers the same default (answerLength), so the two score a file alike.
  const length = answerLength(alignments);
  const maxTokens = typedTokens ?? length.maxTokens;
  const source = typedTokens !== undefined ? 'set by --max-tokens' : answerLengthSource(length, alignments.length);
  io.stderr.write(`Answers up to ${maxTokens} tokens, ${source ?? 'the default'}.\n`);
  const inputPaths = await Promise.all(inputs.map((i) => (i.file ? realOrResolved(path.resolve(io.cwd, i.file)) : '')));
  return {
    spec: { candidates, queries, seed, maxTokens, iclK: iclOverride, pairwise: args.pairwise },
    models: [model, judgeModel],
    choice,
    baseUrl,
    apiKey,
    out,
    csv,
    inputPaths,
    checkpointPath,
  };
}

async function evaluate(p: Prepared, endpoint: endpointCli.EndpointSettings, io: EvalIo): Promise<number> {
  const { spec, baseUrl, apiKey, out, csv, checkpointPath, saved } = p;
  const guards = endpointGuards(endpoint);
  const address = normalizeBaseUrl(baseUrl);
  // Its calls came from this endpoint: an outage at the start of a resume is waited out (as drpo optimize).
  if (saved && saved.endpoint === address && Object.keys(saved.checkpoint.calls).length > 0)
    guards.outage.answeredBefore();
  const unlisted = p.choice?.unlisted;
  const [policyId, judgeId] = await resolveModels(baseUrl, apiKey, p.models, io, {
    timeoutMs: endpoint.timeoutMs,
    outage: guards.outage,
    ...(unlisted ? { unlisted: (id: string) => (id === p.models[0] ? unlisted() : undefined) } : {}),
  });
  if (p.choice?.said) io.stderr.write(`${p.choice.said}\n`);
  const [policy, judge] = endpointCli.endpointModels({ baseUrl, apiKey }, [policyId, judgeId], endpoint, guards);
  if (saved)
    io.stderr.write(
      `Resuming the evaluation (${plural(Object.keys(saved.checkpoint.calls).length, 'call')} already made).\n`,
    );

  const shownCheckpoint = path.relative(io.cwd, checkpointPath) || checkpointPath;
  // The key is never printed: an evaluation that sent one says to add it back. No --base-url: the checkpoint
  // records the address (one form of the command, as the refusal of a new evaluation and drpo optimize name it).
  const resumeHint = () =>
    `Resume with: drpo eval --resume ${shownCheckpoint}${endpointCli.addYourKey(endpoint.keySource)}`;
  // Written one after the other (an older checkpoint never lands after a newer one); one holding no finished
  // call is not written (nothing to resume).
  let onDisk = !!saved;
  let writes: Promise<void> = Promise.resolve();
  const plan = { ...spec, policy: policyId, judge: judgeId };
  const writeCheckpoint = (cp: EvalCheckpoint): Promise<void> => {
    if (Object.keys(cp.calls).length === 0) return writes;
    const file: EvalCheckpointFile = {
      format: 'drpo-eval-checkpoint',
      version: 1,
      endpoint: address,
      plan,
      out,
      ...(csv ? { csv } : {}),
      checkpoint: cp,
    };
    writes = writes.then(async () => {
      await writeAtomic(checkpointPath, JSON.stringify(file));
      onDisk = true;
    });
    return writes;
  };

  const progress = progressPrinter(io);
  // Waiting is never silent, as in `drpo optimize`: a retry (an outage) is said while the job waits for it.
  const retries = new RetryNotes();
  const onCall = (e: GatewayEvent) => {
    const note = retries.onEvent(e);
    if (note !== null) io.stderr.write(`${note}\n`);
  };
  // The page's Evaluate view runs the same job in its worker.
  let result;
  try {
    result = await runEvalJob(
      spec,
      { policy, judge, concurrency: endpointCli.runWidthOf(endpoint) },
      {
        signal: io.signal,
        checkpoint: saved?.checkpoint,
        onProgress: (e) => progress(e.progress),
        onCall,
        onCheckpoint: writeCheckpoint,
        // Few writes of a file that holds every finished call: at most about one a second.
        checkpointEvery: 64,
        // A failed evaluation names the faults it met too, before its error (as `drpo optimize`).
        onFailed: (s) => io.stderr.write(faultReport(s, [], 'evaluation')),
      },
    );
  } catch (err) {
    await writes.catch(() => undefined);
    const code = reportError(io, 'eval', err, undefined, endpoint);
    if (isNamed(err, ErrorName.NothingScored)) {
      // A resume would replay the same unusable replies from the checkpoint: it goes.
      await removeFile(checkpointPath);
    } else if (onDisk) io.stderr.write(`Everything finished so far is in the checkpoint.\n${resumeHint()}\n`);
    else io.stderr.write('Nothing was finished, so no checkpoint was kept.\n');
    return code;
  }
  const { report, stats } = result;
  await writes.catch(() => undefined);
  // Stopped between two lines: where it stood, as its report counts it.
  progress.end();

  io.stdout.write(formatReportTable(report));
  io.stderr.write(faultReport(stats, [], 'evaluation'));
  await writeReport(io, out, JSON.stringify(report, null, 2) + '\n', report.complete, 'Report', p.inputPaths);
  if (csv) await writeReport(io, csv, toCsv(report), report.complete, 'CSV', p.inputPaths);
  if (report.complete) await removeFile(checkpointPath);
  else if (onDisk) io.stderr.write(`The checkpoint is kept.\n${resumeHint()}\n`);
  return report.complete ? EXIT.ok : EXIT.interrupted;
}

/**
 * A stopped evaluation's partial report never replaces a file already there (an earlier, complete one) nor
 * one the command read: it goes to FILE.partial.json (or .partial-2.json, … when that name is an input).
 */
async function writeReport(
  io: EvalIo,
  file: string,
  text: string,
  complete: boolean,
  what: string,
  inputs: readonly string[],
): Promise<void> {
  const exists = (p: string) =>
    stat(p).then(
      () => true,
      () => false,
    );
  const taken = !complete && (await exists(file));
  // A name the report cannot take (an input, a folder, a read-only file) moves it on to the next one, so the
  // finished part is never lost to a name chosen only now.
  const usable = async (p: string) =>
    !inputs.includes(p) &&
    (await checkOutputFile(io.cwd, p, 'out', p).then(
      () => true,
      () => false,
    ));
  let target = file;
  for (let n = 1; taken && (target === file || !(await usable(target))); n++) {
    if (n > MAX_PARTIAL_NAMES) throw bad(`No free name for the partial ${what.toLowerCase()} beside ${file}.`);
    target = nameBeside(file, `.partial${n === 1 ? '' : `-${n}`}`);
  }
  await writeAtomic(target, text);
  io.stderr.write(
    `${complete ? '' : 'Partial '}${complete ? what : what.toLowerCase()} written to ${target}${taken ? ` (${file} is left as it was)` : ''}\n`,
  );
}

/** Names tried for a partial report (FILE.partial.json, FILE.partial-2.json, …) before giving up. */
const MAX_PARTIAL_NAMES = 20;

/** Prints an evaluation's progress; `end()` says where a stopped one stood, in the words of its report. */
export interface ProgressPrinter {
  (p: EvalProgress): void;
  end(): void;
}

/**
 * One line per tenth of the way (and the last), counted in answers, the unit of the report ("Stopped early (36
 * of 120 answers scored)"): "answers: 60/120 written, 36/120 judged". Every answer is written, then judged
 * (in whatever order the job runs them): a step's end raises the job's count of finished steps (`done`, over
 * both), its start repeats it, so each rise is one answer written or judged. Pairwise comparing counts its own
 * steps: "pairwise: 7/8 (87%)", the per cent floored, so it never says 100% before it is done.
 */
export function progressPrinter(io: Pick<EvalIo, 'stderr'>): ProgressPrinter {
  let lastTenth = -1;
  let pairwise = false;
  let last: EvalProgress | null = null;
  let said = '';
  const words = (p: EvalProgress) => {
    if (p.phase === 'pairwise') {
      const pct = p.done >= p.total ? 100 : Math.min(99, Math.floor((p.done / p.total) * 100));
      return `pairwise: ${p.done}/${p.total} (${pct}%)`;
    }
    // Each answer is one step to write and one to judge; the core counts both (the phase cannot tell them apart
    // while answers are judged as they are written).
    const asked = p.total / 2;
    return `answers: ${p.answered ?? 0}/${asked} written, ${p.judged ?? 0}/${asked} judged`;
  };
  const say = (p: EvalProgress) => {
    said = words(p);
    io.stderr.write(`${said}\n`);
  };
  const print = (p: EvalProgress) => {
    if ((p.phase === 'pairwise') !== pairwise) {
      pairwise = p.phase === 'pairwise';
      lastTenth = -1;
    }
    last = p;
    const done = p.done >= p.total;
    const tenth = done ? 10 : Math.min(9, Math.floor((p.done / p.total) * 10));
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    say(p);
  };
  return Object.assign(print, {
    end: () => {
      if (last && words(last) !== said) say(last);
    },
  });
}
