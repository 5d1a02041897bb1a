/** The real worker in a browser without WebGPU: it says so, refuses to load, and keeps serving endpoints. */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createWorkerClient } from '../../../src/client/worker-client';

const client = createWorkerClient();
afterAll(() => client.dispose());

describe('worker without WebGPU', () => {
  it('reports no GPU, refuses a model load fast, and still chats with an endpoint', async () => {
    const probe = await client.probeGpu();
    expect(probe.available).toBe(false);
    expect(probe.reason).toBeTruthy();

    const started = performance.now();
    let name = '';
    let message = '';
    try {
      await client.loadModel('Llama-3.2-1B-Instruct-q4f32_1-MLC', 'cache');
    } catch (err) {
      ({ name, message } = err as Error);
    }
    expect(name).toBe('WebGPUUnavailableError');
    expect(message).toBe(probe.reason);
    // Refused before fetching anything (the web-llm package is not even loaded).
    expect(performance.now() - started).toBeLessThan(3000);

    await client.setEndpoint({ id: 's', baseUrl: inject('scriptedUrl'), maxRetries: 0, timeoutMs: 5000 });
    const res = await client.chat(
      client.newJobId(),
      { engine: 'openai', endpointId: 's', modelId: 'scripted-small' },
      {
        messages: [{ role: 'user', content: 'Hello there' }],
      },
    );
    expect(res.choices[0]?.text).toMatch(/Hello there/);
  });
});
