/**
 * Whether a value is a run checkpoint the engine can resume, and if not, the first thing wrong with it.
 * Checkpoints come back from disk (`drpo optimize --resume`) or IndexedDB: a file edited by hand or cut
 * short must be refused with its field named, never reach the engine and fail deep inside it. The optional
 * stats (outages, prompt reads) are not checked here: what of them is not a record is left out where they are
 * copied and read (outage-log.ts, prompt-reads.ts), so junk in a diagnostic costs the resume nothing.
 */
import { ROLES } from '../contracts/run-config';
import { isPresetName, PRESET_CHOICES, validateBudget, validateSettings } from '../plan/presets';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string';

/** The first problem of `value` as a version-1 checkpoint (its format and version are checked by the caller). */
export function checkpointProblem(value: Obj): string | null {
  if (!isText(value.runId) || !value.runId) return 'runId: must be text';
  if (!isObj(value.stats) || !isNum(value.stats.calls)) return 'stats: must hold the run’s counts';
  if (!isObj(value.calls)) return 'calls: must be an object';
  for (const [key, call] of Object.entries(value.calls)) {
    if (!isObj(call) || !Array.isArray(call.choices)) return `calls["${key.slice(0, 40)}…"]: not a model reply`;
  }
  if (value.endpoint !== undefined && !isText(value.endpoint)) return 'endpoint: must be text';
  if (!Array.isArray(value.nodes)) return 'nodes: must be a list';
  for (const [i, n] of value.nodes.entries()) {
    const problem = nodeProblem(n);
    if (problem) return `nodes[${i}]: ${problem}`;
  }
  return configProblem(value.config);
}

function nodeProblem(n: unknown): string | null {
  if (!isObj(n)) return 'must be an object';
  if (!isText(n.id) || !n.id) return 'id: must be text';
  if (n.parentId !== null && !isText(n.parentId)) return 'parentId: must be text or null';
  if (!Number.isInteger(n.depth) || (n.depth as number) < 0) return 'depth: must be a whole number';
  if (!isText(n.prompt)) return 'prompt: must be text';
  if (n.reward !== null && !isNum(n.reward)) return 'reward: must be a number or null';
  if (!isNum(n.pathReward)) return 'pathReward: must be a number';
  if (!Array.isArray(n.evaluations) || !n.evaluations.every(isObj)) return 'evaluations: must be a list';
  if (!Array.isArray(n.parseFailures)) return 'parseFailures: must be a list';
  return null;
}

function configProblem(config: unknown): string | null {
  if (!isObj(config)) return 'config: must be an object';
  if (!isPresetName(config.preset)) {
    return `config.preset: must be ${PRESET_CHOICES}`;
  }
  if (!Number.isInteger(config.seed)) return 'config.seed: must be a whole number';
  if (!isText(config.initialPrompt)) return 'config.initialPrompt: must be text';
  if (!config.initialPrompt.trim()) return 'config.initialPrompt: must not be empty';
  if (!isObj(config.roles)) return 'config.roles: must be an object';
  for (const r of ROLES) {
    const role = config.roles[r];
    if (!isObj(role) || !isText(role.modelId)) return `config.roles.${r}: must name a model`;
  }
  if (!Array.isArray(config.trainQueries) || config.trainQueries.length === 0) {
    return 'config.trainQueries: must hold the training queries';
  }
  for (const key of ['trainQueries', 'validationQueries'] as const) {
    const list = config[key];
    if (!Array.isArray(list) || !list.every((q) => isObj(q) && isText(q.id) && isText(q.text))) {
      return `config.${key}: must be a list of queries`;
    }
  }
  const icl = config.icl;
  if (!Array.isArray(icl) || !icl.every((e) => isObj(e) && isText(e.query) && isText(e.answer))) {
    return 'config.icl: must be a list of examples';
  }
  if (config.customAspects !== undefined && !Array.isArray(config.customAspects)) {
    return 'config.customAspects: must be a list';
  }
  if (!isObj(config.settings) || !isObj(config.settings.maxTokens)) return 'config.settings: incomplete';
  if (!isObj(config.budget)) return 'config.budget: must be an object';
  try {
    validateSettings(config.settings as never);
  } catch (err) {
    return `config.settings: ${(err as Error).message}`;
  }
  try {
    validateBudget(config.budget as never);
  } catch (err) {
    return `config.budget: ${(err as Error).message}`;
  }
  return null;
}
