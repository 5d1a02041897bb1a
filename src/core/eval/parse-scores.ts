/**
 * Reading judge output (JSON extraction and repair are shared with the engine: calls/json-repair.ts).
 * Anything that does not yield every requested score is a parse failure, never a score.
 */
import { coerceScore, extractJson } from '../calls/json-repair';
import { aspectKey } from '../drpo/aspect-catalog';
import type { EvalScore, PairVerdict } from './eval-types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lowerKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k.trim().toLowerCase()] = v;
  return out;
}

/** Keys by aspect (any spelling: "Critical thinking" = "critical-thinking"), as the engine reads aspects. */
function aspectKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[aspectKey(k)] = v;
  return out;
}

/** Parses `{ aspect: { rationale, score } }` (or `{ aspect: score }`), for every requested aspect. */
export function parseScores(text: string, aspects: readonly string[]): Parsed<EvalScore[]> {
  const obj = extractJson(text);
  if (!obj) return { ok: false, error: "The judge's reply contained no readable JSON object." };
  // Some judges wrap the scores, e.g. { "scores": { ... } }.
  let root = aspectKeys(obj);
  if (isRecord(root.scores) && !(aspectKey(aspects[0] ?? '') in root)) root = aspectKeys(root.scores);
  const scores: EvalScore[] = [];
  for (const aspect of aspects) {
    const entry = root[aspectKey(aspect)];
    const fields = isRecord(entry) ? lowerKeys(entry) : { score: entry };
    const score = coerceScore(fields.score);
    if (score === null) return { ok: false, error: `No valid 1–5 score for ${aspect}.` };
    const rationale =
      typeof fields.rationale === 'string' ? fields.rationale : typeof fields.reason === 'string' ? fields.reason : '';
    scores.push({ aspect, score, rationale });
  }
  return { ok: true, value: scores };
}

export function parseVerdict(text: string): Parsed<{ winner: PairVerdict; rationale: string }> {
  const obj = extractJson(text);
  if (!obj) return { ok: false, error: "The judge's reply contained no readable JSON object." };
  const fields = lowerKeys(obj);
  const w = typeof fields.winner === 'string' ? fields.winner.trim().toLowerCase() : '';
  const winner: PairVerdict | null = w === 'a' ? 'A' : w === 'b' ? 'B' : w === 'tie' ? 'tie' : null;
  if (!winner) return { ok: false, error: 'The judge did not name A, B or tie.' };
  return { ok: true, value: { winner, rationale: typeof fields.rationale === 'string' ? fields.rationale : '' } };
}

export function truncate(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
