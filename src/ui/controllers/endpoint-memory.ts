/**
 * The setup a user worked with is remembered across sessions: the model bound to each role, the preset,
 * the settings changed under Advanced, the budget and the starting prompt. The page reopens bound to the same endpoint models (the key only when they
 * ticked "remember"), so Data → Run works without a new connection check, and a larger judge bound under
 * Advanced stays bound: a reload must not silently turn a run into a self-judged one.
 * A local model is never loaded by itself (that downloads and fills GPU memory), so only endpoints return.
 */
import type { WorkerClient } from '../../client/worker-client';
import type { Store } from '../../store/store';
import { endpointConfigOf } from '../../core/contracts/endpoint-config';
import type { Budget, PresetName, Role, RoleBinding, SearchSettings } from '../../core/contracts/run-config';
import { endpointIdsOf, ROLES } from '../../core/contracts/run-config';
import {
  BOOLEAN_SETTINGS,
  BUDGET_SETTINGS,
  MAX_TOKENS_RANGE,
  NUMBER_SETTINGS,
  rangeProblem,
} from '../../core/plan/settings-schema';
import { isPrice } from '../../core/plan/cost';
import { DEFAULT_INITIAL_PROMPT, DEFAULT_PRESET, isPresetName } from '../../core/plan/presets';
import { AppState, type AppStateData, type EndpointState } from '../app/app-state';
import { ROLE_NOUNS } from '../view-models/role-labels';
import { bindingKey } from '../view-models/eval-bindings';
import { listInWords } from '../../core/words/list-words';

/** Since the roles are remembered (older pages kept only the policy, under `lastPolicy`). */
const LAST_SETUP = 'lastSetup';
const LAST_POLICY = 'lastPolicy';

/** A starting prompt longer than this is not remembered (the Run view refuses far shorter ones anyway). */
const MAX_REMEMBERED_PROMPT = 100_000;

/**
 * What this tab changed and has not yet seen stored, written synchronously when the page is hidden (an
 * IndexedDB write begun as the page unloads may never finish); the next page's restore takes over what of it
 * is newer than the store. One key for every tab: each field carries when it was changed and the stored time
 * it was changed over, so a draft left by a tab that closed is never put over what another tab changed and
 * stored after it.
 */
const SETUP_DRAFT = 'drpo.setupDraft';

export interface RememberedSetup {
  roles: Partial<Record<Role, RoleBinding>>;
  preset: PresetName;
  initialPrompt: string;
  /** Settings changed under Advanced, for `preset`; absent when none are. */
  settingsOverride?: Partial<SearchSettings>;
  /** Absent when there is no limit. */
  budget?: Budget;
  /**
   * When each field was last changed (ms since 1970, by the tab that changed it): a change is stored, and a
   * draft's field restored, only over an older one or over the very one it was made over. Setups stored by
   * older pages have none.
   */
  changedAt?: ChangeTimes;
}

const SETUP_FIELDS = ['roles', 'preset', 'initialPrompt', 'settingsOverride', 'budget'] as const;
type SetupField = (typeof SETUP_FIELDS)[number];
type ChangeTimes = Partial<Record<SetupField, number>>;

/**
 * A change made at `at` over a field stored at `over` goes over the field now stored at `stored`: when none is
 * stored with a time, when the stored one is still the one it was made over (nobody else wrote since: two
 * changes in one millisecond, or a stored time ahead of the clock, must not refuse this tab's own later one),
 * or when it is newer than what another tab stored meanwhile.
 */
function goesOver(at: number | undefined, over: number | undefined, stored: number | undefined): boolean {
  return stored === undefined || stored === over || (at !== undefined && at > stored);
}

/**
 * `stored` with each of `fields` taken from `mine`, and its time from `at`, where that change goes over the
 * stored one (made over the stored times `over`); `taken` says which were.
 */
