/**
 * Run export files: building them (secrets stripped) and validating one before import.
 * Validation collects every problem it can name, so the refusal says exactly what is wrong.
 */
import { validateArtifact } from '../core/formats/alignment-file';
import { AppError, ErrorName } from '../core/contracts/errors';
import type { RunEvent, RunEventType, RunStatus } from '../core/contracts/run-events';
import type { SearchNode } from '../core/contracts/search-node';
import type { NodeRecord, RunRecord } from './schema';
import type { RunExport } from './store-types';

/** The run export file: its format name and version (an import refuses others). */
const FILE = { format: 'drpo-run-export', version: 1 } as const;

/** What an import reads at most. */
export const RUN_IMPORT_LIMITS = {
  /** Characters of JSON text. */
  fileChars: 50_000_000,
  nodes: 10_000,
  events: 200_000,
  /** Any single string (prompts, answers, rationales). */
  stringChars: 200_000,
} as const;

const STATUSES: readonly RunStatus[] = [
  'pending',
  'running',
  'paused',
  'completed',
  'budget-exhausted',
  'cancelled',
  'failed',
];
const EVENT_TYPES: readonly RunEventType[] = [
  'run-started',
  'stage-changed',
  'icl-updated',
  'node-evaluated',
  'beam-selected',
  'depth-extended',
  'budget-warning',
  'parse-failure',
  'call-retry',
  'usage',
  'run-finished',
  'error',
];
const SECRET_KEY = /^(api[-_]?keys?|authorization|bearer|access[-_]?token|secret|password)$/i;
const MAX_ISSUES = 8;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A deep copy without credential-like keys (API keys never leave or enter through a run file). */
export function stripSecrets<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (!SECRET_KEY.test(k)) out[k] = walk(x);
    return out;
  };
  return walk(value) as T;
}

export function buildRunExport(run: RunRecord, nodes: NodeRecord[], events: RunEvent[]): RunExport {
  // Storage bookkeeping (runId, log position) stays out of the file.
  const plainNodes: SearchNode[] = nodes.map(({ runId: _runId, seq: _seq, loggedAt: _at, ...node }) => node);
  return stripSecrets({ ...FILE, run: withoutDeviceFields(run), nodes: plainNodes, events });
}

/**
 * A run without what only this device's records may hold: the servers it used (often internal addresses) and
 * where an imported copy came from. Left out of every export, and of every file imported.
 */
export function withoutDeviceFields<T extends Partial<RunRecord>>(run: T): Omit<T, 'endpointUrls' | 'importedFrom'> {
  const { endpointUrls: _urls, importedFrom: _from, ...shared } = run;
  return shared;
}

class Issues {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    if (this.list.length < MAX_ISSUES) this.list.push(`${path}: ${message}`);
  }
  num(o: Obj, key: string, path: string, opts: { int?: boolean; min?: number } = {}): void {
    const v = o[key];
    if (!isNum(v)) return this.add(`${path}.${key}`, 'must be a number');
    if (opts.int && !Number.isInteger(v)) this.add(`${path}.${key}`, 'must be a whole number');
    if (opts.min !== undefined && v < opts.min) this.add(`${path}.${key}`, `must be at least ${opts.min}`);
  }
  str(o: Obj, key: string, path: string, nonEmpty = false): void {
    const v = o[key];
    if (typeof v !== 'string') this.add(`${path}.${key}`, 'must be text');
    else if (nonEmpty && !v.trim()) this.add(`${path}.${key}`, 'must not be empty');
  }
  obj(o: Obj, key: string, path: string): Obj | null {
    const v = o[key];
    if (isObj(v)) return v;
    this.add(`${path}.${key}`, 'must be an object');
    return null;
  }
  arr(o: Obj, key: string, path: string): unknown[] | null {
    const v = o[key];
    if (Array.isArray(v)) return v;
    this.add(`${path}.${key}`, 'must be a list');
    return null;
  }
}

