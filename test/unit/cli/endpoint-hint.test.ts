import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorName } from '../../../src/core/contracts/errors';
import { endpointHint, endpointSettings } from '../../../src/cli/endpoint-options';
import { httpError, networkError } from '../../../src/llm/openai/http-errors';
import { EXIT, exitCodeFor, inputHint, reportError } from '../../../src/cli/cli-io';
import { assertModelListed } from '../../../src/llm/openai/endpoint';
import { captureIo } from '../../support/cli-io';
import { runCli } from '../../../src/cli/drpo';
import { startScriptedServer } from '../../fixtures/scripted-server';

describe('endpointHint: what to check, said once, for the failure at hand', () => {
  const settings = {};
  it('a rejected key points at --api-key, a 404 at --base-url and the model; neither message repeats it', () => {
    const auth = httpError(401, '{"error":{"message":"Invalid API key"}}', { url: 'http://h/v1/chat/completions' });
    expect(auth.message).toBe('The server refused the request (HTTP 401): Invalid API key');
    expect(endpointHint(auth.name, settings)).toBe('Check --api-key (leave it out for a server that needs none).');
    const missing = httpError(404, '', { url: 'http://h/v1/chat/completions', model: 'llama3' });
    expect(missing.message).not.toMatch(/\/v1|base URL/);
    expect(endpointHint(missing.name, settings)).toMatch(/--base-url \(it usually ends in \/v1\) and the model name/);
  });
  it('a prompt too long for the context window: the message says what happened, the hint (once) what to do', () => {
    const long = '{"error":{"message":"This model\'s maximum context length is 4096 tokens"}}';
    const err = httpError(400, long, { url: 'http://h/v1/chat/completions', model: 'llama3' });
    const io = captureIo('.');
    reportError(io, 'optimize', err);
    const said = io.err();
    expect(said).toMatch(/too long for the model "llama3"'s context window/);
    // The advice (a larger window, and how to give one) is said once, on the hint line, not in the message too.
    expect(said.match(/larger context window/g)).toHaveLength(1);
    expect(said).toMatch(/OLLAMA_CONTEXT_LENGTH/);
    expect(said).not.toMatch(/examples|max tokens/i);
    expect(said.split('\n')[0]).not.toMatch(/larger|fewer|lower/);
  });
  it('a refused key: what to do depends on whether one was sent, and from where', () => {
    expect(endpointHint(ErrorName.Auth, { keySource: null })).toBe(
      'This server needs an API key: pass --api-key KEY, or set DRPO_API_KEY.',
    );
    expect(endpointHint(ErrorName.Auth, { keySource: '--api-key' })).toMatch(/^Check --api-key/);
    expect(endpointHint(ErrorName.Auth, { keySource: 'OPENAI_API_KEY' })).toBe(
      'Check the key in $OPENAI_API_KEY (--api-key, when given, is used instead).',
    );
  });
  it('nothing answering (connection refused) is not about the key', () => {
    const hint = endpointHint(ErrorName.Network, settings)!;
    expect(hint).toMatch(/--base-url/);
    expect(hint).not.toMatch(/api-key/);
  });
  it('nothing listening at the address: what to check is said once, the hint naming the option', () => {
    const io = captureIo('.');
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4199'), { code: 'ECONNREFUSED' }),
    });
    reportError(io, 'optimize', networkError(refused, 'http://127.0.0.1:4199/v1'));
    const said = io.err();
    expect(said).toMatch(/^drpo optimize: Could not reach the model server at http:\/\/127\.0\.0\.1:4199\/v1\./);
    expect(said.match(/is running/g)).toHaveLength(1);
    expect(said.match(/check/gi)).toHaveLength(1);
    expect(said).toMatch(/--base-url/);
  });
  it('a resume without --base-url goes where its checkpoint says: the hint names that, not an option not given', () => {
    expect(endpointHint(ErrorName.Network, endpointSettings({ 'base-url': 'http://h:1/v1' }))).toBe(
      'The address and port are the ones given with --base-url.',
    );
    expect(endpointHint(ErrorName.Network, endpointSettings({}))).toBe(
      "The address and port are the ones this run's checkpoint recorded: give --base-url to use another.",
    );
  });
  it('an answer that broke off points at the server, not at the address', () => {
    const hint = endpointHint(ErrorName.StreamCut, settings)!;
    expect(hint).toMatch(/stopped in the middle of an answer: check its logs/);
    expect(hint).not.toMatch(/--base-url/);
  });
  it('an endpoint that turned to empty answers points at the server, not at the address or key', () => {
    const hint = endpointHint(ErrorName.EmptyReplies, settings)!;
    expect(hint).toMatch(/answered with text before, so the address and key are right: check the server/);
    expect(hint).not.toMatch(/--base-url|--api-key/);
  });
  it('https to a server that speaks plain http: the hint says so and gives the http address, no OpenSSL dump', async () => {
    const server = await startScriptedServer();
    try {
      const https = server.url.replace(/^http:/, 'https:');
      const io = captureIo(mkdtempSync(path.join(tmpdir(), 'drpo-tls-')));
      expect(await runCli(['optimize', '--base-url', https, '--model', 'scripted-small'], io)).toBe(2);
      expect(io.err()).toContain(`The server may speak plain http: try ${server.url}`);
      expect(io.err()).toMatch(/fetch failed \(ERR_SSL_[A-Z_]+\)\n/);
      expect(io.err()).not.toMatch(/SSL routines|openssl|\.c:\d+/);
    } finally {
      await server.close();
    }
  });
});

describe('a server that lists no models', () => {
  it('exits 1 as a model it does not list (docs/cli.md), without pointing at --help: no option was wrong', () => {
    const none = (() => {
      try {
        return assertModelListed([], 'llama3');
      } catch (err) {
        return err;
      }
    })();
    expect((none as Error).name).toBe(ErrorName.NoModelsListed);
    expect(exitCodeFor(none)).toBe(EXIT.input);
    expect(endpointHint(ErrorName.NoModelsListed, {})).toBeUndefined();
    expect(inputHint('eval', none)).toBeUndefined();
    // A misspelt one still points there.
    expect(() => assertModelListed(['llama3.2'], 'lama3.2')).toThrow(/llama3\.2/);
    let misspelt: unknown;
    try {
      assertModelListed(['llama3.2'], 'lama3.2');
    } catch (err) {
      misspelt = err;
    }
    expect(inputHint('eval', misspelt)).toBe('Run "drpo eval --help" for all options.');
  });
});
