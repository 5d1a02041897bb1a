import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk, Completion } from '@mlc-ai/web-llm';
import { WebLlmChatModel, schemaString } from '../../../../src/llm/webllm/webllm-adapter';
import type { WebLlmEngineLike } from '../../../../src/llm/webllm/webllm-adapter';
import { mapWebLlmError } from '../../../../src/llm/webllm/webllm-errors';
import { Fifo } from '../../../../src/llm/webllm/webllm-fifo';
import { ErrorName } from '../../../../src/core/contracts/errors';

type Req = Record<string, unknown>;

const usage = {
  prompt_tokens: 12,
  completion_tokens: 3,
  total_tokens: 15,
  extra: {
    e2e_latency_s: 0.5,
    prefill_tokens_per_s: 200,
    decode_tokens_per_s: 20,
    time_to_first_token_s: 0.1,
    time_per_output_token_s: 0.05,
  },
};

function completion(text: string, finish: 'stop' | 'length' | 'abort' = 'stop'): ChatCompletion {
  return {
    id: 'x',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [
      {
        index: 0,
        finish_reason: finish,
        message: { role: 'assistant', content: text },
        logprobs: {
          content: [
            { token: 'Hi', logprob: -0.1, bytes: null, top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: null }] },
          ],
        },
      },
    ],
    usage,
  } as ChatCompletion;
}

function chunk(content: string, finish: 'stop' | 'abort' | null = null): ChatCompletionChunk {
  return {
    id: 'x',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta: { content, role: 'assistant' }, finish_reason: finish }],
  } as ChatCompletionChunk;
}

/** A fake MLCEngine: records requests, answers from a script, honours interruptGenerate mid-stream. */
class FakeEngine {
  requests: Req[] = [];
  interrupts = 0;
  private interrupted = false;
  fail: unknown = null;
  /** When set, streams wait on this between chunks (lets a test abort mid-stream). */
  gate: Promise<void> | null = null;
  /** What the chat answers (whole, or in stream parts); by default "answer N" and "Hello there". */
  script: string[] | null = null;
  active = 0;
  maxActive = 0;

  chat = {
    completions: {
      create: async (req: Req): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>> => {
        this.requests.push(req);
        if (this.fail) throw this.fail;
        this.interrupted = false;
        this.active += 1;
        this.maxActive = Math.max(this.maxActive, this.active);
        if (!req.stream) {
          await new Promise((r) => setTimeout(r, 5));
          this.active -= 1;
          return completion(this.script?.join('') ?? `answer ${this.requests.length}`);
        }
        return this.stream();
      },
    },
  };

  completions = {
    create: async (req: Req): Promise<Completion> => {
      this.requests.push(req);
      return {
        id: 'c',
        object: 'text_completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, text: ' raw text', finish_reason: 'length', logprobs: null }],
        usage,
      } as Completion;
    },
  };

  embeddings = { create: async () => ({ data: [{ embedding: [1, 2], index: 0, object: 'embedding' }] }) };

  interruptGenerate = async (): Promise<void> => {
    this.interrupts += 1;
    this.interrupted = true;
  };

  private async *stream(): AsyncIterable<ChatCompletionChunk> {
    try {
      for (const part of this.script ?? ['Hel', 'lo', ' there']) {
        if (this.gate) await this.gate;
        if (this.interrupted) {
          yield chunk('', 'abort');
          return;
        }
        yield chunk(part);
      }
      yield chunk('', 'stop');
      yield { ...chunk(''), choices: [], usage } as ChatCompletionChunk;
    } finally {
      this.active -= 1;
    }
  }

  asEngine(): WebLlmEngineLike {
    return this as unknown as WebLlmEngineLike;
  }
}

const msgs = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi?' },
];