/** First string longer than the limit, as a path; one walk over the whole file. */
function findOversized(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.length > RUN_IMPORT_LIMITS.stringChars ? path : null;
  if (depth > 64) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findOversized(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      const hit = findOversized(v, `${path}.${k}`, depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}

function checkRun(run: Obj, is: Issues): void {
  if (run.artifact !== undefined && run.artifact !== null) {
    const checked = validateArtifact(run.artifact);
    if (!checked.ok) for (const e of checked.errors) is.add('run.artifact', e);
  }
  is.str(run, 'id', 'run', true);
  is.str(run, 'name', 'run');
  if (!STATUSES.includes(run.status as RunStatus)) is.add('run.status', `must be one of ${STATUSES.join(', ')}`);
  is.num(run, 'createdAt', 'run');
  is.num(run, 'updatedAt', 'run');
  const config = is.obj(run, 'config', 'run');
  if (config) {
    const settings = is.obj(config, 'settings', 'run.config');
    if (settings) is.num(settings, 'depth', 'run.config.settings', { int: true, min: 0 });
    is.obj(config, 'roles', 'run.config');
    is.arr(config, 'trainQueries', 'run.config');
  }
  const progress = is.obj(run, 'progress', 'run');
  if (progress)
    for (const k of ['depth', 'maxDepth', 'nodes', 'calls', 'generatedTokens']) is.num(progress, k, 'run.progress');
  const stats = is.obj(run, 'stats', 'run');
  if (stats) {
    for (const k of ['calls', 'promptTokens', 'generatedTokens']) is.num(stats, k, 'run.stats');
    is.obj(stats, 'perRole', 'run.stats');
  }
  // The best so far, and the best the search reached (newer exports): History shows their rewards.
  for (const key of ['best', 'reached']) {
    if (run[key] === null || run[key] === undefined) continue;
    const best = is.obj(run, key, 'run');
    if (best) {
      is.str(best, 'nodeId', `run.${key}`);
      is.str(best, 'prompt', `run.${key}`);
      is.num(best, 'reward', `run.${key}`);
    }
  }
}

function checkNode(n: unknown, path: string, is: Issues, seen: Set<string>): void {
  if (!isObj(n)) return is.add(path, 'must be an object');
  is.str(n, 'id', path, true);
  if (typeof n.id === 'string') {
    if (seen.has(n.id)) is.add(`${path}.id`, `"${n.id.slice(0, 40)}" appears twice`);
    seen.add(n.id);
  }
  if (n.parentId !== null && typeof n.parentId !== 'string') is.add(`${path}.parentId`, 'must be text or null');
  is.num(n, 'depth', path, { int: true, min: 0 });
  is.str(n, 'prompt', path);
  is.arr(n, 'evaluations', path);
  is.arr(n, 'parseFailures', path);
  if (n.reward !== null && !isNum(n.reward)) is.add(`${path}.reward`, 'must be a number or null');
  is.num(n, 'pathReward', path);
  if (typeof n.carriedForward !== 'boolean') is.add(`${path}.carriedForward`, 'must be true or false');
  is.num(n, 'createdAt', path);
}

function refuse(problems: string[]): never {
  throw new AppError(
    ErrorName.InvalidInput,
    `This run file cannot be imported: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}.`,
  );
}

/** Parses and validates a run export; throws AppError(InvalidInput) naming what is wrong. */
export function parseRunExport(input: string | unknown): RunExport {
  let value: unknown = input;
  if (typeof input === 'string') {
    if (input.length > RUN_IMPORT_LIMITS.fileChars) {
      refuse([`the file is too large (${(input.length / 1e6).toFixed(1)} MB; the limit is 50 MB)`]);
    }
    try {
      value = JSON.parse(input);
    } catch (err) {
      refuse([`it is not JSON (${(err instanceof Error ? err.message : String(err)).slice(0, 120)})`]);
    }
  }
  if (!isObj(value)) refuse(['it is not a JSON object']);
  if (value.format !== FILE.format) {
    refuse([`it is not a DRPO Studio run export (format should be "${FILE.format}")`]);
  }
  if (value.version !== FILE.version) {
    refuse([`version ${JSON.stringify(value.version)} is not supported (this app reads version ${FILE.version})`]);
  }
  const is = new Issues();
  const run = is.obj(value, 'run', 'file');
  const nodes = is.arr(value, 'nodes', 'file');
  const events = is.arr(value, 'events', 'file');
  if (nodes && nodes.length > RUN_IMPORT_LIMITS.nodes)
    is.add('nodes', `too many (${nodes.length}; limit ${RUN_IMPORT_LIMITS.nodes})`);
  if (events && events.length > RUN_IMPORT_LIMITS.events) {
    is.add('events', `too many (${events.length}; limit ${RUN_IMPORT_LIMITS.events})`);
  }
  if (is.list.length) refuse(is.list);
  const oversized = findOversized(value, 'file');
  if (oversized) refuse([`${oversized}: text is longer than ${RUN_IMPORT_LIMITS.stringChars} characters`]);
  if (run) checkRun(run, is);
  const seen = new Set<string>();
  nodes?.forEach((n, i) => checkNode(n, `nodes[${i}]`, is, seen));
  events?.forEach((e, i) => {
    if (!isObj(e)) return is.add(`events[${i}]`, 'must be an object');
    if (!EVENT_TYPES.includes(e.type as RunEventType))
      is.add(`events[${i}].type`, `unknown event type ${JSON.stringify(e.type)}`);
    is.num(e, 'at', `events[${i}]`);
  });
  if (is.list.length) refuse(is.list);
  return stripSecrets(value as unknown as RunExport);
}
