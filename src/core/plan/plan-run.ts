/**
 * The one planner of a run, used by the page (Data and Run views) and by `drpo optimize`: the same data,
 * seed and settings give the same RunConfig, hence the same search, wherever it starts.
 *
 * - The held-out queries are split off with the run's own seed (splitForRun), unless given explicitly.
 * - The training queries keep their file order: the engine orders them once (beam-helpers orderQueries,
 *   seeded shuffle and interleaving by category). Nothing interleaves them before.
 * - The example pool is the built-in seed answers unless another is given.
 * - The starting prompt is normalised (line ends, surrounding space) and checked the same way.
 */
import { AppError, ErrorName } from '../contracts/errors';
import type { Budget, IclExample, PresetName, Query, Role, RoleBinding, RunConfig } from '../contracts/run-config';
import { BUILTIN_SEEDS } from '../data/builtin-seeds';
import { normalizeQueryText } from '../data/parse-queries';
import { splitQueries, type QuerySplit } from '../data/split';
import { ARTIFACT_LIMITS } from '../formats/alignment-file';
import { hasControlChars, notOneLineBecause } from '../formats/text-rules';
import { DEFAULT_INITIAL_PROMPT, DEFAULT_RUN_SEED, PRESETS, buildRunConfig, type RunConfigOverrides } from './presets';

export interface RunPlanInput {
  preset: PresetName;
  /** Default DEFAULT_RUN_SEED (the page has no seed of its own, so it always uses this one). */
  seed?: number;
  name?: string;
  /** Missing roles default to the policy binding (self-alignment). */
  roles?: Partial<Record<Role, RoleBinding>>;
  /** Changes to the preset's settings; `validationSize` also sets how many queries are held out. */
  settings?: RunConfigOverrides['settings'];
  budget?: Budget;
  /** The training data as read (file order). */
  queries: readonly Query[];
  /** Held-out queries from elsewhere (`--validation FILE`): then nothing is split off, and these leave `queries`. */
  validation?: readonly Query[];
  /** In-context example pool; default the built-in seed answers. */
  icl?: readonly IclExample[];
  /** The prompt the search starts from and must beat; default DEFAULT_INITIAL_PROMPT. */
  initialPrompt?: string;
}

function invalid(message: string): AppError {
  return new AppError(ErrorName.InvalidInput, message);
}

/** The starting prompt as the run uses it: Windows line ends and surrounding space removed. */
export function normalizeStartingPrompt(text: string): string {
  return text.replace(/\r\n/g, '\n').trim();
}

/** Blank includes invisible characters (zero-width spaces and joiners, a stray BOM): nothing to read. */
export function isBlankPrompt(prompt: string): boolean {
  return !prompt.replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '');
}

/** Why a (normalised) starting prompt cannot be used, or null. `subject` starts the sentence. */
export function startingPromptProblem(prompt: string, subject = 'The starting prompt'): string | null {
  if (isBlankPrompt(prompt)) {
    return `${subject} is empty. Leave it out to start from "${DEFAULT_INITIAL_PROMPT}".`;
  }
  // Tabs and line breaks are text; NUL and the other control characters mean a binary file or a bad paste.
  if (hasControlChars(prompt)) return `${subject} contains control characters (such as NUL), so it is not plain text.`;
  if (prompt.length > ARTIFACT_LIMITS.systemPrompt) {
    return `${subject} has ${prompt.length} characters; the limit is ${ARTIFACT_LIMITS.systemPrompt}.`;
  }
  return null;
}

/**
 * Training and held-out queries of a run: `validationSize` held out with the run's seed, file order
 * kept, but never more than half of the file, so a small file still leaves the search its questions.
 */
export function splitForRun(queries: readonly Query[], validationSize: number, seed = DEFAULT_RUN_SEED): QuerySplit {
  return splitQueries(queries, Math.min(validationSize, Math.floor(queries.length / 2)), seed);
}

/**
 * The training queries a run keeps beside held-out questions given explicitly (`--validation FILE`): those not
 * among them, matched as duplicates are within a file (whitespace normalised). A held-out question is never
 * trained on.
 */
export function notHeldOut(queries: readonly Query[], heldOut: readonly Query[]): Query[] {
  const held = new Set(heldOut.map((q) => normalizeQueryText(q.text)));
  return queries.filter((q) => !held.has(normalizeQueryText(q.text)));
}

/** The number of held-out queries the plan uses: the setting, else the preset's. */
export function plannedValidationSize(preset: PresetName, settings: RunPlanInput['settings'] = {}): number {
  return settings.validationSize ?? PRESETS[preset].settings.validationSize;
}

/** What a run name with a tab, a line break or another control character is told to do instead. */
const NOT_ONE_LINE_FIX = {
  'a tab': 'use spaces instead',
  'a line break': 'keep it to one line',
  'control characters (such as NUL)': 'type it as plain text',
} as const;

/**
 * Why a run name cannot label an alignment file (one line of plain text, within the file's label limit), or
 * null. One rule and one wording for the Run view's field and `drpo optimize --name`.
 */
export function runNameProblem(name: string): string | null {
  if (name.length > ARTIFACT_LIMITS.label) {
    return `The run name has ${name.length} characters; the limit is ${ARTIFACT_LIMITS.label}.`;
  }
  const because = notOneLineBecause(name);
  if (because) return `The run name contains ${because}: ${NOT_ONE_LINE_FIX[because]}.`;
  return null;
}

/** Builds the complete, validated RunConfig. Throws AppError(InvalidInput) with a readable message. */
export function planRun(input: RunPlanInput): RunConfig {
  const seed = input.seed ?? DEFAULT_RUN_SEED;
  let train: Query[];
  let validation: Query[];
  if (input.validation) {
    validation = input.validation.slice();
    train = notHeldOut(input.queries, validation);
    if (train.length === 0 && input.queries.length > 0)
      throw invalid(
        'Every training query is also among the held-out questions, which are never trained on: none is left for the search.',
      );
  } else {
    ({ train, validation } = splitForRun(input.queries, plannedValidationSize(input.preset, input.settings), seed));
  }
  if (train.length === 0) throw invalid('No training queries are left after taking out the held-out questions.');
  const overrides: RunConfigOverrides = {
    seed,
    settings: input.settings ?? {},
    budget: input.budget ?? {},
    trainQueries: train,
    validationQueries: validation,
    icl: (input.icl ?? BUILTIN_SEEDS).map((e) => ({ query: e.query, answer: e.answer })),
  };
  if (input.roles) overrides.roles = input.roles;
  if (input.name) {
    const problem = runNameProblem(input.name);
    if (problem) throw invalid(problem);
    overrides.name = input.name;
  }
  if (input.initialPrompt !== undefined) {
    const prompt = normalizeStartingPrompt(input.initialPrompt);
    const problem = startingPromptProblem(prompt);
    if (problem) throw invalid(problem);
    overrides.initialPrompt = prompt;
  }
  return buildRunConfig(input.preset, overrides);
}
