/** Files picked in the page are measured before they are read (helpers/file-size.ts). */
import { describe, expect, it } from 'vitest';
import { assertFileSize } from '../../../src/ui/helpers/file-size';

describe('assertFileSize', () => {
  it('names a file over the limit with both sizes, in the same words', () => {
    expect(() => assertFileSize({ name: 'big.jsonl', size: 100 * 2 ** 20 }, 50 * 2 ** 20, 'Split it.')).toThrow(
      '“big.jsonl” is 100 MB; files up to 50 MB can be read here. Split it.',
    );
  });
});
