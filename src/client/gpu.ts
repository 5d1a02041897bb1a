/**
 * Page-level WebGPU probe, so the page can show "no WebGPU" before it ever starts the worker
 * (which would pull in the large web-llm bundle). Same logic the worker uses.
 */
export { probeGpu } from '../worker/gpu-probe';
export type { GpuProbe } from '../worker/api';
