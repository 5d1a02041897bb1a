/**
 * Alignment file format v1 (docs/alignment-format.md): strict validation of anything that
 * arrives from outside (files, links, imports) and secret stripping for anything that leaves.
 */
import { isOneLine } from './text-rules';
import { publicUrl } from './base-url';
import { listInWords } from '../words/list-words';
import type { AlignmentArtifact, CandidateScore, Outcome } from '../contracts/alignment';
import type { IclExample } from '../contracts/run-config';

const OUTCOMES: readonly Outcome[] = ['improved', 'no-improvement', 'unverified'];

export const ARTIFACT_FORMAT = 'drpo-alignment';
export const ARTIFACT_VERSION = 1;
export const ARTIFACT_LIMITS = {
  systemPrompt: 20_000,
  iclCount: 16,
  iclText: 8_000,
  lineage: 64,
  label: 200,
  settingsJson: 50_000,
} as const;

export type ArtifactValidation = { ok: true; artifact: AlignmentArtifact } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clean = (s: string): string => s.replaceAll('\u0000', '');

class Checker {
  readonly errors: string[] = [];

  text(v: unknown, field: string, max: number, opts: { nonEmpty?: boolean } = {}): string {
    if (typeof v !== 'string') {
      this.errors.push(`${field}: must be text`);
      return '';
    }
    const s = clean(v);
    if (s.length > max) this.errors.push(`${field}: is ${s.length} characters long; the limit is ${max}`);
    if (opts.nonEmpty && s.trim() === '') this.errors.push(`${field}: must not be empty`);
    return s;
  }

  num(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.errors.push(`${field}: must be a number`);
      return 0;
    }
    return v;
  }

  /** A score on the judge's 1–5 scale (0: nothing scored); a file or link claiming 99 is refused. */
  score(v: unknown, field: string): number {
    const n = this.num(v, field);
    if (n < 0 || n > 5) this.errors.push(`${field}: must be a score from 0 to 5 (got ${n})`);
    return n;
  }

  modelRef(v: unknown, field: string): { id: string; engine: string } {
    if (!isObj(v)) {
      this.errors.push(`${field}: must be an object like {"id": "...", "engine": "webllm"}`);
      return { id: '', engine: '' };
    }
    const id = this.text(v.id, `${field}.id`, ARTIFACT_LIMITS.label);
    // A model id lands in exports (an Ollama Modelfile's FROM line): a line break would add lines of its own.
    if (!isOneLine(id)) this.errors.push(`${field}.id: must be one line of text`);
    return { id, engine: this.text(v.engine, `${field}.engine`, ARTIFACT_LIMITS.label) };
  }
}

/**
 * A list field of objects: refused as a whole when it is not a list or is too long; an item that is not
 * an object is named and replaced by `empty`, every other item is checked by `item`.
 */
function checkList<T>(
  c: Checker,
  field: string,
  v: unknown,
  shape: { keys: readonly string[]; unit: string; limit: number; empty: T },
  item: (x: Record<string, unknown>, at: string) => T,
): T[] {
  const quoted = shape.keys.map((k) => `"${k}"`);
  if (!Array.isArray(v)) {
    c.errors.push(`${field}: must be a list of {${quoted.join(', ')}} ${shape.unit}s`);
    return [];
  }
  if (v.length > shape.limit) {
    c.errors.push(`${field}: has ${v.length} ${shape.unit}s; the limit is ${shape.limit}`);
    return [];
  }
  const inWords = listInWords(quoted);
  return v.map((x, i) => {
    if (isObj(x)) return item(x, `${field}[${i}]`);
    c.errors.push(`${field}[${i}]: must be an object with ${inWords}`);
    return shape.empty;
  });
}

function checkIcl(c: Checker, v: unknown, label = 'icl'): IclExample[] {
  const shape = {
    keys: ['query', 'answer'],
    unit: 'example',
    limit: ARTIFACT_LIMITS.iclCount,
    empty: { query: '', answer: '' },
  };
  return checkList(c, label, v, shape, (ex, at) => ({
    query: c.text(ex.query, `${at}.query`, ARTIFACT_LIMITS.iclText, { nonEmpty: true }),
    answer: c.text(ex.answer, `${at}.answer`, ARTIFACT_LIMITS.iclText, { nonEmpty: true }),
  }));
}

/** Examples retrieved per question: absent, or a whole number up to the examples a file may hold. */
function checkExamplesPerQuery(c: Checker, v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const k = c.num(v, field);
  if (!Number.isInteger(k) || k < 0 || k > ARTIFACT_LIMITS.iclCount)
    c.errors.push(`${field}: must be a whole number from 0 to ${ARTIFACT_LIMITS.iclCount}`);
  return k;
}

