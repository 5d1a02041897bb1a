/** Store change notices (store-library.ts): a burst of writes to one thing is heard a few times, never lost. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANGE_WINDOW_MS, createNotifier } from '../../../src/store/store-library';
import type { StoreChange } from '../../../src/store/store';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('store change notifier', () => {
  it('delivers the first change at once and the rest of a burst once per window, per thing changed', async () => {
    const n = createNotifier(null);
    const seen: StoreChange[] = [];
    n.subscribe((c) => seen.push(c));
    for (let i = 0; i < 20; i++) {
      n.emit({ kind: 'runs', runId: 'a' });
      n.emit({ kind: 'alignments' });
    }
    n.emit({ kind: 'runs', runId: 'b' });
    // One of each at once (another run is another thing).
    expect(seen).toEqual([{ kind: 'runs', runId: 'a' }, { kind: 'alignments' }, { kind: 'runs', runId: 'b' }]);
    // The rest of the burst: once, at the window's end.
    await vi.advanceTimersByTimeAsync(CHANGE_WINDOW_MS);
    expect(seen.slice(3)).toEqual([{ kind: 'runs', runId: 'a' }, { kind: 'alignments' }]);
    await vi.advanceTimersByTimeAsync(CHANGE_WINDOW_MS * 3);
    expect(seen).toHaveLength(5);
    // Quiet again: the next change is heard at once.
    n.emit({ kind: 'runs', runId: 'a' });
    expect(seen).toHaveLength(6);
    n.close();
  });

  it('a steady stream is heard about once per window', async () => {
    const n = createNotifier(null);
    let heard = 0;
    n.subscribe(() => heard++);
    for (let t = 0; t < 3000; t += 50) {
      n.emit({ kind: 'runs', runId: 'a' });
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(heard).toBeLessThanOrEqual(Math.ceil(3000 / CHANGE_WINDOW_MS) + 1);
    expect(heard).toBeGreaterThanOrEqual(Math.floor(3000 / CHANGE_WINDOW_MS) - 1);
    n.close();
  });

  it('says when every change was told: at once when none waits, else at the end of the window holding the last', async () => {
    const n = createNotifier(null);
    const seen: StoreChange[] = [];
    n.subscribe((c) => seen.push(c));
    let told = false;
    await n.delivered(); // nothing emitted yet
    n.emit({ kind: 'runs', runId: 'a' });
    await n.delivered(); // the first of a burst is told at once
    expect(seen).toHaveLength(1);
    n.emit({ kind: 'runs', runId: 'a' });
    n.emit({ kind: 'alignments' });
    n.emit({ kind: 'alignments' });
    void n.delivered().then(() => (told = true));
    await vi.advanceTimersByTimeAsync(CHANGE_WINDOW_MS - 1);
    expect(told).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // Both held changes were told before the promise resolved (a listener's test can count on them).
    expect(told).toBe(true);
    expect(seen).toEqual([
      { kind: 'runs', runId: 'a' },
      { kind: 'alignments' },
      { kind: 'runs', runId: 'a' },
      { kind: 'alignments' },
    ]);
    // A window still open with nothing held waits for nothing; closing lets every waiter go.
    await n.delivered();
    n.emit({ kind: 'runs', runId: 'a' });
    const closed = n.delivered();
    n.close();
    await closed;
  });
});
