/** Issue 12 item 4: the first screen's model facts, without loading WebLLM in the page. */
import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import {
  SUGGESTED_FAMILIES,
  downloadMB,
  friendlyName,
  isSoftwareAdapter,
  paramsB,
  prebuiltModels,
  quantLabel,
  speedHint,
  suggestedModels,
} from '../../../src/ui/view-models/model-facts';
import { listChatModels } from '../../../src/llm/webllm/webllm-catalog';

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
