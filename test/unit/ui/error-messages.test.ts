/**
 * Evaluate audit: an error's words say the server's message once, and a rejected key says where to fix it.
 * The in-browser model's errors say what happened and the hint what to do, so the page says each once.
 */
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '@mlc-ai/web-llm';
import { describeError, errorLine } from '../../../src/ui/helpers/error-messages';
import { toStorageError } from '../../../src/store/backends/backend';
import { httpError } from '../../../src/llm/openai/http-errors';
import { AppError, ErrorName, serializeError } from '../../../src/core/contracts/errors';
import { mapWebLlmError } from '../../../src/llm/webllm/webllm-errors';
import { probeGpu } from '../../../src/protocol/gpu-probe';
import type { GpuProbe } from '../../../src/protocol/worker-api';
import { WebLlmHost } from '../../../src/worker/webllm-host';
import { getRunSession, resetRunSessions } from '../../../src/ui/controllers/run-controller';
import { EmptyReplyWatch } from '../../../src/core/calls/empty-replies';
import { emptyStats } from '../../../src/core/calls/call-gateway';

describe('describeError', () => {
  it('says the server’s words once, keeping where the request went', () => {
    const url = 'http://127.0.0.1:8123/v1/chat/completions';
    const w = describeError(serializeError(httpError(401, '{"error":{"message":"Invalid API key"}}', { url })));
    expect(w.message).toBe(`The server refused the request (HTTP 401): Invalid API key (HTTP 401 from ${url})`);
    expect(w.message.match(/Invalid API key/g)).toHaveLength(1);
    expect(w.hint).toMatch(/API key in Setup → OpenAI-compatible endpoint/);
  });

  it('keeps a detail that adds something, and drops one the message already holds', () => {
    expect(describeError({ name: 'Http', message: 'Bad request', detail: 'HTTP 400 from u: field x' }).message).toBe(
      'Bad request (HTTP 400 from u: field x)',
    );
    expect(describeError({ name: 'Http', message: 'Bad request: field x', detail: 'field x' }).message).toBe(
      'Bad request: field x',
    );
  });
});

describe('error words', () => {
  it('an endpoint that turned to empty rewrites: the title and hint say "replies" as its message does', () => {
    const watch = new EmptyReplyWatch({ ...emptyStats(), calls: 7 }, 2, () => 'endpoint');
    const reply = (text: string) => ({
      model: 'm',
      choices: [{ text, finish_reason: 'stop' as const }],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    });
    watch.note('optimizer', 'k1', reply('A prompt.'), true);
    watch.note('optimizer', 'k2', reply(''), true);
    const w = describeError(serializeError(watch.note('optimizer', 'k3', reply(''), true)));
    expect(w.message).toMatch(/^The endpoint began sending empty replies at call 7/);
    expect(w.title).toBe('The replies came back empty');
    expect(w.hint).toMatch(/then only with empty replies/);
  });

  it('a record deleted in another tab, and a press before the studio is connected, get their own words', async () => {
    // Both once borrowed a server's words: "Not found (404) … the base URL usually ends in /v1", and "No model is
    // loaded … go to Setup and load a model" for a page that had not finished starting.
    const gone = describeError(new AppError(ErrorName.Gone, 'This alignment no longer exists.'));
    expect(gone.title).toBe('No longer stored');
    expect(`${gone.title} ${gone.hint}`).not.toMatch(/404|base URL|\/v1/);
    expect(gone.hint).toMatch(/another tab/);
    // Driven through the run session, as a press on Start before the page has its client and store.
    const session = getRunSession('starting-run');
    await session.start();
    expect(session.error?.name).toBe(ErrorName.Starting);
    const starting = describeError(session.error!);
    expect(starting.title).toBe('The studio is still starting');
    expect(`${starting.message} ${starting.hint}`).not.toMatch(/Setup|load a model|worker/);
    expect(starting.retryable).toBe(true);
    resetRunSessions();
  });

  it('a failed download says "check your connection" once, however the message put it', () => {
    // The adapter's own error for a download the browser could not fetch.
    const words = describeError(mapWebLlmError(new TypeError('Failed to fetch')));
    expect(words.title).toBe('The model download failed');
    expect(`${words.message} ${words.hint}`.match(/check your connection/gi)).toHaveLength(1);
    expect(words.hint).toMatch(/free disk space/);
    expect(describeError(new AppError(ErrorName.ModelDownload, 'HTTP 404 for params_shard_3.bin')).hint).toMatch(
      /Check your connection and free disk space/,
    );
  });
});

/**
 * What to do, for each name: its key words first (said once, by the hint), then words an earlier message
 * said beside the hint (at most once).
 */
const ADVICE: Record<string, [RegExp, ...RegExp[]]> = {
  [ErrorName.Abort]: [/start it again/],
  [ErrorName.WebGpuUnavailable]: [/OpenAI-compatible endpoint/, /Chrome or Edge/, /another browser/],
  [ErrorName.ShaderF16Missing]: [/q4f32/],
  [ErrorName.DeviceLost]: [/load the model/, /smaller/],
  [ErrorName.OutOfMemory]: [/smaller model/, /GPU-heavy tabs/],
  [ErrorName.ContextWindowExceeded]: [/larger context/, /shorten/, /examples/, /max tokens/],
  [ErrorName.ModelNotLoaded]: [/\bload\b/],
  // 'Delete cached' names Setup's button; the advice itself (make room, delete old runs) is said once.
  [ErrorName.Quota]: [/make room/, /delete old runs/, /normal window/],
  [ErrorName.ModelDownload]: [/check your connection/],
  [ErrorName.Unknown]: [/try again/],
};

