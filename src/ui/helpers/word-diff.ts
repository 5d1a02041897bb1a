/**
 * Word-level diff for prompt revisions. Pure: no DOM, unit-tested.
 * Words are compared without their trailing whitespace, but the output keeps the original
 * whitespace (newlines of bullet lists survive): joining equal + insert segments reproduces
 * the new text exactly (equal words carry the new text's whitespace).
 */

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

/** Above this many DP cells we fall back to "replace the differing middle" (keeps worst case bounded). */
const MAX_CELLS = 4_000_000;

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
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) push(out, 'delete', a[i]!.text);
    for (let j = start; j < endB; j++) push(out, 'insert', b[j]!.text);
  } else if (n > 0 || m > 0) {
    middle(a, b, start, n, m, out);
  }
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

/** Classic LCS table over the differing middle, then a forward walk (deletions before insertions). */
function middle(a: Tok[], b: Tok[], off: number, n: number, m: number, out: DiffSegment[]): void {
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        a[off + i]!.key === b[off + j]!.key
          ? lcs[(i + 1) * w + j + 1]! + 1
          : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[off + i]!.key === b[off + j]!.key) {
      push(out, 'equal', b[off + j]!.text);
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      push(out, 'delete', a[off + i]!.text);
      i++;
    } else {
      push(out, 'insert', b[off + j]!.text);
      j++;
    }
  }
  for (; i < n; i++) push(out, 'delete', a[off + i]!.text);
  for (; j < m; j++) push(out, 'insert', b[off + j]!.text);
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
