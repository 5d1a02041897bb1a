/**
 * Roles bound to a model the app cannot use as bound: an endpoint model its server did not list at the last
 * connection test (the list changed, or the endpoint now points at another server), a local model that is not
 * loaded, or an endpoint this page does not know. Setup shows such a binding as it is (never as another model)
 * and says so; a run started with it would fail on its first call, so the Run view's start check can refuse it
 * with `unavailableRolesMessage` (all it needs is the page state: roles, endpoints with their lists, loaded).
 */
import type { AppStateData } from '../app/app-state';
import { ROLES } from '../../core/contracts/run-config';
import type { Role, RoleBinding } from '../../core/contracts/run-config';
import { listInWords } from '../../core/words/list-words';
import { bindingKey } from './eval-bindings';
import { ROLE_NOUNS } from './role-labels';

export type Unavailable = 'not-listed' | 'not-loaded' | 'no-endpoint';

export interface UnavailableRole {
  role: Role;
  binding: RoleBinding;
  why: Unavailable;
  /** The endpoint's address, for `not-listed`. */
  baseUrl?: string;
}

type RoleState = Pick<AppStateData, 'roles' | 'endpoints' | 'loaded'>;

/** Why this binding cannot be used as bound, or null when it can. */
export function unavailability(s: RoleState, b: RoleBinding): { why: Unavailable; baseUrl?: string } | null {
  if (b.engine === 'webllm') return s.loaded.some((m) => m.modelId === b.modelId) ? null : { why: 'not-loaded' };
  const ep = s.endpoints.find((e) => e.id === b.endpointId);
  if (!ep) return { why: 'no-endpoint' };
  return ep.models.includes(b.modelId) ? null : { why: 'not-listed', baseUrl: ep.baseUrl };
}

/** Every bound role whose model cannot be used as bound, in the page's role order. */
export function unavailableRoles(s: RoleState): UnavailableRole[] {
  const out: UnavailableRole[] = [];
  for (const role of ROLES) {
    const binding = s.roles[role];
    const why = binding && unavailability(s, binding);
    if (binding && why) out.push({ role, binding, ...why });
  }
  return out;
}

/** Said after a bound model in a role menu that cannot be used as bound. */
export function unavailableSuffix(why: Unavailable): string {
  return why === 'not-listed'
    ? '(not listed by the server)'
    : why === 'not-loaded'
      ? '(not loaded)'
      : '(endpoint not connected)';
}

/**
 * One sentence per model, then what to do: "The policy model and judge use scripted-small, which
 * http://…/v1 did not list at the last connection test. Choose another model on the Setup page." Null when
 * every bound role can be used.
 */
export function unavailableRolesMessage(s: RoleState): string | null {
  const gone = unavailableRoles(s);
  if (!gone.length) return null;
  const groups = new Map<string, UnavailableRole[]>();
  for (const g of gone) groups.set(bindingKey(g.binding), [...(groups.get(bindingKey(g.binding)) ?? []), g]);
  const sentences = [...groups.values()].map((group) => {
    const { binding, why, baseUrl } = group[0]!;
    const roles = listInWords(group.map((g) => ROLE_NOUNS[g.role]));
    const use = group.length > 1 ? 'use' : 'uses';
    const where =
      why === 'not-listed'
        ? `which ${baseUrl} did not list at the last connection test`
        : why === 'not-loaded'
          ? 'a local model that is not loaded'
          : 'on an endpoint this page is not connected to';
    return `The ${roles} ${use} ${binding.modelId}, ${where}.`;
  });
  return `${sentences.join(' ')} Choose another model on the Setup page (Advanced shows every role).`;
}
