/**
 * The model picker's list, derived from web-llm's prebuilt model records. Pure over its inputs
 * (records + GPU probe + cached ids) so it runs in node tests; the worker passes `prebuiltAppConfig.model_list`.
 * Which model to suggest and preselect is the page's choice, in one place: ui/view-models/model-facts.ts.
 */
import type { ModelRecord } from '@mlc-ai/web-llm';
import type { GpuProbe, ModelInfo } from '../../core/contracts/webgpu';
import { NO_WEBGPU, SHADER_F16_REASON } from '../../core/contracts/webgpu';

/** web-llm's `ModelType` enum values (LLM = 0, embedding = 1, VLM = 2), kept local so this file needs no runtime import. */
const MODEL_TYPE_EMBEDDING = 1;
const MODEL_TYPE_VLM = 2;

/** A quantization segment like q4f16_1 or q0f16 needs 16-bit float shaders. */
const F16_QUANT = /-q\d+f16/i;
/** Base (non-chat) models: phi-1_5, phi-2 and ids that say "Base". */
const BASE_MODEL = /^phi-(1_5|2)-|[-_]base[-_]/i;

export function isChatRecord(r: ModelRecord): boolean {
  const t = r.model_type as number | undefined;
  return t !== MODEL_TYPE_EMBEDDING && t !== MODEL_TYPE_VLM;
}

export function needsShaderF16(r: ModelRecord): boolean {
  return (r.required_features ?? []).includes('shader-f16') || F16_QUANT.test(r.model_id);
}

export function contextWindowOf(r: ModelRecord): number | null {
  const w = r.overrides?.context_window_size;
  return typeof w === 'number' && w > 0 ? w : null;
}

export function toModelInfo(r: ModelRecord, probe: GpuProbe | null, cached: boolean): ModelInfo {
  const f16 = needsShaderF16(r);
  const info: ModelInfo = {
    id: r.model_id,
    vramMB: typeof r.vram_required_MB === 'number' ? Math.round(r.vram_required_MB) : null,
    contextWindow: contextWindowOf(r),
    needsShaderF16: f16,
    lowResource: r.low_resource_required === true,
    base: BASE_MODEL.test(r.model_id),
    cached,
  };
  if (probe && !probe.available) {
    info.disabledReason = probe.reason ?? NO_WEBGPU;
  } else if (f16 && probe && !probe.shaderF16) {
    info.disabledReason = SHADER_F16_REASON;
  }
  return info;
}

/** Chat models only (embedding and vision models skipped), in the package's order. */
export function listChatModels(
  records: readonly ModelRecord[],
  probe: GpuProbe | null,
  cachedIds: ReadonlySet<string> = new Set(),
): ModelInfo[] {
  return records.filter(isChatRecord).map((r) => toModelInfo(r, probe, cachedIds.has(r.model_id)));
}
