/** One way to write a size (helpers/file-size.ts): files, storage and model downloads alike. */
import { describe, expect, it } from 'vitest';
import { assertFileSize, formatBytes } from '../../../src/ui/helpers/file-size';

describe('formatBytes', () => {
  it('uses binary units, one decimal below 100 of a unit and none when whole', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(12.5 * 1024)).toBe('12.5 KB');
    expect(formatBytes(50 * 2 ** 20)).toBe('50 MB');
    expect(formatBytes(100 * 2 ** 20)).toBe('100 MB');
    expect(formatBytes(700e6)).toBe('668 MB');
    expect(formatBytes(1.3 * 2 ** 30)).toBe('1.3 GB');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });

  it('names a file over the limit with both sizes, in the same words', () => {
    expect(() => assertFileSize({ name: 'big.jsonl', size: 100 * 2 ** 20 }, 50 * 2 ** 20, 'Split it.')).toThrow(
      '“big.jsonl” is 100 MB; files up to 50 MB can be read here. Split it.',
    );
  });
});
