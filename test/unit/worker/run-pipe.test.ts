/**
 * Issue 11 (8): storage running full mid-run pauses the run, and the calls made since the last save are
 * saved before it pauses — a resume repeats none of them — while the prompts whose events were lost are
 * replayed from the cache and stored on resume.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDrpo } from '../../../src/core/drpo/run';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import type { RunCheckpoint } from '../../../src/core/contracts/run-api';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import { createRunPipe } from '../../../src/worker/run-pipe';
import type { RunSink } from '../../../src/protocol/run-sink';
import { createWorkerApi } from '../../../src/worker/worker-api-impl';
import { models, scripted, smallConfig } from '../../support/engine';

/** A store that fills up after `okBursts` event bursts (checkpoints still fit). */
function fillingSink(okBursts: number) {
  const stored = { events: [] as RunEvent[], checkpoint: undefined as RunCheckpoint | undefined };
  let bursts = 0;
  const sink: RunSink = {
    async onEvents(_runId, events) {
      if (++bursts > okBursts) throw new AppError(ErrorName.Quota, 'Your browser ran out of storage for DRPO Studio.');
      stored.events.push(...events);
    },
    async onCheckpoint(_runId, cp) {
      stored.checkpoint = JSON.parse(JSON.stringify(cp)) as RunCheckpoint;
    },
  };
  return { sink, stored, full: () => bursts > okBursts };
}

async function runThroughPipe(sink: RunSink, checkpoint?: RunCheckpoint) {
  const model = scripted();
  const pipe = createRunPipe({
    runId: 'q',
    sink,
    toPage: async () => undefined,
    pausing: () => false,
    intervalMs: 0,
    now: Date.now,
  });
  const result = await runDrpo(
    smallConfig(),
    { models: models(model) },
    { runId: 'q', checkpoint, onEvent: pipe.onEvent, onCheckpoint: pipe.onCheckpoint },
  );
  await pipe.close().catch(() => undefined);
  return { result, model };
}

describe('storage full mid-run', () => {
  it('pauses with the calls since the last save written, so a resume repeats none', async () => {
    const full = fillingSink(3);
    const first = await runThroughPipe(full.sink);
    expect(full.full()).toBe(true);
    expect(first.result.status).toBe('paused');
    const cp = full.stored.checkpoint!;
    // Every call the first leg made is in the saved checkpoint.
    expect(Object.keys(cp.calls)).toHaveLength(first.model.calls.length);
    // Prompts whose events were lost are not claimed by the checkpoint…
    const storedNodes = new Set(full.stored.events.flatMap((e) => (e.type === 'node-evaluated' ? [e.node.id] : [])));
    for (const n of cp.nodes) expect(storedNodes.has(n.id)).toBe(true);

    // …so the resume (with room again) stores them, and makes no call the first leg made.
    const room = fillingSink(Infinity);
    const resumed = await runThroughPipe(room.sink, cp);
    expect(resumed.result.status).toBe('completed');
    const before = new Set(first.model.calls.map((c) => c.key));
    expect(resumed.model.calls.filter((c) => before.has(c.key))).toEqual([]);
    const fresh = await runThroughPipe(fillingSink(Infinity).sink);
    const all = new Set([
      ...storedNodes,
      ...room.stored.events.flatMap((e) => (e.type === 'node-evaluated' ? [e.node.id] : [])),
    ]);
    expect([...all].sort()).toEqual(fresh.result.nodes.map((n) => n.id).sort());
  });

  afterEach(() => vi.restoreAllMocks());
  // Also with the clock standing still: on a fast machine the refused checkpoint can be made in the millisecond of
  // the stored one, and the resume took the stored one (fewer calls) as the newer.
  it.each([
    ['', false],
    [' (the two checkpoints in one millisecond)', true],
  ])(
    'storage refusing the checkpoint too: a resume in the same session, once space is freed, repeats no call%s',
    async (_, still) => {
      if (still) vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
      const quota = () => new AppError(ErrorName.Quota, 'Your browser ran out of storage for DRPO Studio.');
      // After two writes the disk is full: a checkpoint holding more calls than the stored one no longer fits.
      let full = false;
      let writes = 0;
      let stored: RunCheckpoint | undefined;
      const sink: RunSink = {
        onEvents: async () => undefined,
        async onCheckpoint(_runId, cp) {
          const grows = !stored || Object.keys(cp.calls).length > Object.keys(stored.calls).length;
          if (full && grows) throw quota();
          stored = JSON.parse(JSON.stringify(cp)) as RunCheckpoint;
          if (++writes === 2) full = true;
        },
      };
      let model = scripted();
      const api = createWorkerApi({
        webllm: () => Promise.reject(new Error('not used')),
        endpoints: { listModels: async () => ['scripted'], createModel: () => model },
        probeGpu: async () => ({ available: false, shaderF16: false }),
        sink,
        throttleMs: 0,
      });
      const config = smallConfig({ roles: { policy: { engine: 'openai', modelId: 'scripted', endpointId: 'e' } } });
      await api.setEndpoint({ id: 'e', baseUrl: 'http://127.0.0.1:39/v1' });
      const first = await api.startRun('run-1', config, null);
      expect(first.status).toBe('paused');
      const made = new Set(model.calls.map((c) => c.key));
      expect(Object.keys(stored!.calls).length).toBeLessThan(made.size);

      // The user deletes old runs; Resume passes the (older) stored checkpoint.
      full = false;
      model = scripted();
      await api.setEndpoint({ id: 'e', baseUrl: 'http://127.0.0.1:39/v1' });
      const second = await api.startRun('run-1', config, stored!);
      expect(second.status).toBe('completed');
      expect(model.calls.filter((c) => made.has(c.key))).toEqual([]);
    },
  );
});
