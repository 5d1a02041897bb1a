import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorName } from '../../src/core/errors';
import { schemaInstance } from '../fixtures/schema-instance';
import { ScriptedChatModel } from '../fixtures/scripted-model';
import { startScriptedServer } from '../fixtures/scripted-server';
import type { ScriptedServer } from '../fixtures/scripted-server';

const judgeSchema = {
  type: 'object',
  $defs: { aspect: { type: 'string', enum: ['helpfulness', 'clarity', 'depth', 'safety'] } },
  properties: {
    aspects: {
      type: 'array',
      minItems: 2,
      maxItems: 5,
      items: {
        type: 'object',
        properties: {
          name: { $ref: '#/$defs/aspect' },
          score: { type: 'integer', minimum: 1, maximum: 5 },
          rationale: { type: 'string', minLength: 40, maxLength: 200 },
          weight: { type: 'number', minimum: 0, maximum: 1 },
          note: { type: ['string', 'null'] },
        },
        required: ['name', 'score', 'rationale'],
      },
    },
    confident: { type: 'boolean' },
    version: { const: 2 },
  },
  required: ['aspects', 'confident', 'extra'],
};

type Judged = {
  aspects: { name: string; score: number; rationale: string; weight: number; note: string }[];
  confident: boolean;
  version: number;
  extra: string;
};

describe('schemaInstance', () => {
  it('is schema-valid, repeatable per seed and varied across seeds', () => {
    const scores = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const v = schemaInstance(judgeSchema, seed) as Judged;
      expect(schemaInstance(judgeSchema, seed)).toEqual(v);
      expect(v.aspects.length).toBeGreaterThanOrEqual(2);
      expect(v.aspects.length).toBeLessThanOrEqual(5);
      for (const a of v.aspects) {
        expect(['helpfulness', 'clarity', 'depth', 'safety']).toContain(a.name);
        expect(Number.isInteger(a.score) && a.score >= 1 && a.score <= 5).toBe(true);
        expect(a.rationale.length).toBeGreaterThanOrEqual(40);
        expect(a.rationale.length).toBeLessThanOrEqual(200);
        expect(a.weight).toBeGreaterThanOrEqual(0);
        expect(a.weight).toBeLessThanOrEqual(1);
        expect(typeof a.note).toBe('string');
        scores.add(a.score);
      }
      expect(typeof v.confident).toBe('boolean');
      expect(v.version).toBe(2);
      expect(typeof v.extra).toBe('string');
    }
    expect(scores.size).toBeGreaterThanOrEqual(4);
    expect(schemaInstance(judgeSchema, 'request A')).not.toEqual(schemaInstance(judgeSchema, 'request B'));
  });

  it('handles exclusive bounds and empty schemas', () => {
    for (let seed = 0; seed < 20; seed++) {
      const n = schemaInstance({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 3 }, seed) as number;
      expect([1, 2]).toContain(n);
    }
    expect(typeof schemaInstance({}, 1)).toBe('string');
  });
});

