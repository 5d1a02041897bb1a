/**
 * The real module worker over Comlink, through WorkerClient: error names and details survive the
 * boundary, streams arrive throttled, cancel works mid-stream, and the worker stays usable after errors.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWorkerClient, WorkerClient } from '../../../src/client/worker-client';
import { buildRunConfig } from '../../../src/core/plan/presets';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import type { ChatStreamBatch } from '../../../src/protocol/worker-api';
import { rejection } from '../../support/errors';

const client = createWorkerClient();
afterAll(() => client.dispose());

const scriptedUrl = inject('scriptedUrl');
const authUrl = inject('scriptedAuthUrl');
const dripUrl = inject('dripUrl');
const ask = { messages: [{ role: 'user' as const, content: 'What is a prime number?' }], max_tokens: 200 };
const scripted: RoleBinding = { engine: 'openai', endpointId: 'scripted', modelId: 'scripted-small' };
const drip: RoleBinding = { engine: 'openai', endpointId: 'drip', modelId: 'drip' };

describe('worker boundary', () => {
  // Every test finds the endpoints it calls set, whatever ran before it (tests also run in a shuffled order).
  beforeAll(async () => {
    await client.setEndpoint({ id: 'scripted', baseUrl: scriptedUrl, timeoutMs: 5000, maxRetries: 0 });
    await client.setEndpoint({ id: 'drip', baseUrl: dripUrl, timeoutMs: 10_000, maxRetries: 0 });
  });

  it('probes the GPU inside the worker', async () => {
    const probe = await client.probeGpu();
    expect(probe.available).toBe(true);
    expect(typeof probe.shaderF16).toBe('boolean');
  });

  it('lists endpoint models and chats against the scripted server', async () => {
    await client.setEndpoint({ id: 'scripted', baseUrl: scriptedUrl, timeoutMs: 5000, maxRetries: 0 });
    expect(await client.listEndpointModels('scripted')).toContain('scripted-small');
    const res = await client.chat(client.newJobId(), scripted, ask);
    expect(res.choices[0]?.text).toMatch(/prime number/);
    expect(res.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('streams in throttled batches (≤ ~10 callbacks a second)', async () => {
    await client.setEndpoint({ id: 'drip', baseUrl: dripUrl, timeoutMs: 10_000, maxRetries: 0 });
    const batches: ChatStreamBatch[] = [];
    const started = performance.now();
    const res = await client.chat(client.newJobId(), drip, ask, (b) => batches.push(b));
    const elapsed = performance.now() - started;
    const text = batches.map((b) => b.text).join('');
    expect(text).toBe(res.choices[0]?.text);
    expect(batches.at(-1)?.done).toBe(true);
    // 40 tokens over ~600 ms: one callback per token would be 40; throttled it is about elapsed/100 + 2.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 3);
    expect(batches.length).toBeLessThan(25);
    // Several tokens per batch on average (delivery timing on a busy machine is too noisy to check gaps).
    expect(batches.filter((b) => !b.done).length).toBeLessThan(40 / 2);
  });

  it('cancels mid-stream with AbortError and stays usable', async () => {
    const jobId = client.newJobId();
    const batches: ChatStreamBatch[] = [];
    const pending = client.chat(jobId, drip, ask, (b) => {
      batches.push(b);
      if (batches.length === 1) void client.cancel(jobId);
    });
    const err = await rejection(pending);
    expect(err.name).toBe('AbortError');
    expect(batches.map((b) => b.text).join('').length).toBeLessThan(40 * 3);
    const again = await client.chat(client.newJobId(), scripted, ask);
    expect(again.choices).toHaveLength(1);
  });

  it('carries error names and details: 401 → AuthError, bad URL → InvalidUrlError', async () => {
    await client.setEndpoint({ id: 'auth', baseUrl: authUrl, timeoutMs: 5000, maxRetries: 0 });
    const auth = await rejection(client.listEndpointModels('auth'));
    expect(auth.name).toBe('AuthError');
    expect(auth.status).toBe(401);
    expect(auth.message).toMatch(/API key/i);
    await client.setEndpoint({ id: 'auth', baseUrl: authUrl, apiKey: 'test-key', timeoutMs: 5000, maxRetries: 0 });
    expect(await client.listEndpointModels('auth')).toContain('scripted-small');

    const bad = await rejection(client.setEndpoint({ id: 'bad', baseUrl: 'ftp://nowhere' }));
    expect(bad.name).toBe('InvalidUrlError');
    expect(bad.message).toMatch(/http/);
    expect((await rejection(client.setEndpoint({ id: 'bad', baseUrl: 'localhost:11434' }))).name).toBe(
      'InvalidUrlError',
    );
    expect((await rejection(client.listEndpointModels('bad'))).name).toBe('InvalidInputError');
    expect((await rejection(client.setEndpoint({ id: 'empty', baseUrl: ' ' }))).name).toBe('InvalidUrlError');
    expect((await rejection(client.listEndpointModels('never-set'))).name).toBe('InvalidInputError');
  });

  it('refuses WebLLM chats and runs when no model is loaded', { timeout: 60_000 }, async () => {
    const binding: RoleBinding = { engine: 'webllm', modelId: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' };
    const err = await rejection(client.chat(client.newJobId(), binding, ask));
    expect(err.name).toBe('ModelNotLoadedError');
    expect(await client.loadedModels()).toEqual([]);
    expect((await rejection(client.loadModel('no-such-model', 'cache'))).name).toBe('InvalidInputError');
  });

  // The first web-llm use loads the 6.8 MB package into the worker: slow on a busy machine.
  it('lists in-browser chat models with flags', { timeout: 60_000 }, async () => {
    const models = await client.listModels('cache');
    expect(models.length).toBeGreaterThan(50);
    expect(models.some((m) => m.id.includes('embed'))).toBe(false);
    const llama = models.find((m) => m.id === 'Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(llama).toMatchObject({ needsShaderF16: false, base: false, cached: false, contextWindow: 4096 });
    expect(models.find((m) => m.id.startsWith('phi-2'))?.base).toBe(true);
  });

  // Each weights cache fails its own way offline (the IndexedDB one wraps fetch's error in a plain Error).
  it.each(['cache', 'indexeddb'] as const)(
    'fails a real model load offline (%s) with a clear error, then still answers',
    async (backend) => {
      const progress: number[] = [];
      const err = await rejection(
        client.loadModel('SmolLM2-360M-Instruct-q4f32_1-MLC', backend, (p) => progress.push(p.progress)),
      );
      // This project has a WebGPU adapter (asserted below), so offline it is the download that fails.
      expect(err.name).toBe('ModelDownloadError');
      expect(err.message).toMatch(/offline/);
      if (backend === 'indexeddb') expect(err.detail).toMatch(/Failed to (fetch|store)/);
      expect(err.detail).toBeTruthy(); // details survive the boundary (custom Comlink error transfer)
      expect(await client.loadedModels()).toEqual([]);
      expect((await client.probeGpu()).available).toBe(true);
      // The model lock was released: a later load attempt is refused for the same reason, not ModelLockedError.
      const again = await rejection(client.loadModel('SmolLM2-360M-Instruct-q4f32_1-MLC', backend));
      expect(again.name).toBe(err.name);
    },
  );

  it('cancelling an unknown job is a no-op', async () => {
    await expect(client.cancel('nope', 'pause')).resolves.toBeUndefined();
  });

  it('fails calls instead of hanging when the worker cannot start', async () => {
    const url = URL.createObjectURL(new Blob(['throw new Error("boom at startup");'], { type: 'text/javascript' }));
    const broken = new WorkerClient(() => {
      const worker = new Worker(url, { type: 'module' });
      return {
        endpoint: worker,
        close: () => worker.terminate(),
        onFatal: (listener) =>
          worker.addEventListener('error', (ev) => {
            ev.preventDefault(); // expected here; keep the test log clean
            listener(ev.message || 'failed');
          }),
      };
    });
    const err = await rejection(broken.probeGpu());
    expect(err.name).toBe('UnknownError');
    expect(err.message).toMatch(/worker stopped/);
    broken.dispose();
    URL.revokeObjectURL(url);
  });

  describe('runs over the real worker (scripted endpoint)', () => {
    const config = () =>
      buildRunConfig('quick', {
        roles: { policy: scripted },
        settings: { beamWidth: 1, actions: 1, depth: 1, maxDepthExtension: 0, iclRounds: 0, validationSize: 0 },
        budget: { maxCalls: 40 },
        trainQueries: [
          { id: 'q1', text: 'How do I boil an egg?' },
          { id: 'q2', text: 'Why is the sky blue?' },
        ],
      });

    it('streams run events in batches and returns the result', async () => {
      await client.setEndpoint({ id: 'scripted', baseUrl: scriptedUrl, timeoutMs: 5000, maxRetries: 0 });
      const batches: RunEvent[][] = [];
      const result = await client.startRun('run-a', config(), null, (events) => batches.push(events));
      const events = batches.flat();
      expect(events[0]?.type).toBe('run-started');
      const finished = events.find((e) => e.type === 'run-finished');
      expect(finished && finished.type === 'run-finished' ? finished.status : null).toBe(result.status);
      expect(events.every((e) => e.runId === 'run-a')).toBe(true);
      expect(batches.length).toBeLessThanOrEqual(events.length);
      expect(result.stats.calls).toBeGreaterThan(0);
    });

    it('pauses a run: status paused, worker still usable', async () => {
      const jobId = 'run-p';
      let asked = false;
      const result = await client.startRun(jobId, config(), null, () => {
        if (!asked) {
          asked = true;
          void client.cancel(jobId, 'pause');
        }
      });
      expect(result.status).toBe('paused');
      expect((await client.chat(client.newJobId(), scripted, ask)).choices).toHaveLength(1);
    });
  });
});