/** A "no-improvement" file's closest candidate: its scores, and (newer files) the candidate itself. */
function checkCandidate(c: Checker, bc: Record<string, unknown>): CandidateScore {
  const at = 'scores.bestCandidate';
  const out: CandidateScore = {
    validation: c.score(bc.validation, `${at}.validation`),
    standardError: c.score(bc.standardError, `${at}.standardError`),
  };
  if (bc.systemPrompt !== undefined && bc.systemPrompt !== null)
    out.systemPrompt = c.text(bc.systemPrompt, `${at}.systemPrompt`, ARTIFACT_LIMITS.systemPrompt);
  const k = checkExamplesPerQuery(c, bc.examplesPerQuery, `${at}.examplesPerQuery`);
  if (k !== undefined) out.examplesPerQuery = k;
  if (bc.icl !== undefined && bc.icl !== null) out.icl = checkIcl(c, bc.icl, `${at}.icl`);
  if (bc.train !== undefined && bc.train !== null) out.train = c.score(bc.train, `${at}.train`);
  if (bc.lineage !== undefined && bc.lineage !== null) out.lineage = checkLineage(c, bc.lineage, `${at}.lineage`);
  return out;
}

function checkLineage(c: Checker, v: unknown, label = 'lineage'): AlignmentArtifact['lineage'] {
  const empty = { depth: 0, prompt: '', reward: 0 };
  const shape = { keys: ['depth', 'prompt', 'reward'], unit: 'step', limit: ARTIFACT_LIMITS.lineage, empty };
  return checkList(c, label, v, shape, (step, at) => {
    const depth = c.num(step.depth, `${at}.depth`);
    if (!Number.isInteger(depth) || depth < 0) c.errors.push(`${at}.depth: must be a whole number ≥ 0`);
    return {
      depth,
      prompt: c.text(step.prompt, `${at}.prompt`, ARTIFACT_LIMITS.systemPrompt),
      reward: c.score(step.reward, `${at}.reward`),
    };
  });
}

function checkSettings(c: Checker, v: unknown): Record<string, unknown> {
  if (!isObj(v)) {
    c.errors.push('settings: must be an object');
    return {};
  }
  let json: string;
  try {
    json = JSON.stringify(v);
  } catch {
    c.errors.push('settings: must be plain JSON data');
    return {};
  }
  if (json.length > ARTIFACT_LIMITS.settingsJson) {
    c.errors.push(`settings: is ${json.length} characters of JSON; the limit is ${ARTIFACT_LIMITS.settingsJson}`);
    return {};
  }
  // A JSON round trip gives a detached plain copy (no prototypes, no shared references). NUL characters are
  // removed from its strings too, field names included, as from every string of the file
  // (docs/alignment-format.md); fromEntries keeps a "__proto__" name a plain field.
  return JSON.parse(json, (_key, x: unknown) =>
    typeof x === 'string'
      ? clean(x)
      : isObj(x)
        ? Object.fromEntries(Object.entries(x).map(([k, y]) => [clean(k), y]))
        : x,
  ) as Record<string, unknown>;
}

