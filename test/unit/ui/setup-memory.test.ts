/**
 * The setup comes back after a reload (controllers/endpoint-memory.ts): every role's endpoint model, so a
 * larger judge stays the judge; the preset and the starting prompt. What cannot come back is said.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppState, type AppStateData } from '../../../src/ui/app/app-state';
import { droppedRolesMessage, keepSetup, restoreSetup, setupOf } from '../../../src/ui/controllers/endpoint-memory';
import type { SavedEndpoint } from '../../../src/store/store';
import type { EndpointConfig } from '../../../src/protocol/worker-api';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import { DEFAULT_INITIAL_PROMPT, PRESETS } from '../../../src/core/plan/presets';

const LOCAL: SavedEndpoint = { id: 'ep-local', baseUrl: 'http://127.0.0.1:11434/v1', remember: false };
const HOSTED: SavedEndpoint = {
  id: 'ep-hosted',
  baseUrl: 'https://api.example.com/v1',
  remember: true,
  apiKey: 'sk-kept',
  models: ['big-judge', 'other'],
};
const small: RoleBinding = { engine: 'openai', endpointId: 'ep-local', modelId: 'small' };
const big: RoleBinding = { engine: 'openai', endpointId: 'ep-hosted', modelId: 'big-judge' };

function fakes(settings: Record<string, unknown>, endpoints: SavedEndpoint[] = [LOCAL, HOSTED]) {
  const written: [string, unknown][] = [];
  const store = {
    getSetting: <T>(key: string) => Promise.resolve(settings[key] as T | undefined),
    listEndpoints: () => Promise.resolve(endpoints),
    setSetting: (key: string, value: unknown) => {
      written.push([key, structuredClone(value)]);
      settings[key] = value;
      return Promise.resolve();
    },
  };
  const set: EndpointConfig[] = [];
  const client = { setEndpoint: (c: EndpointConfig) => (set.push(c), Promise.resolve()) };
  return { store, client, set, written };
}

afterEach(() => vi.useRealTimers());

/** Lets pending store reads land (with only Date faked). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('restoreSetup', () => {
  it('brings back a judge on another endpoint, with both endpoints set up and their listed models offered', async () => {
    const { store, client, set } = fakes({
      lastSetup: {
        roles: { policy: small, aspect: small, judge: big, optimizer: big },
        preset: 'paper',
        initialPrompt: 'Be brief.',
      },
    });
    const app = new AppState();
    await expect(restoreSetup(app, store, client)).resolves.toEqual({ restored: true, dropped: [] });
    expect(app.value.roles).toEqual({ policy: small, aspect: small, judge: big, optimizer: big });
    expect(set.map((c) => c.id).sort()).toEqual(['ep-hosted', 'ep-local']);
    expect(set.find((c) => c.id === 'ep-hosted')?.apiKey).toBe('sk-kept');
    const hosted = app.value.endpoints.find((e) => e.id === 'ep-hosted')!;
    expect(hosted.models).toEqual(['big-judge', 'other']);
    expect(app.value.endpoints.find((e) => e.id === 'ep-local')!.models).toEqual(['small']);
    expect(app.value.preset).toBe('paper');
    expect(app.value.initialPrompt).toBe('Be brief.');
  });

  it('reads what older pages stored (the policy only) as every role', async () => {
    const { store, client } = fakes({ lastPolicy: small });
    const app = new AppState();
    await expect(restoreSetup(app, store, client)).resolves.toEqual({ restored: true, dropped: [] });
    expect(app.value.roles).toEqual({ policy: small, aspect: small, judge: small, optimizer: small });
    expect(app.value.preset).toBe('quick');
    expect(app.value.initialPrompt).toBe(DEFAULT_INITIAL_PROMPT);
  });

  it('names the roles that cannot come back (a local judge, a forgotten endpoint); they follow the policy', async () => {
    const localJudge: RoleBinding = { engine: 'webllm', modelId: 'Llama-3.2-3B-Instruct-q4f16_1-MLC' };
    const gone: RoleBinding = { engine: 'openai', endpointId: 'ep-deleted', modelId: 'x' };
    const { store, client } = fakes({ lastSetup: { roles: { policy: small, judge: localJudge, optimizer: gone } } });
    const app = new AppState();
    const { dropped } = await restoreSetup(app, store, client);
    expect(dropped).toEqual(['judge', 'optimizer']);
    expect(app.value.roles.judge).toEqual(small);
    expect(droppedRolesMessage(dropped)).toBe(
      'The judge and optimizer were bound to a model this session does not have (a local model loads only when ' +
        'you ask), so the policy model plays those roles now. Bind it again under Setup → Advanced.',
    );
    expect(droppedRolesMessage(['judge'])).toContain('The judge was bound');
  });

  it('binds nothing for a local policy (nothing loads by itself), yet brings back the preset and starting prompt', async () => {
    const { store, client, set } = fakes({
      lastSetup: { roles: { policy: { engine: 'webllm', modelId: 'm' } }, preset: 'thorough', initialPrompt: 'Hi.' },
    });
    const app = new AppState();
    await expect(restoreSetup(app, store, client)).resolves.toEqual({ restored: false, dropped: [] });
    expect(app.value.roles).toEqual({});
    expect(set).toEqual([]);
    expect(app.value.preset).toBe('thorough');
    expect(app.value.initialPrompt).toBe('Hi.');
  });

  it('brings back an endpoint judge beside a local policy (which is loaded only when asked)', async () => {
    const local: RoleBinding = { engine: 'webllm', modelId: 'Llama-3.2-1B-Instruct-q4f16_1-MLC' };
    const otherLocal: RoleBinding = { engine: 'webllm', modelId: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC' };
    const { store, client, set } = fakes({
      lastSetup: { roles: { policy: local, aspect: local, judge: big, optimizer: otherLocal } },
    });
    const app = new AppState();
    await expect(restoreSetup(app, store, client)).resolves.toEqual({ restored: true, dropped: ['optimizer'] });
    expect(app.value.roles).toEqual({ judge: big });
    expect(set.map((c) => c.id)).toEqual(['ep-hosted']);
    expect(app.value.endpoints.map((e) => e.id)).toEqual(['ep-hosted']);
  });

  it('keeps what the user chose before the store answered', async () => {
    const { store, client } = fakes({
      lastSetup: { roles: { policy: small }, preset: 'paper', initialPrompt: 'Old.' },
    });
    const mine: RoleBinding = { engine: 'webllm', modelId: 'loaded' };
    const app = new AppState({ preset: 'thorough', initialPrompt: 'New.', roles: { policy: mine } });
    await expect(restoreSetup(app, store, client)).resolves.toEqual({ restored: false, dropped: [] });
    expect(app.value).toMatchObject({ preset: 'thorough', initialPrompt: 'New.', roles: { policy: mine } });
  });

  it('reads a damaged setting for what it can, and never throws on it', async () => {
    const { store, client } = fakes({
      lastSetup: {
        roles: { policy: small, judge: { engine: 'openai' }, optimizer: 'x' },
        preset: 'fast',
        initialPrompt: 7,
      },
    });
    const app = new AppState();
    await expect(restoreSetup(app, store, client)).resolves.toEqual({ restored: true, dropped: [] });
    expect(app.value.roles.judge).toEqual(small);
    expect(app.value.preset).toBe('quick');
    expect(app.value.initialPrompt).toBe(DEFAULT_INITIAL_PROMPT);
    const none = fakes({ lastSetup: 'nonsense' });
    await expect(restoreSetup(new AppState(), none.store, none.client)).resolves.toEqual({
      restored: false,
      dropped: [],
    });
  });
});

describe('keepSetup', () => {
  it('writes the setup once typing settles, not what it already holds, and the last change when stopped', async () => {
    vi.useFakeTimers();
    const { store, written } = fakes({});
    const app = new AppState();
    const stop = keepSetup(app, store, 400);
    app.update({ error: null }); // nothing of the setup changed
    await vi.advanceTimersByTimeAsync(500);
    expect(written).toEqual([]);
    app.update({ initialPrompt: 'B' });
    app.update({ initialPrompt: 'Be' });
    await vi.advanceTimersByTimeAsync(100);
    const typedAt = Date.now();
    app.update({ initialPrompt: 'Be brief.' });
    await vi.advanceTimersByTimeAsync(500);
    // With when it was changed (the time of the last keystroke, not of the write).
    expect(written).toEqual([['lastSetup', { ...setupOf(app.value), changedAt: { initialPrompt: typedAt } }]]);
    // A chosen model is written at once (a reload right after must not lose it).
    const chosenAt = Date.now();
    app.update({ roles: { policy: small, judge: big } });
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toHaveLength(2);
    app.update({ initialPrompt: 'Be brief!' });
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toHaveLength(3);
    expect(written[1]).toEqual([
      'lastSetup',
      {
        roles: { policy: small, judge: big },
        preset: 'quick',
        initialPrompt: 'Be brief.',
        changedAt: { initialPrompt: typedAt, roles: chosenAt },
      },
    ]);
    app.update({ preset: 'paper' });
    await vi.advanceTimersByTimeAsync(500);
    expect(written).toHaveLength(3);
  });

  it('writes even while other state changes all the time (progress, speeds)', async () => {
    vi.useFakeTimers();
    const { store, written } = fakes({});
    const app = new AppState();
    const stop = keepSetup(app, store, 400);
    const typedAt = Date.now();
    app.update({ initialPrompt: 'Be brief.' });
    for (let t = 0; t < 10; t++) {
      app.update({ loadProgress: { modelId: 'm', progress: t / 10, text: 'loading', elapsedS: t, etaS: 1 } });
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(written).toEqual([['lastSetup', { ...setupOf(app.value), changedAt: { initialPrompt: typedAt } }]]);
    stop();
  });

  it('writes only what this tab changed over what another tab stored', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000);
    const { store, written } = fakes({
      lastSetup: { roles: { policy: small, judge: big }, preset: 'quick', initialPrompt: 'Set in tab A.' },
    });
    // Tab B opened before tab A chose its judge and prompt; it only picks a preset.
    const tabB = new AppState({ roles: { policy: small } });
    const stop = keepSetup(tabB, store);
    tabB.update({ preset: 'paper' });
    await vi.waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]).toEqual([
      'lastSetup',
      {
        roles: { policy: small, judge: big },
        preset: 'paper',
        initialPrompt: 'Set in tab A.',
        changedAt: { preset: 5_000 },
      },
    ]);
    stop();
  });
});

describe("a tab's own later change is always stored", () => {
  it('two changes of one field in the same millisecond: the second is stored', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000);
    const { store, written } = fakes({});
    const app = new AppState();
    const stop = keepSetup(app, store, 300, {});
    app.update({ preset: 'paper' });
    app.update({ preset: 'thorough' });
    await vi.waitFor(() => expect(written).toHaveLength(2));
    // Once the first write has landed too.
    app.update({ preset: 'quick' });
    await vi.waitFor(() => expect(written).toHaveLength(3));
    expect(written.map(([, s]) => (s as { preset: string }).preset)).toEqual(['paper', 'thorough', 'quick']);
    stop();
  });

  it('a stored time ahead of the clock (corrected since, or damaged) does not refuse later changes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000);
    const ahead = { roles: {}, preset: 'paper', initialPrompt: 'Hi.', changedAt: { preset: 9e15 } };
    const { store, written } = fakes({ lastSetup: ahead });
    const draft = memoryStorage();
    const win = new EventTarget();
    const app = new AppState();
    keepSetup(app, store, 300, { window: win, draft });
    await settled(); // the user chooses after the page has read the store
    app.update({ preset: 'thorough' });
    await vi.waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]![1]).toMatchObject({ preset: 'thorough', changedAt: { preset: 5_000 } });
    // A draft left over such a time is restored too (the tab closed before its write landed).
    const stalled = fakes({ lastSetup: { ...ahead } });
    stalled.store.setSetting = () => new Promise<never>(() => undefined);
    const tab = new AppState();
    keepSetup(tab, stalled.store, 300, { window: win, draft });
    await settled();
    tab.update({ preset: 'thorough' });
    win.dispatchEvent(new Event('pagehide'));
    const next = new AppState();
    const reloaded = fakes({ lastSetup: { ...ahead } });
    await restoreSetup(next, reloaded.store, reloaded.client, draft);
    expect(next.value.preset).toBe('thorough');
    expect(reloaded.written).toEqual([['lastSetup', expect.objectContaining({ preset: 'thorough' })]]);
  });
});

describe('settings and budget are remembered like the prompt', () => {
  it('writes changed settings and the budget at once, and a reload brings them back with their preset', async () => {
    const { store, written } = fakes({});
    const app = new AppState();
    const stop = keepSetup(app, store, 400, {});
    app.update({
      preset: 'paper',
      settingsOverride: { depth: 9, maxTokens: { ...PRESETS.paper.settings.maxTokens, judge: 300 } },
    });
    app.update({ budget: { maxCalls: 40 } });
    await vi.waitFor(() => expect(written).toHaveLength(2));
    stop();
    const next = new AppState();
    await restoreSetup(next, fakes({ lastSetup: written[1]![1] }).store, fakes({}).client, null);
    expect(next.value.preset).toBe('paper');
    expect(next.value.settingsOverride).toEqual(app.value.settingsOverride);
    expect(next.value.budget).toEqual({ maxCalls: 40 });
  });

  it('drops remembered values the engine would refuse, one by one, and never throws on them', async () => {
    const { store, client } = fakes({
      lastSetup: {
        roles: {},
        preset: 'quick',
        initialPrompt: 'Hi.',
        settingsOverride: {
          depth: 0,
          beamWidth: 3,
          iclK: 'x',
          shortRationales: 'yes',
          logprobScoring: false,
          maxTokens: { judge: 5, policy: 400 },
          bogus: 1,
        },
        budget: { maxCalls: -4, maxGeneratedTokens: 1.5, maxWallMs: 60_000 },
      },
    });
    const app = new AppState();
    await restoreSetup(app, store, client, null);
    expect(app.value.settingsOverride).toEqual({ beamWidth: 3, logprobScoring: false, maxTokens: { policy: 400 } });
    expect(app.value.budget).toEqual({ maxWallMs: 60_000 });
    const damaged = fakes({ lastSetup: { roles: {}, preset: 'quick', settingsOverride: 'x', budget: [7] } });
    const other = new AppState();
    await expect(restoreSetup(other, damaged.store, damaged.client, null)).resolves.toBeTruthy();
    expect([other.value.settingsOverride, other.value.budget]).toEqual([{}, {}]);
  });

  it('does not lay settings made on one preset over another chosen meanwhile', async () => {
    const { store, client } = fakes({
      lastSetup: {
        roles: {},
        preset: 'paper',
        initialPrompt: 'Hi.',
        settingsOverride: { depth: 9 },
        budget: { maxCalls: 40 },
      },
    });
    const app = new AppState({ preset: 'thorough' });
    await restoreSetup(app, store, client, null);
    expect(app.value.settingsOverride).toEqual({});
    expect(app.value.budget).toEqual({ maxCalls: 40 });
  });
});

/** A localStorage stand-in. */
function memoryStorage() {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

/**
 * A tab makes `change` at `at`, is hidden (its draft written) and closes before its store write lands (it
 * never does). Needs Date faked.
 */
function closedTabDraft(at: number, change: Partial<AppStateData>) {
  vi.setSystemTime(at);
  const stalled = {
    getSetting: () => new Promise<never>(() => undefined),
    setSetting: () => new Promise<never>(() => undefined),
  };
  const draft = memoryStorage();
  const win = new EventTarget();
  const tabA = new AppState();
  keepSetup(tabA, stalled, 300, { window: win, draft });
  tabA.update(change);
  win.dispatchEvent(new Event('pagehide'));
  return draft;
}

describe('nothing typed is lost when the page goes away', () => {
  it('keeps the last words in a synchronous draft on pagehide, which the next page restores and stores', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const draft = closedTabDraft(1_000, { initialPrompt: 'Be brief and kind' });
    // Written before anything async could run.
    expect(draft.map.size).toBe(1);
    const { store, client, written } = fakes({
      lastSetup: { roles: {}, preset: 'paper', initialPrompt: 'Be brief' },
    });
    const next = new AppState();
    await restoreSetup(next, store, client, draft);
    expect(next.value.initialPrompt).toBe('Be brief and kind');
    expect(next.value.preset).toBe('paper');
    // Stored now, and the draft is gone (it must not override later changes on a later load).
    expect(written).toEqual([
      [
        'lastSetup',
        { roles: {}, preset: 'paper', initialPrompt: 'Be brief and kind', changedAt: { initialPrompt: 1_000 } },
      ],
    ]);
    expect(draft.map.size).toBe(0);
  });

  it('also when the tab is hidden, and clears its draft once the store has it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000);
    const { store, written } = fakes({});
    const draft = memoryStorage();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const app = new AppState();
    const stop = keepSetup(app, store, 60_000, { document: doc, draft });
    app.update({ initialPrompt: 'Typed just now' });
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(draft.map.size).toBe(0); // still visible
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(JSON.parse(draft.map.get('drpo.setupDraft')!)).toEqual({
      initialPrompt: 'Typed just now',
      changedAt: { initialPrompt: 5_000 },
    });
    await vi.waitFor(() => expect(written).toHaveLength(1));
    await vi.waitFor(() => expect(draft.map.size).toBe(0));
    stop();
  });

  it('a draft left by a closed tab is not put over what another tab changed and stored after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const draft = closedTabDraft(1_000, { initialPrompt: 'From tab A', preset: 'paper' });
    // Tab B, later, stores a newer prompt and preset.
    const { store, client, written } = fakes({});
    vi.setSystemTime(2_000);
    const tabB = new AppState();
    const stop = keepSetup(tabB, store, 0, {});
    tabB.update({ initialPrompt: 'From tab B', preset: 'thorough' });
    await vi.waitFor(() => expect(written).toHaveLength(1));
    stop();
    const next = new AppState();
    await restoreSetup(next, store, client, draft);
    expect(next.value).toMatchObject({ initialPrompt: 'From tab B', preset: 'thorough' });
    expect(written).toHaveLength(1); // nothing of the draft was newer: nothing written back
    expect(draft.map.size).toBe(0);
  });

  it('takes from a draft only the fields newer than the stored ones', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const draft = closedTabDraft(1_000, { initialPrompt: 'From tab A', budget: { maxCalls: 40 } });
    const { store, client, written } = fakes({
      lastSetup: {
        roles: {},
        preset: 'paper',
        initialPrompt: 'From tab B',
        budget: { maxCalls: 7 },
        changedAt: { initialPrompt: 2_000, budget: 500 },
      },
    });
    const next = new AppState();
    await restoreSetup(next, store, client, draft);
    expect(next.value).toMatchObject({ initialPrompt: 'From tab B', preset: 'paper', budget: { maxCalls: 40 } });
    expect(written).toEqual([
      [
        'lastSetup',
        {
          roles: {},
          preset: 'paper',
          initialPrompt: 'From tab B',
          budget: { maxCalls: 40 },
          changedAt: { initialPrompt: 2_000, budget: 1_000 },
        },
      ],
    ]);
    expect(draft.map.size).toBe(0);
  });

  it('a draft whose changes the store already holds is only removed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const draft = closedTabDraft(1_000, { initialPrompt: 'Stored after all' });
    const { store, client, written } = fakes({
      lastSetup: { roles: {}, preset: 'quick', initialPrompt: 'Stored after all', changedAt: { initialPrompt: 1_000 } },
    });
    await restoreSetup(new AppState(), store, client, draft);
    expect(written).toEqual([]);
    expect(draft.map.size).toBe(0);
  });

  it('a write that waited for typing to settle does not put back a prompt another tab changed since', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000);
    const { store, written } = fakes({});
    const tabA = new AppState();
    const stop = keepSetup(tabA, store, 300, {});
    tabA.update({ initialPrompt: 'Typed in A' });
    // Tab B stores its prompt while A's write waits.
    await vi.advanceTimersByTimeAsync(100);
    await store.setSetting('lastSetup', {
      roles: {},
      preset: 'quick',
      initialPrompt: 'Typed in B',
      changedAt: { initialPrompt: Date.now() },
    });
    await vi.advanceTimersByTimeAsync(300);
    expect(written).toHaveLength(1);
    stop();
  });

  it('keeps the draft when storing what it restores fails (it is then kept nowhere else)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const draft = closedTabDraft(1_000, { initialPrompt: 'Last words' });
    const { store, client } = fakes({ lastSetup: { roles: {}, preset: 'quick', initialPrompt: 'Old.' } });
    store.setSetting = () => Promise.reject(new Error('QuotaExceededError'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const next = new AppState();
    await restoreSetup(next, store, client, draft);
    warn.mockRestore();
    expect(next.value.initialPrompt).toBe('Last words');
    expect(draft.map.size).toBe(1);
    // The next page, whose write succeeds, restores and stores it.
    const later = fakes({ lastSetup: { roles: {}, preset: 'quick', initialPrompt: 'Old.' } });
    await restoreSetup(new AppState(), later.store, later.client, draft);
    expect(later.written[0]![1]).toMatchObject({ initialPrompt: 'Last words' });
    expect(draft.map.size).toBe(0);
  });

  it('reads a damaged draft as nothing, and clears it', async () => {
    const draft = memoryStorage();
    draft.setItem('drpo.setupDraft', '{not json');
    const { store, client } = fakes({ lastSetup: { roles: {}, preset: 'paper', initialPrompt: 'Kept.' } });
    const app = new AppState();
    await restoreSetup(app, store, client, draft);
    expect(app.value.initialPrompt).toBe('Kept.');
    expect(draft.map.size).toBe(0);
  });
});
