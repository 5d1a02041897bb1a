/** Model choices for the Evaluate view: role bindings, loaded local models and endpoint models. */
import type { RoleBinding } from '../../core/contracts/run-config';
import type { AppStateData } from '../app/app-state';

export interface BindingOption {
  key: string;
  label: string;
  binding: RoleBinding;
}

export function bindingKey(b: RoleBinding | undefined): string {
  return b ? `${b.engine}|${b.endpointId ?? ''}|${b.modelId}` : '';
}

export function bindingOptions(s: Readonly<AppStateData> | undefined): BindingOption[] {
  if (!s) return [];
  const out = new Map<string, BindingOption>();
  const add = (binding: RoleBinding, label: string) => {
    const key = bindingKey(binding);
    if (!out.has(key)) out.set(key, { key, label, binding });
  };
  for (const b of Object.values(s.roles)) {
    if (!b) continue;
    const ep = s.endpoints.find((e) => e.id === b.endpointId);
    add(b, b.engine === 'webllm' ? `Local · ${b.modelId}` : `${ep?.baseUrl ?? 'endpoint'} · ${b.modelId}`);
  }
  for (const m of s.loaded)
    if (m.engine === 'webllm') add({ engine: 'webllm', modelId: m.modelId }, `Local · ${m.modelId}`);
  for (const ep of s.endpoints)
    for (const m of ep.models) add({ engine: 'openai', endpointId: ep.id, modelId: m }, `${ep.baseUrl} · ${m}`);
  return [...out.values()];
}
