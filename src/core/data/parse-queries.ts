/**
 * Reads a user's query file (JSONL, JSON array, CSV or plain text) into Query[] with a report of
 * what was cleaned up. Every problem is an AppError(InvalidInput) with a message a user can act on.
 */
import { AppError, ErrorName } from '../contracts/errors';
import { formatWholeCount } from '../formats/bytes';
import { plural } from '../words/list-words';
import { QUERY_CATEGORIES, type Query } from '../contracts/run-config';
import { parseCsv } from './csv';
import { findJsonError, jsonErrorInWords } from './json-error';
import { hashText } from './random';
import { OWN_FILE_WHAT, ownFileKind, type OwnFileKind } from './own-files';

export const MAX_QUERY_CHARS = 4000;
export const MAX_QUERIES = 20_000;
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_CATEGORY_CHARS = 64;
/** Keys (JSON fields, CSV columns) that may hold the query text, in order of preference. */
const TEXT_KEYS = ['query', 'instruction', 'prompt', 'question'] as const;
/** The other names, for every message that names "query": built from TEXT_KEYS so none can fall behind it. */
const ALSO_ACCEPTED = `also accepted: ${TEXT_KEYS.slice(1)
  .map((k) => `"${k}"`)
  .join(', ')}`;

/** A record that could not be read (bad JSON, no query text, an empty query), skipped so the rest imports. */
export interface SkippedRecord {
  /** "Line 3" (JSONL, CSV) or "Item 3" (JSON array). */
  where: string;
  line: number;
  reason: string;
}

export interface ParseReport {
  /** What a record of the file is: a line (JSONL, CSV, text) or an item of a JSON array. */
  unit: 'line' | 'item';
  /**
   * Records found in the file (before cleaning), the skipped ones included: kept + duplicatesRemoved +
   * skipped.length + overLimit (skipped.length = unreadable + emptySkipped).
   */
  total: number;
  kept: number;
  /** The skipped records that could not be read (bad JSON, no query text); they are in `skipped`. */
  unreadable: number;
  /** The skipped records that were empty (they are in `skipped` too, with where they were). */
  emptySkipped: number;
  duplicatesRemoved: number;
  /** Records left out because MAX_QUERIES were already kept (counted, not listed one by one). */
  overLimit: number;
  truncated: number;
  warnings: string[];
  /**
   * The records skipped as unreadable or empty, with where each was and why: the first SKIPPED_LISTED of them
   * (a file of a million bad lines must not make a million-entry report to show, print or save); `unreadable` and
   * `emptySkipped` count them all.
   */
  skipped: SkippedRecord[];
}

/** At most this many skipped records are listed in a report (all are counted). */
export const SKIPPED_LISTED = 100;

export interface ParsedQueries {
  queries: Query[];
  report: ParseReport;
}

export type QueryFileFormat = 'jsonl' | 'json' | 'csv' | 'text';

interface RawRecord {
  text: string;
  category?: string;
  /** The category the file gave could not be kept as it was: cut to MAX_CATEGORY_CHARS, or not text. */
  categoryChange?: 'cut' | 'dropped';
  /** Where it came from ("Line 3", "Item 3"), for the skipped list when its text turns out empty. */
  where: string;
  line: number;
}

interface ReadResult {
  records: RawRecord[];
  skipped: SkippedRecord[];
}

const NO_QUERY_TEXT = `has no "query" text (${ALSO_ACCEPTED})`;

function invalid(message: string): AppError {
  return new AppError(ErrorName.InvalidInput, message);
}

/**
 * Strict UTF-8 text (the BOM dropped): invalid bytes or a NUL are refused, never turned into U+FFFD.
 * `saveAs` says what kind of file to save instead; the size limit is the caller's (a query file has 50 MB).
 */
export function decodeUtf8(name: string, bytes: Uint8Array, saveAs = 'JSONL, CSV or one query per line'): string {
  const notText = `The file "${name}" is not UTF-8 text. Save it as UTF-8 (${saveAs}) and try again.`;
  if (bytes.includes(0)) throw invalid(notText);
  try {
    // fatal: refuse invalid UTF-8 instead of silently inserting U+FFFD; the BOM is dropped.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(notText);
  }
}

