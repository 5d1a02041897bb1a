/**
 * A run resumed in the page after its outage wait ran out (or after a reload) starts in a session that has not
 * heard from the endpoint yet: its checkpoint says the endpoint answered this run before, so the worker's outage
 * watch for that endpoint is told so, and a server still restarting is waited for instead of failing fast.
 */
import { describe, expect, it } from 'vitest';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import type { RunCheckpoint } from '../../../src/core/contracts/run-api';
import type { OutageWatch } from '../../../src/llm/openai/outage-watch';
import type { RunSink } from '../../../src/protocol/run-sink';
import { createWorkerApi } from '../../../src/worker/worker-api-impl';
import { scripted, smallConfig } from '../../support/engine';

/** Whether the watch would wait out an outage starting now (null: the request's own few retries apply). */
const waitsOut = (w: OutageWatch) =>
  w.failed(new AppError(ErrorName.Network, 'down'), { probe: false, answersBefore: undefined, delayFor: () => 1 }) !==
  null;

function setup() {
  const watches = new Map<string, OutageWatch>();
  let checkpoint: RunCheckpoint | undefined;
  const sink: RunSink = {
    onEvents: async () => undefined,
    onCheckpoint: async (_runId, cp) => void (checkpoint = structuredClone(cp)),
  };
  const api = createWorkerApi({
    webllm: () => Promise.reject(new Error('not used')),
    probeGpu: async () => ({ available: false, shaderF16: false }),
    endpoints: {
      listModels: async () => ['scripted'],
      createModel: (o) => (watches.set(o.baseUrl, o.outage!), scripted({ id: o.model })),
    },
    sink,
    throttleMs: 0,
  });
  const config = (endpointId: string) =>
    smallConfig({ roles: { policy: { engine: 'openai', modelId: 'scripted', endpointId } } });
  return { api, watches, config, checkpoint: () => checkpoint! };
}

describe('a run resumed in the page', () => {
  it("takes its endpoint as having answered when its checkpoint holds the endpoint's replies", async () => {
    const { api, watches, config, checkpoint } = setup();
    await api.setEndpoint({ id: 'a', baseUrl: 'http://127.0.0.1:8081/v1' });
    expect((await api.startRun('run-1', config('a'), null)).status).toBe('completed');
    const cp = checkpoint();
    expect(Object.keys(cp.calls).length).toBeGreaterThan(0);

    // A new session (a reload: the endpoint set up again); the scripted model never tells the watch anything.
    await api.setEndpoint({ id: 'a', baseUrl: 'http://127.0.0.1:8081/v1' });
    await api.startRun('run-2', config('a'), null);
    expect(waitsOut(watches.get('http://127.0.0.1:8081/v1')!)).toBe(false);
    await api.setEndpoint({ id: 'a', baseUrl: 'http://127.0.0.1:8081/v1' });
    await api.startRun('run-1', config('a'), cp);
    expect(waitsOut(watches.get('http://127.0.0.1:8081/v1')!)).toBe(true);
  });

  it('not an endpoint whose model made none of the replies (another model, or nothing finished)', async () => {
    const { api, watches, config, checkpoint } = setup();
    await api.setEndpoint({ id: 'a', baseUrl: 'http://127.0.0.1:8081/v1' });
    await api.startRun('run-1', config('a'), null);
    const cp = checkpoint();
    await api.setEndpoint({ id: 'b', baseUrl: 'http://127.0.0.1:8082/v1' });
    const other = smallConfig({ roles: { policy: { engine: 'openai', modelId: 'scripted-2', endpointId: 'b' } } });
    await api.startRun('run-1', other, { ...cp, config: other });
    expect(waitsOut(watches.get('http://127.0.0.1:8082/v1')!)).toBe(false);
    await api.setEndpoint({ id: 'a', baseUrl: 'http://127.0.0.1:8081/v1' });
    await api.startRun('run-1', config('a'), { ...cp, calls: {} });
    expect(waitsOut(watches.get('http://127.0.0.1:8081/v1')!)).toBe(false);
  });
});