describe('scripted server', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer({ control: true });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.setResponder(null);
  });

  const chat = (body: object, init: RequestInit = {}) =>
    fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify(body), ...init });
  const msg = { model: 'm', messages: [{ role: 'user', content: 'Name a prime.' }] };

  it('answers preflight and sets CORS headers; cors:false omits them', async () => {
    const pre = await fetch(`${server.url}/chat/completions`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect((await chat(msg)).headers.get('access-control-allow-origin')).toBe('*');
    const closed = await startScriptedServer({ cors: false });
    try {
      const res = await fetch(`${closed.url}/models`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });

  it('is deterministic per request and records what it saw', async () => {
    const a = (await (await chat(msg)).json()) as { choices: { message: { content: string } }[]; usage: object };
    const b = (await (await chat(msg)).json()) as typeof a;
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
    expect(a.choices[0].message.content).toContain('Name a prime.');
    expect(a.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      fault: null,
      status: 200,
    });
  });

  it('uses a custom responder with call and choice indexes', async () => {
    server.setResponder(({ callIndex, choiceIndex }) => ({
      text: `c${callIndex}/${choiceIndex}`,
      finish_reason: 'length',
    }));
    const res = (await (await chat({ ...msg, n: 2 })).json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
    };
    expect(res.choices.map((c) => c.message.content)).toEqual(['c0/0', 'c1/1']);
    expect(res.choices[0].finish_reason).toBe('length');
  });

  it('random fault plans are seeded and can be limited to paths', async () => {
    const run = async () => {
      server.reset();
      server.setFaults({ rate: 0.5, modes: ['http-500', 'empty'], seed: 42, paths: ['/chat/completions'] });
      for (let i = 0; i < 10; i++) await (await chat(msg)).text();
      await (await fetch(`${server.url}/models`)).text();
      return server.requests.map((r) => r.fault);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((f) => f !== null).length).toBeGreaterThan(0);
    expect(first.filter((f) => f === null).length).toBeGreaterThan(1);
    expect(first[10]).toBeNull();
  });

  it('a forced mode applies the given number of times', async () => {
    server.setFaults({ mode: 'http-500', times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat(msg)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('malformed-content breaks the JSON inside a valid envelope', async () => {
    server.setFaults({ mode: 'malformed-content' });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    const body = { ...msg, response_format: { type: 'json_schema', json_schema: { name: 's', schema, strict: true } } };
    const res = (await (await chat(body)).json()) as { choices: { message: { content: string } }[] };
    expect(() => JSON.parse(res.choices[0].message.content)).toThrow();
  });

  it('control routes steer faults and count requests', async () => {
    const base = server.url.replace(/\/v1$/, '');
    await fetch(`${base}/__control`, { method: 'POST', body: JSON.stringify({ faults: { mode: 'http-401' } }) });
    expect((await chat(msg)).status).toBe(401);
    const seen = (await (await fetch(`${base}/__requests`)).json()) as { count: number; requests: unknown[] };
    expect(seen.count).toBe(1);
    await fetch(`${base}/__control`, { method: 'POST', body: JSON.stringify({ reset: true, models: ['only-one'] }) });
    expect((await chat(msg)).status).toBe(200);
    const models = (await (await fetch(`${server.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['only-one']);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it('unknown routes and bad bodies get JSON errors', async () => {
    expect((await fetch(`${server.url}/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    const bad = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: 'not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: expect.any(String) } });
  });

  it('close() ends requests it is holding open', async () => {
    const own = await startScriptedServer({ faults: { mode: 'timeout' } });
    const pending = fetch(`${own.url}/chat/completions`, { method: 'POST', body: JSON.stringify(msg) }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 50));
    await own.close();
    expect(await pending).toBe('dropped');
  });
});

describe('ScriptedChatModel', () => {
  const ask = { messages: [{ role: 'user' as const, content: 'Say hi.' }] };

  it('is deterministic, records calls and estimates usage', async () => {
    const a = new ScriptedChatModel();
    const b = new ScriptedChatModel();
    const ra = await a.chat(ask);
    expect((await b.chat(ask)).choices[0].text).toBe(ra.choices[0].text);
    expect(ra.choices[0].text).toContain('Say hi.');
    expect(ra.usage).toEqual({ prompt_tokens: 2, completion_tokens: Math.ceil(ra.choices[0].text.length / 4) });
    expect(a.calls).toHaveLength(1);
    expect(a.engine).toBe('openai');
  });

  it('uses the responder, supports n, max_tokens and schema defaults', async () => {
    const m = new ScriptedChatModel({ responder: (_req, i) => `answer number ${i}` });
    const res = await m.chat({ ...ask, n: 3 });
    expect(res.choices.map((c) => c.text)).toEqual(['answer number 0', 'answer number 1', 'answer number 2']);
    expect(m.callCount).toBe(3);
    expect((await m.chat({ ...ask, max_tokens: 1 })).choices[0]).toEqual({ text: 'answ', finish_reason: 'length' });
    const j = await new ScriptedChatModel().chat({ ...ask, json: { name: 'x', schema: judgeSchema } });
    expect((JSON.parse(j.choices[0].text) as Judged).aspects.length).toBeGreaterThanOrEqual(2);
  });

  it('streams in chunks and honours abort before and during generation', async () => {
    const m = new ScriptedChatModel({ responder: () => 'abcdefghijkl', chunks: 4 });
    const deltas: string[] = [];
    await m.chat({ ...ask, onToken: (d) => deltas.push(d) });
    expect(deltas).toEqual(['abc', 'def', 'ghi', 'jkl']);

    const ctrl = new AbortController();
    ctrl.abort();
    await expect(m.chat({ ...ask, signal: ctrl.signal })).rejects.toMatchObject({ name: ErrorName.Abort });

    const mid = new AbortController();
    const got: string[] = [];
    const p = m.chat({ ...ask, signal: mid.signal, onToken: (d) => (got.push(d), mid.abort()) });
    await expect(p).rejects.toMatchObject({ name: ErrorName.Abort });
    expect(got).toEqual(['abc']);
  });

  it('passes logprobs and async responders through', async () => {
    const m = new ScriptedChatModel({
      responder: async () => ({ text: 'A', logprobs: [{ token: 'A', logprob: -0.1, top: [] }] }),
    });
    expect((await m.chat(ask)).choices[0].logprobs).toEqual([{ token: 'A', logprob: -0.1, top: [] }]);
  });
});
