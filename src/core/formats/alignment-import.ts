/**
 * The one importer of alignment files, for the History view (through the store), `drpo import-drpo` and
 * `drpo eval`: our own format v1 (validated by alignment-file.ts) or the official DRPO release, per-model
 * files of search levels (`{"level 1": {"Prompt": ..., "Evaluation of the prompt": {Aspect: {rationale,
 * score: "5"}}}, ...}`) and the `[{query, answer}]` / `{query: answer}` ICL example files, converted.
 * Output is always validated; refusals name what is wrong.
 */
import { ANY_MODEL } from './model-names';
/** Converted examples are for any model (model-names.ts). */
export { ANY_MODEL };
import { ARTIFACT_FORMAT, ARTIFACT_LIMITS, validateArtifact } from './alignment-file';
import { isOneLine } from './text-rules';
import { isQueryRecord } from '../data/parse-queries';
import { OWN_FILE_WHAT, ownFileKind, type OwnFileKind } from '../data/own-files';
import { problemsSentence } from '../words/list-words';
import { AppError, ErrorName } from '../contracts/errors';
import { CONVERTED_SOURCES } from '../contracts/alignment';
import type { AlignmentArtifact } from '../contracts/alignment';
import type { IclExample } from '../contracts/run-config';

/** The published prompts were judged and optimized by this model (paper setup). */
const PAPER_JUDGE = { id: 'gpt-4-0125-preview', engine: 'openai' } as const;
/** Published prompts start from this prompt, and so does an ICL-only import. */
const DRPO_INITIAL_PROMPT = 'You are a helpful assistant.';
const LEVEL_KEY = /^level\s*(\d+)$/i;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const today = (): Date => new Date();

/** How a refusal names the file. */
const fileLabel = (fileName?: string): string => (fileName ? `"${fileName}"` : 'This file');

function invalid(message: string, detail?: string): AppError {
  return new AppError(ErrorName.InvalidInput, message, detail === undefined ? {} : { detail });
}

/**
 * A refusal about one part of the file: the message names the file, the detail does not, so
 * readAlignmentText's callers, which say "FILE could not be imported: …" themselves, name it once.
 */
function refusePart(label: string, problem: string): AppError {
  return invalid(`${label}: ${problem}.`, problem);
}

/** "llama3-8b-instruct.json" → "llama3-8b-instruct". */
function modelIdFromFileName(fileName?: string): string | undefined {
  const base = fileName
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.json$/i, '')
    .trim();
  return base ? base.slice(0, ARTIFACT_LIMITS.label) : undefined;
}

export function isDrpoPublished(json: unknown): boolean {
  return isObj(json) && Object.keys(json).some((k) => LEVEL_KEY.test(k.trim()));
}

/** Mean of the aspect scores of one level, or null when none parses (never a silent 0). */
function levelReward(evaluation: unknown): number | null {
  if (!isObj(evaluation)) return null;
  const scores = Object.values(evaluation)
    .map((e) => (isObj(e) ? Number(e.score) : Number.NaN))
    .filter((s) => Number.isFinite(s) && s >= 1 && s <= 5);
  return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
}

function checked(artifact: AlignmentArtifact, what: string): AlignmentArtifact {
  const r = validateArtifact(artifact);
  if (!r.ok) throw invalid(`The ${what} could not be converted: ${problemsSentence(r.errors)}`, r.errors.join('\n'));
  return r.artifact;
}

export function importDrpoPublished(json: unknown, fileName?: string, now = today): AlignmentArtifact {
  const label = fileLabel(fileName);
  if (!isObj(json)) throw invalid(`${label} is not a DRPO prompt file (expected an object of "level N" entries).`);
  const levels = Object.entries(json)
    .map(([key, value]) => ({ n: Number(LEVEL_KEY.exec(key.trim())?.[1] ?? Number.NaN), value }))
    .filter((l) => Number.isInteger(l.n))
    .sort((a, b) => a.n - b.n);
  if (levels.length === 0) throw invalid(`${label} has no "level N" entries, so it is not a DRPO prompt file.`);
  const steps = levels.map(({ n, value }) => {
    if (!isObj(value) || typeof value.Prompt !== 'string') throw refusePart(label, `"level ${n}" has no "Prompt" text`);
    return { depth: n - 1, prompt: value.Prompt, reward: levelReward(value['Evaluation of the prompt']) };
  });
  const last = steps[steps.length - 1] as (typeof steps)[number];
  // The last level's prompt is the one the alignment uses; an earlier empty one is only history.
  if (last.prompt.trim() === '')
    throw refusePart(
      label,
      `the "Prompt" of "level ${last.depth + 1}", the last level, is empty: there is no prompt to use`,
    );
  const scored = steps.filter((s): s is { depth: number; prompt: string; reward: number } => s.reward !== null);
  // Recorded, not left to the path's first step (startingPrompt): a share link keeps only the path's last steps,
  // and a level without scores is not on the path. The search starts from level 1, which is DRPO's own start.
  const level1 = steps.find((s) => s.depth === 0)?.prompt;
  const initialPrompt = level1 !== undefined && level1.trim() !== '' ? level1 : DRPO_INITIAL_PROMPT;
  const modelId = modelIdFromFileName(fileName) ?? 'unknown-model';
  const train = scored.length === 0 ? 0 : scored.reduce((a, s) => a + s.reward, 0) / scored.length;
  return checked(
    {
      format: 'drpo-alignment',
      version: 1,
      systemPrompt: last.prompt,
      icl: [],
      model: { id: modelId, engine: 'external' },
      judge: { ...PAPER_JUDGE },
      preset: 'paper',
      settings: {
        source: CONVERTED_SOURCES.published,
        levels: steps.length,
        unscoredLevels: steps.length - scored.length,
      },
      scores: { train },
      lineage: scored.slice(-ARTIFACT_LIMITS.lineage),
      createdAt: now().toISOString(),
      name: `DRPO published prompt (${modelId})`,
      initialPrompt,
    },
    'DRPO prompt file',
  );
}

