/**
 * Small models wrap JSON in prose and code fences, leave trailing commas, use single quotes or
 * Python literals. `extractJson` finds the first JSON object that parses (after careful repairs)
 * and never throws.
 */

export type JsonObject = { [key: string]: unknown };

/** The first JSON object in `text` that parses, strictly or after repair; undefined if none. */
export function extractJson(text: string): JsonObject | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const src = text.length > 200_000 ? text.slice(0, 200_000) : text;
  // Pass 1: strict JSON strings only. Pass 2: tolerate single-quoted strings while scanning.
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
      }
      from = start + 1;
    }
  }
  return undefined;
}

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
  return parseStrict(repairJson(s));
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

const PY_LITERALS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };

/**
 * Rewrites outside of strings: single-quoted strings → double-quoted, unquoted keys quoted,
 * Python literals → JSON, trailing commas dropped, smart quotes straightened.
 */
export function repairJson(input: string): string {
  const s = input.replace(/[\u201c\u201d]/g, '"');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      const end = stringEnd(s, i, '"');
      out += s.slice(i, end + 1).replace(/\n/g, '\\n');
      i = end;
    } else if (c === "'" && opensString(s, i)) {
      const end = stringEnd(s, i, "'");
      const body = s
        .slice(i + 1, end)
        .replace(/\\'/g, "'")
        .replace(/(^|[^\\])"/g, '$1\\"')
        .replace(/\n/g, '\\n');
      out += `"${body}"`;
      i = end;
    } else if (c === ',') {
      let j = i + 1;
      while (j < s.length && /\s/.test(s[j]!)) j++;
      if (s[j] !== '}' && s[j] !== ']') out += c;
    } else if (/[A-Za-z_]/.test(c) && !/[\w$]/.test(s[i - 1] ?? '')) {
      let j = i;
      while (j < s.length && /[\w-]/.test(s[j]!)) j++;
      const word = s.slice(i, j);
      let k = j;
      while (k < s.length && /\s/.test(s[k]!)) k++;
      if (s[k] === ':') out += `"${word}"`;
      else out += PY_LITERALS[word] ?? word;
      i = j - 1;
    } else out += c;
  }
  return out;
}

function stringEnd(s: string, start: number, quote: string): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === quote) return i;
  }
  return s.length - 1;
}

/** "4", 4.0, "4/5", "Score: 4" → 4; clamps to 1–5; null if there is no number. */
export function coerceScore(v: unknown): number | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /-?\d+(?:\.\d+)?/.exec(v);
    if (!m) return null;
    n = Number(m[0]);
  } else return null;
  if (!Number.isFinite(n)) return null;
  return Math.min(5, Math.max(1, n));
}

/** A string field, tolerating numbers and trimming; '' when missing. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}
