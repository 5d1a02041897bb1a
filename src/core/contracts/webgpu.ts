/**
 * WebGPU as every layer sees it: what the probe reports, an in-browser model as the picker lists it, and the
 * sentences about a missing GPU feature. Each sentence has one home, here: the adapter, the worker, the model
 * cards, the GPU status and the error words all say it the same way. What happened and what to do are kept
 * apart, because an error's message says what happened and the page's hint beside it says what to do: said
 * in both, the advice would be read twice.
 */

export interface GpuProbe {
  available: boolean;
  /** Why not, in words, when unavailable (what is missing, not what to do: see WEBGPU_ADVICE). */
  reason?: string;
  adapter?: { vendor: string; architecture: string; description: string; isFallbackAdapter: boolean };
  shaderF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

export interface ModelInfo {
  id: string;
  vramMB: number | null;
  contextWindow: number | null;
  needsShaderF16: boolean;
  lowResource: boolean;
  /** Base (non-chat) model. */
  base: boolean;
  cached: boolean;
  /** Set when this device cannot run it (e.g. no shader-f16). */
  disabledReason?: string;
}

/** What happened when nothing more precise is known (the probe's own reason says more). */
export const NO_WEBGPU = 'WebGPU is not available in this browser or on this device.';

/** Where a user can see what their browser's WebGPU offers (the GPU status links it). */
export const WEBGPU_REPORT_URL = 'https://webgpureport.org';

/** What to do without WebGPU, a step a sentence (the GPU status lists them; the error hint joins them). */
export const WEBGPU_ADVICE: readonly string[] = [
  'Use Chrome or Edge 113 or newer on a supported GPU.',
  `Check chrome://gpu and ${WEBGPU_REPORT_URL}.`,
  'Or connect an OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM, …): it works without WebGPU.',
];

/** What happened: `subject` (a model, or a model id in quotes) needs shader-f16 and this GPU has none. */
export function lacksShaderF16(subject = 'This model'): string {
  return `${subject} needs 16-bit float shaders (shader-f16), which this GPU lacks.`;
}

/** What to do about it. */
export const SHADER_F16_ADVICE = 'Pick a q4f32 model instead: those run without shader-f16.';

/** Why a model's card cannot load it: shown with no hint beside it, so it says what to do too. */
export const SHADER_F16_REASON = `${lacksShaderF16()} ${SHADER_F16_ADVICE}`;
