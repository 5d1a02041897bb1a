/**
 * The setup a user worked with is remembered across sessions: the model bound to each role, the preset
 * and the starting prompt. The page reopens bound to the same endpoint models (the key only when they
 * ticked "remember"), so Data → Run works without a new connection check, and a larger judge bound under
 * Advanced stays bound: a reload must not silently turn a run into a self-judged one.
 * A local model is never loaded by itself (that downloads and fills GPU memory), so only endpoints return.
 */
import type { WorkerClient } from '../../client/worker-client';
import type { SavedEndpoint, Store } from '../../store/store';
import type { EndpointConfig } from '../../protocol/worker-api';
import type { PresetName, Role, RoleBinding } from '../../core/contracts/run-config';
import { endpointIdsOf, ROLES } from '../../core/contracts/run-config';
import { isPrice } from '../../core/plan/cost';
import { DEFAULT_INITIAL_PROMPT, isPresetName } from '../../core/plan/presets';
import { AppState, type AppStateData, type EndpointState } from '../app/app-state';
import { ROLE_LABELS } from '../view-models/role-labels';
import { bindingKey } from '../view-models/eval-bindings';
import { listInWords } from '../../core/formats/list-words';

/** Since the roles are remembered (older pages kept only the policy, under `lastPolicy`). */
const LAST_SETUP = 'lastSetup';
const LAST_POLICY = 'lastPolicy';

/** A starting prompt longer than this is not remembered (the Run view refuses far shorter ones anyway). */
const MAX_REMEMBERED_PROMPT = 100_000;

export interface RememberedSetup {
  roles: Partial<Record<Role, RoleBinding>>;
  preset: PresetName;
  initialPrompt: string;
}

/** What the worker is told about a remembered endpoint: its connection settings, the key only if remembered. */
export function endpointConfig(saved: SavedEndpoint): EndpointConfig {
  const { id, baseUrl, apiKey, timeoutMs, maxRetries, maxReplyBytes, outageGraceMs, concurrency } = saved;
  const config: EndpointConfig = { id, baseUrl, timeoutMs, maxRetries, maxReplyBytes, outageGraceMs, concurrency };
  if (apiKey) config.apiKey = apiKey;
  // Settings left unset stay absent (the worker's defaults apply), not `undefined`.
  for (const key of Object.keys(config) as (keyof EndpointConfig)[]) if (config[key] === undefined) delete config[key];
  return config;
}

export function setupOf(s: Pick<AppStateData, 'roles' | 'preset' | 'initialPrompt'>): RememberedSetup {
  return { roles: s.roles, preset: s.preset, initialPrompt: s.initialPrompt };
}

export async function rememberSetup(store: Pick<Store, 'setSetting'>, setup: RememberedSetup): Promise<void> {
  const initialPrompt =
    setup.initialPrompt.length <= MAX_REMEMBERED_PROMPT ? setup.initialPrompt : DEFAULT_INITIAL_PROMPT;
  await store.setSetting(LAST_SETUP, { ...setup, initialPrompt });
}

function isBinding(b: unknown): b is RoleBinding {
  const v = b as Partial<RoleBinding> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    (v.engine === 'openai' || v.engine === 'webllm') &&
    typeof v.modelId === 'string' &&
    v.modelId !== '' &&
    (v.engine === 'webllm' || (typeof v.endpointId === 'string' && v.endpointId !== ''))
  );
}

/** The stored setup, read defensively (a setting written by another version, or damaged, gives what it can). */
async function readSetup(store: Pick<Store, 'getSetting'>): Promise<Partial<RememberedSetup>> {
  const raw = await store.getSetting<Partial<RememberedSetup>>(LAST_SETUP);
  if (raw && typeof raw === 'object') {
    const roles: Partial<Record<Role, RoleBinding>> = {};
    for (const r of ROLES) if (isBinding(raw.roles?.[r])) roles[r] = raw.roles[r];
    return {
      roles,
      ...(isPresetName(raw.preset) ? { preset: raw.preset } : {}),
      ...(typeof raw.initialPrompt === 'string' && raw.initialPrompt.length <= MAX_REMEMBERED_PROMPT
        ? { initialPrompt: raw.initialPrompt }
        : {}),
    };
  }
  const policy = await store.getSetting<RoleBinding>(LAST_POLICY);
  return isBinding(policy) ? { roles: { policy } } : {};
}

/**
 * Restores the last session's setup. The preset and the starting prompt come back unless changed meanwhile.
 * Roles come back only when the policy was an endpoint model that is still saved: then each role bound to a
 * saved endpoint gets its model back, the others follow the policy. Resolves whether roles were restored,
 * and the roles that were bound elsewhere and now follow the policy (a local model, which never loads by
 * itself, or a forgotten endpoint), so the page can say so.
 */
