/**
 * Small models wrap JSON in prose and code fences, leave trailing commas, use single quotes or Python
 * literals, or are cut off by max_tokens in the middle of a string. `extractJson` finds the first JSON
 * object in the reply (our extraction: balanced braces, skipping braces inside strings), parses it
 * strictly or after repair by `jsonrepair`, and, when the reply ends inside an object, repairs that cut-off
 * object too (closing its strings and brackets) rather than paying for another call. Never throws.
 */
import { jsonrepair } from 'jsonrepair';

export type JsonObject = { [key: string]: unknown };

/** The first JSON object in `text` that parses, strictly or after repair; undefined if none. */
export function extractJson(text: string): JsonObject | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const src = text.length > 200_000 ? text.slice(0, 200_000) : text;
  // Pass 1: strict JSON strings only. Pass 2: tolerate single-quoted strings while scanning.
  let cutOff = -1;
  for (const singleQuotes of [false, true]) {
    let from = 0;
    let tries = 0;
    while (tries++ < 64) {
      const start = src.indexOf('{', from);
      if (start < 0) break;
      const end = findBalancedEnd(src, start, singleQuotes);
      if (end > 0) {
        const candidate = src.slice(start, end + 1);
        const value = singleQuotes ? parseRepaired(candidate) : (parseStrict(candidate) ?? parseRepaired(candidate));
        if (value) return value;
      } else if (cutOff < 0 && OPENS_OBJECT.test(src.slice(start, start + 40))) cutOff = start;
      from = start + 1;
    }
  }
  // The reply ended inside an object (cut off by max_tokens): close what is open.
  return cutOff >= 0 ? parseRepaired(src.slice(cutOff)) : undefined;
}

/** A brace that opens a JSON object: a quoted key follows (prose like "{curly}" or "{not json" does not count). */
const OPENS_OBJECT = /^\{\s*["'\u201c]/;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseStrict(s: string): JsonObject | undefined {
  try {
    const v: unknown = JSON.parse(s);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseRepaired(s: string): JsonObject | undefined {
  const repaired = repairJson(s);
  return repaired === undefined ? undefined : parseStrict(repaired);
}

/** Index of the brace closing the object opened at `start`, or -1. Skips braces inside strings. */
function findBalancedEnd(s: string, start: number, singleQuotes: boolean): number {
  let depth = 0;
  let quote = '';
  for (let i = start; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || (singleQuotes && c === "'" && opensString(s, i))) quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return c === '}' ? i : -1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** A single quote opens a string only where a JSON value or key may start (not "it's"). */
function opensString(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /\s/.test(s[j]!)) j--;
  return j < 0 || '{[,:'.includes(s[j]!);
}

/**
 * Valid JSON from almost-JSON (jsonrepair): single-quoted strings, unquoted keys, Python literals,
 * trailing commas, smart quotes, raw newlines in strings, and an end cut off mid-way. Undefined when it
 * cannot be read as JSON at all.
 */
export function repairJson(input: string): string | undefined {
  try {
    return jsonrepair(input);
  } catch {
    return undefined;
  }
}

/**
 * "4", 4.0, "4/5", "Score: 4" → 4; null if there is no number, or it is off the 1–5 scale ("9", 0, "-3",
 * "8/10", "4 out of 10"): a judge that answers on another scale has misread it, and squeezing its 9 into a 5
 * would put every good answer at the ceiling and shift means silently, so such a score counts as unreadable.
 */
export function coerceScore(v: unknown): number | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /(-?\d+(?:\.\d+)?)(?:\s*(?:\/|out\s+of)\s*(\d+(?:\.\d+)?))?/i.exec(v);
    if (!m) return null;
    if (m[2] !== undefined && Number(m[2]) !== 5) return null;
    n = Number(m[1]);
  } else return null;
  return Number.isFinite(n) && n >= 1 && n <= 5 ? n : null;
}

/** A string field, tolerating numbers and trimming; '' when missing. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}
