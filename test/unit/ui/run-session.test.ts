/**
 * Following a run another tab drives (run-controller.ts): only while someone looks, with one store read of
 * the nodes' events per refresh, and a view-model version that keeps growing across re-reads.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getRunSession, resetRunSessions } from '../../../src/ui/controllers/run-controller';
import { setRunOwnership } from '../../../src/ui/controllers/run-ownership';
import type { StoreChange } from '../../../src/store/store';
import { FakeStore } from '../../support/live-fakes';
import { makeNode } from '../../support/live-fixtures';
import type { RunEvent } from '../../../src/core/contracts/run-events';

/** A store that counts its reads and its change listeners, and can announce a change. */
class CountingStore extends FakeStore {
  reads = { getRun: 0, getEvents: 0, getNodes: 0 };
  listeners = new Set<(c: StoreChange) => void>();
  override async getRun(id: string) {
    this.reads.getRun++;
    return super.getRun(id);
  }
  override async getEvents(id: string) {
    this.reads.getEvents++;
    return super.getEvents(id);
  }
  override async getNodes(id: string) {
    this.reads.getNodes++;
    return super.getNodes(id);
  }
  onChange(fn: (c: StoreChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  announce(runId: string): void {
    for (const fn of this.listeners) fn({ kind: 'runs', runId });
  }
}

const nodeEvent = (runId: string, id: string, at: number): RunEvent => ({
  runId,
  at,
  type: 'node-evaluated',
  node: makeNode({ id, depth: at }),
});

let ownerChecks = 0;
beforeEach(() => {
  vi.useFakeTimers();
  ownerChecks = 0;
  // Another tab drives every run.
  setRunOwnership({
    mine: new Set(),
    tryAcquire: async () => null,
    heldRunIds: async (): Promise<Set<string>> => {
      ownerChecks++;
      return new Set(['r1']);
    },
  });
});
afterEach(() => {
  vi.useRealTimers();
  setRunOwnership(null);
  resetRunSessions();
});

describe('RunSession following another tab', () => {
  it('stops its timers and store reads when the last listener leaves, and picks up again on return', async () => {
    const store = new CountingStore();
    store.addRun('r1', 'running', [nodeEvent('r1', 'a', 1)], {
      progress: { depth: 0, maxDepth: 5, nodes: 1, calls: 0, generatedTokens: 0 },
    });
    const s = getRunSession('r1', undefined, store.asStore());
    const off = s.subscribe(() => undefined);
    await s.load();
    expect(s.heldElsewhere).toBe(true);
    expect(store.listeners.size).toBe(1);

    // A change is picked up while someone looks.
    store.events.get('r1')!.push(nodeEvent('r1', 'b', 2));
    store.announce('r1');
    await vi.advanceTimersByTimeAsync(600);
    expect(s.vm.order).toEqual(['a', 'b']);

    off();
    expect(store.listeners.size).toBe(0);
    const reads = { ...store.reads };
    const checks = ownerChecks;
    store.events.get('r1')!.push(nodeEvent('r1', 'c', 3));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.reads).toEqual(reads);
    expect(ownerChecks).toBe(checks);

    // Back on the view: following resumes with a fresh read (the change above was missed).
    const off2 = s.subscribe(() => undefined);
    expect(store.listeners.size).toBe(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(s.vm.order).toEqual(['a', 'b', 'c']);
    expect(ownerChecks).toBeGreaterThan(checks);
    // A second listener shares the one follower; leaving with one still there keeps it.
    const off3 = s.subscribe(() => undefined);
    expect(store.listeners.size).toBe(1);
    off3();
    expect(store.listeners.size).toBe(1);
    off2();
    expect(store.listeners.size).toBe(0);
  });

  it('reads the nodes only when the events lack some, and every re-read gets a newer version', async () => {
    const store = new CountingStore();
    // Two nodes stored, one of them without an event (an imported file's log may lack it).
    store.addRun('r1', 'running', [nodeEvent('r1', 'a', 1)], {
      progress: { depth: 0, maxDepth: 5, nodes: 2, calls: 0, generatedTokens: 0 },
    });
    store.nodes.set('r1', [makeNode({ id: 'a' }), makeNode({ id: 'x', depth: 1 })]);
    const s = getRunSession('r1', undefined, store.asStore());
    const off = s.subscribe(() => undefined);
    await s.load();
    expect([...s.vm.nodes.keys()].sort()).toEqual(['a', 'x']);
    expect(store.reads.getNodes).toBe(1);

    // The events now carry every node the record counts: no read of the nodes.
    store.events.get('r1')!.push(nodeEvent('r1', 'x', 2));
    let version = s.vm.version;
    for (let i = 0; i < 3; i++) {
      store.announce('r1');
      await vi.advanceTimersByTimeAsync(600);
      expect(s.vm.version).toBeGreaterThan(version);
      version = s.vm.version;
    }
    expect(store.reads.getEvents).toBe(4);
    expect(store.reads.getNodes).toBe(1);
    off();
  });
});

describe('RunSession folding events', () => {
  const g = globalThis as { requestAnimationFrame?: unknown; document?: unknown };
  afterEach(() => {
    delete g.requestAnimationFrame;
    delete g.document;
  });

  it('folds a batch whose frame never comes (the tab was hidden after asking for it)', async () => {
    // A visible tab asks for a frame; then the user switches tabs, and a hidden tab draws no frames.
    g.document = { hidden: false };
    g.requestAnimationFrame = vi.fn();
    const s = getRunSession('r2', undefined, new FakeStore().asStore());
    const seen: number[] = [];
    s.subscribe(() => seen.push(s.vm.nodes.size));
    s.enqueue([nodeEvent('r2', 'a', 1)]);
    (g.document as { hidden: boolean }).hidden = true;
    s.enqueue([nodeEvent('r2', 'b', 2)]);
    await vi.advanceTimersByTimeAsync(300);
    // Folded without a frame: the Live view and the tab title (which reads the view model) move on.
    expect(s.vm.nodes.size).toBe(2);
    expect(seen.at(-1)).toBe(2);
    // Later batches fold too, while hidden.
    s.enqueue([nodeEvent('r2', 'c', 3)]);
    await vi.advanceTimersByTimeAsync(300);
    expect(s.vm.nodes.size).toBe(3);
  });

  it('folds once per frame in a visible tab (the frame and the timer do not both fold)', async () => {
    g.document = { hidden: false };
    const frames: (() => void)[] = [];
    g.requestAnimationFrame = (cb: () => void) => frames.push(cb);
    const s = getRunSession('r3', undefined, new FakeStore().asStore());
    let updates = 0;
    s.subscribe(() => updates++);
    s.enqueue([nodeEvent('r3', 'a', 1)]);
    frames.shift()!();
    expect(s.vm.nodes.size).toBe(1);
    expect(updates).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(updates).toBe(1);
  });
});