export async function restoreSetup(
  appState: AppState,
  store: Pick<Store, 'getSetting' | 'listEndpoints'>,
  client: Pick<WorkerClient, 'setEndpoint'>,
): Promise<{ restored: boolean; dropped: Role[] }> {
  const none = { restored: false, dropped: [] };
  const last = await readSetup(store);
  // Only what is still as a new page has it: a choice made before the store answered wins.
  const fresh = new AppState().value;
  const patch: Partial<AppStateData> = {};
  if (last.preset && appState.value.preset === fresh.preset) patch.preset = last.preset;
  if (last.initialPrompt !== undefined && appState.value.initialPrompt === fresh.initialPrompt)
    patch.initialPrompt = last.initialPrompt;
  if (Object.keys(patch).length) appState.update(patch);

  const policy = last.roles?.policy;
  if (appState.value.roles.policy || !policy) return none;
  const saved = new Map((await store.listEndpoints()).map((e) => [e.id, e]));
  const onSaved = (b: RoleBinding | undefined) => b?.engine === 'openai' && saved.has(b.endpointId!);
  // A local policy is not loaded by itself; roles bound to an endpoint beside it (a larger judge) come back
  // and stay bound when the user loads it, since they differ from it.
  const follows = onSaved(policy) ? policy : undefined;
  const roles: Partial<Record<Role, RoleBinding>> = {};
  const dropped: Role[] = [];
  for (const r of ROLES) {
    const b = last.roles?.[r];
    if (onSaved(b)) roles[r] = b;
    else {
      if (follows) roles[r] = follows;
      // Bound to something other than the policy that cannot come back: say so.
      if (b && bindingKey(b) !== bindingKey(policy)) dropped.push(r);
    }
  }
  if (!Object.keys(roles).length) return { restored: false, dropped };
  const used = endpointIdsOf(roles).map((id) => saved.get(id)!);
  for (const ep of used) await client.setEndpoint(endpointConfig(ep));
  // The user may have chosen something in the meantime: theirs wins.
  if (appState.value.roles.policy) return none;
  // With a local policy the other roles (those that followed it) stay unbound until it is loaded.
  const states = used.map((ep): EndpointState => {
    const price = { inputPerM: ep.pricePerMInput ?? 0, outputPerM: ep.pricePerMOutput ?? 0 };
    const bound = Object.values(roles)
      .filter((b) => b.endpointId === ep.id)
      .map((b) => b.modelId);
    return {
      ...endpointConfig(ep),
      remember: ep.remember,
      ...(ep.keyNotRemembered && !ep.apiKey ? { needsKey: true } : {}),
      // What the server listed at the last connection check, so every role can be rebound without a new one.
      models: [...new Set([...bound, ...(ep.models ?? [])])],
      ...(isPrice(price) ? { price } : {}),
    };
  });
  appState.update({
    endpoints: [...appState.value.endpoints.filter((e) => !used.some((ep) => ep.id === e.id)), ...states],
    roles,
  });
  return { restored: true, dropped };
}

/**
 * Writes the setup when it changes: a chosen model or preset at once, typing in the starting prompt at most
 * once per `settleMs` (one write per pause, and a page whose other state changes all the time still writes),
 * and whatever is left when the page is hidden (best effort: a write begun while the page unloads may be
 * lost). Only what this tab changed is written over the stored setup, so a second tab that only picked a
 * preset does not put back its stale judge and prompt. Start it after `restoreSetup`, or the new page's
 * defaults would replace what it is about to restore. Returns the stop function.
 */
export function keepSetup(
  appState: AppState,
  store: Pick<Store, 'getSetting' | 'setSetting'>,
  settleMs = 300,
): () => void {
  let seen = setupOf(appState.value);
  const changed = new Set<keyof RememberedSetup>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing = Promise.resolve();
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!changed.size) return;
    const mine = setupOf(appState.value);
    const fields = [...changed];
    changed.clear();
    // One write after another, each over what is stored then (another tab's choices included).
    writing = writing
      .then(async () => {
        const stored = await readSetup(store);
        const setup: RememberedSetup = {
          roles: stored.roles ?? {},
          preset: stored.preset ?? mine.preset,
          initialPrompt: stored.initialPrompt ?? mine.initialPrompt,
        };
        for (const f of fields) Object.assign(setup, { [f]: mine[f] });
        await rememberSetup(store, setup);
      })
      .catch((err: unknown) => console.warn('Could not remember the setup', err));
  };
  const unsubscribe = appState.subscribe((s) => {
    // Most updates are progress and such: the setup's own fields keep their identity then.
    const now = setupOf(s);
    const moved = (Object.keys(now) as (keyof RememberedSetup)[]).filter((k) => now[k] !== seen[k]);
    if (!moved.length) return;
    seen = now;
    for (const k of moved) changed.add(k);
    if (moved.some((k) => k !== 'initialPrompt')) flush();
    else timer ??= setTimeout(flush, settleMs);
  });
  const onHide = () => flush();
  globalThis.addEventListener?.('pagehide', onHide);
  return () => {
    flush();
    unsubscribe();
    globalThis.removeEventListener?.('pagehide', onHide);
  };
}

/** Said when the last session's roles could not all come back, so a run is never self-judged unawares. */
export function droppedRolesMessage(dropped: readonly Role[]): string {
  const names = dropped.map((r) => ROLE_LABELS[r].toLowerCase());
  const list = listInWords(names);
  const were = names.length > 1 ? 'were' : 'was';
  return (
    `The ${list} ${were} bound to a model this session does not have (a local model loads only when you ask), ` +
    `so the policy model plays ${names.length > 1 ? 'those roles' : 'that role'} now. Bind it again under Setup → Advanced.`
  );
}
