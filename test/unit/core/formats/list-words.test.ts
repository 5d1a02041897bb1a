import { describe, expect, it } from 'vitest';
import { listInWords, plural } from '../../../../src/core/formats/list-words';

describe('words for counts and lists', () => {
  it('plural agrees with its count, with an irregular plural when given', () => {
    expect(plural(1, 'query', 'queries')).toBe('1 query');
    expect(plural(0, 'query', 'queries')).toBe('0 queries');
    expect(plural(2, 'call')).toBe('2 calls');
  });

  it('listInWords joins with commas and a final "and"', () => {
    expect(listInWords([])).toBe('');
    expect(listInWords(['a'])).toBe('a');
    expect(listInWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listInWords(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  });
});
