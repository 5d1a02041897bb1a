import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnnounceThrottle } from '../../../src/ui/helpers/announce-throttle';

describe('AnnounceThrottle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says a new key at once, the same key at most every interval, and keeps quiet after clear()', () => {
    const t = new AnnounceThrottle(8000);
    expect(t.say('answering', () => 'step 1', 0)).toBe('step 1');
    expect(t.say('answering', () => 'step 2', 1000)).toBe('step 1');
    expect(t.say('judging', () => 'judging 1', 1500)).toBe('judging 1');
    expect(t.say('judging', () => 'judging 5', 9499)).toBe('judging 1');
    expect(t.say('judging', () => 'judging 6', 9500)).toBe('judging 6');
    expect(t.clear()).toBe('');
    // Back within the interval: still quiet, not the old text again.
    expect(t.say('judging', () => 'judging 7', 10_000)).toBe('');
    expect(t.isNew('judging')).toBe(false);
    expect(t.isNew('done')).toBe(true);
  });

  it('asks for the held-back text once its turn comes, even when nothing else arrives', () => {
    vi.useFakeTimers();
    let due = 0;
    const t = new AnnounceThrottle(8000, () => due++);
    expect(t.say('running', () => 'level 0, path mean 3.75', 0)).toBe('level 0, path mean 3.75');
    // Newer progress inside the interval is held back, not dropped: one call-back is asked for, at the interval's end.
    expect(t.say('running', () => 'level 1', 1000)).toBe('level 0, path mean 3.75');
    expect(t.say('running', () => 'level 2, path mean 4.00', 3000)).toBe('level 0, path mean 3.75');
    vi.advanceTimersByTime(6999);
    expect(due).toBe(0);
    vi.advanceTimersByTime(1);
    expect(due).toBe(1);
    // The host renders again: the region says the latest.
    expect(t.say('running', () => 'level 2, path mean 4.00', 8000)).toBe('level 2, path mean 4.00');
    // Said in time, or a status change said at once: nothing more is asked for.
    expect(t.say('running', () => 'level 2', 9000)).toBe('level 2, path mean 4.00');
    expect(t.say('paused', () => 'Paused', 9500)).toBe('Paused');
    vi.advanceTimersByTime(60_000);
    expect(due).toBe(1);
  });
});
