/**
 * Device loss in the worker: createWorkerApi built in-page with a fake WebLLM engine whose chat answers
 * through the scripted DRPO stand-in, then throws an error named 'DeviceLostError' after N calls (as
 * web-llm does when the browser resets the GPU). The run must stop as 'paused' with the DeviceLost
 * message, keep everything in a real IndexedDB store, leave the worker usable, and resume from the
 * checkpoint once the model is loaded again, repeating no finished call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRecord } from '@mlc-ai/web-llm';
import type { ChatRequest } from '../../../src/core/contracts/chat-model';
import { ErrorName } from '../../../src/core/contracts/errors';
import { buildRunConfig } from '../../../src/core/plan/presets';
import { ASPECT_SCHEMA } from '../../../src/core/drpo/prompts/aspect-selection';
import { ICL_REWRITE_SCHEMA } from '../../../src/core/drpo/prompts/icl-rewrite';
import { JUDGE_SCHEMA } from '../../../src/core/drpo/prompts/judge';
import { OPTIMIZER_SCHEMA } from '../../../src/core/drpo/prompts/optimizer';
import type { RunConfig } from '../../../src/core/contracts/run-config';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import { shouldLogEvent } from '../../../src/store/run-progress';
import { createRunSink } from '../../../src/store/store-sink';
import type { GpuProbe, WorkerApi } from '../../../src/protocol/worker-api';
import { ModelLock } from '../../../src/worker/model-lock';
import { createWorkerApi } from '../../../src/worker/worker-api-impl';
import type { MlcEngineLike } from '../../../src/worker/webllm-host';
import { ScriptedDrpoModel, SYNTHETIC_QUERIES } from '../../fixtures/scripted-drpo-model';
import { uniqueDb } from '../../support/store';

const MODEL = 'Tiny-Instruct-q4f32_1-MLC';
const gpu: GpuProbe = {
  available: true,
  shaderF16: false,
  adapter: { vendor: 'x', architecture: '', description: '', isFallbackAdapter: false },
};
const record: ModelRecord = {
  model: `https://example.invalid/${MODEL}`,
  model_id: MODEL,
  model_lib: 'https://example.invalid/lib.wasm',
  vram_required_MB: 500,
  low_resource_required: true,
  overrides: { context_window_size: 4096 },
};
const SCHEMAS = [ASPECT_SCHEMA, ICL_REWRITE_SCHEMA, JUDGE_SCHEMA, OPTIMIZER_SCHEMA];

interface Body {
  messages: ChatRequest['messages'];
  response_format?: { schema?: string };
  temperature?: number;
  max_tokens?: number;
  seed?: number;
}

/** A fake MLCEngine: answers like the scripted DRPO model until `loseAfter` calls, then the device is gone. */
class LosingEngine {
  calls = 0;
  keys: string[] = [];
  lost = false;
  private readonly scripted = new ScriptedDrpoModel({ id: MODEL });
  constructor(public loseAfter: number) {}

  async reload(): Promise<void> {
    // A reload gets a fresh device.
    this.lost = false;
  }
  async unload(): Promise<void> {}
  async interruptGenerate(): Promise<void> {}
  chat = {
    completions: {
      create: async (body: Body) => {
        if (this.lost || this.calls >= this.loseAfter) {
          this.lost = true;
          throw Object.assign(new Error('Device was lost: GPU reset by the driver'), { name: 'DeviceLostError' });
        }
        this.calls++;
        this.keys.push(JSON.stringify([body.messages, body.seed, body.response_format?.schema]));
        // web-llm gets the schema without its name; the judge's is narrowed to the chosen aspects, so the
        // role is found by the schema's fields, not by its exact text.
        const fields = (schema: unknown) =>
          Object.keys((schema as { properties?: object } | null)?.properties ?? {})
            .sort()
            .join();
        const sent = body.response_format?.schema ? (JSON.parse(body.response_format.schema) as unknown) : null;
        const json = sent ? SCHEMAS.find((s) => fields(s.schema) === fields(sent)) : undefined;
        const r = await this.scripted.chat({
          messages: body.messages,
          temperature: body.temperature,
          max_tokens: body.max_tokens,
          seed: body.seed,
          json,
        });
        const choice = r.choices[0]!;
        return {
          choices: [
            { index: 0, message: { role: 'assistant', content: choice.text }, finish_reason: choice.finish_reason },
          ],
          usage: { prompt_tokens: r.usage.prompt_tokens, completion_tokens: r.usage.completion_tokens },
        };
      },
    },
  };
  completions = { create: async () => ({ choices: [] }) };
  embeddings = { create: async () => ({ data: [] }) };
}

const dbs: ReturnType<typeof uniqueDb>[] = [];
afterEach(async () => {
  for (const d of dbs.splice(0)) await d.cleanup();
});

