import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorName } from '../../../../src/core/contracts/errors';
import { OpenAICompatibleModel } from '../../../../src/llm/openai/openai-compatible';
import { parseRetryAfter } from '../../../../src/llm/openai/http';
import { networkError } from '../../../../src/llm/openai/http-errors';
import { listEndpointModels } from '../../../../src/llm/openai/endpoint';
import { OutageWatch } from '../../../../src/llm/openai/outage-watch';
import { startScriptedServer } from '../../../fixtures/scripted-server';
import { useScriptedOpenAI } from '../../../support/llm';
import { rejection as failure } from '../../../support/errors';

const env = useScriptedOpenAI();
const { model } = env;

async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function fetchReturning(body: string, status = 200, type = 'application/json'): typeof fetch {
  return async () => new Response(body, { status, headers: { 'Content-Type': type } });
}

const ask = { messages: [{ role: 'user' as const, content: 'Explain tides.' }] };
const stream = { ...ask, onToken: () => undefined };

describe('chat: failures', () => {
  it('connection refused → NetworkError after bounded retries', async () => {
    const port = await deadPort();
    const err = await failure(model({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 }).chat(ask));
    expect(err.name).toBe(ErrorName.Network);
    expect(err.message).toMatch(/Could not reach the model server/);
    expect(err.detail).toMatch(/ECONNREFUSED/);
    expect(env.sleeps).toHaveLength(2);
  });

  it('401 → AuthError without retrying; the right key works', async () => {
    const locked = await startScriptedServer({ apiKey: 'sekret' });
    try {
      const err = await failure(model({ baseUrl: locked.url, apiKey: 'wrong' }).chat(ask));
      expect(err.name).toBe(ErrorName.Auth);
      expect(err.status).toBe(401);
      expect(err.message).toMatch(/API key/);
      expect(locked.requests).toHaveLength(1);
      const ok = await model({ baseUrl: locked.url, apiKey: 'sekret' }).chat(ask);
      expect(ok.choices[0].text).toBeTruthy();
      expect(locked.requests[1].headers.authorization).toBe('Bearer sekret');
    } finally {
      await locked.close();
    }
  });

  it('404 → NotFoundError naming what was not found (the address or the model), not retried', async () => {
    env.server.setFaults({ mode: 'http-404' });
    const err = await failure(model().chat(ask));
    expect(err.name).toBe(ErrorName.NotFound);
    // What to check is the page's hint or the CLI's (it was said twice, once here and once there).
    expect(err.message).toBe('Not found (HTTP 404): this server has no such address, or no model "scripted-small".');
    expect(env.server.requests).toHaveLength(1);
  });

  it('429 then success: retries after Retry-After', async () => {
    env.server.setFaults({ mode: 'http-429', times: 1 });
    const res = await model().chat(ask);
    expect(res.choices[0].text).toBeTruthy();
    expect(env.server.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(env.sleeps).toEqual([0]);
  });

  it('honours Retry-After seconds, capped', async () => {
    env.server.setRetryAfter(7);
    env.server.setFaults({ mode: 'http-429', times: 2 });
    await model({ retryAfterMaxMs: 5_000 }).chat(ask);
    expect(env.sleeps).toEqual([5_000, 5_000]);
    env.server.reset();
    env.sleeps.length = 0;
    env.server.setFaults({ mode: 'http-429', times: 1 });
    await model().chat(ask);
    expect(env.sleeps).toEqual([7_000]);
    expect(parseRetryAfter(new Date(Date.now() + 3_000).toUTCString())).toBeGreaterThan(1_000);
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('persistent 429 → RateLimitError', async () => {
    env.server.setFaults({ mode: 'http-429' });
    const err = await failure(model({ maxRetries: 1 }).chat(ask));
    expect(err.name).toBe(ErrorName.RateLimit);
    expect(env.server.requests).toHaveLength(2);
  });

  it('persistent 500 → ServerError after maxRetries + 1 attempts with growing backoff', async () => {
    env.server.setFaults({ mode: 'http-500' });
    const err = await failure(model({ maxRetries: 3, backoffBaseMs: 100, backoffMaxMs: 300 }).chat(ask));
    expect(err.name).toBe(ErrorName.ServerError);
    expect(err.status).toBe(500);
    expect(err.message).toMatch(/HTTP 500/);
    expect(env.server.requests).toHaveLength(4);
    // random() = 0.5 → 3/4 of the capped exponential ceiling
    expect(env.sleeps).toEqual([75, 150, 225]);
  });

  it.each([ask, stream])('HTML page → BadResponseError saying the URL points at a website (%#)', async (req) => {
    env.server.setFaults({ mode: 'non-json' });
    const err = await failure(model().chat(req));
    expect(err.name).toBe(ErrorName.BadResponse);
    // A streamed request too: a web page sent with 200 is no stream that broke off.
    expect(err.message).toMatch(/web page/);
  });

  it.each([
    ['malformed-json', ask],
    ['malformed-json', stream],
    ['truncated', ask],
  ] as const)('%s → BadResponseError (%#)', async (mode, req) => {
    env.server.setFaults({ mode });
    const err = await failure(model().chat(req));
    expect(err.name).toBe(ErrorName.BadResponse);
    expect(env.server.requests).toHaveLength(1);
  });

  it('a stream cut mid-way has already shown some tokens, then fails as cut off (not as an unreadable reply)', async () => {
    env.server.setFaults({ mode: 'truncated' });
    const deltas: string[] = [];
    const err = await failure(model().chat({ ...ask, onToken: (d) => deltas.push(d) }));
    expect(err.name).toBe(ErrorName.StreamCut);
    expect(err.message).toMatch(/stopped before it was complete/);
    expect(deltas.length).toBeGreaterThan(0);
  });

  it('missing choices, errors inside a 200 and context overflow are reported clearly', async () => {
    expect((await failure(model({ fetchImpl: fetchReturning('{"id":"x"}') }).chat(ask))).name).toBe(
      ErrorName.BadResponse,
    );
    expect((await failure(model({ fetchImpl: fetchReturning('') }).chat(ask))).name).toBe(ErrorName.BadResponse);
    const inside = await failure(
      model({ fetchImpl: fetchReturning('{"error":{"message":"model crashed"}}') }).chat(ask),
    );
    expect(inside.name).toBe(ErrorName.ServerError);
    expect(inside.message).toMatch(/model crashed/);
    const long = '{"error":{"message":"This model\'s maximum context length is 4096 tokens"}}';
    const ctx = await failure(model({ fetchImpl: fetchReturning(long, 400) }).chat(ask));
    expect(ctx.name).toBe(ErrorName.ContextWindowExceeded);
    const other = await failure(model({ fetchImpl: fetchReturning('{"detail":"bad temperature"}', 422) }).chat(ask));
    expect(other.name).toBe(ErrorName.Http);
    expect(other.message).toMatch(/bad temperature/);
  });

  it('an error event inside a stream → ServerError', async () => {
    const sse = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: {"error":{"message":"OOM"}}\n\n';
    const err = await failure(model({ fetchImpl: fetchReturning(sse, 200, 'text/event-stream') }).chat(stream));
    expect(err.name).toBe(ErrorName.ServerError);
    expect(err.message).toMatch(/OOM/);
  });

  it('a server that ignores stream:true still answers through onToken', async () => {
    const body = JSON.stringify({ choices: [{ message: { content: 'whole' }, finish_reason: 'stop' }] });
    const deltas: string[] = [];
    const res = await model({ fetchImpl: fetchReturning(body) }).chat({ ...ask, onToken: (d) => deltas.push(d) });
    expect(deltas).toEqual(['whole']);
    expect(res.choices[0].text).toBe('whole');
  });

  it('a hung server → TimeoutError, not retried', async () => {
    env.server.setFaults({ mode: 'timeout' });
    const started = Date.now();
    const err = await failure(model({ timeoutMs: 150 }).chat(ask));
    expect(err.name).toBe(ErrorName.Timeout);
    expect(err.message).toMatch(/0\.2 s|0\.1 s/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(env.server.requests).toHaveLength(1);
  });

  it('a dropped connection → NetworkError after retries', async () => {
    env.server.setFaults({ mode: 'down' });
    const err = await failure(model({ maxRetries: 1 }).chat(ask));
    expect(err.name).toBe(ErrorName.Network);
    expect(env.server.requests).toHaveLength(2);
  });

  it('abort mid-stream → AbortError, no retry', async () => {
    const ctrl = new AbortController();
    let seen = 0;
    const err = await failure(
      model().chat({
        ...ask,
        signal: ctrl.signal,
        onToken: () => {
          if (++seen === 1) ctrl.abort();
        },
      }),
    );
    expect(err.name).toBe(ErrorName.Abort);
    expect(env.server.requests).toHaveLength(1);
  });

  it('abort while waiting for a hung server, before sending, and during backoff → AbortError', async () => {
    env.server.setFaults({ mode: 'timeout' });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    expect((await failure(model().chat({ ...ask, signal: ctrl.signal }))).name).toBe(ErrorName.Abort);
    expect((await failure(model().chat({ ...ask, signal: ctrl.signal }))).name).toBe(ErrorName.Abort);
    env.server.setFaults({ mode: 'http-500' });
    const ctrl2 = new AbortController();
    setTimeout(() => ctrl2.abort(), 50);
    const started = Date.now();
    // Real sleep here: the backoff wait itself must be cancellable.
    const slow = new OpenAICompatibleModel({
      baseUrl: env.server.url,
      model: 'm',
      backoffBaseMs: 60_000,
      random: () => 1,
    });
    expect((await failure(slow.chat({ ...ask, signal: ctrl2.signal }))).name).toBe(ErrorName.Abort);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a streaming callback that throws is passed through unchanged', async () => {
    const err = await failure(
      model().chat({
        ...ask,
        onToken: () => {
          throw new RangeError('UI went away');
        },
      }),
    );
    expect(err).toBeInstanceOf(RangeError);
  });
});

describe('network error wording', () => {
  it('in a page it explains CORS fixes for Ollama, llama-server and vLLM, and mixed content', () => {
    const g = globalThis as { location?: unknown };
    const before = g.location;
    g.location = { protocol: 'https:' };
    try {
      const err = networkError(new TypeError('Failed to fetch'), 'http://192.168.1.5:11434/v1');
      expect(err.name).toBe(ErrorName.Network);
      expect(err.message).toMatch(/CORS/);
      expect(err.message).toMatch(/OLLAMA_ORIGINS/);
      expect(err.message).toMatch(/llama-server/);
      expect(err.message).toMatch(/--allowed-origins/);
      expect(err.message).toMatch(/https/);
      expect(err.retryable).toBe(true);
      const local = networkError(new TypeError('Failed to fetch'), 'http://localhost:11434/v1');
      expect(local.message).not.toMatch(/served over https/);
      // A page on the internet reaching this computer or the local network: the browser may have asked first.
      g.location = { protocol: 'https:', hostname: 'drpo.example.org' };
      for (const url of [
        'http://localhost:11434/v1',
        'http://0.0.0.0:8080/v1',
        'http://192.168.1.5:8080/v1',
        'http://box.local:8000/v1',
      ]) {
        expect(networkError(new TypeError('Failed to fetch'), url).message).toMatch(/local network, allow it/);
      }
      expect(networkError(new TypeError('Failed to fetch'), 'https://api.example.com/v1').message).not.toMatch(
        /local network/,
      );
      expect(networkError(new TypeError('Failed to fetch'), 'http://0.0.0.0:8080/v1').message).toMatch(
        /Some browsers block the address 0\.0\.0\.0 .* try 127\.0\.0\.1/,
      );
      // A page on the local network reaching this computer: asked too; reaching the local network: not.
      g.location = { protocol: 'http:', hostname: '192.168.1.20' };
      expect(networkError(new TypeError('Failed to fetch'), 'http://127.0.0.1:8080/v1').message).toMatch(
        /local network, allow it/,
      );
      expect(networkError(new TypeError('Failed to fetch'), 'http://192.168.1.5:8080/v1').message).not.toMatch(
        /local network/,
      );
      // Served from this computer itself (any loopback address), there is nothing to allow.
      g.location = { protocol: 'http:', hostname: '127.0.1.1' };
      expect(networkError(new TypeError('Failed to fetch'), 'http://localhost:11434/v1').message).not.toMatch(
        /local network/,
      );
      g.location = { protocol: 'http:', hostname: '127.0.0.1' };
      expect(networkError(new TypeError('Failed to fetch'), 'http://localhost:11434/v1').message).not.toMatch(
        /local network/,
      );
    } finally {
      g.location = before;
    }
  });

  it('in a page, an endpoint that answered this session (even with 401) and then cannot be reached is not sent to its CORS settings', async () => {
    const g = globalThis as { location?: unknown };
    const before = g.location;
    g.location = { protocol: 'http:', hostname: '127.0.0.1' };
    let up = true;
    const fetchImpl: typeof fetch = async () => {
      if (!up) throw new TypeError('Failed to fetch');
      return new Response('{"error":{"message":"Invalid API key"}}', { status: 401 });
    };
    try {
      const m = model({ baseUrl: 'http://127.0.0.1:8080/v1', maxRetries: 0, fetchImpl, outage: new OutageWatch() });
      expect((await failure(m.chat(ask))).name).toBe(ErrorName.Auth);
      up = false;
      const err = await failure(m.chat(ask));
      expect(err.name).toBe(ErrorName.Network);
      expect(err.message).toMatch(/stopped answering\. It answered earlier in this session/);
      expect(err.message).not.toMatch(/CORS|OLLAMA_ORIGINS/);
      // Never heard from: the CORS advice stays.
      const fresh = model({ baseUrl: 'http://127.0.0.1:8081/v1', maxRetries: 0, fetchImpl, outage: new OutageWatch() });
      expect((await failure(fresh.chat(ask))).message).toMatch(/CORS/);
      // Heard from only at the listing (a GET, which needs no preflight without a key): a server that lists
      // its models can still refuse the preflight every chat's POST needs, so the CORS advice stays.
      const watch = new OutageWatch();
      const listsOnly: typeof fetch = async (_url, init) => {
        if (init?.method === 'POST') throw new TypeError('Failed to fetch');
        return new Response('{"data":[{"id":"scripted-small"}]}', { headers: { 'Content-Type': 'application/json' } });
      };
      const baseUrl = 'http://127.0.0.1:8082/v1';
      expect(await listEndpointModels({ baseUrl, fetchImpl: listsOnly, outage: watch })).toEqual(['scripted-small']);
      const listed = model({ baseUrl, maxRetries: 0, fetchImpl: listsOnly, outage: watch });
      expect((await failure(listed.chat(ask))).message).toMatch(/CORS/);
      // Outside a page (the CLI) there is no CORS: the listing's answer shows the address is right.
      g.location = undefined;
      const node = new OutageWatch(0);
      await listEndpointModels({ baseUrl, fetchImpl: listsOnly, outage: node });
      const cli = model({ baseUrl, maxRetries: 0, fetchImpl: listsOnly, outage: node });
      expect((await failure(cli.chat(ask))).message).toMatch(/stopped answering\. It answered earlier/);
    } finally {
      g.location = before;
    }
  });
});
