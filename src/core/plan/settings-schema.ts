/**
 * Every adjustable setting of a run once: its label, what it means, its range. `validateSettings`
 * (presets.ts) checks a config against it, and the settings panel renders its fields from it, so the page
 * can never offer a value the engine refuses, nor word a setting differently from the error about it.
 */
import type { Budget, Role, SearchSettings } from '../contracts/run-config';

/** Settings whose value is a single number (lists and choices are set by the presets). */
export type NumberSettingKey = {
  [K in keyof SearchSettings]-?: NonNullable<SearchSettings[K]> extends number ? K : never;
}[keyof SearchSettings];

export interface NumberSetting {
  key: NumberSettingKey;
  label: string;
  /** What the setting does, in one line (the panel's hint). */
  help: string;
  min: number;
  max: number;
  /** 1 for whole numbers. */
  step: number;
  /** Said after the range in a refusal ("between 0 and 5 standard errors"). */
  unit?: string;
  /** What the engine uses when a preset leaves an optional setting out. */
  fallback?: number;
}

/**
 * What the engine uses when a preset leaves an optional setting out: the one source for the engine, the
 * projection and the settings panel (each field's `fallback` below).
 */
export const SETTING_DEFAULTS = {
  maxAspects: 5,
  optimizerEvidence: 0,
  validationCandidates: 3,
  raceBatch: 2,
  verdictZ: 1,
  verdictQueries: 8,
} as const satisfies Partial<Record<NumberSettingKey, number>>;

/** The example counts worth trying at inference: distinct, clamped to the pool, only 0 without a pool. */
export function exampleOptions(options: readonly number[] | undefined, fallback: number, poolSize: number): number[] {
  if (poolSize === 0) return [0];
  const ks = (options && options.length ? options : [fallback]).map((k) => Math.max(0, Math.min(k, poolSize)));
  return [...new Set(ks)];
}

/**
 * How the final check spends its validation queries: the first `race` choose the candidate (prompt and
 * example count), the last `verdict` are kept back for the claim that it beats the starting prompt. At
 * least half race; with fewer than two queries nothing is kept back (the race's own data must show it).
 */
export function verdictSplit(s: SearchSettings, validationQueries: number): { race: number; verdict: number } {
  const wanted = Math.max(0, s.verdictQueries ?? SETTING_DEFAULTS.verdictQueries);
  const verdict = Math.min(wanted, Math.floor(validationQueries / 2));
  return { race: validationQueries - verdict, verdict };
}

/**
 * How many training questions a search asks (beam-helpers.ts batchFor: `queriesPerLevel` at the starting
 * prompt's level and at each of `depth`): `least`; `most` with the `maxDepthExtension` levels added when a
 * prompt already scores above the carry-forward threshold. With fewer training questions, later levels ask the
 * same ones again. One count for the Run view's note before Start and the advice after "no improvement".
 */
export function trainingQuestionsAsked(s: Pick<SearchSettings, 'depth' | 'queriesPerLevel' | 'maxDepthExtension'>): {
  least: number;
  most: number;
} {
  const levels = s.depth + 1;
  return { least: levels * s.queriesPerLevel, most: (levels + s.maxDepthExtension) * s.queriesPerLevel };
}

/** The fewest held-out questions of which the final check keeps one back (verdictSplit: half, rounded down). */
export const MIN_HELD_OUT_FOR_VERDICT = 2;

/**
 * Said before a run whose final check cannot confirm a gain over the starting prompt, null otherwise: no
 * question held out (nothing is checked), or none kept back for the verdict (fewer than
 * MIN_HELD_OUT_FOR_VERDICT held out, or `verdictQueries` 0), so the questions that choose the result would
 * judge it too and it comes back "not verified". `heldOut` is what the check will use (checkQueries). The
 * advice names where each surface sets it: the CLI's files; on the page the Data view, named only where the user
 * is elsewhere (the Run card), not on Data itself.
 */
export function finalCheckWarning(s: SearchSettings, heldOut: number, surface: 'data' | 'run' | 'cli'): string | null {
  if (heldOut > 0 && verdictSplit(s, heldOut).verdict > 0) return null;
  const least = MIN_HELD_OUT_FOR_VERDICT;
  const more =
    surface === 'cli'
      ? `give --train ${2 * least} or more questions (at most half are held out), or a --validation file of ${least} or more`
      : `hold out at least ${least}${surface === 'run' ? ' on Data' : ''} (a run holds out at most half of its questions, so ${2 * least} or more questions)`;
  if (heldOut === 0)
    return `No question is held out, so the result will not be checked against your starting prompt: ${more}.`;
  if (heldOut >= least)
    return `No held-out question is kept back for the verdict (${surface === 'cli' ? 'the run’s settings keep none' : 'Questions behind a verdict is 0'}), so the final check cannot confirm a gain over your starting prompt: the questions that choose the result would judge it too.`;
  return `Only ${heldOut} question is held out, so the final check cannot keep one back from choosing the result and cannot confirm a gain over your starting prompt: ${more}.`;
}