function expectAdviceOnce(err: unknown, name: string): void {
  // As the page gets it: across the worker boundary, as plain data.
  const words = describeError(serializeError(err));
  expect(serializeError(err).name).toBe(name);
  const said = `${words.message} ${words.hint}`;
  const times = (re: RegExp) => said.match(new RegExp(re.source, 'gi'))?.length ?? 0;
  const [key, ...others] = ADVICE[name]!;
  expect(times(key), `${key} in “${said}”`).toBe(1);
  expect(words.hint).toMatch(new RegExp(key.source, 'i'));
  for (const re of others) expect(times(re), `${re} in “${said}”`).toBeLessThanOrEqual(1);
}

describe('the in-browser model’s errors give their advice once', () => {
  const err = (name: string, message: string): Error => Object.assign(new Error(message), { name });
  // One error of each of the adapter's rules (a new rule needs a row here, and its name a row in ADVICE).
  const thrown: [unknown, string][] = [
    [err('AbortError', 'aborted'), ErrorName.Abort],
    [
      err('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment'),
      ErrorName.WebGpuUnavailable,
    ],
    [err('ShaderF16SupportError', 'shader-f16 unsupported'), ErrorName.ShaderF16Missing],
    [err('DeviceLostError', 'device lost'), ErrorName.DeviceLost],
    [new Error('GPU out of memory'), ErrorName.OutOfMemory],
    [err('ContextWindowSizeExceededError', 'too long'), ErrorName.ContextWindowExceeded],
    [err('ModelNotLoadedError', 'not loaded'), ErrorName.ModelNotLoaded],
    [err('QuotaExceededError', 'quota'), ErrorName.Quota],
    [new TypeError('Failed to fetch'), ErrorName.ModelDownload],
    [new Error('something odd'), ErrorName.Unknown],
  ];
  it.each(thrown)('%s → %s', (input, name) => expectAdviceOnce(mapWebLlmError(input), name));

  it('storage that fills while saving: what happened in the message, how to make room in the hint, once', () => {
    const full = toStorageError(new DOMException('Quota exceeded.', 'QuotaExceededError'));
    expectAdviceOnce(full, ErrorName.Quota);
    const said = describeError(serializeError(full));
    expect(said.message).toMatch(
      /^Your browser ran out of storage for DRPO Studio, so the last results were not saved\./,
    );
    expect(`${said.message} ${said.hint}`).not.toMatch(/try again/i);
    // Said in one line (a toast, a report that could not be saved): what is wrong and how to make room, once;
    // other errors keep their message.
    expect(errorLine(serializeError(full))).toBe(`Browser storage is full. ${said.hint}`);
    expect(errorLine(new AppError(ErrorName.Unknown, 'odd'))).toBe('odd');
  });

  it('an endpoint whose context window is too small for the prompt: the advice is the hint’s alone', () => {
    const long = '{"error":{"message":"This model\'s maximum context length is 4096 tokens"}}';
    const url = 'http://127.0.0.1:8123/v1/chat/completions';
    for (const status of [400, 413, 422]) {
      expectAdviceOnce(httpError(status, long, { url, model: 'llama3' }), ErrorName.ContextWindowExceeded);
    }
  });

  const f16Record = { model_id: 'Tiny-q4f16_1-MLC', model: 'https://x.invalid/m', model_lib: 'https://x.invalid/w' };
  const host = (probe: () => Promise<GpuProbe>) =>
    new WebLlmHost({
      probeGpu: probe,
      runtime: {
        modelList: [f16Record as ModelRecord],
        createEngine: () => {
          throw new Error('not used');
        },
        hasModelInCache: async () => false,
        deleteModelAllInfoInCache: async () => undefined,
      },
    });
  const loadError = (probe: () => Promise<GpuProbe>) =>
    host(probe)
      .load(f16Record.model_id, 'cache')
      .then(
        () => null,
        (e: unknown) => e,
      );

  it('the worker’s own: no WebGPU (as the probe says it, with and without the API)', async () => {
    expectAdviceOnce(await loadError(() => probeGpu(undefined)), ErrorName.WebGpuUnavailable);
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    expectAdviceOnce(await loadError(() => probeGpu(noAdapter)), ErrorName.WebGpuUnavailable);
  });

  it('the worker’s own: a 16-bit model on a GPU without shader-f16, and a model not loaded', async () => {
    const noF16 = await loadError(async () => ({ available: true, shaderF16: false }));
    expectAdviceOnce(noF16, ErrorName.ShaderF16Missing);
    expect((noF16 as Error).message).toContain('"Tiny-q4f16_1-MLC"');
    let notLoaded: unknown;
    try {
      host(async () => ({ available: true, shaderF16: true })).chatModel('Tiny-q4f16_1-MLC');
    } catch (e) {
      notLoaded = e;
    }
    expectAdviceOnce(notLoaded, ErrorName.ModelNotLoaded);
  });
});