function layOver(
  stored: Partial<RememberedSetup>,
  mine: Partial<RememberedSetup>,
  fields: readonly SetupField[],
  at: ChangeTimes,
  over: ChangeTimes,
): { setup: Partial<RememberedSetup>; taken: SetupField[] } {
  const taken = fields.filter((f) => goesOver(at[f], over[f], stored.changedAt?.[f]));
  const setup: Partial<RememberedSetup> = { ...stored, changedAt: { ...stored.changedAt } };
  for (const f of taken) {
    Object.assign(setup, { [f]: mine[f] });
    if (at[f] !== undefined) setup.changedAt![f] = at[f];
    else delete setup.changedAt![f];
  }
  if (!Object.keys(setup.changedAt!).length) delete setup.changedAt;
  return { setup, taken };
}

/** The synchronous storage the draft is kept in (the page's localStorage). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The page's localStorage, or none where it is unavailable (Node, storage blocked: reading it may throw). */
function pageStorage(): DraftStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function setupOf(
  s: Pick<AppStateData, 'roles' | 'preset' | 'initialPrompt' | 'settingsOverride' | 'budget'>,
): RememberedSetup {
  const setup: RememberedSetup = { roles: s.roles, preset: s.preset, initialPrompt: s.initialPrompt };
  // Nothing changed, no limit: left out, so a setup without them reads as it always did.
  if (Object.keys(s.settingsOverride).length) setup.settingsOverride = s.settingsOverride;
  if (Object.keys(s.budget).length) setup.budget = s.budget;
  return setup;
}