/** The held-out queries the final check uses: the first `validationSize` of the run's (none at 0). */
export function checkQueries<T>(s: Pick<SearchSettings, 'validationSize'>, validationQueries: readonly T[]): T[] {
  return s.validationSize > 0 ? validationQueries.slice(0, s.validationSize) : [];
}

/**
 * The final check's shape, one rule for the engine (chooseResult, warmStart) and the projection: the
 * example counts it tries, whether the search's official pick is the one finalist (paper) or how many
 * finalists race the start, the split of its queries, its round size, and the race's fixed part: every
 * live cell answers the first round (`firstRound` questions), and the race runs at least `minRace`
 * questions before it may stop.
 */
export function finalCheckShape(s: SearchSettings, validationQueries: number, poolSize: number) {
  const officialPick = (s.finalSelection ?? 'race') === 'last-beam';
  const split = verdictSplit(s, validationQueries);
  const batch = Math.max(1, s.raceBatch ?? SETTING_DEFAULTS.raceBatch);
  return {
    cols: validationColumns(s, poolSize),
    officialPick,
    finalists: officialPick ? 1 : (s.validationCandidates ?? SETTING_DEFAULTS.validationCandidates),
    split,
    batch,
    firstRound: Math.min(batch, split.race),
    minRace: Math.min(split.race, 2 * batch),
  };
}

/** The final check's columns: no examples (the control's own) and every count worth trying, ascending. */
export function validationColumns(s: SearchSettings, poolSize: number): number[] {
  return [...new Set([0, ...exampleOptions(s.inferenceExampleOptions, s.iclKInference, poolSize)])].sort(
    (a, b) => a - b,
  );
}

export const NUMBER_SETTINGS: readonly NumberSetting[] = [
  {
    key: 'beamWidth',
    label: 'Beam width',
    help: 'How many best prompts are kept at each level.',
    min: 1,
    max: 16,
    step: 1,
  },
  {
    key: 'actions',
    label: 'Rewrites per step',
    help: 'New prompts the optimizer writes from each kept prompt.',
    min: 1,
    max: 16,
    step: 1,
  },
  {
    key: 'depth',
    label: 'Depth',
    help: 'Levels of the search; each level uses fresh training queries.',
    min: 1,
    max: 200,
    step: 1,
  },
  {
    key: 'maxDepthExtension',
    label: 'Depth extension',
    help: 'Extra levels allowed when a prompt is already good enough to carry forward.',
    min: 0,
    max: 100,
    step: 1,
  },
  {
    key: 'queriesPerLevel',
    label: 'Queries per level',
    help: 'Training queries each candidate answers per level (more = less noisy, slower).',
    min: 1,
    max: 32,
    step: 1,
  },
  {
    key: 'carryForwardThreshold',
    label: 'Carry-forward threshold',
    help: 'Mean score above which a prompt is kept unchanged instead of rewritten.',
    min: 1,
    max: 5,
    step: 0.1,
  },
  {
    key: 'iclK',
    label: 'Examples during search',
    help: 'Worked examples shown with each answer while searching.',
    min: 0,
    max: 16,
    step: 1,
  },
  {
    key: 'iclKInference',
    label: 'Examples at inference',
    help: 'Worked examples shown when the alignment is used.',
    min: 0,
    max: 16,
    step: 1,
  },
  {
    key: 'policyTemperature',
    label: 'Answer temperature',
    help: 'Randomness of the answers being scored (0 = repeatable).',
    min: 0,
    max: 2,
    step: 0.05,
  },
  {
    key: 'optimizerTemperature',
    label: 'Optimizer temperature',
    help: 'Randomness of the prompt rewrites.',
    min: 0,
    max: 2,
    step: 0.05,
  },
  {
    key: 'optimizerTopP',
    label: 'Optimizer top-p',
    help: 'Share of likely words the optimizer samples from.',
    min: 0.01,
    max: 1,
    step: 0.01,
  },
  {
    key: 'judgeTemperature',
    label: 'Judge temperature',
    help: 'Randomness of the scores (0 = repeatable).',
    min: 0,
    max: 2,
    step: 0.05,
  },
  {
    key: 'maxAspects',
    label: 'Aspects per query',
    help: 'Most aspects the judge scores an answer on (fewer = shorter judgements).',
    min: 2,
    max: 5,
    step: 1,
    fallback: SETTING_DEFAULTS.maxAspects,
  },
  {
    key: 'optimizerEvidence',
    label: 'Reviews shown to the optimizer',
    help: 'Reviews of this level and the ones before that the optimizer reads before a rewrite (0 = its own only).',
    min: 0,
    max: 32,
    step: 1,
    fallback: SETTING_DEFAULTS.optimizerEvidence,
  },
  {
    key: 'maxNewBullets',
    label: 'New bullets per step',
    help: 'Most rules the optimizer may add in one rewrite.',
    min: 1,
    max: 20,
    step: 1,
  },
  { key: 'maxBullets', label: 'Bullets in total', help: 'Most rules a prompt may hold.', min: 1, max: 50, step: 1 },
  {
    key: 'historyWindow',
    label: 'History window',
    help: 'Earlier prompts on the path shown to the optimizer.',
    min: 0,
    max: 50,
    step: 1,
  },
  {
    key: 'validationSize',
    // One name on Data, in Advanced settings and on Run: the user sets it on Data first.
    label: 'Held-out questions',
    help: 'Questions kept out of training, on which the finalists and your starting prompt are compared (0 = no final check; at most half of the questions).',
    min: 0,
    max: 1000,
    step: 1,
  },
  {
    key: 'validationCandidates',
    label: 'Validation candidates',
    help: 'Prompts from the end of the search re-scored on the held-out questions.',
    min: 1,
    max: 20,
    step: 1,
    fallback: SETTING_DEFAULTS.validationCandidates,
  },
  {
    key: 'raceBatch',
    label: 'Validation round size',
    help: 'Queries added per validation round; prompts clearly behind are dropped between rounds.',
    min: 1,
    max: 100,
    step: 1,
    fallback: SETTING_DEFAULTS.raceBatch,
  },
  {
    key: 'verdictZ',
    label: 'Evidence needed',
    help: 'Standard errors by which the result must beat your starting prompt, on the questions kept back for the verdict, to count as better (twice as many for your own prompt with examples added).',
    min: 0,
    max: 5,
    step: 0.1,
    unit: 'standard errors',
    fallback: SETTING_DEFAULTS.verdictZ,
  },
  {
    key: 'verdictQueries',
    label: 'Questions behind a verdict',
    help: 'Held-out questions kept back until the result is chosen: "better than your starting prompt" is judged on these alone, so luck in choosing cannot make the verdict. At most half the held-out questions.',
    min: 0,
    max: 100,
    step: 1,
    fallback: SETTING_DEFAULTS.verdictQueries,
  },
  {
    key: 'iclRounds',
    label: 'Example polishing rounds',
    help: 'Rounds that improve the worked examples before the search (0 = skip).',
    min: 0,
    max: 20,
    step: 1,
  },
];

