import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../src/core/contracts/chat-model';
import { DEFAULT_ENDPOINT_CONCURRENCY } from '../../../src/core/calls/endpoint-limits';
import type { AdaptiveGate } from '../../../src/llm/openai/adaptive-gate';
import type { OutageWatch } from '../../../src/llm/openai/outage-watch';
import { EndpointRegistry } from '../../../src/worker/endpoint-registry';

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
