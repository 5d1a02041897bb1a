import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { SearchNode } from '../../../../src/core/contracts/search-node';
import { collector, fakeClock, models, scripted, smallConfig } from '../../../support/engine';

const strip = (nodes: SearchNode[]) => nodes.map((n) => ({ ...n, createdAt: 0 }));

describe('budgets', () => {
  it('stops at maxCalls with the best prompt so far and warns once at 80%', async () => {
    const m = scripted();
    const { events, onEvent } = collector();
    const r = await runDrpo(smallConfig({ budget: { maxCalls: 20 } }), { models: models(m) }, { runId: 'b', onEvent });
    expect(r.status).toBe('budget-exhausted');
    expect(r.stats.calls).toBe(20);
    expect(m.callCount()).toBe(20);
    expect(r.best).not.toBeNull();
    expect(r.artifact!.systemPrompt).toBe(r.best!.prompt);
    const warnings = events.filter((e) => e.type === 'budget-warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'calls', used: 16, limit: 20 });
    const fin = events.at(-1)!;
    expect(fin.type === 'run-finished' && fin.status).toBe('budget-exhausted');
  });

  it('stops at maxGeneratedTokens', async () => {
    const r = await runDrpo(
      smallConfig({ budget: { maxGeneratedTokens: 3000 } }),
      { models: models(scripted()) },
      { runId: 'b' },
    );
    expect(r.status).toBe('budget-exhausted');
    expect(r.stats.generatedTokens).toBeGreaterThanOrEqual(3000);
    // The check happens before a call, so at most one call's output goes over.
    expect(r.stats.generatedTokens).toBeLessThan(3000 + 700);
  });

  it('stops at maxWallMs', async () => {
    const { events, onEvent } = collector();
    const r = await runDrpo(
      smallConfig({ budget: { maxWallMs: 400 } }),
      { models: models(scripted()), now: fakeClock(5) },
      { runId: 'b', onEvent },
    );
    expect(r.status).toBe('budget-exhausted');
    expect(events.some((e) => e.type === 'budget-warning' && e.kind === 'time')).toBe(true);
    expect(r.stats.elapsedMs).toBeGreaterThanOrEqual(400);
  });

  it('returns no artifact when nothing was evaluated', async () => {
    const r = await runDrpo(smallConfig({ budget: { maxCalls: 1 } }), { models: models(scripted()) }, { runId: 'b' });
    expect(r.status).toBe('budget-exhausted');
    expect(r.best).toBeNull();
    expect(r.artifact).toBeNull();
  });
});

describe('cancellation', () => {
  it('stops without throwing and returns the best so far', async () => {
    const ctrl = new AbortController();
    let nodes = 0;
    const r = await runDrpo(
      smallConfig(),
      { models: models(scripted()) },
      {
        runId: 'c',
        signal: ctrl.signal,
        onEvent: (e) => {
          if (e.type === 'node-evaluated' && ++nodes === 3) ctrl.abort();
        },
      },
    );
    expect(r.status).toBe('cancelled');
    expect(r.nodes).toHaveLength(3);
    expect(r.best).not.toBeNull();
  });

  it('passes the signal to the model', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const r = await runDrpo(smallConfig(), { models: models(scripted()) }, { runId: 'c', signal: ctrl.signal });
    expect(r.status).toBe('cancelled');
    expect(r.nodes).toHaveLength(0);
  });
});

describe('resume', () => {
  it('resumes from the last checkpoint to the same result without repeating a call', async () => {
    const full = await runDrpo(smallConfig(), { models: models(scripted()), now: fakeClock() }, { runId: 'full' });

    const first = scripted();
    const ctrl = new AbortController();
    let saved: RunCheckpoint | null = null;
    const interrupted = await runDrpo(
      smallConfig(),
      { models: models(first), now: fakeClock() },
      {
        runId: 'r',
        signal: ctrl.signal,
        onCheckpoint: (cp) => {
          saved = JSON.parse(JSON.stringify(cp)) as RunCheckpoint; // what a store would persist
          if (cp.nodes.length === 4) ctrl.abort();
        },
      },
    );
    expect(interrupted.status).toBe('cancelled');
    expect(saved!.nodes).toHaveLength(4);

    const second = scripted();
    const { events, onEvent } = collector();
    const resumed = await runDrpo(
      smallConfig(),
      { models: models(second), now: fakeClock() },
      {
        runId: 'r',
        checkpoint: saved!,
        onEvent,
      },
    );
    expect(resumed.status).toBe('completed');
    expect(strip(resumed.nodes)).toEqual(strip(full.nodes));
    expect(resumed.best).toEqual(full.best);
    // No call was made twice across the two sessions.
    const firstKeys = new Set(first.calls.map((c) => c.key));
    expect(second.calls.filter((c) => firstKeys.has(c.key))).toHaveLength(0);
    expect(first.callCount() + second.callCount()).toBe(full.stats.calls);
    // Nodes already saved are not re-emitted; the run says it was resumed.
    const emitted = events.flatMap((e) => (e.type === 'node-evaluated' ? [e.node.id] : []));
    expect(emitted).toEqual(full.nodes.slice(4).map((n) => n.id));
    expect(events[0]).toMatchObject({ type: 'run-started', resumed: true });
    const levels = events.flatMap((e) => (e.type === 'beam-selected' ? [e.depth] : []));
    expect(levels).toEqual([2, 3]);
    // The checkpoint's calls are replayed, not counted again as calls from the cache.
    expect(resumed.stats.cachedCalls).toBe(full.stats.cachedCalls);
    expect(resumed.stats.calls).toBe(full.stats.calls);
    // Keeps the original timestamps of replayed nodes.
    expect(resumed.nodes[0]!.createdAt).toBe(saved!.nodes[0]!.createdAt);
  });
});