export const BOOLEAN_SETTINGS: readonly { key: 'logprobScoring' | 'shortRationales'; label: string; help: string }[] = [
  {
    key: 'logprobScoring',
    label: 'Score from probabilities',
    help: 'Read scores as an expectation over the judge’s odds of “1”…“5” where the model allows it.',
  },
  {
    key: 'shortRationales',
    label: 'Short rationales',
    help: 'Ask the judge for one-sentence reasons (fewer tokens).',
  },
];

/** Longest output per call, for every role. */
export const MAX_TOKENS_RANGE = { min: 16, max: 32768 } as const;

/** What each role writes, for the max-tokens fields. */
export const ROLE_OUTPUT: Record<Role, string> = {
  policy: 'answers',
  aspect: 'aspect choice',
  judge: 'judgements',
  optimizer: 'rewrites',
};

export interface BudgetSetting {
  key: keyof Budget;
  label: string;
  help: string;
  /** Stored value per unit shown (minutes are stored as milliseconds). */
  scale: number;
}

export const BUDGET_SETTINGS: readonly BudgetSetting[] = [
  { key: 'maxCalls', label: 'Max model calls', help: 'The run stops after this many model calls.', scale: 1 },
  {
    key: 'maxGeneratedTokens',
    label: 'Max generated tokens',
    help: 'The run stops after the models wrote this many tokens.',
    scale: 1,
  },
  {
    key: 'maxWallMs',
    label: 'Max minutes',
    help: 'The run stops after this much working time (time the computer sleeps does not count).',
    scale: 60_000,
  },
];

/** Why a value is out of range, in words (null when it is fine). `label` prefixes the sentence. */
export function rangeProblem(
  value: unknown,
  range: { min: number; max: number; step: number; unit?: string },
  label?: string,
): string | null {
  const whole = range.step >= 1;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!whole || Number.isInteger(value)) &&
    value >= range.min &&
    value <= range.max;
  if (ok) return null;
  const unit = range.unit ? ` ${range.unit}` : '';
  if (label === undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.';
    if (whole && !Number.isInteger(value)) return 'Enter a whole number.';
    return `Use a value from ${range.min} to ${range.max}.`;
  }
  return whole
    ? `${label} must be a whole number from ${range.min} to ${range.max} (got ${String(value)}).`
    : `${label} must be between ${range.min} and ${range.max}${unit} (got ${String(value)}).`;
}
