/**
 * Node-side setup for the browser projects: starts the scripted OpenAI-compatible servers and
 * hands their URLs to tests via `inject(...)`.
 *  - scriptedUrl: helper A's scripted server (deterministic answers, CORS on).
 *  - scriptedAuthUrl: the same, but requiring `Authorization: Bearer test-key` (401 otherwise).
 *  - scriptedCutUrl: the same, reading at most CUT_WINDOW prompt tokens, as Ollama does past its context window.
 *  - dripUrl: a tiny server of our own that streams a chat answer slowly (one token every 15 ms),
 *    so tests can observe throttled stream batches and cancel mid-stream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startScriptedServer } from '../fixtures/scripted-server';

declare module 'vitest' {
  export interface ProvidedContext {
    scriptedUrl: string;
    scriptedAuthUrl: string;
    scriptedCutUrl: string;
    cutWindow: number;
    dripUrl: string;
  }
}

export const DRIP_TOKENS = 40;
/** The context window of the server at scriptedCutUrl (tokens), handed to tests as cutWindow. */
const CUT_WINDOW = 1200;
export const DRIP_INTERVAL_MS = 15;

function startDripServer(): Promise<{ url: string; close(): Promise<void> }> {
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  };
  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'drip', object: 'model' }] }));
      return;
    }
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { stream?: boolean };
      const tokens = Array.from({ length: DRIP_TOKENS }, (_, i) => `t${i} `);
      const usage = { prompt_tokens: 5, completion_tokens: DRIP_TOKENS, total_tokens: 5 + DRIP_TOKENS };
      if (!body.stream) {
        res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'drip',
            object: 'chat.completion',
            model: 'drip',
            choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, finish_reason: 'stop' }],
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { ...cors, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const chunk = (delta: object, finish: string | null, extra: object = {}) =>
        `data: ${JSON.stringify({ id: 'drip', object: 'chat.completion.chunk', model: 'drip', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
      let i = 0;
      const timer = setInterval(() => {
        if (i < tokens.length) {
          res.write(chunk({ content: tokens[i] }, null));
          i += 1;
          return;
        }
        clearInterval(timer);
        res.write(chunk({}, 'stop'));
        res.write(`data: ${JSON.stringify({ id: 'drip', object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
        res.end('data: [DONE]\n\n');
      }, DRIP_INTERVAL_MS);
      res.on('close', () => clearInterval(timer));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/v1`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scripted = await startScriptedServer();
  const auth = await startScriptedServer({ apiKey: 'test-key' });
  const cut = await startScriptedServer();
  cut.setPromptWindow(CUT_WINDOW);
  const drip = await startDripServer();
  project.provide('scriptedUrl', scripted.url);
  project.provide('scriptedAuthUrl', auth.url);
  project.provide('scriptedCutUrl', cut.url);
  project.provide('cutWindow', CUT_WINDOW);
  project.provide('dripUrl', drip.url);
  return async () => {
    await Promise.all([scripted.close(), auth.close(), cut.close(), drip.close()]);
  };
}
