/** Files picked in the page are measured before they are read (helpers/file-size.ts). */
import { describe, expect, it } from 'vitest';
import { assertFileSize, fileNotUsed } from '../../../src/ui/helpers/file-size';

describe('assertFileSize', () => {
  it('names a file over the limit with both sizes, in the same words', () => {
    expect(() => assertFileSize({ name: 'big.jsonl', size: 100 * 2 ** 20 }, 50 * 2 ** 20, 'Split it.')).toThrow(
      '“big.jsonl” is 100 MB; files up to 50 MB can be read here. Split it.',
    );
  });
});

describe('fileNotUsed', () => {
  it('says the file was not used and, when there is one, which set stays selected', () => {
    expect(fileNotUsed('bad.jsonl', 'Built-in test set')).toBe(
      '“bad.jsonl” was not used: Built-in test set is still selected.',
    );
    expect(fileNotUsed('bad.jsonl')).toBe('“bad.jsonl” was not used.');
  });
});
