/**
 * Names, creates and loads the checkpoints written by `drpo optimize` (a run's) and `drpo eval` (an
 * evaluation's), refusing anything that is not one.
 */
import { randomBytes } from 'node:crypto';
import { decodeUtf8 } from '../core/data/parse-queries';
import type { RunCheckpoint } from '../core/contracts/run-api';
import type { EvalCheckpoint, EvalJobSpec } from '../core/eval/eval-job';
import { checkpointProblem } from '../core/drpo/checkpoint-check';
import { otherFileWords, readAlignmentText } from '../core/formats/alignment-import';
import { bad } from './args';
import { checkInputFile, readInputFile, writeAtomic } from './files';

/** Checkpoints hold every finished call of a run: far bigger than data files, still bounded before reading. */
const MAX_CHECKPOINT_BYTES = 256 * 2 ** 20;

/** A fresh run's id: time plus randomness, so two runs started in the same millisecond still differ. */
export function newCliRunId(): string {
  return `cli-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** `<out>.<runId>.checkpoint.json`: every run its own checkpoint, so two runs with one --out never share one. */
export function checkpointPathFor(out: string, runId: string): string {
  return `${out}.${runId.replace(/[^\w.-]/g, '_')}.checkpoint.json`;
}

/** A run's checkpoint as `drpo optimize` writes it: the engine's, with what its resume may write over. */
export interface CliRunCheckpoint extends RunCheckpoint {
  /**
   * SHA-256 of each alignment the run wrote at --out or was allowed to replace when it began (newest last): a
   * resume replaces the file at its --out only when it is one of these, as any other file there is not its own
   * (another run's result written after this one stopped, say). Absent in older checkpoints, which cannot tell:
   * their resume may replace the alignment at the --out the run started with, as before digests were kept.
   */
  ownOutputs?: string[];
}

/** Digests kept in a checkpoint: one per budget-stopped resume, so a few; the oldest go first. */
export const MAX_OWN_OUTPUTS = 20;

/** Nothing worth resuming: no finished call and no scored prompt. */
function holdsNoWork(cp: RunCheckpoint): boolean {
  return Object.keys(cp.calls).length === 0 && cp.nodes.length === 0;
}

/**
 * The checkpoint file is rewritten at most this often while a run goes (the one when it stops is never held
 * back). Not the run's own CHECKPOINT_EVERY_MS (3 s, src/core/drpo/run.ts): that one is how long a run may go
 * without offering a checkpoint while calls finish; this one caps how often the offers, which come after every
 * scored prompt too (several a second with a fast endpoint), reach the disk. Shorter than the run's, so a
 * paced offer is never held back by more than a second.
 */
export const FILE_WRITE_EVERY_MS = 1000;

/**
 * Keeps a run's checkpoint file up to date without rewriting it after every scored prompt: it holds every
 * finished call, so each write (flushed twice) costs more as the run grows. The first checkpoint is written
 * at once, later ones at most every `everyMs`; one held back is written when that time is up, so the file is
 * never more than about `everyMs` behind, and `flush()` writes it at once when the run stops.
 */
export class CheckpointWriter {
  /** A checkpoint is on disk. */
  saved = false;
  private pending: CliRunCheckpoint | null = null;
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Writes one after the other: an older checkpoint never lands after a newer one. */
  private queue: Promise<void> = Promise.resolve();
  /** A delayed write that failed, reported by the next `offer`. */
  private failure: unknown = null;

  constructor(
    private readonly file: string,
    private readonly everyMs = FILE_WRITE_EVERY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The run's newest checkpoint; awaited by the run, so a failed write stops it as before. */
  async offer(cp: CliRunCheckpoint): Promise<void> {
    if (this.failure !== null) {
      const err = this.failure;
      this.failure = null;
      throw err;
    }
    if (holdsNoWork(cp)) return;
    // Only its reference is kept: the run hands over a fresh object each time (its call cache only grows).
    this.pending = cp;
    const wait = this.lastAt + this.everyMs - this.now();
    if (wait <= 0) return this.flush();
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush().catch((err: unknown) => (this.failure = err));
    }, wait);
  }

  /** Writes the checkpoint held back, if any, now. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.queue.then(() => this.writePending());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async writePending(): Promise<void> {
    const cp = this.pending;
    if (!cp) return;
    this.pending = null;
    this.lastAt = this.now();
    try {
      await writeAtomic(this.file, JSON.stringify(cp));
    } catch (err) {
      // Tried again by the next write, unless a newer checkpoint came meanwhile.
      this.pending ??= cp;
      throw err;
    }
    this.saved = true;
  }
}

type Obj = Record<string, unknown>;

const WHAT_RESUME_TAKES =
  '--resume takes the checkpoint a stopped run keeps beside its --out (<out>.<run id>.checkpoint.json).';

/**
 * What a file given to --resume is instead, when it is one we know: an alignment (what a run writes to
 * --out), or another of our files as the alignment import names it (its words up to what it is, without the
 * advice for an alignment slot: "it is an evaluation report (…)").
 */
function otherKind(text: string, json: unknown): string | null {
  const read = readAlignmentText(text);
  if (read.ok && read.source === 'file') return "it is an alignment file (a run's result, written to --out)";
  if (read.ok) return 'it is a prompt or examples file of the DRPO paper (drpo import-drpo converts it)';
  const words = otherFileWords(text, json);
  const cut = words && /^it is [^)]*\)(?=[:,])/.exec(words);
  return cut ? cut[0] : null;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The checks `loadCheckpoint` starts with, without reading: a missing --resume file is named as such up front. */
export function checkCheckpointFile(cwd: string, file: string): Promise<void> {
  return checkInputFile(cwd, file, 'checkpoint', MAX_CHECKPOINT_BYTES);
}

/**
 * A --resume file read and parsed, the opening both checkpoint readers share: `notJson` words the refusal of a
 * file that is not JSON (each reader names its own kind of checkpoint).
 */
async function readJsonCheckpoint(
  cwd: string,
  file: string,
  notJson: (text: string) => string,
): Promise<{ text: string; value: unknown }> {
  const text = decodeUtf8(file, await readInputFile(cwd, file, 'checkpoint', MAX_CHECKPOINT_BYTES), 'JSON');
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch {
    throw bad(notJson(text));
  }
}

export async function loadCheckpoint(cwd: string, file: string): Promise<CliRunCheckpoint> {
  const { text, value } = await readJsonCheckpoint(cwd, file, (raw) => {
    const kind = otherKind(raw, undefined);
    return kind
      ? `"${file}" is not a DRPO checkpoint: ${kind}. ${WHAT_RESUME_TAKES}`
      : `"${file}" is not a DRPO checkpoint (it is not JSON; the file may have been cut short).`;
  });
  if (!isObj(value) || value.format !== 'drpo-checkpoint') {
    const kind = otherKind(text, value);
    throw bad(`"${file}" is not a DRPO checkpoint file${kind ? `: ${kind}` : ''}. ${WHAT_RESUME_TAKES}`);
  }
  if (typeof value.version === 'number' && value.version > 1) {
    throw bad(`"${file}" was written by a newer DRPO Studio (checkpoint version ${value.version}).`);
  }
  const problem = value.version === 1 ? checkpointProblem(value) : `version: must be 1`;
  if (problem) throw bad(`"${file}" is a damaged DRPO checkpoint (${problem}); start a new run instead.`);
  // Absent (an older drpo wrote it) is not empty: it cannot tell which alignments are the run's, so it is kept
  // absent, and so is a list with junk in it (an edited file), which cannot tell either.
  const listed = value.ownOutputs;
  const own =
    Array.isArray(listed) && listed.every((d) => typeof d === 'string' && /^[0-9a-f]{64}$/.test(d))
      ? (listed as string[])
      : undefined;
  const { ownOutputs: _read, ...rest } = value as unknown as CliRunCheckpoint;
  return { ...rest, ...(own ? { ownOutputs: own } : {}) };
}

/** An evaluation's checkpoint file (`drpo eval`): what it evaluates, where, and its finished calls. */
export interface EvalCheckpointFile {
  format: 'drpo-eval-checkpoint';
  version: 1;
  /** Where its calls went (normalized), used by a resume given no --base-url. */
  endpoint: string;
  /** What it evaluates, with the models (as the server lists them): a resume asks exactly the same calls. */
  plan: EvalJobSpec & { policy: string; judge: string };
  /** The report's file and the CSV's (absolute): a resume writes where its evaluation would have. */
  out: string;
  csv?: string;
  checkpoint: EvalCheckpoint;
}

/** `<out>.checkpoint.json`: one per report, so a new evaluation for that --out finds the one it would replace. */
export function evalCheckpointPathFor(out: string): string {
  return `${out}.checkpoint.json`;
}

const WHAT_EVAL_RESUME_TAKES =
  '--resume takes the checkpoint a stopped evaluation keeps beside its --out (<out>.checkpoint.json).';

/** Reads an evaluation's checkpoint, refusing anything that is not one (a run's checkpoint is named as such). */
export async function loadEvalCheckpoint(cwd: string, file: string): Promise<EvalCheckpointFile> {
  const { value } = await readJsonCheckpoint(
    cwd,
    file,
    () => `"${file}" is not an evaluation checkpoint (it is not JSON; the file may have been cut short).`,
  );
  if (isObj(value) && value.format === 'drpo-checkpoint')
    throw bad(`"${file}" is the checkpoint of a run: resume it with drpo optimize --resume.`);
  if (!isObj(value) || value.format !== 'drpo-eval-checkpoint')
    throw bad(`"${file}" is not an evaluation checkpoint. ${WHAT_EVAL_RESUME_TAKES}`);
  if (typeof value.version === 'number' && value.version > 1)
    throw bad(`"${file}" was written by a newer DRPO Studio (checkpoint version ${value.version}).`);
  const plan = value.plan;
  const cp = value.checkpoint;
  const ok =
    value.version === 1 &&
    typeof value.endpoint === 'string' &&
    typeof value.out === 'string' &&
    (value.csv === undefined || typeof value.csv === 'string') &&
    isObj(plan) &&
    Array.isArray(plan.candidates) &&
    Array.isArray(plan.queries) &&
    typeof plan.policy === 'string' &&
    typeof plan.judge === 'string' &&
    isObj(cp) &&
    isObj(cp.calls) &&
    isObj(cp.stats);
  if (!ok) throw bad(`"${file}" is a damaged evaluation checkpoint; start the evaluation again instead.`);
  return value as unknown as EvalCheckpointFile;
}
