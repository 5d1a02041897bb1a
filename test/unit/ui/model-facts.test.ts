/** Issue 12 item 4: the first screen's model facts, without loading WebLLM in the page. */
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import {
  SUGGESTED_FAMILIES,
  defaultModelId,
  downloadMB,
  friendlyName,
  isSoftwareAdapter,
  modelCards,
  paramsB,
  prebuiltModels,
  quantLabel,
  speedHint,
  suggestedModels,
} from '../../../src/ui/view-models/model-facts';
import { listChatModels } from '../../../src/llm/webllm/webllm-catalog';
import { DEFAULT_WEBLLM_MODEL } from '../../../src/core/formats/model-names';
import type { ModelInfo } from '../../../src/protocol/worker-api';

const swiftshader = {
  available: true,
  shaderF16: false,
  adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false },
};
const gpu = {
  available: true,
  shaderF16: true,
  adapter: { vendor: 'apple', architecture: 'metal-3', description: '', isFallbackAdapter: false },
};

describe('model facts', () => {
  it('suggested models exist in the web-llm package with its GPU memory, in both maths variants', () => {
    const byId = new Map(prebuiltAppConfig.model_list.map((r) => [r.model_id, r]));
    for (const f16 of [true, false]) {
      const shown = suggestedModels(f16);
      expect(shown).toHaveLength(SUGGESTED_FAMILIES.length);
      for (const m of shown) {
        expect(byId.has(m.id), m.id).toBe(true);
        expect(Math.abs(m.vramMB! - (byId.get(m.id)!.vram_required_MB ?? 0))).toBeLessThan(1);
        expect(m.needsShaderF16).toBe(f16);
        expect(m.cached).toBe(false);
      }
    }
    expect(suggestedModels(true)[0]!.id).toBe('Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(suggestedModels(false)[0]!.id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    // The model exports name when an alignment was made on an endpoint is the page's own default.
    expect(suggestedModels(true)[0]!.id).toBe(DEFAULT_WEBLLM_MODEL);
  });

  it('preselects the first suggested model this GPU runs, so the preselected card is the first suggested one', () => {
    const catalog = prebuiltModels();
    for (const f16 of [true, false]) {
      expect(defaultModelId(catalog, f16)).toBe(suggestedModels(f16)[0]!.id);
      // Without Llama 3.2 1B (a web-llm update dropped it) the next suggested model, not another list's choice.
      const noLlama = catalog.filter((m) => !m.id.startsWith('Llama-3.2-1B'));
      const first = suggestedModels(f16, noLlama)[0]!.id;
      expect(first).toMatch(f16 ? /^Qwen2\.5-1\.5B-.*q4f16/ : /^Qwen2\.5-1\.5B-.*q4f32/);
      expect(defaultModelId(noLlama, f16)).toBe(first);
      expect(modelCards(noLlama, { shaderF16: f16, query: '', all: false, first })[0]!.id).toBe(first);
    }
    // A suggested model the device cannot run (its reason) is passed over.
    const disabled = catalog.map((m) =>
      m.id.startsWith('Llama-3.2-1B') ? { ...m, disabledReason: 'Not enough GPU memory.' } : m,
    );
    expect(defaultModelId(disabled, true)).toBe('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
  });

  it('falls back to a chat model the GPU runs when no suggested one is listed: of a usable size, then the smallest', () => {
    const m = (id: string, vramMB: number, extra: Partial<ModelInfo> = {}): ModelInfo => ({
      id,
      vramMB,
      contextWindow: 4096,
      needsShaderF16: /q4f16/.test(id),
      lowResource: true,
      base: false,
      cached: false,
      ...extra,
    });
    // Ids that do not say their size: the GPU memory tells (Small, at 300 MB, is below the 400 MB bound).
    const custom = [
      m('Big-Instruct-q4f32_1-MLC', 5000),
      m('Small-Instruct-q4f16_1-MLC', 300),
      m('Tiny-Instruct-q4f32_1-MLC', 400),
      m('phi-2-q4f32_1-MLC', 100, { base: true }),
    ];
    expect(defaultModelId(custom, false)).toBe('Tiny-Instruct-q4f32_1-MLC');
    expect(defaultModelId(custom, true)).toBe('Tiny-Instruct-q4f32_1-MLC');
    expect(defaultModelId([], true)).toBeNull();

    // A 135M model is the smallest, but not preselected while a 0.5B instruct model is there; nor is a
    // short-context build, a coder model or a model that does not say it follows instructions, smaller as they are.
    const small = [
      m('SmolLM2-135M-Instruct-q4f16_1-MLC', 200),
      m('SmolLM2-360M-Instruct-q4f16_1-MLC', 376),
      m('Qwen9-0.6B-q4f16_1-MLC', 700),
      m('Qwen9-Coder-0.5B-Instruct-q4f16_1-MLC', 800),
      m('TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC-1k', 675, { contextWindow: 1024 }),
      m('Qwen9-0.5B-Instruct-q4f16_1-MLC', 945),
      m('Qwen9-7B-Instruct-q4f16_1-MLC', 5000),
    ];
    expect(defaultModelId(small, true)).toBe('Qwen9-0.5B-Instruct-q4f16_1-MLC');
    // gemma's "-it" says instruct too.
    expect(defaultModelId([...small, m('gemma9-1b-it-q4f16_1-MLC', 711)], true)).toBe('gemma9-1b-it-q4f16_1-MLC');
    // Without a general instruct model of that size, the next of the order: a general chat model of a usable size
    // before the coder one.
    const noInstruct = small.filter((x) => !/Qwen9-(0\.5B|7B)-Instruct/.test(x.id));
    expect(defaultModelId(noInstruct, true)).toBe('Qwen9-0.6B-q4f16_1-MLC');
    // Only small models: the smallest.
    expect(defaultModelId(small.slice(0, 2), true)).toBe('SmolLM2-135M-Instruct-q4f16_1-MLC');

    // web-llm's own list without the suggested families: a full-context instruct model of 0.5B or more.
    const renamed = prebuiltModels().filter((x) => !SUGGESTED_FAMILIES.some((f) => x.id.startsWith(f)));
    for (const f16 of [true, false]) {
      const id = defaultModelId(renamed, f16)!;
      expect(paramsB(id) ?? 0, id).toBeGreaterThanOrEqual(0.5);
      expect(id).toMatch(/instruct|-it-|chat/i);
      expect(id).not.toMatch(/coder|math|-1k$/i);
      expect(renamed.find((x) => x.id === id)!.contextWindow).toBeGreaterThanOrEqual(4096);
    }
  });

  it('the page’s copy of the chat models is what the worker lists from the installed package', () => {
    // On a mismatch (web-llm was updated): npx tsx scripts/webllm-models.ts
    expect(prebuiltModels()).toEqual(listChatModels(prebuiltAppConfig.model_list, null));
  });

  it('names, sizes and quantisation in words', () => {
    expect(friendlyName('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe('Llama 3.2 1B Instruct');
    expect(friendlyName('gemma-2-2b-it-q4f32_1-MLC')).toBe('gemma 2 2b Instruct');
    expect(friendlyName('Phi-3.5-mini-instruct-q4f16_1-MLC')).toBe('Phi 3.5 mini instruct');
    expect(quantLabel('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe('4-bit, 16-bit maths');
    expect(paramsB('SmolLM2-360M-Instruct-q4f16_1-MLC')).toBeCloseTo(0.36);
    expect(paramsB('Qwen2.5-1.5B-Instruct-q4f32_1-MLC')).toBe(1.5);
    expect(paramsB('gemma-2-2b-it-q4f16_1-MLC')).toBe(2);
    expect(downloadMB('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(563);
    expect(downloadMB('Llama-3.2-3B-Instruct-q4f32_1-MLC')).toBe(1875);
    expect(downloadMB('Phi-3.5-mini-instruct-q4f16_1-MLC')).toBeNull();
  });

  it('says honestly how fast, and warns on a software adapter', () => {
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter(gpu)).toBe(false);
    expect(isSoftwareAdapter({ available: false, shaderF16: false })).toBe(false);
    expect(speedHint('Llama-3.2-1B-Instruct-q4f16_1-MLC', swiftshader)).toMatch(/Very slow here/);
    expect(speedHint('Llama-3.2-1B-Instruct-q4f16_1-MLC', gpu)).toMatch(/Fast on most laptop GPUs/);
    expect(speedHint('Llama-3.2-3B-Instruct-q4f16_1-MLC', gpu)).toMatch(/Slower/);
    expect(speedHint('Llama-3.1-8B-Instruct-q4f16_1-MLC', gpu)).toMatch(/desktop GPU/);
  });
});

describe('model names and the list of cards', () => {
  it('tells apart every build of the catalog by its name and quantisation (a 1k-context build says so)', () => {
    expect(friendlyName('TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC-1k')).toBe('TinyLlama 1.1B Chat v1.0 (1k context)');
    expect(friendlyName('TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC')).toBe('TinyLlama 1.1B Chat v1.0');
    const seen = new Map<string, string>();
    for (const { id } of prebuiltModels()) {
      const said = `${friendlyName(id)} · ${quantLabel(id)}`;
      expect(said, `${id} and ${seen.get(said)}`).not.toMatch(/MLC|q\df\d/);
      expect(seen.has(said), `${id} and ${seen.get(said)}`).toBe(false);
      seen.set(said, id);
    }
  });

  const catalog = prebuiltModels();
  const ids = (ms: { id: string }[]) => ms.map((m) => m.id);
  const suggested = ids(suggestedModels(true));

  it('shows the suggested models, in their order, until all are asked for; what is downloaded moves nothing', () => {
    const opts = { shaderF16: true, query: '', all: false, first: suggested[0] };
    expect(ids(modelCards(catalog, opts))).toEqual(suggested);
    // The full list arrives (after "Show all", or after a download that failed): the suggested view stays.
    const listed = catalog.map((m) => ({ ...m, cached: m.id.startsWith('SmolLM2-135M') || m.id === suggested[2] }));
    expect(ids(modelCards(listed, opts))).toEqual(suggested);
    // A loaded model that is not suggested stays on the list after the suggested ones.
    const keep = new Set(['SmolLM2-360M-Instruct-q4f16_1-MLC']);
    expect(ids(modelCards(listed, { ...opts, keep }))).toEqual([...suggested, ...keep]);
  });

  it('"all" is every chat model, suggested first, then what this GPU runs, small to large, never by download', () => {
    const all = modelCards(catalog, { shaderF16: false, query: '', all: true, first: suggestedModels(false)[0]!.id });
    expect(all).toHaveLength(catalog.filter((m) => !m.base).length);
    expect(ids(all.slice(0, 4))).toEqual(ids(suggestedModels(false)));
    const rest = all.slice(4);
    const runs = rest.map((m) => !m.needsShaderF16 && !m.disabledReason);
    expect(runs.indexOf(false)).toBeGreaterThan(0);
    expect(runs.slice(runs.indexOf(false)).every((r) => !r)).toBe(true);
    const cached = catalog.map((m, i) => ({ ...m, cached: i % 3 === 0 }));
    expect(ids(modelCards(cached, { shaderF16: false, query: '', all: true }))).toEqual(
      ids(modelCards(catalog, { shaderF16: false, query: '', all: true })),
    );
  });

  it('a query searches ids and names of the whole catalog, base models included', () => {
    const found = modelCards(catalog, { shaderF16: true, query: 'Llama 3.2 1B', all: false });
    expect(found.length).toBeGreaterThan(2);
    expect(found.every((m) => friendlyName(m.id).startsWith('Llama 3.2 1B'))).toBe(true);
    expect(ids(modelCards(catalog, { shaderF16: true, query: 'phi-2', all: false }))).toContain('phi-2-q4f16_1-MLC');
    expect(modelCards(catalog, { shaderF16: true, query: 'zzz', all: true })).toEqual([]);
  });
});
