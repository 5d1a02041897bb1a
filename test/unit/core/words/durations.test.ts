import { describe, expect, it } from 'vitest';
import { formatDuration, formatDurationCompact, formatWait } from '../../../../src/core/words/durations';

describe('durations', () => {
  it('says an elapsed time or estimate in words, and a dash when there is none', () => {
    expect(formatDuration(44_600)).toBe('45 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(7_440_000)).toBe('2 h 4 min');
    expect(formatDuration(-300)).toBe('0 s');
    for (const none of [null, undefined, Number.NaN, Infinity]) expect(formatDuration(none)).toBe('—');
  });

  it('has a compact form for a terminal line', () => {
    expect(formatDurationCompact(185_000)).toBe('3m05s');
    expect(formatDurationCompact(-1)).toBe('0s');
  });

  it('says a wait in tenths below 10 s, whole seconds below a minute, minutes above', () => {
    expect(formatWait(400)).toBe('0.4 s');
    expect(formatWait(12_300)).toBe('12 s');
    expect(formatWait(90_000)).toBe('1.5 min');
  });
});
