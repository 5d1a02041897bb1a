import { describe, expect, it } from 'vitest';
import { BUILTIN_EVAL } from '../../../../src/core/data/builtin-eval';
import { BUILTIN_SEEDS } from '../../../../src/core/data/builtin-seeds';
import { BUILTIN_TRAIN } from '../../../../src/core/data/builtin-train';
import { normalizeQueryText } from '../../../../src/core/data/parse-queries';
import { QUERY_CATEGORIES, type Query } from '../../../../src/core/contracts/run-config';

const unsafeShare = (qs: readonly Query[]) => qs.filter((q) => q.category === 'unsafe').length / qs.length;
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('built-in data', () => {
  it('has enough training and evaluation queries', () => {
    expect(BUILTIN_TRAIN.length).toBeGreaterThanOrEqual(64);
    expect(BUILTIN_EVAL.length).toBeGreaterThanOrEqual(56);
    expect(BUILTIN_SEEDS).toHaveLength(16);
  });

  it('covers every category in both sets, and only known ones', () => {
    for (const set of [BUILTIN_TRAIN, BUILTIN_EVAL]) {
      const cats = new Set(set.map((q) => q.category));
      expect([...cats].sort()).toEqual([...QUERY_CATEGORIES].sort());
    }
  });

  it('is about 20% unsafe', () => {
    for (const set of [BUILTIN_TRAIN, BUILTIN_EVAL]) {
      expect(unsafeShare(set)).toBeGreaterThanOrEqual(0.17);
      expect(unsafeShare(set)).toBeLessThanOrEqual(0.23);
    }
  });

  it('has unique ids and no duplicate texts, and train/eval/seeds are disjoint', () => {
    const all = [...BUILTIN_TRAIN, ...BUILTIN_EVAL];
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
    const texts = [...all.map((q) => q.text), ...BUILTIN_SEEDS.map((s) => s.query)].map((t) =>
      normalizeQueryText(t).toLowerCase(),
    );
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('seed answers are concise and substantive; four are refusals with help', () => {
    for (const s of BUILTIN_SEEDS) {
      expect(words(s.answer)).toBeGreaterThanOrEqual(100);
      expect(words(s.answer)).toBeLessThanOrEqual(260);
    }
    const refusals = BUILTIN_SEEDS.filter((s) => /\bI (?:can't|won't) (?:help|give)/.test(s.answer));
    expect(refusals).toHaveLength(4);
  });
});