/** Strips the `<START>` / `<END>` markers the official ICL answers carry. */
function cleanAnswer(answer: string): string {
  return answer
    .replace(/^\s*<START>\s*/, '')
    .replace(/\s*<END>\s*$/, '')
    .trim();
}

/** A value that names a file or a link (`./data/x/output.pkl`, `https://…`), not an answer. */
const PATH_OR_LINK =
  /^(\.{0,2}\/|~\/|[a-z][a-z\d+.-]*:\/\/|[a-z]:\\)\S|^[^\n]*\.(pkl|pickle|json|jsonl|pt|pth|bin|safetensors|ckpt|npy|csv|txt)$/i;

/**
 * An object of text values whose every value is a path or a link: a lookup table (the official release's
 * model_mapping.json maps model names to output files), not `{query: answer}` examples.
 */
function isPathMap(json: unknown): boolean {
  if (!isObj(json)) return false;
  const values = Object.values(json);
  return values.length > 0 && values.every((v) => typeof v === 'string' && PATH_OR_LINK.test(v.trim()));
}

export function isIclExamplesFile(json: unknown): boolean {
  if (Array.isArray(json)) {
    return (
      json.length > 0 && json.every((e) => isObj(e) && typeof e.query === 'string' && typeof e.answer === 'string')
    );
  }
  return (
    isObj(json) &&
    Object.keys(json).length > 0 &&
    Object.values(json).every((v) => typeof v === 'string') &&
    !isPathMap(json)
  );
}

export function importIclExamples(json: unknown, fileName?: string, now = today): AlignmentArtifact {
  const label = fileLabel(fileName);
  if (!isIclExamplesFile(json)) throw invalid(`${label} is not a list of {"query", "answer"} examples.`);
  const pairs: IclExample[] = Array.isArray(json)
    ? (json as IclExample[]).map((e) => ({ query: e.query, answer: e.answer }))
    : Object.entries(json as Record<string, string>).map(([query, answer]) => ({ query, answer }));
  const icl = pairs
    .map((e) => ({ query: e.query.trim(), answer: cleanAnswer(e.answer) }))
    .filter((e) => e.query && e.answer);
  if (icl.length === 0) throw refusePart(label, 'it holds no example with both a query and an answer');
  if (icl.length > ARTIFACT_LIMITS.iclCount) {
    throw refusePart(label, `it has ${icl.length} examples; an alignment holds at most ${ARTIFACT_LIMITS.iclCount}`);
  }
  return checked(
    {
      format: 'drpo-alignment',
      version: 1,
      systemPrompt: DRPO_INITIAL_PROMPT,
      icl,
      // DRPO's examples are written once for every model (a file's name is no model's): tied to none.
      model: { id: ANY_MODEL, engine: 'external' },
      judge: { id: '', engine: '' },
      preset: 'paper',
      settings: { source: CONVERTED_SOURCES.examples },
      scores: { train: 0 },
      lineage: [],
      createdAt: now().toISOString(),
      name: `Examples from ${fileName ?? 'a DRPO file'}`,
    },
    'examples file',
  );
}

/** Where an alignment file comes from, for a file that is something else. */
const USE_AN_ALIGNMENT =
  'Use an alignment file instead: Download JSON on a result, or the file drpo optimize writes (--out)';

/** Our other files (own-files.ts): what each is and where it belongs. */
const OTHER_FILES: Partial<Record<OwnFileKind, string>> = {
  'eval-report': `it is ${OWN_FILE_WHAT['eval-report']}: it holds scores, not an alignment. ${USE_AN_ALIGNMENT}`,
  'eval-csv': `it is ${OWN_FILE_WHAT['eval-csv']}: it holds scores, not an alignment. ${USE_AN_ALIGNMENT}`,
  'run-export': `it is ${OWN_FILE_WHAT['run-export']}: it holds a whole run, not an alignment. Import it in History; its result’s Download JSON gives the alignment file`,
  checkpoint: `it is ${OWN_FILE_WHAT.checkpoint}, not an alignment. Give it to drpo optimize --resume to go on with the run; its alignment is written to --out when the run ends`,
};

