/** Names, creates and loads the run checkpoints written by `drpo optimize`, refusing anything that is not one. */
import { randomBytes } from 'node:crypto';
import { decodeUtf8 } from '../core/data/parse-queries';
import type { RunCheckpoint } from '../core/contracts/run-api';
import { ROLES } from '../core/contracts/run-config';
import { bad } from './args';
import { readInputFile } from './files';

/** Checkpoints hold every finished call of a run: far bigger than data files, still bounded before reading. */
export const MAX_CHECKPOINT_BYTES = 256 * 2 ** 20;

/** A fresh run's id: time plus randomness, so two runs started in the same millisecond still differ. */
export function newCliRunId(): string {
  return `cli-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** `<out>.<runId>.checkpoint.json`: every run its own checkpoint, so two runs with one --out never share one. */
export function checkpointPathFor(out: string, runId: string): string {
  return `${out}.${runId.replace(/[^\w.-]/g, '_')}.checkpoint.json`;
}

/** Nothing worth resuming: no finished call and no scored prompt. */
export function holdsNoWork(cp: RunCheckpoint): boolean {
  return Object.keys(cp.calls).length === 0 && cp.nodes.length === 0;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function loadCheckpoint(cwd: string, file: string): Promise<RunCheckpoint> {
  const text = decodeUtf8(file, await readInputFile(cwd, file, 'checkpoint', MAX_CHECKPOINT_BYTES));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad(`"${file}" is not a DRPO checkpoint (it is not JSON; the file may have been cut short).`);
  }
  const notOne = bad(`"${file}" is not a DRPO checkpoint file.`);
  if (!isObj(value) || value.format !== 'drpo-checkpoint') throw notOne;
  if (typeof value.version === 'number' && value.version > 1) {
    throw bad(`"${file}" was written by a newer DRPO Studio (checkpoint version ${value.version}).`);
  }
  const config = value.config;
  if (
    value.version !== 1 ||
    typeof value.runId !== 'string' ||
    !isObj(config) ||
    !isObj(config.settings) ||
    !isObj(config.roles) ||
    !ROLES.every(
      (r) => isObj((config.roles as Obj)[r]) && typeof ((config.roles as Obj)[r] as Obj).modelId === 'string',
    ) ||
    !Array.isArray(config.trainQueries) ||
    !Array.isArray(value.nodes) ||
    !isObj(value.calls)
  ) {
    throw bad(`"${file}" is a damaged DRPO checkpoint; start a new run instead.`);
  }
  return value as unknown as RunCheckpoint;
}