/** The file's format; a `.json` file of one object comes with its parsed value, so it is parsed once. */
function detectFormat(name: string, text: string): { format: QueryFileFormat; parsed?: unknown } {
  const ext = /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase();
  if (ext === 'jsonl' || ext === 'ndjson') return { format: 'jsonl' };
  if (ext === 'csv') return { format: 'csv' };
  if (ext === 'txt' || ext === 'text') return { format: 'text' };
  const first = text.trimStart();
  if (first.startsWith('[')) return { format: 'json' };
  // A .json file of one pretty-printed object is JSON, not JSONL read line by line (each line a bad record).
  const one = ext === 'json' ? oneJsonObject(first) : undefined;
  if (one !== undefined) return { format: 'json', parsed: one };
  if (ext === 'json' || first.startsWith('{')) return { format: 'jsonl' };
  const header = first.split(/\r?\n/, 1)[0]?.toLowerCase() ?? '';
  if (header.includes(',') && TEXT_KEYS.some((k) => header.split(',').some((f) => f.trim().replace(/"/g, '') === k))) {
    return { format: 'csv' };
  }
  return { format: 'text' };
}

/** The record's category, and whether it had to change (told in the report, never silently). */
function categoryOf(value: unknown): Pick<RawRecord, 'category' | 'categoryChange'> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') return { categoryChange: 'dropped' };
  // No NUL, as in a query's text (and `detached` joins categories with it).
  const c = value.replaceAll('\u0000', '').trim().toLowerCase();
  // just-eval-instruct marks harmful requests "safety" (some copies say "harmful"), the rest "regular".
  if (c === 'harmful' || c === 'safety') return { category: 'unsafe' };
  if (c === '' || c === 'regular') return {};
  if ((QUERY_CATEGORIES as readonly string[]).includes(c) || c.length <= MAX_CATEGORY_CHARS) return { category: c };
  return { category: c.slice(0, MAX_CATEGORY_CHARS), categoryChange: 'cut' };
}

/** One warning per kind of category change, naming where (the first few). */
function categoryWarnings(changed: { cut: string[]; dropped: string[] }): string[] {
  const where = (list: string[]) =>
    `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
  const out: string[] = [];
  if (changed.cut.length)
    out.push(
      `${changed.cut.length === 1 ? 'A category was' : `${changed.cut.length} categories were`} longer than ${MAX_CATEGORY_CHARS} characters and cut to their first ${MAX_CATEGORY_CHARS} (${where(changed.cut)}).`,
    );
  if (changed.dropped.length)
    out.push(
      `${changed.dropped.length === 1 ? 'A category was' : `${changed.dropped.length} categories were`} not text (a number, a list…) and left out; the queries are kept without one (${where(changed.dropped)}).`,
    );
  return out;
}

/** The record in a parsed JSON value, or null when it holds no query text. */
function recordFromValue(value: unknown): Omit<RawRecord, 'where' | 'line'> | null {
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of TEXT_KEYS) {
      const text = obj[key];
      if (typeof text === 'string') return { text, ...categoryOf(obj.category) };
    }
  }
  return null;
}

/** A record of a query file (a string, or an object with query text): how an importer tells such a file. */
export function isQueryRecord(value: unknown): boolean {
  return recordFromValue(value) !== null;
}

/** One bad line does not sink the file: it is skipped and listed with its line number and reason. */
function readJsonl(text: string): ReadResult {
  const records: RawRecord[] = [];
  const skipped: SkippedRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `Line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      skipped.push({ where, line: i + 1, reason: `is not valid JSON ${jsonProblem(line, err, true).words}` });
      return;
    }
    const rec = recordFromValue(value);
    if (rec) records.push({ ...rec, where, line: i + 1 });
    else skipped.push({ where, line: i + 1, reason: NO_QUERY_TEXT });
  });
  return { records, skipped };
}

/** The parsed object when the whole text is one JSON object, else undefined. */
function oneJsonObject(text: string): object | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where and what a JSON syntax error is, in plain words: "at line 3, column 1: a comma after …". Scanned
 * here, since the engine's own message often has no position and differs by browser; the engine's message
 * (in brackets) only if the scan finds nothing.
 */
