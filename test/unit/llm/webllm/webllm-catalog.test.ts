import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { ModelRecord } from '@mlc-ai/web-llm';
import { listChatModels, needsShaderF16 } from '../../../../src/llm/webllm/webllm-catalog';
import type { GpuProbe } from '../../../../src/core/contracts/webgpu';

const list = prebuiltAppConfig.model_list;
const f16Gpu: GpuProbe = { available: true, shaderF16: true };
const f32Gpu: GpuProbe = { available: true, shaderF16: false };
const noGpu: GpuProbe = { available: false, shaderF16: false, reason: 'no WebGPU here' };
const LLAMA_F16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const LLAMA_F32 = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';

const rec = (id: string, extra: Partial<ModelRecord> = {}): ModelRecord => ({
  model: `https://example.invalid/${id}`,
  model_id: id,
  model_lib: `https://example.invalid/${id}.wasm`,
  ...extra,
});

describe('webllm catalog', () => {
  it('lists chat models only, with sizes and context windows', () => {
    const models = listChatModels(list, f16Gpu);
    const ids = models.map((m) => m.id);
    expect(ids.some((id) => id.includes('snowflake-arctic-embed'))).toBe(false);
    expect(ids.some((id) => id.includes('vision'))).toBe(false);
    const llama = models.find((m) => m.id === LLAMA_F16);
    expect(llama).toMatchObject({
      needsShaderF16: true,
      lowResource: true,
      base: false,
      cached: false,
      contextWindow: 4096,
    });
    expect(llama?.vramMB).toBeGreaterThan(500);
    expect(llama?.disabledReason).toBeUndefined();
  });

  it('flags f16 models by required_features or by quantization in the id', () => {
    expect(needsShaderF16(rec('x-q4f16_1-MLC'))).toBe(true);
    expect(needsShaderF16(rec('x-q0f16-MLC'))).toBe(true);
    expect(needsShaderF16(rec('x-q4f32_1-MLC', { required_features: ['shader-f16'] }))).toBe(true);
    expect(needsShaderF16(rec('Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC'))).toBe(false);
  });

  it('disables f16 models on a GPU without shader-f16 and everything without WebGPU', () => {
    const models = listChatModels(list, f32Gpu);
    const f16 = models.find((m) => m.id === LLAMA_F16);
    const f32 = models.find((m) => m.id === LLAMA_F32);
    expect(f16?.disabledReason).toMatch(/shader-f16/);
    expect(f32?.disabledReason).toBeUndefined();
    expect(listChatModels(list, noGpu).every((m) => m.disabledReason === 'no WebGPU here')).toBe(true);
  });

  it('marks base models', () => {
    const base = listChatModels(list, f16Gpu)
      .filter((m) => m.base)
      .map((m) => m.id);
    expect(base.some((id) => id.startsWith('phi-2'))).toBe(true);
    expect(base.some((id) => id.startsWith('phi-1_5'))).toBe(true);
    expect(base.some((id) => id.includes('Ministral-3-3B-Base'))).toBe(true);
    expect(base.some((id) => /instruct/i.test(id))).toBe(false);
  });

  it('passes cached ids through', () => {
    const models = listChatModels(list, f16Gpu, new Set([LLAMA_F32]));
    expect(models.filter((m) => m.cached).map((m) => m.id)).toEqual([LLAMA_F32]);
  });
});
