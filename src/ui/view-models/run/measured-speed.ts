/**
 * Which measured speed belongs to which model where. A model name says little about speed: two servers may
 * both serve `llama3.2:1b`, one on a CPU and one on a GPU, and the page keeps one endpoint id while its base
 * URL changes. So a speed is keyed by engine, server and model, never by the model name alone.
 */
import type { RoleBinding } from '../../../core/contracts/run-config';
import { serverKey } from '../../../core/formats/base-url';

/**
 * The key of a binding's speed: a local model by its id; an endpoint's by the server its id points at
 * (`urlOf`: the page's endpoints now, or the URLs a stored run recorded). Null when that server is unknown
 * (an endpoint not configured, an older run that recorded none): no speed is shown rather than another's.
 */
export function speedKey(
  binding: RoleBinding | undefined,
  urlOf: (endpointId: string) => string | undefined,
): string | null {
  if (!binding) return null;
  if (binding.engine === 'webllm') return `webllm||${binding.modelId}`;
  const url = binding.endpointId ? urlOf(binding.endpointId) : undefined;
  return url ? `openai|${serverKey(url)}|${binding.modelId}` : null;
}
