/**
 * The endpoint and model a user worked with are remembered across sessions (the key only when they
 * ticked "remember"): the page reopens bound to them, so Data → Run works without a new connection check.
 * A local model is never loaded by itself (that downloads and fills GPU memory), so only endpoints return.
 */
import type { WorkerClient } from '../../client/worker-client';
import type { SavedEndpoint, Store } from '../../store/store';
import type { EndpointConfig } from '../../protocol/worker-api';
import type { RoleBinding } from '../../core/contracts/run-config';
import { ROLES } from '../../core/contracts/run-config';
import { isPrice } from '../../core/plan/cost';
import type { AppState, EndpointState } from '../app/app-state';

const LAST_POLICY = 'lastPolicy';

/** What the worker is told about a remembered endpoint: its connection settings, the key only if remembered. */
export function endpointConfig(saved: SavedEndpoint): EndpointConfig {
  const { id, baseUrl, apiKey, timeoutMs, maxRetries, maxReplyBytes, concurrency } = saved;
  const config: EndpointConfig = { id, baseUrl, timeoutMs, maxRetries, maxReplyBytes, concurrency };
  if (apiKey) config.apiKey = apiKey;
  // Settings left unset stay absent (the worker's defaults apply), not `undefined`.
  for (const key of Object.keys(config) as (keyof EndpointConfig)[]) if (config[key] === undefined) delete config[key];
  return config;
}

export async function rememberPolicy(
  store: Pick<Store, 'setSetting'> | undefined,
  binding: RoleBinding,
): Promise<void> {
  await store?.setSetting(LAST_POLICY, binding).catch(() => undefined);
}

/** Rebinds every role to the remembered endpoint model; resolves false when there is nothing to restore. */
export async function restorePolicy(
  appState: AppState,
  store: Pick<Store, 'getSetting' | 'listEndpoints'>,
  client: Pick<WorkerClient, 'setEndpoint'>,
): Promise<boolean> {
  if (appState.value.roles.policy) return false;
  const last = await store.getSetting<RoleBinding>(LAST_POLICY);
  if (last?.engine !== 'openai' || !last.endpointId || !last.modelId) return false;
  const saved = (await store.listEndpoints()).find((e) => e.id === last.endpointId);
  if (!saved) return false;
  await client.setEndpoint(endpointConfig(saved));
  // The user may have chosen something in the meantime: theirs wins.
  if (appState.value.roles.policy) return false;
  const price = { inputPerM: saved.pricePerMInput ?? 0, outputPerM: saved.pricePerMOutput ?? 0 };
  const state: EndpointState = {
    ...endpointConfig(saved),
    remember: saved.remember,
    ...(saved.keyNotRemembered && !saved.apiKey ? { needsKey: true } : {}),
    models: [last.modelId],
    ...(isPrice(price) ? { price } : {}),
  };
  const binding: RoleBinding = { engine: 'openai', endpointId: saved.id, modelId: last.modelId };
  appState.update({
    endpoints: [...appState.value.endpoints.filter((e) => e.id !== saved.id), state],
    roles: Object.fromEntries(ROLES.map((r) => [r, binding])),
  });
  return true;
}
