/**
 * runOwners (run-ownership.ts): the page's one answer to "who drives this run", shared by the Live view's
 * session, the unfinished-runs banner, History and Evaluate. One poller however many listen, none when
 * nobody does; this tab's own acquire and release are heard at once, another tab letting go at the next poll.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  OWNER_POLL_MS,
  RunOwnersController,
  acquireRun,
  runOwners,
  setRunOwnership,
  type RunOwnership,
} from '../../../src/ui/controllers/run-ownership';

let checks = 0;
/** Runs another tab holds. */
let otherTab: Set<string>;

beforeEach(() => {
  vi.useFakeTimers();
  checks = 0;
  otherTab = new Set(['theirs']);
  const mine = new Set<string>();
  const fake: RunOwnership = {
    mine,
    tryAcquire: async (id) => {
      if (otherTab.has(id) || mine.has(id)) return null;
      mine.add(id);
      return { release: () => void mine.delete(id) };
    },
    heldRunIds: async () => {
      checks++;
      return new Set([...otherTab, ...mine]);
    },
  };
  setRunOwnership(fake);
});
afterEach(() => {
  setRunOwnership(null);
  vi.useRealTimers();
});

describe('runOwners', () => {
  it('polls once for all its listeners, and not at all without one', async () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = runOwners.subscribe(a);
    const offB = runOwners.subscribe(b);
    await vi.advanceTimersByTimeAsync(0);
    // Each listener hears the first fresh answer.
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    expect(runOwners.ownerOf('theirs')).toBe('elsewhere');
    const before = checks;
    await vi.advanceTimersByTimeAsync(OWNER_POLL_MS * 4);
    expect(checks - before).toBe(4);
    // Nothing changed: nobody is told anything.
    expect(a).toHaveBeenCalledTimes(1);
    offA();
    offB();
    const after = checks;
    await vi.advanceTimersByTimeAsync(OWNER_POLL_MS * 10);
    expect(checks).toBe(after);
  });

  it("hears this tab's acquire and release at once, another tab letting go at the next poll", async () => {
    const listener = vi.fn();
    const off = runOwners.subscribe(listener);
    await vi.advanceTimersByTimeAsync(0);
    listener.mockClear();

    expect(await acquireRun('theirs')).toBeNull();
    const lease = await acquireRun('ours');
    expect(lease).not.toBeNull();
    expect(runOwners.ownerOf('ours')).toBe('here');
    expect(listener).toHaveBeenCalled();
    listener.mockClear();
    lease!.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runOwners.ownerOf('ours')).toBe('none');
    expect(listener).toHaveBeenCalled();

    // The other tab closes: no write anywhere, the next poll tells.
    listener.mockClear();
    otherTab.delete('theirs');
    await vi.advanceTimersByTimeAsync(OWNER_POLL_MS);
    expect(runOwners.ownerOf('theirs')).toBe('none');
    expect(listener).toHaveBeenCalledTimes(1);
    off();
  });
  it('a view follows the owners only while its active() holds, re-checked after each update', async () => {
    let controller: ReactiveController | undefined;
    const host = {
      addController: (c: ReactiveController) => void (controller = c),
      removeController: () => undefined,
      requestUpdate: vi.fn(),
      updateComplete: Promise.resolve(true),
    } satisfies ReactiveControllerHost;
    let active = false;
    const owners = new RunOwnersController(host, () => active);
    expect(controller).toBe(owners);
    owners.hostConnected();
    await vi.advanceTimersByTimeAsync(OWNER_POLL_MS * 3);
    // Nothing driven anywhere: no question to the locks, no poller.
    expect(owners.following).toBe(false);
    expect(checks).toBe(0);

    active = true;
    owners.hostUpdated();
    expect(owners.following).toBe(true);
    await vi.advanceTimersByTimeAsync(OWNER_POLL_MS * 2);
    expect(checks).toBeGreaterThanOrEqual(2);
    host.requestUpdate.mockClear();
    // The other tab lets go: the next poll re-renders the view.
    otherTab.delete('theirs');
    await vi.advanceTimersByTimeAsync(OWNER_POLL_MS);
    expect(host.requestUpdate).toHaveBeenCalledTimes(1);

    active = false;
    owners.hostUpdated();
    expect(owners.following).toBe(false);
    const stopped = checks;
    await vi.advanceTimersByTimeAsync(OWNER_POLL_MS * 3);
    expect(checks).toBe(stopped);

    // Off the page it never follows, active or not.
    active = true;
    owners.hostDisconnected();
    owners.hostUpdated();
    expect(owners.following).toBe(false);
    owners.hostConnected();
    expect(owners.following).toBe(true);
    owners.hostDisconnected();
    expect(owners.following).toBe(false);
  });
});
