/** A call to the page waits for the page, or a second at most, and leaves no timer behind either way. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { safeCall } from '../../../src/worker/safe-call';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('safeCall', () => {
  it('leaves no grace timer once the page has the call (a stream makes one per batch)', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) await safeCall(async (n: number) => void seen.push(n), i);
    expect(seen).toHaveLength(50);
    expect(vi.getTimerCount()).toBe(0);
    // A page whose callback failed has the call too.
    await safeCall(() => Promise.reject(new Error('page gone')), 1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up waiting after the grace period, and a late delivery leaves nothing either', async () => {
    let deliver!: () => void;
    let settled = false;
    const call = safeCall(() => new Promise<void>((r) => (deliver = r)), 1, 1000).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await call;
    expect(settled).toBe(true);
    deliver();
    await Promise.resolve();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('settles at once without a callback, or when calling it throws (the page’s proxy is gone)', async () => {
    await safeCall(undefined, 1);
    await safeCall(() => {
      throw new Error('proxy released');
    }, 1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
