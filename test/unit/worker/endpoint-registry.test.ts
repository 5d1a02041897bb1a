import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../src/core/contracts/chat-model';
import { DEFAULT_ENDPOINT_CONCURRENCY } from '../../../src/core/calls/endpoint-limits';
import type { AdaptiveGate } from '../../../src/llm/openai/adaptive-gate';
import type { OutageWatch } from '../../../src/llm/openai/outage-watch';
import { EndpointRegistry } from '../../../src/worker/endpoint-registry';
import type { EndpointConfig } from '../../../src/protocol/worker-api';
import { ENDPOINT_CONFIG_FIELDS, endpointConfigOf } from '../../../src/core/contracts/endpoint-config';

function registry() {
  const made: { model: string; gate?: AdaptiveGate; outage?: OutageWatch }[] = [];
  const listed: (OutageWatch | undefined)[] = [];
  const r = new EndpointRegistry({
    listModels: async (opts) => (listed.push(opts.outage), ['a', 'b']),
    createModel: (opts) => {
      made.push({ model: opts.model, gate: opts.gate, outage: opts.outage });
      return { id: opts.model, engine: 'openai' } as unknown as ChatModel;
    },
  });
  return { r, made, listed };
}

describe('endpoint registry: parallel requests', () => {
  it('every model of one endpoint shares one gate of the configured size', () => {
    const { r, made } = registry();
    r.set({ id: 'e1', baseUrl: 'http://127.0.0.1:8080/v1', concurrency: 6 });
    r.model('e1', 'a');
    r.model('e1', 'b');
    expect(made[0]!.gate).toBe(made[1]!.gate);
    expect(made[0]!.gate!.max).toBe(6);
    expect(r.concurrency('e1')).toBe(6);
    // …and one outage watch, so they wait out the server's outages together; another endpoint has its own.
    expect(made[0]!.outage).toBeDefined();
    expect(made[0]!.outage).toBe(made[1]!.outage);
    r.set({ id: 'e2', baseUrl: 'http://127.0.0.1:8081/v1' });
    r.model('e2', 'a');
    expect(made[2]!.outage).not.toBe(made[0]!.outage);
    expect(made[2]!.outage!.graceMs).toBe(60_000);
  });

  it("lists models with the endpoint's outage watch, so a listing it answers counts as an answer", async () => {
    const { r, made, listed } = registry();
    r.set({ id: 'e1', baseUrl: 'http://127.0.0.1:8080/v1' });
    expect(await r.listModels('e1')).toEqual(['a', 'b']);
    r.model('e1', 'a');
    expect(listed[0]).toBeDefined();
    expect(listed[0]).toBe(made[0]!.outage);
  });

  it('takes the outage wait from the settings, and refuses one out of range', () => {
    const { r, made } = registry();
    r.set({ id: 'e1', baseUrl: 'http://127.0.0.1:8080/v1', outageGraceMs: 0 });
    r.model('e1', 'a');
    expect(made[0]!.outage!.graceMs).toBe(0);
    expect(() => r.set({ id: 'e1', baseUrl: 'http://127.0.0.1:8080/v1', outageGraceMs: -1 })).toThrow(
      /The outage wait must be from 0 to 3600 seconds/,
    );
  });

  it('defaults to 4 and refuses a bad number with a message', () => {
    const { r } = registry();
    r.set({ id: 'e2', baseUrl: 'http://127.0.0.1:8080' });
    expect(r.concurrency('e2')).toBe(DEFAULT_ENDPOINT_CONCURRENCY);
    expect(() => r.set({ id: 'e3', baseUrl: 'http://127.0.0.1:8080', concurrency: 0 })).toThrow(
      /Parallel requests must be a whole number from 1 to 64/,
    );
    expect(() => r.set({ id: 'e3', baseUrl: 'http://127.0.0.1:8080', concurrency: 2.5 })).toThrow(/whole number/);
  });
});

