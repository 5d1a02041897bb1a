/**
 * Our own files, told by their contents: what each is and where it comes from, in one wording for the importer of
 * alignment files (alignment-import.ts: "…, not an alignment") and the reader of query files (parse-queries.ts:
 * "…, not a list of questions"), so a file of ours given in the wrong place is named for what it is.
 */
import { isEvalCsv } from '../eval/report/report-csv';
import type { EvalReport } from '../eval/eval-types';
import type { RunCheckpoint } from '../contracts/run-api';
import type { AlignmentArtifact } from '../contracts/alignment';

export type OwnFileKind = 'alignment' | 'eval-report' | 'eval-csv' | 'run-export' | 'checkpoint';

/** What each file is, with where it comes from: "it is …". */
export const OWN_FILE_WHAT: Record<OwnFileKind, string> = {
  alignment: 'an alignment file (Download JSON on a result, or drpo optimize --out)',
  'eval-report': 'an evaluation report (Export JSON in Evaluate, or drpo eval --out)',
  'eval-csv': 'an evaluation report in CSV (Export CSV in Evaluate, or drpo eval --csv)',
  'run-export': 'a run export (Export in History)',
  checkpoint: 'a run checkpoint, which drpo optimize keeps so that a run can resume',
};

/** The "format" each JSON file of ours says it is. */
const FORMATS: Record<string, OwnFileKind> = {
  ['drpo-alignment' satisfies AlignmentArtifact['format']]: 'alignment',
  ['drpo-eval' satisfies EvalReport['format']]: 'eval-report',
  // The store's run export (src/store/run-export.ts), named here because core cannot reach the store.
  'drpo-run-export': 'run-export',
  ['drpo-checkpoint' satisfies RunCheckpoint['format']]: 'checkpoint',
};

/** Which file of ours `text` is (`json`: it parsed, undefined when it is not JSON), or null. */
export function ownFileKind(text: string, json: unknown): OwnFileKind | null {
  if (json === undefined) return isEvalCsv(text) ? 'eval-csv' : null;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const format = (json as Record<string, unknown>).format;
  return typeof format === 'string' && Object.hasOwn(FORMATS, format) ? FORMATS[format]! : null;
}
