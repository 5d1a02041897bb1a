/**
 * Best-effort translation of the model an alignment was made with into the names other runtimes use.
 * WebLLM ids (e.g. Llama-3.2-1B-Instruct-q4f16_1-MLC) are mapped to Ollama tags for the families both
 * ship; an endpoint's model id is already what that server calls it, so it is kept as it is.
 */
import type { AlignmentArtifact } from '../contracts/alignment';

const OLLAMA_TAGS: readonly [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Llama-3\.2-(1B|3B)-Instruct/i, (m) => `llama3.2:${m[1]!.toLowerCase()}`],
  [/^Llama-3\.1-(8B|70B)-Instruct/i, (m) => `llama3.1:${m[1]!.toLowerCase()}`],
  [/^Qwen2\.5-(0\.5B|1\.5B|3B|7B)-Instruct/i, (m) => `qwen2.5:${m[1]!.toLowerCase()}`],
  [/^Qwen3-(0\.6B|1\.7B|4B|8B)/i, (m) => `qwen3:${m[1]!.toLowerCase()}`],
  [/^gemma-2-(2b|9b)-it/i, (m) => `gemma2:${m[1]!.toLowerCase()}`],
  [/^gemma3-(1b)-it/i, (m) => `gemma3:${m[1]!.toLowerCase()}`],
  [/^Phi-3\.5-mini-instruct/i, () => 'phi3.5'],
  [/^SmolLM2-(135M|360M|1\.7B)-Instruct/i, (m) => `smollm2:${m[1]!.toLowerCase()}`],
  [/^Mistral-7B-Instruct/i, () => 'mistral:7b'],
];

/** The WebLLM model suggested when the alignment was made elsewhere (the studio's default). */
export const DEFAULT_WEBLLM_MODEL = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';

/** The model id of an alignment tied to no model: DRPO's examples, converted, are written once for every model. */
export const ANY_MODEL = 'any';

/** An alignment tied to no model (converted examples). */
export const forAnyModel = (model: AlignmentArtifact['model']): boolean =>
  model.id === ANY_MODEL && model.engine === 'external';

/** The model an alignment is for, as a sentence names it ("for any model", not "for any"). */
export function modelWords(model: AlignmentArtifact['model']): string {
  return forAnyModel(model) ? 'any model' : model.id;
}

/** `known` is false when the name is a guess the user should check. */
export function ollamaModelName(model: AlignmentArtifact['model']): { name: string; known: boolean } {
  if (forAnyModel(model)) return { name: model.id, known: false };
  if (model.engine !== 'webllm') return { name: model.id, known: true };
  for (const [re, tag] of OLLAMA_TAGS) {
    const m = re.exec(model.id);
    if (m) return { name: tag(m), known: true };
  }
  return { name: model.id, known: false };
}

export function webllmModelName(model: AlignmentArtifact['model']): { name: string; known: boolean } {
  return model.engine === 'webllm' ? { name: model.id, known: true } : { name: DEFAULT_WEBLLM_MODEL, known: false };
}
