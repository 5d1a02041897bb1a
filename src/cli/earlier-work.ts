/**
 * What earlier work sits at a command's --out before it spends anything: an alignment or an evaluation report
 * the user paid for (never replaced unless --force asks for it) and the checkpoints of earlier runs for that --out
 * that can still be resumed (`drpo optimize` names them instead of silently starting over).
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_ALIGNMENT_FILE_CHARS, readAlignmentText } from '../core/formats/alignment-import';
import type { EvalReport } from '../core/eval/eval-types';
import { bad } from './args';
import { nameBeside } from './files';
import { lockHeld } from './run-lock';
import { modelWords } from '../core/formats/model-names';

/** What stood at --out when the command checked it: compared again just before the write. */
export type OutStamp = { mtimeMs: number; size: number } | null;

async function stampOf(file: string): Promise<OutStamp> {
  const info = await stat(file).catch(() => null);
  return info ? { mtimeMs: info.mtimeMs, size: info.size } : null;
}

/** An existing file, in words: an alignment with its name, model and outcome, or what it is not. */
async function describeExisting(file: string, size: number): Promise<{ alignment: boolean; words: string }> {
  // An alignment is at most a few MB; a bigger file is surely something else (and not read).
  if (size > MAX_ALIGNMENT_FILE_CHARS) return { alignment: false, words: 'a file that is not an alignment' };
  const text = await readFile(file, 'utf8').catch(() => '');
  const read = readAlignmentText(text, path.basename(file));
  if (!read.ok) return { alignment: false, words: 'a file that is not an alignment' };
  const a = read.artifact;
  const parts = [
    ...(a.name?.trim() ? [`"${a.name.trim()}"`] : []),
    `for ${modelWords(a.model)}`,
    ...(a.outcome ? [`outcome: ${a.outcome}`] : []),
    ...(Date.parse(a.createdAt) ? [`made ${new Date(a.createdAt).toLocaleString()}`] : []),
  ];
  return { alignment: true, words: `an alignment (${parts.join(', ')})` };
}

/** Largest file read to say which report stands at --out (reading it whole is the only way to know). */
const MAX_REPORT_READ_BYTES = 64 * 2 ** 20;

/** An existing file where an evaluation report would go, in words: a report with its rows and date, or not one. */
async function describeExistingReport(file: string, size: number): Promise<string> {
  const notOne = 'a file that is not an evaluation report';
  // A report of every answer of a long evaluation may be large, mostly well under this; one over it may still
  // be a report (20,000 questions, three candidates), so it is said to be unread, not called something else.
  if (size > MAX_REPORT_READ_BYTES) return `a large file (${Math.round(size / 2 ** 20)} MB) that was not read`;
  let r: unknown;
  try {
    r = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return notOne;
  }
  const report = r as Partial<EvalReport> | null;
  if (report?.format !== 'drpo-eval' || !Array.isArray(report.candidates)) return notOne;
  const labels = report.candidates.map((c) => (typeof c?.label === 'string' ? c.label : '?'));
  const parts = [
    ...(report.complete === false ? ['stopped early'] : []),
    labels.join(', '),
    ...(typeof report.createdAt === 'string' && Date.parse(report.createdAt)
      ? [`made ${new Date(report.createdAt).toLocaleString()}`]
      : []),
  ];
  return `an evaluation report (${parts.join('; ')})`;
}

/** `a.json` → `a-2.json`, `a-3.json`, …: the first name beside `file` that is free (undefined after 20). */
export async function freeNameBeside(file: string): Promise<string | undefined> {
  for (let n = 2; n <= 21; n++) {
    const next = nameBeside(file, `-${n}`);
    if ((await stampOf(next)) === null) return next;
  }
  return undefined;
}

