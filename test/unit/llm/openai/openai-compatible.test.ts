import { describe, expect, it, vi } from 'vitest';
import { ErrorName } from '../../../../src/core/contracts/errors';
import { AdaptiveGate } from '../../../../src/llm/openai/adaptive-gate';
import { OpenAICompatibleModel } from '../../../../src/llm/openai/openai-compatible';
import { normalizeBaseUrl } from '../../../../src/core/formats/base-url';
import { useScriptedOpenAI } from '../../../support/llm';

const env = useScriptedOpenAI();
const { model } = env;

function jsonFetch(body: unknown, status = 200): typeof fetch {
  return async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
}

const ask = { messages: [{ role: 'user' as const, content: 'How do plants make food?' }] };

describe('base URL normalisation', () => {
  it.each([
    ['http://host:8080', 'http://host:8080/v1'],
    ['http://host:8080/', 'http://host:8080/v1'],
    ['http://host:8080/v1', 'http://host:8080/v1'],
    ['  https://host/v1/  ', 'https://host/v1'],
    ['https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1'],
    ['http://localhost:11434/v1/chat/completions', 'http://localhost:11434/v1'],
  ])('%s → %s', (raw, want) => {
    expect(normalizeBaseUrl(raw)).toBe(want);
  });

  it.each(['', 'not a url', 'ftp://host/v1', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:pw@host/v1'])(
    'rejects %j with InvalidUrlError',
    (raw) => {
      expect(() => new OpenAICompatibleModel({ baseUrl: raw, model: 'm' })).toThrowError(
        expect.objectContaining({ name: ErrorName.InvalidUrl }),
      );
    },
  );

  it('refuses a port fetch will not connect to, saying so (it used to fail later as an unreachable server)', () => {
    for (const raw of ['http://127.0.0.1:9/v1', 'http://localhost:6667', 'https://host:22/v1']) {
      expect(() => normalizeBaseUrl(raw)).toThrowError(
        expect.objectContaining({
          name: ErrorName.InvalidUrl,
          message: expect.stringMatching(/refuse to connect to .* such as 8080/),
        }),
      );
    }
    for (const raw of ['http://127.0.0.1:8080/v1', 'http://localhost:11434', 'https://host/v1']) {
      expect(() => normalizeBaseUrl(raw)).not.toThrow();
    }
  });

  it('suggests http:// for a bare host', () => {
    expect(() => normalizeBaseUrl('localhost:11434')).toThrow(/http:\/\/localhost:11434/);
  });

  it('rejects an API key that cannot go in a header', () => {
    expect(() => new OpenAICompatibleModel({ baseUrl: env.server.url, model: 'm', apiKey: 'sk-ab\ncd' })).toThrowError(
      expect.objectContaining({ name: ErrorName.InvalidInput }),
    );
  });

  it('rejects a missing model name and a bad timeout', () => {
    expect(() => new OpenAICompatibleModel({ baseUrl: env.server.url, model: ' ' })).toThrow(/model/);
    expect(() => new OpenAICompatibleModel({ baseUrl: env.server.url, model: 'm', timeoutMs: -1 })).toThrow(/timeout/i);
  });
});

describe('chat: happy paths', () => {
  it('sends the sampling options and returns the answer with usage', async () => {
    const res = await model().chat({ ...ask, temperature: 0.2, top_p: 0.9, max_tokens: 200, stop: ['\n\n'], seed: 7 });
    expect(res.model).toBe('scripted-small');
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0].text).toContain('How do plants make food?');
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.usage.completion_tokens).toBe(Math.ceil(res.choices[0].text.length / 4));
    const body = env.server.requests[0].body as Record<string, unknown>;
    expect(env.server.requests[0].path).toBe('/v1/chat/completions');
    expect(body).toMatchObject({ model: 'scripted-small', temperature: 0.2, top_p: 0.9, max_tokens: 200, seed: 7 });
    expect(body.stop).toEqual(['\n\n']);
    expect(body.stream).toBeUndefined();
  });

  it('streams deltas to onToken and ends with the same text and usage', async () => {
    const plain = await model().chat(ask);
    const deltas: string[] = [];
    const streamed = await model().chat({ ...ask, onToken: (d) => deltas.push(d) });
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(streamed.choices[0].text);
    expect(streamed.choices[0].text).toBe(plain.choices[0].text);
    const tokens = (u: typeof plain.usage) => [u.prompt_tokens, u.completion_tokens];
    expect(tokens(streamed.usage)).toEqual(tokens(plain.usage));
    expect(env.server.requests[1].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('measures its speed: first-token wait and decode rate when streamed, whole time when not', async () => {
    const plain = await model().chat(ask);
    expect(plain.usage.e2e_latency_s).toBeGreaterThan(0);
    expect(plain.usage.time_to_first_token_s).toBeUndefined();
    expect(plain.usage.decode_tokens_per_s).toBeCloseTo(plain.usage.completion_tokens / plain.usage.e2e_latency_s!, 5);
    const streamed = await model().chat({ ...ask, onToken: () => undefined });
    const u = streamed.usage;
    expect(u.time_to_first_token_s).toBeGreaterThan(0);
    expect(u.time_to_first_token_s!).toBeLessThanOrEqual(u.e2e_latency_s!);
    expect(u.decode_tokens_per_s).toBeGreaterThan(0);
  });

  it('times only the attempt that answered: not the wait for a slot, failed attempts or back-off', async () => {
    // A clock that moves only when the test says so: the figures below are exact.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      const gate = new AdaptiveGate(1);
      const held = await gate.acquire();
      let calls = 0;
      const fetchImpl: typeof fetch = async () => {
        if (++calls === 1) return new Response('busy', { status: 500 });
        clock += 100;
        const answer = {
          choices: [{ message: { content: 'ok' } }],
          usage: { prompt_tokens: 5, completion_tokens: 10 },
        };
        return new Response(JSON.stringify(answer), { headers: { 'Content-Type': 'application/json' } });
      };
      const sleep = async (ms: number) => void (clock += 5000 + ms);
      const m = new OpenAICompatibleModel({ baseUrl: env.server.url, model: 'm', gate, fetchImpl, sleep });
      const reply = m.chat(ask);
      await new Promise((r) => setTimeout(r, 0));
      clock += 1000; // queued behind another request
      held();
      const u = (await reply).usage;
      expect(calls).toBe(2);
      expect(u.e2e_latency_s).toBeCloseTo(0.1, 9);
      expect(u.decode_tokens_per_s).toBeCloseTo(100, 6);
    } finally {
      now.mockRestore();
    }
  });

  it('passes a JSON schema through as response_format and gets a valid instance back', async () => {
    const schema = {
      type: 'object',
      properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, rationale: { type: 'string' } },
      required: ['score', 'rationale'],
      additionalProperties: false,
    };
    const res = await model().chat({ ...ask, json: { name: 'judge_score', schema } });
    expect(env.server.requests[0].body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'judge_score', schema, strict: true } },
    });
    const value = JSON.parse(res.choices[0].text) as { score: number; rationale: string };
    expect(value.score).toBeGreaterThanOrEqual(1);
    expect(value.score).toBeLessThanOrEqual(5);
    expect(typeof value.rationale).toBe('string');
  });

  it('asks in words when the endpoint has no structured output', async () => {
    const m = model({ capabilities: { jsonSchema: false, seed: false } });
    await m.chat({ ...ask, seed: 3, json: { name: 'x', schema: { type: 'object' } } });
    const body = env.server.requests[0].body as {
      response_format?: unknown;
      seed?: number;
      messages: { content: string }[];
    };
    expect(body.response_format).toBeUndefined();
    expect(body.seed).toBeUndefined();
    expect(body.messages[0].content).toMatch(/JSON Schema/);
    expect(ask.messages[0].content).not.toMatch(/JSON Schema/);
  });

  it('parses logprobs with top alternatives, plain and streamed', async () => {
    for (const onToken of [undefined, () => undefined]) {
      const res = await model().chat({ ...ask, logprobs: true, top_logprobs: 3, onToken });
      const lp = res.choices[0].logprobs ?? [];
      expect(lp.length).toBeGreaterThan(3);
      expect(lp.map((t) => t.token).join('')).toBe(res.choices[0].text);
      expect(lp[0].top).toHaveLength(3);
      expect(lp[0].top[0]).toEqual({ token: lp[0].token, logprob: lp[0].logprob });
      expect(lp.every((t) => t.logprob <= 0)).toBe(true);
    }
    expect(env.server.requests[0].body).toMatchObject({ logprobs: true, top_logprobs: 3 });
  });

  it('asks for n choices natively, or repeats with varied seeds when the server cannot', async () => {
    const native = await model().chat({ ...ask, n: 3, seed: 1 });
    expect(native.choices).toHaveLength(3);
    expect(env.server.requests).toHaveLength(1);
    env.server.reset();
    const repeated = await model({ capabilities: { multipleChoices: false } }).chat({ ...ask, n: 3, seed: 10 });
    expect(repeated.choices).toHaveLength(3);
    expect(env.server.requests.map((r) => (r.body as { seed: number }).seed)).toEqual([10, 11, 12]);
    expect(repeated.usage.prompt_tokens).toBe(3 * native.usage.prompt_tokens);
  });

  it('reports length when max_tokens cuts the answer', async () => {
    const res = await model().chat({ ...ask, max_tokens: 2 });
    expect(res.choices[0].finish_reason).toBe('length');
  });

  it('estimates usage (~4 chars/token) when the server reports none', async () => {
    const fetchImpl = jsonFetch({ model: 'x', choices: [{ message: { content: '12345678' }, finish_reason: 'stop' }] });
    const res = await model({ fetchImpl }).chat({ messages: [{ role: 'user', content: 'abcd' }] });
    expect(res.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 2 });
    expect(res.model).toBe('x');
  });

  it("leaves a reasoning model's thinking out of its answer, plain and streamed (the stream passes it on)", async () => {
    const parts = ['<think>Plants? {"score": 1}', '</think>', '\n\nBy photosynthesis.'];
    const text = parts.join('');
    const message = { content: text, reasoning_content: 'read nowhere' };
    const plain = await model({
      fetchImpl: jsonFetch({ model: 'x', choices: [{ message, finish_reason: 'stop' }] }),
    }).chat(ask);
    expect(plain.choices[0].text).toBe('By photosynthesis.');
    const sse =
      parts.map((d) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: d } }] })}\n\n`).join('') +
      'data: [DONE]\n\n';
    const fetchImpl: typeof fetch = async () => new Response(sse, { headers: { 'Content-Type': 'text/event-stream' } });
    const deltas: string[] = [];
    const streamed = await model({ fetchImpl }).chat({ ...ask, onToken: (d) => deltas.push(d) });
    expect(streamed.choices[0].text).toBe('By photosynthesis.');
    expect(deltas.join('')).toBe(text);
  });

  it('tells the stream that the model thinks while its thinking comes beside the text (llama.cpp, vLLM)', async () => {
    const chunk = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;
    const sse =
      chunk({ role: 'assistant', content: null, reasoning_content: 'The user asks about ' }) +
      chunk({ content: null, reasoning_content: 'plants.' }) +
      chunk({ reasoning: 'Keep it short.' }) +
      chunk({ content: 'By photosynthesis.' }) +
      'data: [DONE]\n\n';
    const fetchImpl: typeof fetch = async () => new Response(sse, { headers: { 'Content-Type': 'text/event-stream' } });
    const seen: string[] = [];
    const streamed = await model({ fetchImpl }).chat({
      ...ask,
      onToken: (d) => seen.push(`text:${d}`),
      onThinking: () => seen.push('thinking'),
    });
    expect(seen).toEqual(['thinking', 'thinking', 'thinking', 'text:By photosynthesis.']);
    expect(streamed.choices[0].text).toBe('By photosynthesis.');
  });

  it('asks again without a setting the server refuses for this model (OpenAI reasoning models), and remembers', async () => {
    const bodies: Record<string, unknown>[] = [];
    const refuse = (message: string, param: string) =>
      new Response(JSON.stringify({ error: { message, type: 'invalid_request_error', param } }), { status: 400 });
    const fetchImpl: typeof fetch = async (_url, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      bodies.push(body);
      if ('max_tokens' in body) {
        return refuse(
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          'max_tokens',
        );
      }
      if (body.temperature !== undefined && body.temperature !== 1) {
        return refuse(
          `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`,
          'temperature',
        );
      }
      return jsonFetch({ model: 'o-mini', choices: [{ message: { content: 'Fine.' }, finish_reason: 'stop' }] })(
        _url,
        init,
      );
    };
    const m = model({ fetchImpl });
    const faults: unknown[] = [];
    const first = await m.chat({ ...ask, max_tokens: 300, temperature: 0, onAttemptFailed: (f) => faults.push(f) });
    expect(first.choices[0].text).toBe('Fine.');
    // Not a fault: nothing failed that the run should count or warn about.
    expect(faults).toEqual([]);
    expect(bodies).toHaveLength(3);
    expect(bodies[2]).toMatchObject({ max_completion_tokens: 300 });
    expect(bodies[2]).not.toHaveProperty('max_tokens');
    expect(bodies[2]).not.toHaveProperty('temperature');
    // Remembered: the next request goes right the first time.
    await m.chat({ ...ask, max_tokens: 50, temperature: 0.7 });
    expect(bodies).toHaveLength(4);
    expect(bodies[3]).toMatchObject({ max_completion_tokens: 50 });
    // Refused log-probabilities go with their alternatives; the model's capabilities stay as they were, so
    // the requests the run builds (and their cache keys) do not depend on which call learned it first.
    const lpBodies: Record<string, unknown>[] = [];
    const lp = model({
      fetchImpl: async (_url, init) => {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        lpBodies.push(body);
        if ('logprobs' in body) return refuse("Unsupported parameter: 'logprobs' is not supported.", 'logprobs');
        if ('seed' in body) return refuse("Unsupported parameter: 'seed' is not supported.", 'seed');
        return jsonFetch({ model: 'o-mini', choices: [{ message: { content: '4' }, finish_reason: 'stop' }] })(
          _url,
          init,
        );
      },
      capabilities: { logprobs: true, seed: true },
    });
    const capsBefore = { ...lp.capabilities };
    expect((await lp.chat({ ...ask, logprobs: true, top_logprobs: 5, seed: 7 })).choices[0].text).toBe('4');
    expect(lpBodies).toHaveLength(3);
    expect(lpBodies.at(-1)).not.toHaveProperty('seed');
    expect(lpBodies.at(-1)).not.toHaveProperty('logprobs');
    expect(lpBodies.at(-1)).not.toHaveProperty('top_logprobs');
    expect(lp.capabilities).toEqual(capsBefore);
    // Any other 400 is an error as before, and one naming a setting the request needs is not asked again.
    const other = model({ fetchImpl: async () => refuse("Unsupported parameter: 'messages' is odd.", 'messages') });
    await expect(other.chat(ask)).rejects.toMatchObject({ name: ErrorName.Http, status: 400 });
  });

  it('does not use log-probabilities of a choice whose thinking came beside it (they may cover the thinking)', async () => {
    const logprobs = { content: [{ token: '4', logprob: -0.1, top_logprobs: [{ token: '4', logprob: -0.1 }] }] };
    const reply = (reasoning_content?: string) =>
      jsonFetch({
        model: 'x',
        choices: [{ message: { content: '4', reasoning_content }, logprobs, finish_reason: 'stop' }],
      });
    const plain = await model({ fetchImpl: reply() }).chat({ ...ask, logprobs: true });
    expect(plain.choices[0].logprobs).toHaveLength(1);
    const thought = await model({ fetchImpl: reply('Draft: "score": 1') }).chat({ ...ask, logprobs: true });
    expect(thought.choices[0].text).toBe('4');
    expect(thought.choices[0].logprobs).toBeUndefined();
    // Streamed, the thinking comes in its own deltas before the text.
    const chunk = (delta: object, lp?: object) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, ...(lp ? { logprobs: lp } : {}) }] })}\n\n`;
    const sse = chunk({ reasoning_content: 'Draft: 1' }) + chunk({ content: '4' }, logprobs) + 'data: [DONE]\n\n';
    const fetchImpl: typeof fetch = async () => new Response(sse, { headers: { 'Content-Type': 'text/event-stream' } });
    const streamed = await model({ fetchImpl }).chat({ ...ask, logprobs: true, onToken: () => undefined });
    expect(streamed.choices[0].text).toBe('4');
    expect(streamed.choices[0].logprobs).toBeUndefined();
  });

  it('returns an empty answer as text, not as an error', async () => {
    env.server.setFaults({ mode: 'empty' });
    const res = await model().chat(ask);
    expect(res.choices[0].text).toBe('');
  });

  it('does raw completions and legacy logprobs', async () => {
    const res = await model().complete({ prompt: 'Once upon a time', logprobs: true, top_logprobs: 2 });
    expect(env.server.requests[0].path).toBe('/v1/completions');
    expect(env.server.requests[0].body).toMatchObject({ prompt: 'Once upon a time', logprobs: 2 });
    expect(res.choices[0].text).toContain('Once upon a time');
    expect(res.choices[0].logprobs?.[0].top).toHaveLength(2);
    const deltas: string[] = [];
    const streamed = await model().complete({ prompt: 'Once upon a time', onToken: (d) => deltas.push(d) });
    expect(deltas.join('')).toBe(streamed.choices[0].text);
  });

  it('embeds texts', async () => {
    const vectors = await model({ capabilities: { embeddings: true } }).embed(['a', 'b']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(8);
  });

  it('rejects impossible requests with a clear message', async () => {
    await expect(model().chat({ messages: [] })).rejects.toMatchObject({ name: ErrorName.InvalidInput });
    await expect(model().chat({ ...ask, n: 2, onToken: () => undefined })).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
    });
    expect(env.server.requests).toHaveLength(0);
  });
});
