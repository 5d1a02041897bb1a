import { describe, expect, it } from 'vitest';
import { AnnounceThrottle } from '../../../src/ui/helpers/announce-throttle';

describe('AnnounceThrottle', () => {
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
});
