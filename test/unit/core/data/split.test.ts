import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TRAIN } from '../../../../src/core/data/builtin-train';
import { interleaveByCategory, splitQueries } from '../../../../src/core/data/split';
import type { Query } from '../../../../src/core/contracts/run-config';

const qs = (n: number): Query[] =>
  Array.from({ length: n }, (_, i) => ({ id: `q${i}`, text: `t${i}`, category: `c${i % 3}` }));

describe('splitQueries', () => {
  it('is deterministic for a seed and keeps file order in both halves', () => {
    const a = splitQueries(BUILTIN_TRAIN, 8, 42);
    const b = splitQueries(BUILTIN_TRAIN, 8, 42);
    expect(a).toEqual(b);
    expect(a.validation).toHaveLength(8);
    expect(a.train).toHaveLength(BUILTIN_TRAIN.length - 8);
    const pos = (q: Query) => BUILTIN_TRAIN.indexOf(q);
    expect(a.train.map(pos)).toEqual([...a.train.map(pos)].sort((x, y) => x - y));
    expect(splitQueries(BUILTIN_TRAIN, 8, 43).validation).not.toEqual(a.validation);
  });

  it('always leaves at least one training query and handles odd sizes', () => {
    expect(splitQueries(qs(3), 10, 1).train).toHaveLength(1);
    expect(splitQueries(qs(3), -2, 1).validation).toHaveLength(0);
    expect(splitQueries(qs(3), Number.NaN, 1).validation).toHaveLength(0);
    expect(splitQueries([], 5, 1)).toEqual({ train: [], validation: [] });
  });

  it('partitions the input (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 50 }), fc.integer(), (n, v, seed) => {
        const input = qs(n);
        const { train, validation } = splitQueries(input, v, seed);
        expect(train.length + validation.length).toBe(n);
        expect(new Set([...train, ...validation].map((q) => q.id)).size).toBe(n);
      }),
    );
  });
});

describe('interleaveByCategory', () => {
  it('is a deterministic permutation that alternates categories', () => {
    const out = interleaveByCategory(BUILTIN_TRAIN, 7);
    expect(out).toEqual(interleaveByCategory(BUILTIN_TRAIN, 7));
    expect([...out].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...BUILTIN_TRAIN]);
    // The first ten queries come from ten different categories.
    expect(new Set(out.slice(0, 10).map((q) => q.category)).size).toBe(10);
  });

  it('handles missing categories and empty input', () => {
    expect(interleaveByCategory([], 1)).toEqual([]);
    const mixed: Query[] = [
      { id: 'a', text: 'a' },
      { id: 'b', text: 'b', category: 'x' },
      { id: 'c', text: 'c' },
    ];
    expect(interleaveByCategory(mixed, 3)).toHaveLength(3);
  });
});