export async function rememberSetup(store: Pick<Store, 'setSetting'>, setup: RememberedSetup): Promise<void> {
  const initialPrompt =
    setup.initialPrompt.length <= MAX_REMEMBERED_PROMPT ? setup.initialPrompt : DEFAULT_INITIAL_PROMPT;
  const stored: RememberedSetup = { ...setup, initialPrompt };
  if (!Object.keys(stored.settingsOverride ?? {}).length) delete stored.settingsOverride;
  if (!Object.keys(stored.budget ?? {}).length) delete stored.budget;
  await store.setSetting(LAST_SETUP, stored);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The remembered changes to a preset that the engine still accepts; others are dropped, one by one. */
function readOverride(raw: unknown): Partial<SearchSettings> {
  if (!isObject(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const f of NUMBER_SETTINGS) if (rangeProblem(raw[f.key], f) === null) out[f.key] = raw[f.key];
  for (const f of BOOLEAN_SETTINGS) if (typeof raw[f.key] === 'boolean') out[f.key] = raw[f.key];
  const mt = raw.maxTokens;
  if (isObject(mt)) {
    const kept = ROLES.filter((r) => rangeProblem(mt[r], { ...MAX_TOKENS_RANGE, step: 1 }) === null);
    // Partial: the run view and the planner lay it over the preset's own lengths.
    if (kept.length) out.maxTokens = Object.fromEntries(kept.map((r) => [r, mt[r]]));
  }
  return out as Partial<SearchSettings>;
}

/** The remembered budget limits that are still usable (whole, positive numbers). */
function readBudget(raw: unknown): Budget {
  if (!isObject(raw)) return {};
  const out: Budget = {};
  for (const { key } of BUDGET_SETTINGS) {
    const v = raw[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) out[key] = v;
  }
  return out;
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

/** The finite times among `raw`'s, by field (none when there are none). */
function readTimes(raw: unknown): ChangeTimes | undefined {
  if (!isObject(raw)) return undefined;
  const times = SETUP_FIELDS.filter((f) => Number.isFinite(raw[f])).map((f) => [f, raw[f]]);
  return times.length ? (Object.fromEntries(times) as ChangeTimes) : undefined;
}

/** A stored setup (or a draft of some of its fields), read defensively: what it holds that is still usable. */
function parseSetup(raw: Partial<RememberedSetup>): Partial<RememberedSetup> {
  const out: Partial<RememberedSetup> = {};
  if ('roles' in raw) {
    const roles: Partial<Record<Role, RoleBinding>> = {};
    for (const r of ROLES) if (isBinding(raw.roles?.[r])) roles[r] = raw.roles[r];
    out.roles = roles;
  }
  if (isPresetName(raw.preset)) out.preset = raw.preset;
  if (typeof raw.initialPrompt === 'string' && raw.initialPrompt.length <= MAX_REMEMBERED_PROMPT)
    out.initialPrompt = raw.initialPrompt;
  if ('settingsOverride' in raw) out.settingsOverride = readOverride(raw.settingsOverride);
  if ('budget' in raw) out.budget = readBudget(raw.budget);
  const changedAt = readTimes(raw.changedAt);
  if (changedAt) out.changedAt = changedAt;
  return out;
}

/** The stored setup, read defensively (a setting written by another version, or damaged, gives what it can). */
async function readSetup(store: Pick<Store, 'getSetting'>): Promise<Partial<RememberedSetup>> {
  const raw = await store.getSetting<Partial<RememberedSetup>>(LAST_SETUP);
  if (raw && typeof raw === 'object') return { roles: {}, ...parseSetup(raw) };
  const policy = await store.getSetting<RoleBinding>(LAST_POLICY);
  return isBinding(policy) ? { roles: { policy } } : {};
}

/** A draft: the fields a page had not seen stored, and the stored times they were changed over. */
type SetupDraft = Partial<RememberedSetup> & { overAt?: ChangeTimes };

/** The fields the last page had not seen stored when it was hidden (none when there is no usable draft). */
function readDraft(draft: DraftStorage | null): SetupDraft | null {
  try {
    const text = draft?.getItem(SETUP_DRAFT);
    if (!text) return null;
    const raw: unknown = JSON.parse(text);
    if (!isObject(raw)) return {};
    const overAt = readTimes(raw.overAt);
    return { ...parseSetup(raw), ...(overAt ? { overAt } : {}) };
  } catch {
    return {}; // Damaged: nothing of it is used (and it is cleared like any other).
  }
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
  store: Pick<Store, 'getSetting' | 'setSetting' | 'listEndpoints'>,
  client: Pick<WorkerClient, 'setEndpoint'>,
  draft: DraftStorage | null = pageStorage(),
): Promise<{ restored: boolean; dropped: Role[] }> {
  const none = { restored: false, dropped: [] };
  let last = await readSetup(store);
  // What the last page had not seen stored when it went away goes to the store now, where it is newer than
  // what is stored (another tab may have changed and stored the field since); a draft already stored is dropped.
  const pending = readDraft(draft);
  if (pending) {
    const fields = SETUP_FIELDS.filter((f) => f in pending);
    const { setup, taken } = layOver(last, pending, fields, pending.changedAt ?? {}, pending.overAt ?? {});
    let stored = true;
    if (taken.length) {
      last = setup;
      await rememberSetup(store, {
        roles: {},
        preset: DEFAULT_PRESET,
        initialPrompt: DEFAULT_INITIAL_PROMPT,
        ...last,
      }).catch((err: unknown) => {
        stored = false;
        console.warn('Could not remember the setup', err);
      });
    }
    // A draft that could not be stored is kept: what it restores is not a change of this page's, so only the
    // draft keeps it past this page (read again next time, its times keep it from going over newer changes).
    try {
      if (stored) draft?.removeItem(SETUP_DRAFT);
    } catch {
      // Storage blocked: the draft is read again next time, which is harmless.
    }
  }
  // Only what is still as a new page has it: a choice made before the store answered wins.
  const fresh = new AppState().value;
  const patch: Partial<AppStateData> = {};
  if (last.preset && appState.value.preset === fresh.preset) patch.preset = last.preset;
  if (last.initialPrompt !== undefined && appState.value.initialPrompt === fresh.initialPrompt)
    patch.initialPrompt = last.initialPrompt;
  // Changed settings belong to the preset they were made on: not over another one chosen meanwhile.
  const preset = patch.preset ?? appState.value.preset;
  if (
    last.settingsOverride &&
    preset === (last.preset ?? fresh.preset) &&
    !Object.keys(appState.value.settingsOverride).length
  )
    patch.settingsOverride = last.settingsOverride;
  if (last.budget && !Object.keys(appState.value.budget).length) patch.budget = last.budget;
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
  for (const ep of used) await client.setEndpoint(endpointConfigOf(ep));
  // The user may have chosen something in the meantime: theirs wins.
  if (appState.value.roles.policy) return none;
  // With a local policy the other roles (those that followed it) stay unbound until it is loaded.
  const states = used.map((ep): EndpointState => {
    const price = { inputPerM: ep.pricePerMInput ?? 0, outputPerM: ep.pricePerMOutput ?? 0 };
    const bound = Object.values(roles)
      .filter((b) => b.endpointId === ep.id)
      .map((b) => b.modelId);
    return {
      ...endpointConfigOf(ep),
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

/** Where keepSetup hears that the page goes away, and where it keeps a draft then (tests pass their own). */
export interface PageHooks {
  window?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  document?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & { visibilityState?: string };
  draft?: DraftStorage | null;
}

/** The page's own window, document and localStorage (none of them outside a browser). */
function thisPage(): PageHooks {
  const g = globalThis as unknown as Partial<Window>;
  return {
    ...(typeof g.addEventListener === 'function' ? { window: g as Window } : {}),
    ...(g.document ? { document: g.document } : {}),
    draft: pageStorage(),
  };
}

/**
 * Writes the setup when it changes: a chosen model, preset, setting or budget at once, typing in the starting
 * prompt at most once per `settleMs` (one write per pause, and a page whose other state changes all the time
 * still writes). When the page is hidden or unloads, whatever is not yet stored is also put in a draft in
 * localStorage, synchronously (an IndexedDB write begun then may never finish): the next page's restore takes
 * over what of it is newer than the store, so the last words typed are not lost. Only what this tab changed
 * is written over the stored setup, and only where this tab changed it after what is stored (or nobody else
 * wrote the field since this tab last read or wrote it), so a second tab that only picked a preset does not put
 * back its stale judge and prompt. Start it after `restoreSetup`, or the new page's defaults would replace what
 * it is about to restore. Returns the stop function.
 */
export function keepSetup(
  appState: AppState,
  store: Pick<Store, 'getSetting' | 'setSetting'>,
  settleMs = 300,
  page: PageHooks = thisPage(),
): () => void {
  let seen = setupOf(appState.value);
  const changed = new Set<SetupField>();
  /** Fields changed and not yet stored, with the change each write must have seen to clear it. */
  const unstored = new Map<SetupField, number>();
  /** When this tab last changed each field (Date.now: comparable across the tabs of this browser). */
  const changedAt: ChangeTimes = {};
  /**
   * Each field's stored time when this tab last read or wrote it: a change of this tab's goes over a stored
   * field still at that time whatever the clocks say (nobody else wrote it since). Not taken from a read made
   * after a change not yet written: another tab's write just before the read is not this tab's to go over.
   */
  const seenStored: ChangeTimes = {};
  const see = (stored: Partial<RememberedSetup>, skip: (f: SetupField) => boolean) => {
    for (const f of SETUP_FIELDS) {
      if (skip(f)) continue;
      if (stored.changedAt?.[f] === undefined) delete seenStored[f];
      else seenStored[f] = stored.changedAt[f];
    }
  };
  let version = 0;
  let draftText: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // What is stored as this tab starts (its restore is over by then); a write waits for it.
  let writing = readSetup(store)
    .then((stored) => see(stored, (f) => unstored.has(f)))
    .catch(() => undefined);
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!changed.size) return;
    const mine = setupOf(appState.value);
    const fields = [...changed];
    const at = { ...changedAt };
    const versions = new Map(fields.map((f) => [f, unstored.get(f)]));
    changed.clear();
    // One write after another, each over what is stored then (another tab's choices included, and its newer
    // changes kept: a field another tab changed since this one did is not written back).
    writing = writing
      .then(async () => {
        const stored = await readSetup(store);
        const { setup, taken } = layOver(stored, mine, fields, at, { ...seenStored });
        if (taken.length) {
          await rememberSetup(store, {
            ...setup,
            roles: setup.roles ?? {},
            preset: setup.preset ?? mine.preset,
            initialPrompt: setup.initialPrompt ?? mine.initialPrompt,
          });
        }
        // What this tab wrote is seen; of the rest, the fields changed again since this write began are not.
        see(setup, (f) => !taken.includes(f) && unstored.has(f) && unstored.get(f) !== versions.get(f));
        for (const [f, v] of versions) if (unstored.get(f) === v) unstored.delete(f);
        // Stored now: a draft this tab left is no longer newer than the store.
        if (!unstored.size && draftText !== null) {
          if (page.draft?.getItem(SETUP_DRAFT) === draftText) page.draft.removeItem(SETUP_DRAFT);
          draftText = null;
        }
      })
      .catch((err: unknown) => console.warn('Could not remember the setup', err));
  };
  const unsubscribe = appState.subscribe((s) => {
    // Most updates are progress and such: the setup's own fields keep their identity then.
    const now = setupOf(s);
    const moved = SETUP_FIELDS.filter((k) => now[k] !== seen[k]);
    if (!moved.length) return;
    seen = now;
    const at = Date.now();
    for (const k of moved) {
      changed.add(k);
      unstored.set(k, ++version);
      changedAt[k] = at;
    }
    if (moved.some((k) => k !== 'initialPrompt')) flush();
    else timer ??= setTimeout(flush, settleMs);
  });
  const keepDraft = () => {
    if (!unstored.size || !page.draft) return;
    const mine = setupOf(appState.value);
    // Every field not yet stored, an absent one (no changes, no limit) as empty: the draft must clear it too.
    const fields = [...unstored.keys()];
    const draft: Record<string, unknown> = Object.fromEntries(
      fields.map((f) => [f, mine[f] ?? (f === 'settingsOverride' || f === 'budget' ? {} : undefined)]),
    );
    draft.changedAt = Object.fromEntries(fields.map((f) => [f, changedAt[f]]));
    const over = fields.filter((f) => seenStored[f] !== undefined);
    if (over.length) draft.overAt = Object.fromEntries(over.map((f) => [f, seenStored[f]]));
    try {
      draftText = JSON.stringify(draft);
      page.draft.setItem(SETUP_DRAFT, draftText);
    } catch (err) {
      draftText = null;
      console.warn('Could not keep a draft of the setup', err); // Full or blocked: the store write still runs.
    }
  };
  const onHide = () => {
    keepDraft();
    flush();
  };
  const onVisibility = () => {
    if (page.document?.visibilityState === 'hidden') onHide();
  };
  page.window?.addEventListener('pagehide', onHide);
  page.document?.addEventListener('visibilitychange', onVisibility);
  return () => {
    flush();
    unsubscribe();
    page.window?.removeEventListener('pagehide', onHide);
    page.document?.removeEventListener('visibilitychange', onVisibility);
  };
}

/** Said when the last session's roles could not all come back, so a run is never self-judged unawares. */
export function droppedRolesMessage(dropped: readonly Role[]): string {
  const names = dropped.map((r) => ROLE_NOUNS[r]);
  const list = listInWords(names);
  const were = names.length > 1 ? 'were' : 'was';
  return (
    `The ${list} ${were} bound to a model this session does not have (a local model loads only when you ask), ` +
    `so the policy model plays ${names.length > 1 ? 'those roles' : 'that role'} now. Bind it again under Setup → Advanced.`
  );
}
