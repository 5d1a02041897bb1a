/**
 * Sizes, counts and waits round to what they show before picking their unit (core/formats/bytes.ts and
 * durations.ts), so a value just under a unit boundary never reads as 1000 or 1024 of the smaller unit.
 */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatCountCompact, formatWholeCount } from '../../../../src/core/formats/bytes';
import { formatWait } from '../../../../src/core/words/durations';

describe('unit boundaries: round first, then pick the unit', () => {
  it.each([
    [1023, '1023 B'],
    [1023.6, '1 KB'],
    [1024, '1 KB'],
    [102_297, '99.9 KB'],
    [102_350, '100 KB'],
    [102_360, '100 KB'],
    [1_048_063, '1023 KB'],
    [1_048_575, '1 MB'],
    [2 ** 20, '1 MB'],
    [2 ** 30 - 1, '1 GB'],
    [2 ** 40 - 1, '1 TB'],
    [3 * 2 ** 40, '3 TB'],
  ])('formatBytes(%d) is %s', (n, out) => expect(formatBytes(n)).toBe(out));

  it.each([
    [0, '0'],
    [999, '999'],
    [9_999, '9,999'],
    [9_999.6, '10.0 k'],
    [10_000, '10.0 k'],
    [12_345, '12.3 k'],
    [999_949, '999.9 k'],
    [999_950, '1.0 M'],
    [999_990, '1.0 M'],
    [1_000_000, '1.0 M'],
    [2_345_678, '2.3 M'],
    [Number.NaN, '0'],
  ])('formatCount(%d) is %s', (n, out) => expect(formatCount(n)).toBe(out));

  it.each([
    [0, '0'],
    [999, '999'],
    [20_000, '20,000'],
    [1_234_567.4, '1,234,567'],
    [Number.NaN, '0'],
  ])('formatWholeCount(%d) is %s: exact at any size', (n, out) => expect(formatWholeCount(n)).toBe(out));

  it.each([
    [0, '0'],
    [999, '999'],
    [999.6, '1.0k'],
    [1_000, '1.0k'],
    [1_500, '1.5k'],
    [9_949, '9.9k'],
    [9_950, '10k'],
    [9_999, '10k'],
    [45_000, '45k'],
    [999_499, '999k'],
    [999_500, '1.0M'],
    [999_999, '1.0M'],
    [12_300_000, '12M'],
  ])('formatCountCompact(%d) is %s', (n, out) => expect(formatCountCompact(n)).toBe(out));

  it.each([
    [400, '0.4 s'],
    [9_940, '9.9 s'],
    [9_960, '10 s'],
    [12_300, '12 s'],
    [59_400, '59 s'],
    [59_950, '1 min'],
    [60_000, '1 min'],
    [90_000, '1.5 min'],
  ])('formatWait(%d) is %s', (ms, out) => expect(formatWait(ms)).toBe(out));
});
