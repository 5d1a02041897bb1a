/**
 * Page-level WebGPU probe, so the page can show "no WebGPU" before it ever starts the worker
 * (which would pull in the large web-llm bundle). Same logic the worker uses.
 */
export { probeGpu } from '../protocol/gpu-probe';
export type { GpuProbe } from '../core/contracts/webgpu';
