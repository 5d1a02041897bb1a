/** Shared setup for the OpenAI-compatible adapter tests: one scripted server per file, instant fake sleeps. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { OpenAICompatibleModel } from '../../src/llm/openai/openai-compatible';
import type { OpenAICompatibleOptions } from '../../src/llm/openai/openai-compatible';
import { startScriptedServer } from '../fixtures/scripted-server';
import type { ScriptedServer } from '../fixtures/scripted-server';

export interface ScriptedOpenAI {
  /** The server started in beforeAll; reset (faults, responder, Retry-After) before each test. */
  readonly server: ScriptedServer;
  /** Back-off delays the model asked for since the test began (cleared before each test). */
  readonly sleeps: number[];
  /** An adapter against the scripted server with fast, deterministic retries. */
  model(opts?: Partial<OpenAICompatibleOptions>): OpenAICompatibleModel;
}

/** Registers the hooks; call once at the top level of a test file. */
export function useScriptedOpenAI(): ScriptedOpenAI {
  let server: ScriptedServer | undefined;
  const sleeps: number[] = [];
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    env.server.reset();
    env.server.setResponder(null);
    env.server.setRetryAfter(0);
    sleeps.length = 0;
  });
  const env: ScriptedOpenAI = {
    get server() {
      if (!server) throw new Error('the scripted server is not started yet');
      return server;
    },
    sleeps,
    model: (opts = {}) =>
      new OpenAICompatibleModel({
        baseUrl: env.server.url,
        model: 'scripted-small',
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
        backoffBaseMs: 1,
        timeoutMs: 5_000,
        ...opts,
      }),
  };
  return env;
}