function jsonProblem(text: string, err: unknown, oneLine = false): { words: string; moreAfterEnd?: true } {
  const found = findJsonError(text);
  if (found) return { words: `at ${jsonErrorInWords(found, oneLine)}`, moreAfterEnd: found.moreAfterEnd };
  return { words: `(${(err instanceof Error ? err.message : String(err)).slice(0, 120)})` };
}

/** Names exports give a list of queries ({"name": "my set", "queries": [...]}). */
const LIST_NAMES = /^(queries|questions|prompts|instructions|data|items|examples|rows|records|samples|inputs)$/i;

/**
 * The field of a JSON object that holds a list of queries: query objects, or strings under a list's name or in
 * an object with no text of its own. Any other list ({"messages": [{"role": …}]}, or {"input": "hi", "tags":
 * ["x"]}, a record under a field name we do not read) is no list of queries: saving it alone would not help.
 */
function listOfQueries(obj: Record<string, unknown>): [string, unknown[]] | undefined {
  const ownText = Object.values(obj).some((v) => typeof v === 'string');
  const isQueries = ([key, v]: [string, unknown]): boolean =>
    Array.isArray(v) &&
    v.some((item) =>
      typeof item === 'string' ? !ownText || LIST_NAMES.test(key) : typeof item === 'object' && isQueryRecord(item),
    );
  return Object.entries(obj).find((entry): entry is [string, unknown[]] => isQueries(entry));
}

function readJsonArray(name: string, text: string, parsed?: unknown): ReadResult {
  let value: unknown = parsed;
  try {
    value ??= JSON.parse(text);
  } catch (err) {
    // One syntax error sinks a JSON array (nothing after it can be read), so say exactly where it is.
    const { words, moreAfterEnd } = jsonProblem(text, err);
    // Text after a complete list is the one mistake JSONL fixes: several lists or objects, one per line.
    const advice = moreAfterEnd
      ? 'If the file holds one query object per line, save it as .jsonl.'
      : 'Fix it there and try again.';
    throw invalid(`The file "${name}" is not valid JSON ${words}. ${advice}`);
  }
  // One object is a list of one query (a file saved from a single record).
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // Unless it holds the list under a key ({"queries": [...]}, {"data": [...]}, as many exports do): "Item 1 has
    // no query text" would send the user looking for a field in the wrong place.
    const wrapper = recordFromValue(value) ? undefined : listOfQueries(value as Record<string, unknown>);
    if (wrapper)
      throw invalid(
        `The file "${name}" is one JSON object whose "${wrapper[0]}" holds a list. Save that list alone (the file ` +
          'then starts with "["), or one query object per line as .jsonl.',
      );
    value = [value];
  }
  if (!Array.isArray(value)) throw invalid(`The file "${name}" must hold a JSON list of queries.`);
  const records: RawRecord[] = [];
  const skipped: SkippedRecord[] = [];
  value.forEach((v, i) => {
    const where = `Item ${i + 1}`;
    const rec = recordFromValue(v);
    if (rec) records.push({ ...rec, where, line: i + 1 });
    else skipped.push({ where, line: i + 1, reason: NO_QUERY_TEXT });
  });
  return { records, skipped };
}

/** A header's cells, split by `separator`, as column names. */
const headerCells = (line: string, separator: string): string[] =>
  line.split(separator).map((f) =>
    f
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim()
      .toLowerCase(),
  );

/**
 * The separator of a CSV file: a comma, else a semicolon or a tab when the header, split by it, names a query
 * column. Read then, not refused: Excel set to a European locale saves "CSV" with semicolons, and a header that
 * names its columns between them leaves no doubt about what the file is.
 */
function csvSeparator(text: string): string {
  const line = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const names = (sep: string) => headerCells(line, sep).some((f) => (TEXT_KEYS as readonly string[]).includes(f));
  return names(',') ? ',' : ([';', '\t'].find(names) ?? ',');
}

/** A header's cells as a message lists them: a sheet's header may have hundreds, so the first 8. */
const shownHeader = (header: string[]): string =>
  header.length > 8 ? `${header.slice(0, 8).join(', ')}, … (${header.length} in all)` : header.join(', ');

