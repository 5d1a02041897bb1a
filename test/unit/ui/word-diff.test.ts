import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffStats, sideOf, wordDiff } from '../../../src/ui/helpers/word-diff';

describe('wordDiff', () => {
  it('marks an inserted bullet and keeps the rest equal', () => {
    const before = 'You are a helpful assistant.\n- Be concise.';
    const after = 'You are a helpful assistant.\n- Be concise.\n- Admit what you cannot know.';
    const segs = wordDiff(before, after);
    expect(segs.map((s) => s.op)).toEqual(['equal', 'insert']);
    expect(segs[1]!.text).toBe('- Admit what you cannot know.');
    expect(diffStats(segs)).toEqual({ inserted: 6, deleted: 0 });
  });

  it('marks replaced words as a deletion followed by an insertion', () => {
    const segs = wordDiff('Answer in short sentences.', 'Answer in clear sentences.');
    expect(segs).toEqual([
      { op: 'equal', text: 'Answer in ' },
      { op: 'delete', text: 'short ' },
      { op: 'insert', text: 'clear ' },
      { op: 'equal', text: 'sentences.' },
    ]);
  });

  it('handles empty sides', () => {
    expect(wordDiff('', '')).toEqual([]);
    expect(wordDiff('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }]);
    expect(wordDiff('old text', '')).toEqual([{ op: 'delete', text: 'old text' }]);
  });

  it('treats whitespace-only changes as equal words', () => {
    const segs = wordDiff('a b  c', 'a\nb c');
    expect(segs.every((s) => s.op === 'equal')).toBe(true);
    expect(sideOf(segs, 'after')).toBe('a\nb c');
  });

  it('stays bounded on very long, totally different prompts: past the edit cap it stops aligning words', () => {
    // By structure, not by a timer (which fails under load): the cap bounds the diff's work, and a diff that
    // gave up says "all deleted, all inserted", exact on both sides.
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
    const segs = wordDiff(a, b);
    expect(segs.map((s) => s.op)).toEqual(['delete', 'insert']);
    expect(sideOf(segs, 'after')).toBe(b);
    expect(sideOf(segs, 'before').trim()).toBe(a);
    // 1,000 scattered changes (2,000 edits, over the cap): no word-by-word alignment is attempted, only the
    // common ends are kept; an uncapped diff would interleave 2,000 segments.
    const words = Array.from({ length: 3000 }, (_, i) => `w${i}`);
    const changed = words.map((w, i) => (i % 3 === 0 ? `x${i}` : w));
    const capped = wordDiff(words.join(' '), changed.join(' '));
    expect(capped.map((s) => s.op)).toEqual(['delete', 'insert', 'equal']);
    expect(sideOf(capped, 'after')).toBe(changed.join(' '));
  });

  it('is exact on a long prompt with many scattered changes (595 words of 3,000)', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${i % 700}`);
    const changed = words.slice();
    for (let i = 0; i < 595; i++) changed[i * 5] = `x${i}`;
    const segs = wordDiff(words.join(' '), changed.join(' '));
    expect(diffStats(segs)).toEqual({ inserted: 595, deleted: 595 });
    expect(sideOf(segs, 'after')).toBe(changed.join(' '));
  });

  it('property: the after side is reproduced exactly and the before side word-for-word', () => {
    const word = fc.constantFrom('be', 'clear', 'kind', 'short', '-', 'rules', 'you', 'are', '\n');
    const text = fc.array(word, { maxLength: 40 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const segs = wordDiff(a, b);
        expect(sideOf(segs, 'after')).toBe(b);
        const words = (s: string) => s.split(/\s+/).filter(Boolean);
        expect(words(sideOf(segs, 'before'))).toEqual(words(a));
        // Minimal: the number of equal words is the LCS length, never below the shared prefix.
        const st = diffStats(segs);
        expect(words(a).length - st.deleted).toBe(words(b).length - st.inserted);
      }),
      { numRuns: 300 },
    );
  });
});