describe('endpoint registry: testing settings apart from the ones in use', () => {
  function runtime(fail: (baseUrl: string) => boolean) {
    const made: { baseUrl: string; outage?: OutageWatch }[] = [];
    const listed: { baseUrl: string; outage?: OutageWatch }[] = [];
    const r = new EndpointRegistry({
      listModels: async (opts) => {
        listed.push({ baseUrl: opts.baseUrl, outage: opts.outage });
        if (fail(opts.baseUrl)) throw new Error('HTTP 401');
        return ['a'];
      },
      createModel: (opts) => {
        made.push({ baseUrl: opts.baseUrl, outage: opts.outage });
        return { id: opts.model, engine: 'openai' } as unknown as ChatModel;
      },
    });
    return { r, made, listed };
  }

  it('a test that fails leaves the endpoint in use as it was', async () => {
    const { r, made } = runtime((url) => url.includes(':9999'));
    r.set({ id: 'e1', baseUrl: 'http://127.0.0.1:8080/v1', concurrency: 2 });
    await expect(
      r.test({ id: 'e1', baseUrl: 'http://127.0.0.1:9999/v1', apiKey: 'k', concurrency: 8 }),
    ).rejects.toThrow(/401/);
    r.model('e1', 'a');
    expect(made[0]!.baseUrl).toBe('http://127.0.0.1:8080/v1');
    expect(r.concurrency('e1')).toBe(2);
  });

  it('a test that lists leaves it too, and its settings, once set, count the listing as the server’s answer', async () => {
    const { r, made, listed } = runtime(() => false);
    r.set({ id: 'e1', baseUrl: 'http://127.0.0.1:8080/v1' });
    const next = { id: 'e1', baseUrl: 'http://127.0.0.1:8081/v1', concurrency: 3 };
    expect(await r.test(next)).toEqual(['a']);
    r.model('e1', 'a');
    expect(made[0]!.baseUrl).toBe('http://127.0.0.1:8080/v1');
    r.set(next);
    r.model('e1', 'a');
    expect(made[1]!.baseUrl).toBe('http://127.0.0.1:8081/v1');
    expect(made[1]!.outage).toBe(listed[0]!.outage);
    expect(r.concurrency('e1')).toBe(3);
    // Other settings than the ones tested start with a watch that has seen no answer.
    await r.test(next);
    r.set({ ...next, apiKey: 'other' });
    r.model('e1', 'a');
    expect(made[2]!.outage).not.toBe(listed[1]!.outage);
  });

  it('settings that differ in any one field do not take a listing of the others as the server’s answer', async () => {
    // Every field set (the type makes a field added to EndpointConfig appear here, and so below).
    const tested: Required<EndpointConfig> = {
      id: 'e1',
      baseUrl: 'http://127.0.0.1:8080/v1',
      apiKey: 'k',
      timeoutMs: 30_000,
      maxRetries: 2,
      maxReplyBytes: 1_000_000,
      outageGraceMs: 5_000,
      concurrency: 3,
    };
    const other: Required<EndpointConfig> = {
      id: 'e2',
      baseUrl: 'http://127.0.0.1:8081/v1',
      apiKey: 'k2',
      timeoutMs: 31_000,
      maxRetries: 3,
      maxReplyBytes: 2_000_000,
      outageGraceMs: 6_000,
      concurrency: 4,
    };
    expect([...ENDPOINT_CONFIG_FIELDS].sort()).toEqual(Object.keys(tested).sort());
    for (const field of Object.keys(tested) as (keyof EndpointConfig)[]) {
      const { r, made, listed } = runtime(() => false);
      await r.test(tested);
      const changed = { ...tested, [field]: other[field] };
      r.set(changed);
      r.model(changed.id, 'a');
      expect(made[0]!.outage, field).not.toBe(listed[0]!.outage);
    }
    // The same settings do.
    const { r, made, listed } = runtime(() => false);
    await r.test(tested);
    r.set({ ...tested });
    r.model('e1', 'a');
    expect(made[0]!.outage).toBe(listed[0]!.outage);
  });

  it('the settings are picked out of what is kept of an endpoint by the same list, unset ones and an empty key left out', () => {
    const kept = { id: 'e1', baseUrl: 'http://x/v1', apiKey: '', timeoutMs: undefined, concurrency: 2, models: ['a'] };
    expect(endpointConfigOf(kept)).toEqual({ id: 'e1', baseUrl: 'http://x/v1', concurrency: 2 });
    expect(Object.keys(endpointConfigOf({ ...kept, apiKey: 'k' }))).toEqual(['id', 'baseUrl', 'apiKey', 'concurrency']);
  });

  it('checks what it tests as set does, and says a missing number in words', async () => {
    const { r, listed } = runtime(() => false);
    await expect(r.test({ id: 'e1', baseUrl: 'localhost:8080' })).rejects.toThrow(
      /Did you mean http:\/\/localhost:8080/,
    );
    await expect(r.test({ id: 'e1', baseUrl: 'http://127.0.0.1:8080', concurrency: Number.NaN })).rejects.toThrow(
      'Parallel requests must be a whole number from 1 to 64 (got no number).',
    );
    expect(listed).toEqual([]);
  });
});
