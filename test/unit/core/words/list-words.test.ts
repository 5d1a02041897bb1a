import { describe, expect, it } from 'vitest';
import { listInWords, numberedName, plural } from '../../../../src/core/words/list-words';

describe('words for counts and lists', () => {
  it('plural agrees with its count, with an irregular plural when given', () => {
    expect(plural(1, 'query', 'queries')).toBe('1 query');
    expect(plural(0, 'query', 'queries')).toBe('0 queries');
    expect(plural(2, 'call')).toBe('2 calls');
  });

  it('plural separates the thousands of a whole count, as every count shown does, and says a fraction as given', () => {
    expect(plural(80_000, 'duplicate')).toBe('80,000 duplicates');
    expect(plural(19_988, 'training query', 'training queries')).toBe('19,988 training queries');
    expect(plural(1.5, 'million token')).toBe('1.5 million tokens');
  });

  it('listInWords joins with commas and a final "and"', () => {
    expect(listInWords([])).toBe('');
    expect(listInWords(['a'])).toBe('a');
    expect(listInWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listInWords(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  });

  it('numberedName numbers a taken name "name (2)", "name (3)"…, keeping the number within a length limit', () => {
    const taken = new Set(['q.csv', 'q.csv (2)']);
    expect(numberedName('other.csv', (n) => taken.has(n))).toBe('other.csv');
    expect(numberedName('q.csv', (n) => taken.has(n))).toBe('q.csv (3)');
    const long = 'x'.repeat(200);
    expect(numberedName(long, (n) => n === long, 200)).toBe(`${'x'.repeat(196)} (2)`);
  });
});
