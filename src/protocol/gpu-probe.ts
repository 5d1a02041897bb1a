/**
 * Probe WebGPU ourselves before any model load: offline, web-llm fails with "Failed to fetch" before it
 * ever checks the GPU, and with no adapter it throws a vague plain Error. Works in the page and in workers.
 */
import type { GpuProbe } from '../core/contracts/webgpu';

// What is missing only: whoever shows a reason gives the advice beside it (WEBGPU_ADVICE), once.
const NO_API = 'This browser does not expose WebGPU (navigator.gpu is missing).';
const NO_ADAPTER = 'WebGPU is present but no GPU adapter is available (the GPU may be blocklisted or disabled).';

export async function probeGpu(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<GpuProbe> {
  if (!gpu) return { available: false, reason: NO_API, shaderF16: false };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { available: false, reason: `${NO_ADAPTER} (${msg})`, shaderF16: false };
  }
  if (!adapter) return { available: false, reason: NO_ADAPTER, shaderF16: false };
  const info = adapter.info;
  // `isFallbackAdapter` moved from GPUAdapter to GPUAdapterInfo; read whichever exists.
  const fallback =
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    false;
  return {
    available: true,
    adapter: {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      description: info?.description ?? '',
      isFallbackAdapter: fallback,
    },
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}
