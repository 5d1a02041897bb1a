/** Shared by `drpo optimize` and `drpo eval`: check model ids against the endpoint before any work. */
import { ErrorName } from '../core/contracts/errors';
import { assertModelListed, listEndpointModels } from '../llm/openai/endpoint';
import type { OutageWatch } from '../llm/openai/outage-watch';
import type { CliIo } from './cli-io';

/**
 * Lists the endpoint's models once and resolves each id (Ollama's ":latest" and friends). An
 * unreachable endpoint throws (exit 2); a misspelt id throws ModelNotListed naming close matches
 * (exit 1). A server without /models is still usable: the ids pass through and the first real call will tell.
 * A listing the endpoint answers tells `outage` it answered: an outage right after start is waited out.
 */
export async function resolveModels(
  baseUrl: string,
  apiKey: string | undefined,
  ids: readonly string[],
  io: CliIo,
  timeoutMs?: number,
  outage?: OutageWatch,
): Promise<string[]> {
  let listed: string[];
  try {
    listed = await listEndpointModels({
      baseUrl,
      apiKey,
      signal: io.signal,
      outage,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  } catch (err) {
    if ((err as { name?: string }).name === ErrorName.NotFound) return [...ids];
    throw err;
  }
  return ids.map((id) => assertModelListed(listed, id));
}