export interface OutGuard {
  /** The resolved --out (checkOutputFile's result). */
  out: string;
  /** How the user named it (or the default). */
  shown: string;
  cwd: string;
  force: boolean | undefined;
  /** "this run", "this import", "this evaluation": what would replace the file. */
  doer: string;
  /**
   * What the command writes there (default: an alignment): how a file already there is described. An export
   * (a Modelfile, a script) names an alignment there as one and anything else as "a file".
   */
  writes?: 'alignment' | 'report' | 'export';
  /**
   * A resume: true when the alignment at --out is its run's (one it wrote, or one it was allowed to replace when
   * it began), at whatever --out. False (only at the --out the run started with, where that is known) refuses it
   * as any other file is, saying that it is not this run's; undefined refuses it without saying whose it is.
   */
  ownRun?: boolean;
  /** A third way out, said after the other two: the command that continues an earlier run for this --out. */
  orContinue?: string;
}

/**
 * Refuses (exit 1) when --out already holds a file the command would replace, unless --force: a finished
 * alignment is what the user paid for. Checked before any call, so a long run never ends unable to write.
 * A resume may replace an alignment at the --out its run started with: its own earlier (budget-stopped)
 * result, or one the run was allowed to replace when it began. Returns what stood there, for `changedSince`.
 */
export async function guardExistingOut(g: OutGuard): Promise<OutStamp> {
  const stamp = await stampOf(g.out);
  if (stamp === null || g.force) return stamp;
  const { alignment, words } =
    g.writes === 'report'
      ? { alignment: false, words: await describeExistingReport(g.out, stamp.size) }
      : await describeExisting(g.out, stamp.size);
  const shownWords = g.writes === 'export' && !alignment ? 'a file' : words;
  if (alignment && g.ownRun) return stamp;
  const other = await freeNameBeside(g.out);
  const otherShown = other ? path.relative(g.cwd, other) || other : 'OTHER.json';
  const notOurs = g.ownRun === false ? ', which this run did not write (it was written after the run began)' : '';
  throw bad(
    `--out "${g.shown}" already holds ${shownWords}${notOurs}; ${g.doer} would replace it. ` +
      `To keep it, pass another --out (e.g. --out ${otherShown}); to replace it, pass --force.` +
      (g.orContinue ? ` To continue the earlier run instead, run:\n  ${g.orContinue}` : ''),
  );
}

/**
 * The digest a run keeps of the alignments it may replace (those it wrote, or was allowed to replace when it
 * began): what a resume compares the file at --out with. Null when nothing (or no readable file) is there.
 */
export async function fileDigest(file: string): Promise<string | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile() || info.size > MAX_ALIGNMENT_FILE_CHARS) return null;
  const bytes = await readFile(file).catch(() => null);
  return bytes ? textDigest(bytes) : null;
}

export function textDigest(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether another process wrote --out since `guardExistingOut` looked (this run's own writes come after). */
export async function changedSince(file: string, before: OutStamp): Promise<boolean> {
  const now = await stampOf(file);
  if (now === null) return false;
  return before === null || now.mtimeMs !== before.mtimeMs || now.size !== before.size;
}

/** `<out>.<run id>.checkpoint.json` (checkpointPathFor): a run id has no dots (`cli-…`). */
const CHECKPOINT_NAME = /^(.+)\.[\w-]+\.checkpoint\.json$/;

/** The --out a checkpoint's run was started with, from its name; undefined for a renamed one. */
export function outOfCheckpoint(checkpoint: string): string | undefined {
  const m = CHECKPOINT_NAME.exec(path.basename(checkpoint));
  return m ? path.join(path.dirname(checkpoint), m[1]!) : undefined;
}

/**
 * Checkpoints of earlier runs for `out` that no live run holds (a killed run's lock is left over, not held),
 * newest first: what a run started again after Ctrl+C, a closed terminal or a budget stop could resume.
 */
export async function resumableCheckpoints(out: string): Promise<string[]> {
  const dir = path.dirname(out);
  const names = await readdir(dir).catch(() => [] as string[]);
  const base = path.basename(out);
  const found: { file: string; mtimeMs: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`) || outOfCheckpoint(name) !== base) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || (await lockHeld(file))) continue;
    found.push({ file, mtimeMs: info.mtimeMs });
  }
  // Newest first; checkpoints written in one moment by name, descending (a run's tag starts with its start time in
  // base 36, so the later-started first), the same list whatever order the folder reads.
  return found
    .sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? 1 : a.file > b.file ? -1 : 0))
    .map((f) => f.file);
}