function runConfig(): RunConfig {
  return buildRunConfig('quick', {
    name: 'Device loss',
    trainQueries: SYNTHETIC_QUERIES.slice(0, 8),
    validationQueries: [],
    icl: [],
    roles: { policy: { engine: 'webllm', modelId: MODEL } },
    settings: { depth: 3, beamWidth: 2, actions: 2, queriesPerLevel: 1, validationSize: 0, iclRounds: 0 },
  });
}

async function setup(loseAfter: number) {
  const db = uniqueDb();
  dbs.push(db);
  const store = await db.open();
  const engine = new LosingEngine(loseAfter);
  const api: WorkerApi = createWorkerApi({
    probeGpu: async () => gpu,
    webllm: {
      modelList: [record],
      createEngine: () => engine as unknown as MlcEngineLike,
      hasModelInCache: async () => true,
      deleteModelAllInfoInCache: async () => undefined,
    },
    endpoints: {
      listModels: async () => [],
      createModel: () => {
        throw new Error('not used');
      },
    },
    sink: createRunSink(store),
    lock: new ModelLock(navigator.locks, `drpo-faults-lock-${Math.random()}`),
    throttleMs: 10,
  });
  return { api, engine, store };
}

describe('device loss in the middle of a run', () => {
  it('pauses the run with the DeviceLost message, keeps what was stored, and resumes later', async () => {
    const { api, engine, store } = await setup(14);
    await api.loadModel(MODEL, 'cache');
    const config = runConfig();
    const run = await store.createRun(config);
    const events: RunEvent[] = [];
    const result = await api.startRun(run.id, config, null, (batch) => events.push(...batch));

    expect(engine.lost).toBe(true);
    expect(result.status).toBe('paused');
    const error = events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.error.name).toBe(ErrorName.DeviceLost);
    expect(error?.type === 'error' && error.error.message).toMatch(/GPU device was lost/);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'paused' });

    // Everything reached storage: the record says paused with the error, the nodes and the checkpoint are there.
    const stored = await store.getRun(run.id);
    expect(stored).toMatchObject({ status: 'paused', error: { name: ErrorName.DeviceLost } });
    const nodes = await store.getNodes(run.id);
    expect(nodes.length).toBeGreaterThan(0);
    const checkpoint = await store.getCheckpoint(run.id);
    expect(checkpoint?.nodes.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
    const types = (list: RunEvent[]) => list.map((e) => `${e.type}:${e.at}`);
    expect(types(await store.getEvents(run.id))).toEqual(types(events.filter(shouldLogEvent)));
    expect((await store.listUnfinishedRuns()).map((r) => r.id)).toContain(run.id);

    // The worker still answers; the lost model is no longer reported as loaded.
    expect(await api.loadedModels()).toEqual([]);
    expect((await api.probeGpu()).available).toBe(true);
    expect((await api.listModels('cache')).map((m) => m.id)).toContain(MODEL);

    // Reload the model (a fresh device) and resume from the stored checkpoint: no finished call is repeated.
    const before = engine.keys.slice();
    engine.loseAfter = Infinity;
    await api.loadModel(MODEL, 'cache');
    const resumed = await api.startRun(`${run.id}-resume`, config, checkpoint!, () => undefined);
    expect(['completed', 'budget-exhausted']).toContain(resumed.status);
    const fresh = engine.keys.slice(before.length);
    expect(fresh.length).toBeGreaterThan(0);
    for (const k of fresh) expect(before.includes(k), 'a finished call was repeated').toBe(false);
    // Each call counted once: the checkpoint's (replayed from its cache, not counted again) and the fresh ones.
    expect(resumed.stats.calls).toBe(checkpoint!.stats.calls + fresh.length);
    expect(resumed.stats.cachedCalls).toBeLessThan(checkpoint!.stats.calls);
    expect(await store.getRun(run.id)).toMatchObject({ status: resumed.status });
    expect((await store.getNodes(run.id)).length).toBe(resumed.nodes.length);
  });

  it('a device lost before any node is stored still pauses cleanly and leaves the worker usable', async () => {
    const { api, engine, store } = await setup(1);
    await api.loadModel(MODEL, 'cache');
    const config = runConfig();
    const run = await store.createRun(config);
    const result = await api.startRun(run.id, config, null);
    expect(result.status).toBe('paused');
    expect(result.nodes).toEqual([]);
    expect(await store.getRun(run.id)).toMatchObject({ status: 'paused', error: { name: ErrorName.DeviceLost } });
    // The lost model is forgotten (so loading it again really reloads it); chats say so by name until then.
    expect(await api.loadedModels()).toEqual([]);
    const ask = () =>
      api.chat(
        `c-${Math.random()}`,
        { engine: 'webllm', modelId: MODEL },
        { messages: [{ role: 'user', content: 'Hi' }] },
      );
    expect(
      (
        await ask().then(
          () => null,
          (e: Error) => e,
        )
      )?.name,
    ).toBe(ErrorName.ModelNotLoaded);
    engine.loseAfter = Infinity;
    await api.loadModel(MODEL, 'cache');
    expect((await ask()).choices[0]?.text.length).toBeGreaterThan(0);
  });
});
