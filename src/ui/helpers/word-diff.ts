/**
 * Word-level diff for prompt revisions. Pure: no DOM, unit-tested. The differing middle is diffed by
 * jsdiff's `diffArrays` (Myers: exact, the fewest changed words).
 * Words are compared without their trailing whitespace, but the output keeps the original
 * whitespace (newlines of bullet lists survive): joining equal + insert segments reproduces
 * the new text exactly (equal words carry the new text's whitespace).
 */
import { diffArrays } from 'diff';

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

/**
 * Beyond this many changed words (added + removed) the differing middle is shown as replaced: the exact
 * diff would take long (its cost grows with the changes) and would read as a rewrite anyway.
 */
const MAX_EDITS = 1500;

interface Tok {
  key: string;
  text: string;
}

export function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const lead = /^\s+/.exec(text);
  // Leading whitespace becomes its own token with an empty key so it is still reproduced.
  if (lead) out.push({ key: '', text: lead[0] });
  for (const m of text.matchAll(/\S+\s*/g)) out.push({ key: m[0].trimEnd(), text: m[0] });
  return out;
}

function push(out: DiffSegment[], op: DiffOp, text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

export function wordDiff(before: string, after: string): DiffSegment[] {
  const a = tokenize(before);
  const b = tokenize(after);
  const out: DiffSegment[] = [];
  let start = 0;
  while (start < a.length && start < b.length && a[start]!.key === b[start]!.key) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1]!.key === b[endB - 1]!.key) {
    endA--;
    endB--;
  }
  for (let i = 0; i < start; i++) push(out, 'equal', b[i]!.text);
  if (endA > start || endB > start) middle(a.slice(start, endA), b.slice(start, endB), out);
  for (let j = endB; j < b.length; j++) push(out, 'equal', b[j]!.text);
  return separate(out);
}

/**
 * The last word of a text has no trailing whitespace; when a deletion sits next to it the two
 * would render glued together ("bebe"). Pad the deleted side only, so the new text stays exact.
 */
function separate(out: DiffSegment[]): DiffSegment[] {
  const ws = /\s/;
  for (let i = 0; i + 1 < out.length; i++) {
    const cur = out[i]!;
    const next = out[i + 1]!;
    if (ws.test(cur.text.at(-1) ?? ' ') || ws.test(next.text[0] ?? ' ')) continue;
    if (cur.op === 'delete') cur.text += ' ';
    else if (next.op === 'delete') next.text = ' ' + next.text;
  }
  return out;
}

/** The differing middle by keys (deletions before insertions); equal words take the new text's whitespace. */
function middle(a: Tok[], b: Tok[], out: DiffSegment[]): void {
  const changes = diffArrays(
    a.map((t) => t.key),
    b.map((t) => t.key),
    { maxEditLength: MAX_EDITS },
  );
  if (!changes) {
    for (const t of a) push(out, 'delete', t.text);
    for (const t of b) push(out, 'insert', t.text);
    return;
  }
  let i = 0;
  let j = 0;
  for (const c of changes) {
    const n = c.count ?? c.value.length;
    if (c.removed) for (let k = 0; k < n; k++) push(out, 'delete', a[i++]!.text);
    else if (c.added) for (let k = 0; k < n; k++) push(out, 'insert', b[j++]!.text);
    else {
      for (let k = 0; k < n; k++) push(out, 'equal', b[j + k]!.text);
      i += n;
      j += n;
    }
  }
}

/** Words added / removed, for a one-line summary ("+12 words, −3 words"). */
export function diffStats(segments: DiffSegment[]): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  for (const s of segments) {
    const words = s.text.trim() ? s.text.trim().split(/\s+/).length : 0;
    if (s.op === 'insert') inserted += words;
    else if (s.op === 'delete') deleted += words;
  }
  return { inserted, deleted };
}

/** Reassemble one side of the diff (useful for tests and for copying). */
export function sideOf(segments: DiffSegment[], side: 'before' | 'after'): string {
  const skip: DiffOp = side === 'before' ? 'insert' : 'delete';
  return segments
    .filter((s) => s.op !== skip)
    .map((s) => s.text)
    .join('');
}
