/** One way to write a size (core/formats/bytes.ts): files, storage, model downloads and reply caps alike. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatTokenSpeed } from '../../../../src/core/formats/bytes';

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
});

describe('formatTokenSpeed', () => {
  it('says a speed one way in every view: at most one decimal below 100 tokens/s, whole and grouped from there', () => {
    expect(formatTokenSpeed(12.46)).toBe('12.5 tokens/s');
    expect(formatTokenSpeed(40)).toBe('40 tokens/s');
    expect(formatTokenSpeed(99.94)).toBe('99.9 tokens/s');
    expect(formatTokenSpeed(2647.1)).toBe('2,647 tokens/s');
    expect(formatTokenSpeed(44286)).toBe('44,286 tokens/s');
  });
});
