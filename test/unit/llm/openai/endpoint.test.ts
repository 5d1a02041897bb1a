import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorName } from '../../../../src/core/contracts/errors';
import { assertModelListed, listEndpointModels, parseModelList } from '../../../../src/llm/openai/endpoint';
import { startScriptedServer } from '../../../fixtures/scripted-server';
import type { ScriptedServer } from '../../../fixtures/scripted-server';
import { rejection as failure } from '../../../support/errors';

let server: ScriptedServer;
const noSleep = async () => undefined;

beforeAll(async () => {
  server = await startScriptedServer({ models: ['llama3.2:latest', 'qwen2.5:1.5b', 'phi3:mini'] });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function fetchReturning(body: string, status = 200): typeof fetch {
  return async () => new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
}

describe('listEndpointModels', () => {
  it('reads the OpenAI list from the server, whatever form the base URL takes', async () => {
    const root = server.url.replace(/\/v1$/, '');
    for (const baseUrl of [server.url, `${server.url}/`, root, `${server.url}/models`]) {
      expect(await listEndpointModels({ baseUrl })).toEqual(['llama3.2:latest', 'qwen2.5:1.5b', 'phi3:mini']);
    }
    expect(server.requests.every((r) => r.path === '/v1/models' && r.method === 'GET')).toBe(true);
  });

  it('accepts the Ollama form and bare lists', async () => {
    const ollama = JSON.stringify({ models: [{ name: 'llama3.2:latest' }, { model: 'gemma2:2b' }, { nope: 1 }] });
    expect(await listEndpointModels({ baseUrl: 'http://x:11434', fetchImpl: fetchReturning(ollama) })).toEqual([
      'llama3.2:latest',
      'gemma2:2b',
    ]);
    expect(parseModelList(['a', { id: 'b' }, 'a'])).toEqual(['a', 'b']);
    expect(parseModelList({ data: [] })).toEqual([]);
    expect(parseModelList({ object: 'error' })).toBeNull();
  });

  it('sends the API key and maps 401 to AuthError', async () => {
    const locked = await startScriptedServer({ apiKey: 'k1' });
    try {
      expect(await listEndpointModels({ baseUrl: locked.url, apiKey: 'k1' })).toContain('scripted-small');
      const err = await failure(listEndpointModels({ baseUrl: locked.url }));
      expect(err.name).toBe(ErrorName.Auth);
    } finally {
      await locked.close();
    }
  });

  it('fails clearly on a bad URL, a dead port, a web page, a non-list and a 404', async () => {
    expect((await failure(listEndpointModels({ baseUrl: 'localhost:11434' }))).name).toBe(ErrorName.InvalidUrl);

    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const down = await failure(listEndpointModels({ baseUrl: `http://127.0.0.1:${port}`, sleep: noSleep }));
    expect(down.name).toBe(ErrorName.Network);

    server.setFaults({ mode: 'non-json' });
    expect((await failure(listEndpointModels({ baseUrl: server.url }))).message).toMatch(/web page/);
    server.setFaults({ mode: 'malformed-json' });
    expect((await failure(listEndpointModels({ baseUrl: server.url }))).name).toBe(ErrorName.BadResponse);
    const notList = await failure(listEndpointModels({ baseUrl: server.url, fetchImpl: fetchReturning('{"ok":1}') }));
    expect(notList.name).toBe(ErrorName.BadResponse);
    expect(notList.message).toMatch(/list of models/);
    server.setFaults({ mode: 'http-404' });
    expect((await failure(listEndpointModels({ baseUrl: server.url }))).name).toBe(ErrorName.NotFound);
  });

  it('times out on a hung server', async () => {
    server.setFaults({ mode: 'timeout' });
    const err = await failure(listEndpointModels({ baseUrl: server.url, timeoutMs: 100 }));
    expect(err.name).toBe(ErrorName.Timeout);
  });
});

describe('assertModelListed', () => {
  const ids = ['llama3.2:latest', 'qwen2.5:1.5b', 'qwen2.5:7b', 'phi3:mini', 'Llama-3.2-1B-Instruct'];

  it('returns the id to use, matching Ollama’s implicit :latest', () => {
    expect(assertModelListed(ids, 'qwen2.5:7b')).toBe('qwen2.5:7b');
    expect(assertModelListed(ids, 'llama3.2')).toBe('llama3.2:latest');
  });

  it('names close matches when the model is not listed', () => {
    let err: (Error & { detail?: string }) | undefined;
    try {
      assertModelListed(ids, 'qwen2.5');
    } catch (e) {
      err = e as Error & { detail?: string };
    }
    expect(err?.name).toBe(ErrorName.ModelNotListed);
    expect(err?.message).toMatch(/"qwen2\.5"/);
    expect(err?.message).toMatch(/Did you mean "qwen2\.5:1\.5b" or "qwen2\.5:7b"/);
    expect(err?.detail).toMatch(/Listed: llama3\.2:latest/);
    expect(() => assertModelListed(ids, 'lama3.2')).toThrow(/llama3\.2:latest/);
    expect(() => assertModelListed(ids, 'llama-3.2-1b-instruct')).toThrow(/Llama-3\.2-1B-Instruct/);
  });

  it('says so when nothing is close or nothing is listed', () => {
    expect(() => assertModelListed(ids, 'mistral-large')).toThrow(/does not list a model called "mistral-large"\.$/);
    // Nothing listed is no misspelt name: the empty list has its own name (as Setup's Test connection says it).
    expect(() => assertModelListed([], 'x')).toThrowError(
      expect.objectContaining({
        name: ErrorName.NoModelsListed,
        message: 'The server lists no models, so "x" cannot be used yet.',
        detail: expect.stringMatching(/^Load or pull a model on the server first/),
      }),
    );
  });
});