/** Strict check of an alignment file; unknown top-level keys are dropped, NUL characters removed. */
export function validateArtifact(value: unknown): ArtifactValidation {
  if (!isObj(value)) return { ok: false, errors: ['The alignment must be a JSON object.'] };
  const c = new Checker();
  if (value.format !== ARTIFACT_FORMAT) {
    c.errors.push(`format: must be "${ARTIFACT_FORMAT}" (this is not a DRPO Studio alignment file)`);
    return { ok: false, errors: c.errors };
  }
  if (typeof value.version === 'number' && value.version > ARTIFACT_VERSION) {
    return {
      ok: false,
      errors: [
        `version: this file was made by a newer DRPO Studio (format version ${value.version}); this one reads version ${ARTIFACT_VERSION}. Update the app to open it.`,
      ],
    };
  }
  if (value.version !== ARTIFACT_VERSION) c.errors.push(`version: must be ${ARTIFACT_VERSION}`);

  // An alignment is its prompt: an empty one would align nothing (answers without a system prompt are
  // Evaluate's "no system prompt" row, not a file).
  const systemPrompt = c.text(value.systemPrompt, 'systemPrompt', ARTIFACT_LIMITS.systemPrompt, { nonEmpty: true });
  const icl = checkIcl(c, value.icl);
  const model = c.modelRef(value.model, 'model');
  if (isObj(value.model) && model.id.trim() === '') c.errors.push('model.id: must not be empty');
  const judge = c.modelRef(value.judge, 'judge');
  const preset = c.text(value.preset, 'preset', ARTIFACT_LIMITS.label);
  const settings = checkSettings(c, value.settings);
  let scores: AlignmentArtifact['scores'] = { train: 0 };
  if (!isObj(value.scores)) c.errors.push('scores: must be an object like {"train": 4.2}');
  else {
    scores = { train: c.score(value.scores.train, 'scores.train') };
    for (const key of ['validation', 'initialValidation', 'validationStandardError'] as const) {
      const v = value.scores[key];
      if (v !== undefined && v !== null) scores[key] = c.score(v, `scores.${key}`);
    }
    const bc = value.scores.bestCandidate;
    if (bc !== undefined && bc !== null) {
      if (!isObj(bc))
        c.errors.push('scores.bestCandidate: must be an object like {"validation": 3.1, "standardError": 0.3}');
      else scores.bestCandidate = checkCandidate(c, bc);
    }
    for (const key of [
      'validationQueries',
      'heldOutQueries',
      'raceQueries',
      'keptBackQueries',
      'trainQueries',
    ] as const) {
      const v = value.scores[key];
      if (v === undefined || v === null) continue;
      scores[key] = c.num(v, `scores.${key}`);
      if (!Number.isInteger(v) || (v as number) < 0) c.errors.push(`scores.${key}: must be a whole number ≥ 0`);
    }
  }
  const lineage = checkLineage(c, value.lineage);
  const createdAt = c.text(value.createdAt, 'createdAt', 64);
  if (typeof value.createdAt === 'string' && Number.isNaN(Date.parse(createdAt))) {
    c.errors.push('createdAt: must be a date like "2026-01-31T12:00:00Z"');
  }
  let name: string | undefined;
  if (value.name !== undefined && value.name !== null) name = c.text(value.name, 'name', ARTIFACT_LIMITS.label);
  let initialPrompt: string | undefined;
  if (value.initialPrompt !== undefined && value.initialPrompt !== null) {
    initialPrompt = c.text(value.initialPrompt, 'initialPrompt', ARTIFACT_LIMITS.systemPrompt);
  }
  const examplesPerQuery = checkExamplesPerQuery(c, value.examplesPerQuery, 'examplesPerQuery');
  let outcome: Outcome | undefined;
  if (value.outcome !== undefined && value.outcome !== null) {
    if (typeof value.outcome === 'string' && (OUTCOMES as readonly string[]).includes(value.outcome)) {
      outcome = value.outcome as Outcome;
    } else c.errors.push(`outcome: must be one of ${OUTCOMES.map((o) => `"${o}"`).join(', ')}`);
  }

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  const artifact: AlignmentArtifact = {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    systemPrompt,
    icl,
    model,
    judge,
    preset,
    settings,
    scores,
    lineage,
    createdAt,
  };
  if (name !== undefined) artifact.name = name;
  if (initialPrompt !== undefined) artifact.initialPrompt = initialPrompt;
  if (examplesPerQuery !== undefined) artifact.examplesPerQuery = examplesPerQuery;
  if (outcome !== undefined) artifact.outcome = outcome;
  return { ok: true, artifact };
}

/** Key names whose values are credentials, whatever object they sit in. */
const SECRET_KEY =
  /^(api[-_]?keys?|authorization|auth|bearer|token|access[-_]?token|refresh[-_]?token|id[-_]?token|secret|client[-_]?secret|password|passwd|cookie|headers?|credentials?)$/i;
const SECRET_VALUE = /^(bearer\s+\S+|basic\s+\S+|sk-[A-Za-z0-9_-]{8,}|hf_[A-Za-z0-9]{8,})$/i;

/** Removes userinfo and credential-like query parameters from URL strings (publicUrl); other strings pass. */
function scrubString(s: string): string | undefined {
  if (SECRET_VALUE.test(s.trim())) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return s;
  // Looks like a URL but does not parse: if it carries userinfo, drop it entirely.
  if (/\/\/[^/]*@/.test(s) && !parses(s)) return undefined;
  return publicUrl(s);
}

function parses(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

function scrub(value: unknown, depth: number): unknown {
  if (depth > 32) return undefined;
  if (typeof value === 'string') return scrubString(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1)).filter((v) => v !== undefined);
  if (isObj(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) continue;
      const s = scrub(v, depth + 1);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  return value;
}

/**
 * A copy safe to share: no API keys, tokens, auth headers or URL credentials anywhere in
 * settings or model references (prompts and examples are user content and stay as they are).
 */
export function stripSecrets(artifact: AlignmentArtifact): AlignmentArtifact {
  const ref = (r: { id: string; engine: string }) => ({ id: scrubString(r.id) ?? '', engine: r.engine });
  const out: AlignmentArtifact = {
    ...artifact,
    icl: artifact.icl.map((e) => ({ query: e.query, answer: e.answer })),
    model: ref(artifact.model),
    judge: ref(artifact.judge),
    settings: (scrub(artifact.settings, 0) as Record<string, unknown> | undefined) ?? {},
    scores: { ...artifact.scores },
    lineage: artifact.lineage.map((l) => ({ ...l })),
  };
  const c = artifact.scores.bestCandidate;
  if (c)
    out.scores.bestCandidate = {
      ...c,
      ...(c.icl ? { icl: c.icl.map((e) => ({ query: e.query, answer: e.answer })) } : {}),
      ...(c.lineage ? { lineage: c.lineage.map((l) => ({ ...l })) } : {}),
    };
  return out;
}
