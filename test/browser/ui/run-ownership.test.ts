/**
 * Issue 11 (1): run ownership in a real browser. Web Locks: one driver per run id, a free lock can be
 * taken again. The BroadcastChannel fallback (pages that are not a secure context) keeps two "tabs" apart
 * the same way. The two-tab behaviour of the whole studio is in test/e2e/two-tabs.spec.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireRun,
  channelOwnership,
  setRunOwnership,
  webLockOwnership,
} from '../../../src/ui/controllers/run-ownership';
import type { RunOwnership } from '../../../src/ui/controllers/run-ownership';

async function oneDriver(a: RunOwnership, b: RunOwnership, runId: string): Promise<void> {
  const lease = await a.tryAcquire(runId);
  expect(lease).not.toBeNull();
  expect(a.mine.has(runId)).toBe(true);
  expect(await b.tryAcquire(runId)).toBeNull();
  expect((await b.heldRunIds()).has(runId)).toBe(true);
  expect(b.mine.has(runId)).toBe(false);
  // Another run is free meanwhile.
  const other = await b.tryAcquire(`${runId}-other`);
  expect(other).not.toBeNull();
  other!.release();
  lease!.release();
  await expect.poll(async () => (await b.heldRunIds()).has(runId)).toBe(false);
  const taken = await b.tryAcquire(runId);
  expect(taken).not.toBeNull();
  expect(await a.tryAcquire(runId)).toBeNull();
  taken!.release();
}

describe('run ownership', () => {
  it('Web Locks: one driver per run, taken over once free', async () => {
    const locks = webLockOwnership(navigator.locks);
    // Two "tabs" share the browser's lock manager; each keeps its own list of what it drives.
    await oneDriver(locks, webLockOwnership(navigator.locks), `run-${Math.random()}`);
  });

  it('BroadcastChannel fallback: the same guarantees between two healthy tabs', async () => {
    const name = `owners-${Math.random()}`;
    await oneDriver(channelOwnership(name), channelOwnership(name), `run-${Math.random()}`);
  });

  // A Pause followed at once by Resume (or an evaluation resumed as it stops) must not find its own lock taken.
  describe('this tab takes back a run it just let go of', () => {
    afterEach(() => setRunOwnership(null));

    it('acquireRun right after release: the lock manager frees a lock a moment after release()', async () => {
      setRunOwnership(webLockOwnership(navigator.locks));
      const id = `run-${Math.random()}`;
      const lease = await acquireRun(id);
      lease!.release();
      const again = await acquireRun(id);
      expect(again).not.toBeNull();
      again!.release();
    });
  });
});
