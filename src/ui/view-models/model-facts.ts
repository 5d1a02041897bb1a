/**
 * What a new user needs to pick a local model, without loading WebLLM's 6 MB package: friendly names,
 * approximate download size, GPU memory and an honest speed hint, derived from the model id; plus the
 * few suggested models shown before the full catalog is listed (their facts are WebLLM's own, from the
 * page's copy of its list, which a unit test checks against the package so it cannot go stale).
 */
import type { GpuProbe, ModelInfo } from '../../protocol/worker-api';
import { WEBLLM_MODEL_ROWS } from './webllm-models';

/** Every chat model; whether one is downloaded is unknown until the full list is fetched. */
export function prebuiltModels(): ModelInfo[] {
  return WEBLLM_MODEL_ROWS.map(([id, vramMB, contextWindow, needsShaderF16, lowResource, base]) => ({
    id,
    vramMB,
    contextWindow,
    needsShaderF16,
    lowResource,
    base,
    cached: false,
  }));
}

/**
 * The suggested model families, best first for a new user, and the one order both the cards and the
 * preselection follow (each family in a 16-bit and a 32-bit maths variant). The first is the smallest that is
 * good enough: a 1B instruct model judges and rewrites prompts reliably enough for self-alignment in ~1 GB of
 * GPU memory. Next the other good-enough one (a bit larger and slower); then the two trade-offs: the 0.5B model,
 * fastest but with simpler answers (and judgements), before the 3B one, better but slow on laptops, because a
 * preselection that does not fit the GPU fails to load, while a weaker model still gives a run.
 */
export const SUGGESTED_FAMILIES = [
  'Llama-3.2-1B-Instruct',
  'Qwen2.5-1.5B-Instruct',
  'Qwen2.5-0.5B-Instruct',
  'Llama-3.2-3B-Instruct',
] as const;

/**
 * The suggested models for this GPU (16-bit variants only where shader-f16 exists), in their order, as `catalog`
 * has them: by default the page's copy of web-llm's list (its own facts, checked against the package by a unit
 * test; what is downloaded is unknown until the full catalog is listed), else the listed catalog (which may lack
 * some of them).
 */
export function suggestedModels(shaderF16: boolean, catalog: readonly ModelInfo[] = prebuiltModels()): ModelInfo[] {
  const byId = new Map(catalog.map((m) => [m.id, m]));
  return SUGGESTED_FAMILIES.flatMap((family) => {
    const m = byId.get(`${family}-${shaderF16 ? 'q4f16_1' : 'q4f32_1'}-MLC`);
    return m ? [m] : [];
  });
}

/** A chat model this GPU can run. */
function runnable(m: ModelInfo, shaderF16: boolean): boolean {
  return !m.base && !unrunnable(m, shaderF16);
}

/** Smaller models than this answer, judge and rewrite too poorly to preselect while a larger one is there. */
const MIN_PARAMS_B = 0.5;
/** The same bound by GPU memory, for an id that does not say its size (a 0.5B model at 4 bits takes ~950 MB). */
const MIN_VRAM_MB = 400;

/** Whether a model is known to be too small to preselect: by the size its id says, else its GPU memory. */
function tooSmall(m: ModelInfo): boolean {
  const p = paramsB(m.id);
  if (p !== null) return p < MIN_PARAMS_B;
  return m.vramMB !== null && m.vramMB < MIN_VRAM_MB;
}

/** A shorter context window than the suggested models' cuts the optimizer's long prompts (reviews, examples). */
const MIN_CONTEXT = 4096;

/** An id that says it is tuned to follow instructions ("-Instruct", gemma's "-it", "-Chat"). */
const INSTRUCT = /instruct|[-_]it(?=[-_]|$)|chat/i;
/** Tuned for one kind of task: a poorer judge and rewriter of prompts on everything else. */
const SPECIALIST = /coder|math/i;

/**
 * The preselected model: the first suggested one of `catalog` this GPU can run. A catalog with none of them (a
 * web-llm update renamed them all) falls back to a chat model this GPU can run, the first of: large enough
 * (MIN_PARAMS_B) before too small (a 135M model would give a poor first run), a full context window before a
 * short one ("…-1k"), general before a coder or maths model, said to follow instructions before not (every
 * one listed is a chat model: the name is a hint only), then the smallest by GPU memory (the one most likely
 * to load).
 * Null when none runs.
 */
export function defaultModelId(catalog: readonly ModelInfo[], shaderF16: boolean): string | null {
  const first = suggestedModels(shaderF16, catalog).find((m) => runnable(m, shaderF16));
  if (first) return first.id;
  const rank = (m: ModelInfo): number[] => [
    tooSmall(m) ? 1 : 0,
    m.contextWindow !== null && m.contextWindow < MIN_CONTEXT ? 1 : 0,
    SPECIALIST.test(m.id) ? 1 : 0,
    INSTRUCT.test(m.id) ? 0 : 1,
    m.vramMB ?? 1e9,
  ];
  const byRank = (a: ModelInfo, b: ModelInfo): number => {
    const [x, y] = [rank(a), rank(b)];
    const i = x.findIndex((v, k) => v !== y[k]);
    return i < 0 ? 0 : x[i]! - y[i]!;
  };
  return catalog.filter((m) => runnable(m, shaderF16)).sort(byRank)[0]?.id ?? null;
}