describe('WebLlmChatModel', () => {
  it('falls back to plain generation when the JSON grammar crashes, and stops asking for it', async () => {
    const engine = new FakeEngine();
    const model = new WebLlmChatModel(engine.asEngine(), 'm');
    const create = engine.chat.completions.create;
    engine.chat.completions.create = async (req: Req) => {
      if (req.response_format) {
        engine.requests.push(req);
        throw new Error('Invalid token id: 128009');
      }
      return create(req);
    };
    const json = { name: 'aspect_scores', schema: { type: 'object' } };
    const r = await model.chat({ messages: msgs, json });
    expect(r.choices[0]!.text).toMatch(/answer/);
    expect(model.capabilities.jsonSchema).toBe(false);
    await model.chat({ messages: msgs, json });
    expect(engine.requests.map((q) => 'response_format' in q)).toEqual([true, false, false]);
    // Other errors are not mistaken for grammar failures.
    engine.fail = new Error('Device lost');
    await expect(model.chat({ messages: msgs })).rejects.toBeTruthy();
  });

  it("leaves a reasoning model's thinking out of its answer, streamed or not; Qwen3 is asked not to think", async () => {
    const engine = new FakeEngine();
    engine.script = ['<think>\nThe user greets', ' me. {"score": 1}\n</think>', '\n\nHello!'];
    const r1 = new WebLlmChatModel(engine.asEngine(), 'DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC');
    expect((await r1.chat({ messages: msgs })).choices[0]!.text).toBe('Hello!');
    const tokens: string[] = [];
    const streamed = await r1.chat({ messages: msgs, onToken: (t) => tokens.push(t) });
    expect(streamed.choices[0]!.text).toBe('Hello!');
    // The stream itself is passed on as it comes (the chat view hides the thinking while it lasts).
    expect(tokens.join('')).toBe(engine.script.join(''));
    expect(engine.requests.every((q) => !('extra_body' in q))).toBe(true);
    const qwen = new WebLlmChatModel(engine.asEngine(), 'Qwen3-1.7B-q4f16_1-MLC');
    await qwen.chat({ messages: msgs });
    expect(engine.requests.at(-1)).toMatchObject({ extra_body: { enable_thinking: false } });
  });

  it('maps a plain request, result and usage', async () => {
    const fake = new FakeEngine();
    const model = new WebLlmChatModel(fake.asEngine(), 'Llama-x', { contextWindow: 2048 });
    expect(model.capabilities).toMatchObject({
      jsonSchema: true,
      multipleChoices: false,
      contextWindow: 2048,
      rawCompletion: true,
    });
    const res = await model.chat({
      messages: msgs,
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 64,
      stop: ['\n\n'],
      seed: 7.8,
      logprobs: true,
      top_logprobs: 9,
    });
    expect(fake.requests[0]).toMatchObject({
      model: 'Llama-x',
      messages: msgs,
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 64,
      stop: ['\n\n'],
      seed: 7,
      logprobs: true,
      top_logprobs: 5,
      stream: false,
    });
    expect(res.model).toBe('Llama-x');
    expect(res.choices[0]).toMatchObject({ text: 'answer 1', finish_reason: 'stop' });
    expect(res.choices[0]?.logprobs?.[0]).toEqual({
      token: 'Hi',
      logprob: -0.1,
      top: [{ token: 'Hi', logprob: -0.1 }],
    });
    expect(res.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      prefill_tokens_per_s: 200,
      decode_tokens_per_s: 20,
      time_to_first_token_s: 0.1,
      e2e_latency_s: 0.5,
    });
  });

  it('sends structured output as a stable schema string', async () => {
    const fake = new FakeEngine();
    const model = new WebLlmChatModel(fake.asEngine(), 'm');
    const schema = { type: 'object', properties: { score: { type: 'integer' } }, required: ['score'] };
    await model.chat({ messages: msgs, json: { name: 'judge', schema } });
    await model.chat({ messages: msgs, json: { name: 'judge', schema: JSON.parse(JSON.stringify(schema)) } });
    const a = (fake.requests[0]?.response_format as { schema: string }).schema;
    const b = (fake.requests[1]?.response_format as { schema: string }).schema;
    expect(fake.requests[0]?.response_format).toMatchObject({ type: 'json_object' });
    expect(a).toBe(JSON.stringify(schema));
    expect(a).toBe(b);
    expect(schemaString('judge', schema)).toBe(a);
  });

  it('streams tokens with include_usage and returns the whole text', async () => {
    const fake = new FakeEngine();
    const model = new WebLlmChatModel(fake.asEngine(), 'm');
    const deltas: string[] = [];
    const res = await model.chat({ messages: msgs, onToken: (d) => deltas.push(d) });
    expect(fake.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(deltas).toEqual(['Hel', 'lo', ' there']);
    expect(res.choices[0]).toMatchObject({ text: 'Hello there', finish_reason: 'stop' });
    expect(res.usage.decode_tokens_per_s).toBe(20);
  });

  it('runs n > 1 sequentially without streaming, with distinct seeds', async () => {
    const fake = new FakeEngine();
    const model = new WebLlmChatModel(fake.asEngine(), 'm');
    const res = await model.chat({ messages: msgs, n: 3, seed: 10, onToken: () => undefined });
    expect(res.choices.map((c) => c.text)).toEqual(['answer 1', 'answer 2', 'answer 3']);
    expect(fake.requests.map((r) => [r.stream, r.seed, r.n])).toEqual([
      [false, 10, undefined],
      [false, 11, undefined],
      [false, 12, undefined],
    ]);
    expect(res.usage.prompt_tokens).toBe(36);
  });

  it('aborting mid-stream interrupts generation and rejects with AbortError', async () => {
    const fake = new FakeEngine();
    let open!: () => void;
    fake.gate = new Promise((r) => (open = r));
    const model = new WebLlmChatModel(fake.asEngine(), 'm');
    const ctl = new AbortController();
    const p = model.chat({ messages: msgs, signal: ctl.signal, onToken: () => undefined });
    await new Promise((r) => setTimeout(r, 5));
    ctl.abort();
    open();
    await expect(p).rejects.toMatchObject({ name: ErrorName.Abort });
    expect(fake.interrupts).toBe(1);
    expect(fake.active).toBe(0);
    // The model stays usable.
    fake.gate = null;
    await expect(model.chat({ messages: msgs })).resolves.toMatchObject({ model: 'm' });
  });

  it('rejects at once when already aborted, and drops queued requests that are aborted', async () => {
    const fake = new FakeEngine();
    const model = new WebLlmChatModel(fake.asEngine(), 'm');
    const ctl = new AbortController();
    ctl.abort();
    await expect(model.chat({ messages: msgs, signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const first = model.chat({ messages: msgs });
    const ctl2 = new AbortController();
    const second = model.chat({ messages: msgs, signal: ctl2.signal });
    ctl2.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await first;
    expect(fake.requests).toHaveLength(1);
    expect(fake.interrupts).toBe(0);
  });

  it('never runs two requests to one model at once (FIFO across adapter instances)', async () => {
    const fake = new FakeEngine();
    const a = new WebLlmChatModel(fake.asEngine(), 'm');
    const b = new WebLlmChatModel(fake.asEngine(), 'm');
    const results = await Promise.all([
      a.chat({ messages: msgs }),
      b.chat({ messages: msgs, onToken: () => undefined }),
      a.chat({ messages: msgs }),
    ]);
    expect(results).toHaveLength(3);
    expect(fake.maxActive).toBe(1);
  });

  it('maps engine errors to named AppErrors', async () => {
    const fake = new FakeEngine();
    fake.fail = Object.assign(new Error('prompt too long'), { name: 'ContextWindowSizeExceededError' });
    const model = new WebLlmChatModel(fake.asEngine(), 'm');
    await expect(model.chat({ messages: msgs })).rejects.toMatchObject({ name: ErrorName.ContextWindowExceeded });
  });

  it('completes raw prompts and embeds only with an embedding model', async () => {
    const fake = new FakeEngine();
    const model = new WebLlmChatModel(fake.asEngine(), 'phi-2');
    const res = await model.complete({ prompt: 'Once upon', max_tokens: 5 });
    expect(fake.requests[0]).toMatchObject({ prompt: 'Once upon', model: 'phi-2', max_tokens: 5, stream: false });
    expect(res.choices[0]).toMatchObject({ text: ' raw text', finish_reason: 'length' });
    await expect(model.embed(['a'])).rejects.toMatchObject({ name: ErrorName.ModelNotLoaded });
    const withEmbed = new WebLlmChatModel(fake.asEngine(), 'phi-2', { contextWindow: null, embeddingModelId: 'e' });
    await expect(withEmbed.embed(['a'])).resolves.toEqual([[1, 2]]);
  });
});

describe('mapWebLlmError', () => {
  const err = (name: string, message: string): Error => Object.assign(new Error(message), { name });
  const table: [unknown, string][] = [
    [
      err('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment'),
      ErrorName.WebGpuUnavailable,
    ],
    [new Error('Unable to find a compatible GPU. This issue might be ...'), ErrorName.WebGpuUnavailable],
    [err('ShaderF16SupportError', 'shader-f16 unsupported'), ErrorName.ShaderF16Missing],
    [err('FeatureSupportError', 'missing feature'), ErrorName.ShaderF16Missing],
    [err('DeviceLostError', 'device lost'), ErrorName.DeviceLost],
    [new Error('GPU out of memory'), ErrorName.OutOfMemory],
    [new Error('OOM while loading'), ErrorName.OutOfMemory],
    [new Error('Allocation failed'), ErrorName.OutOfMemory],
    [new Error("Failed to execute 'createBuffer' on 'GPUDevice'"), ErrorName.OutOfMemory],
    [err('ContextWindowSizeExceededError', 'too long'), ErrorName.ContextWindowExceeded],
    [err('ModelNotLoadedError', 'not loaded'), ErrorName.ModelNotLoaded],
    [new TypeError('Failed to fetch'), ErrorName.ModelDownload],
    [new TypeError('Load failed'), ErrorName.ModelDownload], // Safari's words for the same
    [new Error('Failed to store https://x/y with error: TypeError: Load failed'), ErrorName.ModelDownload],
    [err('NetworkError', 'A network error occurred.'), ErrorName.ModelDownload],
    [new Error("Failed to execute 'add' on 'Cache': Cache.add() encountered a network error"), ErrorName.ModelDownload],
    [err('QuotaExceededError', 'quota'), ErrorName.Quota],
    [err('AbortError', 'aborted'), ErrorName.Abort],
    [new Error('something odd'), ErrorName.Unknown],
    ['a string', ErrorName.Unknown],
  ];
  it.each(table)('%s → %s', (input, name) => {
    const mapped = mapWebLlmError(input);
    expect(mapped.name).toBe(name);
    expect(mapped.message.length).toBeGreaterThan(10);
  });

  it('keeps the original message as detail', () => {
    const mapped = mapWebLlmError(new Error('something odd'));
    expect(mapped.detail).toBe('something odd');
    expect(mapped.message).toContain('something odd');
    expect(mapWebLlmError(new TypeError('Failed to fetch')).message).toMatch(/offline/);
  });

  it('a download that fails offline with the IndexedDB cache backend is told like the Cache API one', () => {
    // What web-llm 0.2.86's ArtifactIndexedDBCache.addToCache throws when fetch fails (its exact text).
    const url = 'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f32_1-MLC/resolve/main/mlc-chat-config.json';
    const thrown = Error('Failed to store ' + url + ' with error: ' + String(new TypeError('Failed to fetch')));
    const mapped = mapWebLlmError(thrown);
    const viaCache = mapWebLlmError(new TypeError('Failed to fetch'));
    expect(mapped.name).toBe(ErrorName.ModelDownload);
    expect(mapped.message).toBe(viaCache.message);
    expect(mapped.retryable).toBe(true);
    expect(mapped.detail).toBe(thrown.message);
  });

  it('a download that fills the disk with the IndexedDB cache backend is told as storage full, not as an odd failure', () => {
    // web-llm 0.2.86's ArtifactIndexedDBCache.addToCache wraps the DOMException in a plain Error (its exact text).
    const url = 'https://huggingface.co/mlc-ai/Llama-3.2-3B-Instruct-q4f16_1-MLC/resolve/main/params_shard_40.bin';
    const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    const thrown = Error('Failed to store ' + url + ' with error: ' + String(quota));
    const mapped = mapWebLlmError(thrown);
    expect(mapped.name).toBe(ErrorName.Quota);
    expect(mapped.message).toBe(mapWebLlmError(quota).message);
    expect(mapped.detail).toBe(thrown.message);
  });
});

describe('Fifo', () => {
  it('keeps order and survives failures', async () => {
    const q = new Fifo();
    const seen: number[] = [];
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const a = q.run(async () => {
      await wait(10);
      seen.push(1);
    });
    const b = q.run(async () => {
      seen.push(2);
      throw new Error('boom');
    });
    const c = q.run(async () => {
      seen.push(3);
      return 'c';
    });
    await a;
    await expect(b).rejects.toThrow('boom');
    await expect(c).resolves.toBe('c');
    expect(seen).toEqual([1, 2, 3]);
    expect(q.size).toBe(0);
  });

  it('an aborted waiter does not let the next task jump the running one', async () => {
    const q = new Fifo();
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 10));
      running -= 1;
    };
    const ctl = new AbortController();
    const a = q.run(task);
    const b = q.run(task, ctl.signal);
    ctl.abort();
    const c = q.run(task);
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    await Promise.all([a, c]);
    expect(maxRunning).toBe(1);
  });
});
