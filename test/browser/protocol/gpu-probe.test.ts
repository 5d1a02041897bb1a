import { describe, expect, it } from 'vitest';
import { probeGpu } from '../../../src/client/gpu';

describe('probeGpu (Chromium with --enable-unsafe-webgpu)', () => {
  it('finds an adapter and reports its info and limits', async () => {
    const probe = await probeGpu();
    expect(probe.available).toBe(true);
    expect(probe.reason).toBeUndefined();
    expect(probe.adapter).toBeDefined();
    expect(typeof probe.adapter?.vendor).toBe('string');
    expect(typeof probe.adapter?.isFallbackAdapter).toBe('boolean');
    expect(probe.maxBufferSize).toBeGreaterThan(0);
    expect(probe.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  it('reports shader-f16 as the adapter does (absent on SwiftShader)', async () => {
    const probe = await probeGpu();
    const adapter = await navigator.gpu.requestAdapter();
    expect(probe.shaderF16).toBe(adapter?.features.has('shader-f16') ?? false);
    if (/swiftshader/i.test(`${probe.adapter?.vendor} ${probe.adapter?.description} ${probe.adapter?.architecture}`)) {
      expect(probe.shaderF16).toBe(false);
    }
  });

  it('explains a missing adapter or a missing API', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const a = await probeGpu(noAdapter);
    expect(a).toMatchObject({ available: false, shaderF16: false });
    expect(a.reason).toMatch(/no GPU adapter/);
    const throwing = {
      requestAdapter: async () => {
        throw new Error('blocked');
      },
    } as unknown as GPU;
    expect((await probeGpu(throwing)).reason).toMatch(/blocked/);
  });
});
