/**
 * The built-in training set as the default data choice, so a new user can go from Setup straight to
 * Run (the Data view applies the same split when it is opened or changed).
 */
import { BUILTIN_TRAIN } from '../../core/data/builtin-train';
import { splitQueries } from '../../core/data/split';
import { PRESETS } from '../../core/plan/presets';
import type { PresetName, Query } from '../../core/contracts/run-config';
import type { DatasetChoice } from '../app/app-state';

/** Fixed, so the same held-out queries are chosen on every visit. */
export const SPLIT_SEED = 1;
export const BUILTIN_NAME = 'Built-in training set';

export function datasetChoice(
  source: DatasetChoice['source'],
  name: string,
  queries: readonly Query[],
  validationSize: number,
): DatasetChoice {
  const split = splitQueries(queries, validationSize, SPLIT_SEED);
  return { source, name, train: split.train, validation: split.validation };
}

export function builtinDataset(preset: PresetName = 'quick'): DatasetChoice | null {
  if (!BUILTIN_TRAIN.length) return null;
  return datasetChoice('builtin', BUILTIN_NAME, BUILTIN_TRAIN, PRESETS[preset].settings.validationSize);
}