function readCsv(name: string, text: string): ReadResult {
  // An empty file is said as every format's is ("No queries found"), not as a header row without a query column.
  if (text.trim() === '') return { records: [], skipped: [] };
  const rows = parseCsv(text, name, csvSeparator(text));
  const header = rows[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const col = TEXT_KEYS.map((k) => header.indexOf(k)).find((i) => i >= 0);
  if (col === undefined) {
    throw invalid(
      `The CSV file "${name}" needs a header row with a "query" column (${ALSO_ACCEPTED}; found: ${shownHeader(header) || 'nothing'}).`,
    );
  }
  const catCol = header.indexOf('category');
  const records: RawRecord[] = [];
  const skipped: SkippedRecord[] = [];
  for (const r of rows.slice(1)) {
    if (r.fields.length === 1 && r.fields[0] === '') continue;
    const where = `Line ${r.line}`;
    if (r.fields.length <= col) {
      skipped.push({ where, line: r.line, reason: `has no value in the "${header[col]}" column` });
      continue;
    }
    const category = catCol >= 0 ? categoryOf(r.fields[catCol]) : {};
    records.push({ text: r.fields[col] ?? '', ...category, where, line: r.line });
  }
  // A header and nothing under it (a template, an export of an empty sheet, whose blank rows a spreadsheet may save
  // as ",,"): "No queries found … use a CSV with a query column" would ask for the column the file has.
  // Rows too short to reach the column are empty in it too.
  if (records.every((r) => r.text.trim() === '')) {
    const under = records.length + skipped.length === 0 ? 'no rows under it' : `nothing in its "${header[col]}" column`;
    throw invalid(
      `The CSV file "${name}" has a header row (${shownHeader(header)}) but ${under}: add one query per row.`,
    );
  }
  return { records, skipped };
}

function readText(text: string): ReadResult {
  const records: RawRecord[] = [];
  text.split(/\r\n|\n|\r/).forEach((l, i) => {
    if (l.trim() !== '') records.push({ text: l, where: `Line ${i + 1}`, line: i + 1 });
  });
  return { records, skipped: [] };
}

/**
 * The warning for a text file whose lines are JSON objects (JSONL saved as .txt or .text): the extension decides
 * the format, so each whole line, braces and all, became a query; the user is told to rename it, not
 * second-guessed. The extension named is the file's own.
 */
function jsonlAsTextWarning(name: string, records: RawRecord[]): string | undefined {
  const first = records.slice(0, 5);
  if (first.length === 0 || !first.every((r) => oneJsonObject(r.text.trim()) !== undefined)) return undefined;
  const ext = /\.[^.]*$/.exec(name.trim())?.[0];
  const renamed = `${ext ? name.trim().slice(0, -ext.length) : name.trim()}.jsonl`;
  const kind = ext ? `a ${ext.toLowerCase()} file` : 'this file';
  return `The lines of "${name}" look like JSON objects, but ${kind} is read as plain text: each whole line, braces and all, became a query. To read the "query" of each line instead, rename the file to "${renamed}" and load it again.`;
}

/**
 * A plain-text file whose first line (blank lines aside) is a column header ("query", or "query<TAB>category"
 * from a spreadsheet saved as text): that line names a column, it is no query, so it is left out and a warning
 * says so. Only a line of bare column names (letters and _, split by tabs or commas), one of them a query column,
 * counts: "What is a query?" stays a query. A header of several columns also says that the other lines are read
 * whole (their columns are not split).
 */
function textHeader(name: string, records: RawRecord[]): string | undefined {
  const first = records[0];
  if (!first) return undefined;
  const fields = first.text
    .trim()
    .toLowerCase()
    .split(/\t|,/)
    .map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
  if (!fields.every((f) => /^[a-z_]{1,32}$/.test(f))) return undefined;
  if (!fields.some((f) => (TEXT_KEYS as readonly string[]).includes(f))) return undefined;
  records.shift();
  const columns =
    fields.length > 1
      ? ' The other lines are read whole, columns and all, one query per line; to read only the query column, save the file as CSV (comma-separated) with a .csv name and load it again.'
      : '';
  return `${first.where} of "${name}" is a column header (${fields.join(', ')}), not a query, so it was left out.${columns}`;
}

/**
 * Copies of `list` (none holding a NUL) that share no memory with the file's text. Engines cut a substring
 * (slice, split, trim) as a view of the string it comes from, so one kept query of a CSV or text file would hold
 * the whole file's text (11 MB for 100k CSV rows) for as long as the queries are in use. Joined, they are one
 * new string of their own length; the pieces cut from it hold that one, never the file. One join and one split
 * for all: far cheaper than copying 20,000 strings one by one. The '' at the end makes a join of at least two,
 * which is always a new string (an engine may give back the one element of a list of one).
 */
function detached(list: readonly string[]): string[] {
  // Two joins: one character past U+00FF makes a whole string two bytes a character, so one curly quote or
  // emoji in a file of plain English queries would double what all the others take.
  const wide = list.map((t) => /[\u0100-\uffff]/.test(t));
  const copies = [false, true].map((w) => {
    const joined = [...list.filter((_, i) => wide[i] === w), ''].join('\u0000');
    // A file with one wide character is decoded two bytes a character, and so is everything cut from it or
    // joined from those cuts; JSON.parse is the portable way to get one-byte strings back (V8 makes them so).
    const parts = (w ? joined : (JSON.parse(JSON.stringify(joined)) as string)).split('\u0000');
    parts.pop();
    return parts;
  });
  const next = [0, 0];
  return list.map((_, i) => copies[+wide[i]!]![next[+wide[i]!]!++]!);
}

/** Whitespace-normalised form used to spot duplicates. */
export function normalizeQueryText(text: string): string {
  // Most queries hold only single spaces: looking for anything else costs far less than replacing every space
  // (this runs on every record of a 100k-line file, the ones over the limit too).
  return (/[^\S ]| {2}/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
}

export function parseQueryFile(name: string, bytes: Uint8Array): ParsedQueries {
  if (bytes.length > MAX_FILE_BYTES)
    throw invalid(`The file "${name}" is larger than 50 MB; split it into smaller files.`);
  const text = decodeUtf8(name, bytes);
  return parseQueryText(name, text);
}

/** Where each file of ours belongs, when it is given as a query file (own-files.ts says what it is). */
const OWN_FILE_PLACE: Record<OwnFileKind, string> = {
  alignment:
    'To score it, import it in History and tick it under Candidates in Evaluate, or give it to drpo eval --alignment',
  'eval-report': 'It holds scores and answers, not queries',
  'eval-csv': 'It holds scores and answers, not queries',
  'run-export': 'It holds a whole run: import it in History',
  checkpoint: 'Give it to drpo optimize --resume to go on with the run',
};

/**
 * A file of ours given as a query file is refused for what it is (read on, an alignment would be "Item 1 has no
 * query text", and a report's CSV a few queries of its answers' rows with the export's formula guard in them).
 */
function ownFileRefusal(name: string, text: string, parsed: unknown): AppError | null {
  const json = parsed ?? oneJsonObject(text.trimStart());
  const kind = ownFileKind(text, json);
  if (!kind) return null;
  return invalid(
    `"${name}" is ${OWN_FILE_WHAT[kind]}, not a query file. ${OWN_FILE_PLACE[kind]}. A query file holds one query per line, or JSONL or JSON with a "query" field, or CSV with a "query" column.`,
  );
}

/** A skipped record's kind of problem: its reason without the details that differ from record to record. */
function problemKind(reason: string): string {
  return reason.startsWith('is not valid JSON') ? 'is not valid JSON' : reason;
}

export function parseQueryText(name: string, text: string): ParsedQueries {
  const { format, parsed } = detectFormat(name, text);
  const own = ownFileRefusal(name, text, parsed);
  if (own) throw own;
  const { records, skipped } =
    format === 'jsonl'
      ? readJsonl(text)
      : format === 'json'
        ? readJsonArray(name, text, parsed)
        : format === 'csv'
          ? readCsv(name, text)
          : readText(text);
  // Before the counts: the header is no record of the file's queries.
  const header = format === 'text' ? textHeader(name, records) : undefined;
  // Nothing readable at all: say what is wrong with the first bad record.
  if (records.length === 0 && skipped.length > 0) {
    const first = skipped[0]!;
    // "Like it" only when it is: a file whose first line lacks a query and whose third is not JSON at all
    // has other problems further down, which the count must not pass off as the first one again.
    const rest = skipped.length - 1;
    const sameKind = skipped.every((s) => problemKind(s.reason) === problemKind(first.reason));
    // A JSON array's items are all skipped for one reason (a syntax error refuses the file), so only lines differ.
    const more =
      rest === 0
        ? ''
        : sameKind
          ? ` (and ${rest} more like it)`
          : ` (and ${plural(rest, 'more line')} that cannot be read)`;
    throw invalid(`${first.where} of "${name}" ${first.reason}${more}.`);
  }
  const report: ParseReport = {
    unit: format === 'json' ? 'item' : 'line',
    total: records.length + skipped.length,
    kept: 0,
    unreadable: skipped.length,
    emptySkipped: 0,
    duplicatesRemoved: 0,
    overLimit: 0,
    truncated: 0,
    warnings: [],
    skipped,
  };
  const asText = format === 'text' ? jsonlAsTextWarning(name, records) : undefined;
  if (asText) report.warnings.push(asText);
  if (header) report.warnings.push(header);
  const seen = new Set<string>();
  const ids = new Set<string>();
  const queries: Query[] = [];
  const categoryChanged = { cut: [] as string[], dropped: [] as string[] };
  for (const rec of records) {
    // NUL can still arrive escaped in JSON ("\u0000"); it has no place in a prompt.
    let clean = rec.text.replaceAll('\u0000', '').trim();
    if (clean === '') {
      report.emptySkipped++;
      report.skipped.push({ where: rec.where, line: rec.line, reason: 'has an empty query' });
      continue;
    }
    // Cut first, then compared: two queries that differ only past the cut would be one query twice.
    const cut = clean.length > MAX_QUERY_CHARS;
    if (cut) {
      clean = clean.slice(0, MAX_QUERY_CHARS);
      // Never leave half of a surrogate pair at the cut.
      if (/[\uD800-\uDBFF]$/.test(clean)) clean = clean.slice(0, -1);
    }
    const key = normalizeQueryText(clean);
    if (seen.has(key)) {
      report.duplicatesRemoved++;
      continue;
    }
    seen.add(key);
    // Past the limit every record is still counted (as empty, a duplicate or over the limit), so the
    // report's counts add up to the file's.
    if (queries.length >= MAX_QUERIES) {
      report.overLimit++;
      continue;
    }
    if (cut) report.truncated++;
    if (rec.categoryChange) categoryChanged[rec.categoryChange].push(rec.where);
    let id = `q-${hashText(key)}`;
    for (let n = 2; ids.has(id); n++) id = `q-${hashText(key)}-${n}`;
    ids.add(id);
    queries.push(rec.category === undefined ? { id, text: clean } : { id, text: clean, category: rec.category });
  }
  if (report.truncated > 0) {
    report.warnings.unshift(
      report.truncated === 1
        ? `1 query was longer than ${MAX_QUERY_CHARS} characters: only its first ${MAX_QUERY_CHARS} are used.`
        : `${formatWholeCount(report.truncated)} queries were longer than ${MAX_QUERY_CHARS} characters: only their first ${MAX_QUERY_CHARS} are used.`,
    );
  }
  if (report.overLimit > 0)
    report.warnings.push(
      `Only the first ${formatWholeCount(MAX_QUERIES)} queries were kept (the most a file may give); split the file to use the other ${formatWholeCount(report.overLimit)}.`,
    );
  report.warnings.push(...categoryWarnings(categoryChanged));
  report.kept = queries.length;
  // Only CSV and text queries are cut from the file's text; JSON.parse makes strings of their own.
  if (format === 'csv' || format === 'text') {
    const texts = detached(queries.map((q) => q.text));
    const categories = detached(queries.map((q) => q.category ?? ''));
    queries.forEach((q, i) => {
      q.text = texts[i]!;
      if (q.category !== undefined) q.category = categories[i]!;
    });
  }
  report.skipped.sort((a, b) => a.line - b.line);
  report.skipped.length = Math.min(report.skipped.length, SKIPPED_LISTED);
  if (queries.length === 0) {
    throw invalid(
      `No queries found in "${name}". Put one query per line, or use JSONL with a "query" field, or a CSV with a "query" column.`,
    );
  }
  return { queries, report };
}
