/**
 * The training data the page has chosen, and how the run will split it. The split is the planner's
 * (core/plan/plan-run.ts), with the run's seed and the held-out count from the settings, so what the
 * Data and Run views show is exactly what `drpo optimize` would run on the same file.
 */
import { BUILTIN_TRAIN } from '../../core/data/builtin-train';
import type { QuerySplit } from '../../core/data/split';
import { plannedValidationSize, splitForRun } from '../../core/plan/plan-run';
import { PRESETS } from '../../core/plan/presets';
import { finalCheckWarning } from '../../core/plan/settings-schema';
import type { Query } from '../../core/contracts/run-config';
import type { ParseReport } from '../../core/data/parse-queries';
import type { AppStateData, DatasetChoice } from '../app/app-state';

export const BUILTIN_NAME = 'Built-in training set';

export function datasetChoice(
  source: DatasetChoice['source'],
  name: string,
  queries: readonly Query[],
  savedId?: string,
  report?: ParseReport,
): DatasetChoice {
  return {
    source,
    name,
    queries: queries.slice(),
    ...(source === 'saved' && savedId ? { savedId } : {}),
    ...(source === 'upload' && report ? { report } : {}),
  };
}

/** The built-in training set as the default data choice, so a new user can go from Setup straight to Run. */
export function builtinDataset(): DatasetChoice | null {
  return BUILTIN_TRAIN.length ? datasetChoice('builtin', BUILTIN_NAME, BUILTIN_TRAIN) : null;
}

/** Held-out queries the next run takes: the settings' count (the Data view sets it), else the preset's. */
export function heldOutCount(s: Pick<AppStateData, 'preset' | 'settingsOverride'>): number {
  return plannedValidationSize(s.preset, s.settingsOverride);
}

/** Training and held-out queries of the next run, as the planner will split them. */
export function datasetSplit(s: Pick<AppStateData, 'dataset' | 'preset' | 'settingsOverride'>): QuerySplit | null {
  return s.dataset ? splitForRun(s.dataset.queries, heldOutCount(s)) : null;
}

/**
 * Said where the held-out count is shown (Data, Run) when the next run's final check could not confirm a gain:
 * too few questions held out to keep one back for the verdict (or the settings keep none). Null otherwise, and
 * with no data chosen. `where` is the view saying it: only the Run card sends the user to Data. The CLI says the
 * same before its run, in its own words (core/plan/settings-schema).
 */
export function heldOutWarning(
  s: Pick<AppStateData, 'dataset' | 'preset' | 'settingsOverride'>,
  where: 'data' | 'run',
): string | null {
  const split = datasetSplit(s);
  if (!split) return null;
  const settings = { ...PRESETS[s.preset].settings, ...s.settingsOverride };
  return finalCheckWarning(settings, split.validation.length, where);
}