const QUANT_BITS: Record<string, number> = { q4f16: 4.5, q4f32: 5, q3f16: 3.5, q0f16: 16, q0f32: 32, q8f16: 8.5 };

/** Nominal parameters in billions from the id ("1.5B", "360M"); null when the id does not say. */
export function paramsB(id: string): number | null {
  const m = /[-_](\d+(?:\.\d+)?)([BM])(?=[-_])/i.exec(id) ?? /[-_](\d+(?:\.\d+)?)([bm])-it/i.exec(id);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2]!.toUpperCase() === 'M' ? n / 1000 : n;
}

/** Approximate download: parameters × bits per weight of the quantisation (4-bit groups carry a scale). */
export function downloadMB(id: string): number | null {
  const p = paramsB(id);
  const q = /-(q\d+f\d+)/i.exec(id)?.[1]?.toLowerCase();
  const bits = q ? QUANT_BITS[q] : undefined;
  if (p === null || bits === undefined) return null;
  return Math.round((p * 1e9 * bits) / 8 / 1e6);
}

/**
 * "Llama 3.2 1B Instruct" from "Llama-3.2-1B-Instruct-q4f16_1-MLC"; the quantisation is stated apart. A build
 * with a short context window ("…-MLC-1k") says so, so it is told apart from the full one of the same model.
 */
export function friendlyName(id: string): string {
  const window = /-MLC-(\d+k)$/i.exec(id)?.[1]?.toLowerCase();
  const base = id.replace(/-MLC(-\d+k)?$/i, '').replace(/-q\d+f\d+(_\d+)?$/i, '');
  const name = base
    .replace(/(\d)_(\d)/g, '$1.$2')
    .replace(/[-_]+/g, ' ')
    .replace(/\bit\b/, 'Instruct')
    .trim();
  return window ? `${name} (${window} context)` : name;
}

/** The GPU cannot run it (its reason, or 16-bit shaders it lacks). */
function unrunnable(m: ModelInfo, shaderF16: boolean): boolean {
  return !!m.disabledReason || (!shaderF16 && m.needsShaderF16);
}

/**
 * The model cards shown, in an order that never changes under the user: `first` (the preselected model), then
 * the suggested ones in their own order, then what this GPU can run, small to large, then by id. What is
 * downloaded, or a download that failed, never moves a card. Without `all` or a query only the suggested models
 * (and `keep`: a loaded one) are shown; with `all` every chat model (base models only when searched for); a
 * query searches ids and names of the whole catalog.
 */
export function modelCards(
  catalog: readonly ModelInfo[],
  opts: { shaderF16: boolean; query: string; all: boolean; first?: string | null; keep?: ReadonlySet<string> },
): ModelInfo[] {
  const q = opts.query.trim().toLowerCase();
  const suggested = suggestedModels(opts.shaderF16).map((m) => m.id);
  const rank = (m: ModelInfo): number => {
    if (m.id === opts.first) return -1;
    const i = suggested.indexOf(m.id);
    return i >= 0 ? i : suggested.length;
  };
  const shown = catalog.filter((m) =>
    q
      ? m.id.toLowerCase().includes(q) || friendlyName(m.id).toLowerCase().includes(q)
      : opts.all
        ? !m.base
        : rank(m) < suggested.length || !!opts.keep?.has(m.id),
  );
  return shown.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Number(unrunnable(a, opts.shaderF16)) - Number(unrunnable(b, opts.shaderF16)) ||
      (a.vramMB ?? 1e9) - (b.vramMB ?? 1e9) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export function quantLabel(id: string): string {
  const q = /-(q\d+)(f\d+)/i.exec(id);
  if (!q) return '';
  const bits = q[1]!.slice(1);
  return `${bits === '0' ? 'unquantised' : `${bits}-bit`}, ${q[2]!.slice(1)}-bit maths`;
}

/** A browser running WebGPU in software (SwiftShader, llvmpipe): models run, but very slowly. */
export function isSoftwareAdapter(gpu: GpuProbe | null | undefined): boolean {
  const a = gpu?.adapter;
  if (!gpu?.available || !a) return false;
  return (
    a.isFallbackAdapter ||
    /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(`${a.vendor} ${a.architecture} ${a.description}`)
  );
}

/** Relative and honest: what the size means on typical hardware, not a promised number. */
export function speedHint(id: string, gpu: GpuProbe | null | undefined): string {
  if (isSoftwareAdapter(gpu)) return 'Very slow here: this browser has no hardware GPU.';
  const p = paramsB(id);
  if (p === null) return 'Speed depends on its size and your GPU.';
  if (p <= 0.6) return 'Fastest; answers are simpler.';
  if (p <= 1.6) return 'Fast on most laptop GPUs: the suggested balance.';
  if (p <= 3.5) return 'Slower: a good laptop or desktop GPU helps.';
  return 'Slow on laptops: best with a desktop GPU.';
}