const QUERY_FILE =
  'it is a list of questions (a query file), not an alignment. Use it as training or evaluation questions: on the Data page, or with drpo optimize --train or drpo eval --queries';

const JSONL_EXAMPLES =
  'it is examples in JSON Lines (one {"query", "answer"} per line), and an examples file is one JSON array: [{"query": "…", "answer": "…"}, …]. Put the lines in square brackets, separated by commas, and import that';

/** JSON Lines: every one of its first lines (JSON.parse refuses the whole) is what `is` accepts. */
function jsonlEvery(text: string, is: (line: unknown) => boolean): boolean {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 5);
  return (
    lines.length > 0 &&
    lines.every((l) => {
      try {
        return is(JSON.parse(l));
      } catch {
        return false;
      }
    })
  );
}

/** Lines that each hold an answer too are examples, not questions: the importer reads them as one JSON array. */
const isExampleLine = (line: unknown): boolean => isIclExamplesFile([line]);

/**
 * What a file that is not an alignment is, in words, when it is one of ours or a query file (else null): the
 * History import, `drpo import-drpo` and `drpo eval --alignment` say it the same way, since all read alignment
 * files through readAlignmentText. `json` is the parsed file, undefined when it is not JSON.
 */
export function otherFileWords(text: string, json: unknown): string | null {
  const own = ownFileKind(text, json);
  if (own) return OTHER_FILES[own] ?? null;
  if (json === undefined) {
    if (jsonlEvery(text, isExampleLine)) return JSONL_EXAMPLES;
    return jsonlEvery(text, isQueryRecord) ? QUERY_FILE : null;
  }
  if (Array.isArray(json) && json.length > 0 && json.every(isQueryRecord)) return QUERY_FILE;
  return null;
}

/** A "format" that is none of ours: named when it is short enough to repeat. */
function unknownFormat(format: unknown): string {
  const named =
    typeof format === 'string' && format.length <= 40 && isOneLine(format) ? `"${format}"` : 'something else';
  return `it is not a DRPO Studio alignment file: its "format" is ${named}, where an alignment file has "format": "${ARTIFACT_FORMAT}"`;
}

/** Where an imported alignment came from: our own file, or a converted official DRPO file. */
export type ImportSource = 'file' | 'drpo-import';

/** `otherFile`: the file is another kind of file, which the one error says in words (otherFileWords). */
export type AlignmentImport =
  { ok: true; artifact: AlignmentArtifact; source: ImportSource } | { ok: false; errors: string[]; otherFile?: true };

/** Far above any real alignment file (the artifact limits allow about 1 MB), far below trouble. */
export const MAX_ALIGNMENT_FILE_CHARS = 5_000_000;

/**
 * One entry point for any alignment-like file: our format v1, a DRPO published prompt file, or a DRPO ICL
 * examples file. Never throws: the errors say, in words, why the file cannot be used.
 */
export function readAlignmentText(text: string, fileName?: string): AlignmentImport {
  if (text.length > MAX_ALIGNMENT_FILE_CHARS) {
    return { ok: false, errors: [`the file is too large (limit ${MAX_ALIGNMENT_FILE_CHARS / 1e6} MB)`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const other = otherFileWords(text, undefined);
    if (other) return { ok: false, errors: [other], otherFile: true };
    return {
      ok: false,
      errors: [`it is not JSON (${(err instanceof Error ? err.message : String(err)).slice(0, 120)})`],
    };
  }
  const other = isDrpoPublished(json) || isIclExamplesFile(json) ? null : otherFileWords(text, json);
  if (other) return { ok: false, errors: [other], otherFile: true };
  if (isObj(json) && 'format' in json) {
    if (json.format !== ARTIFACT_FORMAT) return { ok: false, errors: [unknownFormat(json.format)] };
    const checked = validateArtifact(json);
    return checked.ok ? { ok: true, artifact: checked.artifact, source: 'file' } : checked;
  }
  const convert = isDrpoPublished(json) ? importDrpoPublished : isIclExamplesFile(json) ? importIclExamples : null;
  if (!convert) {
    // A map of names to files looks like {query: answer} examples but for its values: say why it is not.
    const why = isPathMap(json) ? ': its values are file paths or links, not answers to questions' : '';
    return {
      ok: false,
      errors: [
        `it is neither a DRPO Studio alignment file (no "format": "drpo-alignment") nor a published DRPO prompt or examples file${why}`,
      ],
    };
  }
  try {
    return { ok: true, artifact: convert(json, fileName), source: 'drpo-import' };
  } catch (err) {
    const e = err as AppError;
    return { ok: false, errors: e.detail ? e.detail.split('\n') : [e.message] };
  }
}
