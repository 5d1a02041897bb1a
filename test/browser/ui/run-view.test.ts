/**
 * The Run view says what to do next and what the run will really do: the step left on Setup (as a link),
 * where a budget stops the run, which changed settings a preset switch drops (with Undo), the values a capped
 * setting will really use, and the roles named as Setup names them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/ui/views/drpo-run-view';
import type { DrpoRunView } from '../../../src/ui/views/drpo-run-view';
import type { DrpoSettingsPanel } from '../../../src/ui/components/drpo-settings-panel';
import type { DrpoPresetCard } from '../../../src/ui/components/drpo-preset-card';
import { AppState } from '../../../src/ui/app/app-state';
import { FakeClient, FakeStore } from '../../support/live-fakes';
import { uniqueDb } from '../../support/store';
import { buildRunConfig } from '../../../src/core/plan/presets';
import { sampleArtifact } from '../../support/artifacts';
import { settle, unmountAll, mountEl } from '../../support/dom';
import { ROLE_LABELS } from '../../../src/ui/view-models/role-labels';
import { speedKey } from '../../../src/ui/view-models/run/measured-speed';
import { planInput } from '../../../src/ui/views/drpo-run-view';
import { planRun } from '../../../src/core/plan/plan-run';
import { projectionCaps, projectRun } from '../../../src/core/plan/projection';
import { OpenAICompatibleModel } from '../../../src/llm/openai/openai-compatible';
import { WebLlmChatModel } from '../../../src/llm/webllm/webllm-adapter';
import type { WebLlmEngineLike } from '../../../src/llm/webllm/webllm-adapter';
import { PRESET_NAMES, ROLES } from '../../../src/core/contracts/run-config';
import type { Role, RoleBinding } from '../../../src/core/contracts/run-config';
import type { ChatModel } from '../../../src/core/contracts/chat-model';

afterEach(unmountAll);

const queries = Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, text: `Question number ${i}?` }));
const dataset = { source: 'builtin' as const, name: 'Forty', queries };
const bound = { policy: { engine: 'openai' as const, modelId: 'm', endpointId: 'e1' } };

async function runView(state: AppState) {
  const el = document.createElement('drpo-run-view') as DrpoRunView;
  el.appState = state;
  el.store = new FakeStore().asStore();
  el.client = new FakeClient().asClient();
  mountEl(el);
  await settle(el);
  const sr = el.shadowRoot!;
  const panel = sr.querySelector('drpo-settings-panel') as DrpoSettingsPanel;
  const cards = [...sr.querySelectorAll('drpo-preset-card')] as DrpoPresetCard[];
  const settled = async () => {
    await settle(el);
    await settle(panel);
    for (const c of cards) await c.updateComplete;
  };
  await settled();
  const box = (id: string) => panel.shadowRoot!.querySelector<HTMLInputElement>(`[id="${id}"]`)!;
  const commit = async (id: string, value: string) => {
    box(id).value = value;
    box(id).dispatchEvent(new Event('change'));
    await settled();
  };
  return { el, sr, panel, cards, settled, box, commit };
}

describe('drpo-run-view: next steps and true estimates', () => {
  it('after a passed connection check, names the step left (Use this model) and links the Setup page', async () => {
    const state = new AppState({
      dataset,
      endpoints: [{ id: 'e1', baseUrl: 'http://127.0.0.1:1/v1', remember: false, models: ['m'] }],
    });
    const { sr } = await runView(state);
    const why = sr.querySelector('#start-why')!;
    expect(why.textContent).toMatch(/connected.*then press Use this model/);
    const link = why.querySelector('a')!;
    expect([link.textContent, link.getAttribute('href')]).toEqual(['Setup page', '#/setup']);
  });

  it('refuses to start while a role uses a model its server no longer lists, naming it and the Setup page', async () => {
    const judge = { engine: 'openai' as const, modelId: 'scripted-judge', endpointId: 'e1' };
    const state = new AppState({
      dataset,
      roles: { ...bound, aspect: bound.policy, optimizer: bound.policy, judge },
      endpoints: [{ id: 'e1', baseUrl: 'http://127.0.0.1:1/v1', remember: false, models: ['m', 'other-b'] }],
    });
    const { sr, settled } = await runView(state);
    const start = () => sr.querySelector<HTMLButtonElement>('.start button.primary')!;
    const why = () => sr.querySelector('#start-why')?.textContent ?? '';
    expect(why()).toMatch(/The judge uses scripted-judge, which http:\/\/127\.0\.0\.1:1\/v1 did not list/);
    expect(why()).toMatch(/Choose another model on the Setup page/);
    expect(start().disabled).toBe(true);
    // Listed again (a new connection test): the run may start.
    state.update({ endpoints: [{ ...state.value.endpoints[0]!, models: ['m', 'scripted-judge'] }] });
    await settled();
    expect(why()).toMatch(/^Preset: /);
    expect(start().disabled).toBe(false);
  });

  it('says on the cards when the budget stops the run before its check, for calls, tokens and minutes', async () => {
    const state = new AppState({ dataset, roles: bound });
    const { cards, settled } = await runView(state);
    const stop = (c: DrpoPresetCard) => c.shadowRoot!.querySelector('[data-budget-stop]')?.textContent ?? null;
    expect(stop(cards[0]!)).toBeNull();
    state.update({ budget: { maxCalls: 40 } });
    await settled();
    const calls = cards[0]!.projection!.calls;
    expect(stop(cards[0]!)).toContain(`stops at 40 of ~${calls} model calls`);
    expect(stop(cards[0]!)).toMatch(/final check will likely not run/);
    // The budget is the run's, not a preset's: every card says it.
    expect(stop(cards[1]!)).toMatch(/stops at 40 of/);
    const server = { id: 'e1', baseUrl: 'http://127.0.0.1:8080/v1', remember: false, models: ['m'] };
    const key = speedKey(bound.policy, () => server.baseUrl)!;
    state.update({ endpoints: [server], budget: { maxGeneratedTokens: 1000 }, decodeSpeed: { key, tokensPerS: 50 } });
    await settled();
    expect(stop(cards[0]!)).toMatch(/stops at 1,000 of ~[\d.]+ k generated tokens/);
    state.update({ budget: { maxWallMs: 60_000 } });
    await settled();
    expect(stop(cards[0]!)).toMatch(/stops after 1 min 0 s of ~\d+ min/);
  });

  it('a preset switch that drops changed settings says which, with an Undo; the chosen card changes nothing', async () => {
    const state = new AppState({ dataset, roles: bound, budget: { maxCalls: 900 } });
    const { sr, cards, settled, commit } = await runView(state);
    await commit('depth', '9');
    expect(state.value.settingsOverride.depth).toBe(9);
    // Choosing the preset already chosen keeps every change.
    cards[0]!.shadowRoot!.querySelector('button')!.click();
    await settled();
    expect(state.value.settingsOverride.depth).toBe(9);
    const status = sr.querySelector('[data-preset-undo]')!;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent!.trim()).toBe('');
    cards[1]!.shadowRoot!.querySelector('button')!.click();
    await settled();
    expect(state.value.preset).toBe('paper');
    expect(state.value.settingsOverride).toEqual({});
    expect(state.value.budget).toEqual({ maxCalls: 900 });
    expect(status.textContent).toMatch(/Your 1 changed setting \(Depth\) was reset to Paper’s\./);
    // No held-out count was set: the notice does not speak of one.
    expect(status.textContent).not.toMatch(/held-out/);
    status.querySelector('button')!.click();
    await settled();
    expect(state.value.preset).toBe('quick');
    expect(state.value.settingsOverride.depth).toBe(9);
    expect(status.textContent!.trim()).toBe('');
    expect(cards[0]!.shadowRoot!.activeElement?.textContent?.trim()).toBe('Quick');
  });

  it('projects each card as the run will (Live, and `drpo optimize`): with the capabilities of its models', async () => {
    // The models the worker and the CLI build for these bindings, whose capabilities the run projects with.
    const built = (b: RoleBinding): ChatModel =>
      b.engine === 'openai'
        ? new OpenAICompatibleModel({ baseUrl: 'http://127.0.0.1:8080/v1', model: b.modelId })
        : new WebLlmChatModel({} as WebLlmEngineLike, b.modelId);
    const local = { engine: 'webllm' as const, modelId: 'local' };
    for (const roles of [bound, { policy: local }, { ...bound, optimizer: local }]) {
      const state = new AppState({ dataset, roles });
      const { cards } = await runView(state);
      for (const [i, preset] of PRESET_NAMES.entries()) {
        const config = planRun({ ...planInput(state.value), preset, settings: {} });
        const models = Object.fromEntries(ROLES.map((r) => [r, built(config.roles[r])])) as Record<Role, ChatModel>;
        const asTheRunWill = projectRun(config, projectionCaps(models));
        expect(cards[i]!.projection).toEqual(asTheRunWill);
        // Which capabilities matters (the audit's Quick card said ~165 where the run said ~155).
        if (config.roles.optimizer.engine === 'openai') expect(projectRun(config).calls).not.toBe(asTheRunWill.calls);
      }
      unmountAll();
    }
  });

  it('the Run card says when too few questions are held out for the final check to confirm a gain', async () => {
    const state = new AppState({ dataset, roles: bound });
    const { sr, settled } = await runView(state);
    expect(sr.querySelector('[data-held-out-warning]')).toBeNull();
    state.update({ settingsOverride: { validationSize: 1 } });
    await settled();
    expect(sr.querySelector('[data-held-out-warning]')!.textContent).toMatch(
      /^Only 1 question is held out, so the final check cannot keep one back .*: hold out at least 2 on Data \(a run holds out at most half of its questions, so 4 or more questions\)\.$/,
    );
    // At 0 too, the Run card sends the user to Data (the Data view itself does not).
    state.update({ settingsOverride: { validationSize: 0 } });
    await settled();
    expect(sr.querySelector('[data-held-out-warning]')!.textContent).toMatch(
      /^No question is held out, .*: hold out at least 2 on Data \(/,
    );
  });

  it('a preset switch keeps the held-out count chosen on Data, and the other cards show what choosing them gives', async () => {
    const state = new AppState({ dataset, roles: bound });
    const { sr, cards, settled, commit } = await runView(state);
    const split = () => sr.querySelector('p.muted')!.textContent!.replace(/\s+/g, ' ');
    // As the Data page sets it.
    state.update({ settingsOverride: { validationSize: 16 } });
    await settled();
    expect(split()).toMatch(/24 queries \(plus 16 held-out questions\)/);
    const paperCard = cards[1]!.projection;
    cards[1]!.shadowRoot!.querySelector('button')!.click();
    await settled();
    expect(state.value.preset).toBe('paper');
    expect(state.value.settingsOverride).toEqual({ validationSize: 16 });
    expect(split()).toMatch(/24 queries \(plus 16 held-out questions\)/);
    expect(cards[1]!.projection).toEqual(paperCard);
    // Nothing else was changed, so nothing was dropped; the notice says the held-out count stayed, as it does
    // beside dropped settings (Paper has its own count: the card alone would leave it unsaid).
    const status = sr.querySelector('[data-preset-undo]')!;
    expect(status.textContent!.replace(/\s+/g, ' ').trim()).toBe('Kept the held-out questions you set (16). Undo');
    expect(status.textContent).not.toMatch(/reset to/);
    // Its Undo goes back to the preset switched from, the held-out count as it was.
    status.querySelector('button')!.click();
    await settled();
    expect(state.value.preset).toBe('quick');
    expect(state.value.settingsOverride).toEqual({ validationSize: 16 });
    expect(status.textContent!.trim()).toBe('');
    cards[1]!.shadowRoot!.querySelector('button')!.click();
    await settled();
    cards[0]!.shadowRoot!.querySelector('button')!.click();
    await settled();
    expect(state.value.settingsOverride).toEqual({ validationSize: 16 });
    expect(split()).toMatch(/24 queries \(plus 16 held-out questions\)/);
    // The other changes go with the switch (and the notice names only them); the held-out count stays.
    await commit('depth', '9');
    cards[2]!.shadowRoot!.querySelector('button')!.click();
    await settled();
    expect(state.value.settingsOverride).toEqual({ validationSize: 16 });
    expect(status.textContent).toMatch(/Your 1 changed setting \(Depth\) was reset to Thorough’s\./);
    // …and says the held-out count stayed, not only the card.
    expect(status.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'Your 1 changed setting (Depth) was reset to Thorough’s. Kept the held-out questions you set (16). Undo',
    );
    status.querySelector('button')!.click();
    await settled();
    expect(state.value.settingsOverride).toEqual({ validationSize: 16, depth: 9 });
  });

  it('a held-out count typed in Advanced settings is kept by a preset switch, and the notice does not send the user to Data', async () => {
    const state = new AppState({ dataset, roles: bound });
    const { sr, cards, settled, commit } = await runView(state);
    await commit('validationSize', '16');
    expect(state.value.settingsOverride).toEqual({ validationSize: 16 });
    cards[1]!.shadowRoot!.querySelector('button')!.click();
    await settled();
    expect(state.value.settingsOverride).toEqual({ validationSize: 16 });
    const status = sr.querySelector('[data-preset-undo]')!;
    // It was not set on Data: the notice names no place it was not set in.
    expect(status.textContent!.replace(/\s+/g, ' ').trim()).toBe('Kept the held-out questions you set (16). Undo');
    expect(status.textContent).not.toMatch(/Data/);
  });

  it('notes the value a capped setting will really use, and refuses minutes it would show as 0', async () => {
    const state = new AppState({ dataset, roles: bound });
    const { panel, box, commit } = await runView(state);
    const note = (id: string) => panel.shadowRoot!.querySelector(`[id="${id}-note"]`)?.textContent ?? null;
    expect(note('validationSize')).toBeNull();
    await commit('validationSize', '1000');
    expect(state.value.settingsOverride.validationSize).toBe(1000);
    expect(note('validationSize')).toBe('20 will be used: at most half of your 40 questions are held out.');
    expect(box('validationSize').getAttribute('aria-describedby')).toContain('validationSize-note');
    await commit('verdictQueries', '20');
    expect(note('verdictQueries')).toBe(
      '10 will be used: at most half of the 20 held-out questions are kept back for the verdict.',
    );
    await commit('budget.maxWallMs', '0.001');
    expect(panel.shadowRoot!.querySelector('[id="budget.maxWallMs-err"]')!.textContent).toMatch(/at least 0.01/);
    expect(state.value.budget.maxWallMs).toBeUndefined();
    await commit('budget.maxWallMs', '0.5');
    expect(state.value.budget.maxWallMs).toBe(30_000);
  });

  it('names the answer-length fields by the roles as Setup does, and says what to do without WebGPU', async () => {
    const state = new AppState({ dataset, gpu: { available: false, reason: 'none', shaderF16: false } });
    const { panel, cards } = await runView(state);
    const labels = [...panel.shadowRoot!.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels).toContain(`Max tokens: ${ROLE_LABELS.aspect}`);
    expect(labels).toContain(`Max tokens: ${ROLE_LABELS.policy}`);
    const time = cards[0]!.shadowRoot!.querySelector('[data-time]')!.textContent!;
    expect(time).toMatch(/no WebGPU.*connect an endpoint.*browser with WebGPU/);
    expect(time).not.toMatch(/depends on your GPU/);
  });

  it("says next to the starting prompt why it cannot be used, in the page's words, whatever else Start waits for", async () => {
    // No model yet: Start names that first, so the prompt's own problem must be said beside the prompt.
    const state = new AppState({ dataset, initialPrompt: 'x'.repeat(20_001) });
    const { el, sr } = await runView(state);
    const area = () => sr.querySelector<HTMLTextAreaElement>('#initial-prompt')!;
    const err = () => sr.querySelector('#initial-prompt-err')!.textContent!.trim();
    expect(sr.querySelector('#start-why')!.textContent).toMatch(/Load a model/);
    expect(err()).toBe('The starting prompt has 20001 characters; the limit is 20000.');
    expect(area().getAttribute('aria-invalid')).toBe('true');
    expect(area().getAttribute('aria-describedby')!.split(' ')).toContain('initial-prompt-err');
    // Said as it changes (the region is always there, empty when the prompt is fine).
    expect(sr.querySelector('#initial-prompt-err')!.getAttribute('aria-live')).toBe('polite');
    // Invisible characters only (a paste of zero-width spaces): asked for a prompt, not told to "leave it out".
    state.update({ initialPrompt: ' \u200B\u200B\n\uFEFF ' });
    await el.updateComplete;
    expect(err()).toBe('Write a starting prompt (or press Reset to use the default).');
    expect(err()).not.toMatch(/Leave it out/);
    state.update({
      roles: bound,
      endpoints: [{ id: 'e1', baseUrl: 'http://127.0.0.1:1/v1', remember: false, models: ['m'] }],
    });
    await el.updateComplete;
    expect(sr.querySelector('#start-why')!.textContent!.trim()).toBe(err());
    expect(sr.querySelector<HTMLButtonElement>('.start button')!.disabled).toBe(true);
    // Typed text is kept; once fixed the note goes and Start is free.
    state.update({ initialPrompt: 'Be kind.' });
    await el.updateComplete;
    expect(err()).toBe('');
    expect(sr.querySelector('#initial-prompt-err')!.getAttribute('aria-live')).toBe('polite');
    expect(area().getAttribute('aria-invalid')).toBe('false');
    expect(area().value).toBe('Be kind.');
    expect(sr.querySelector<HTMLButtonElement>('.start button')!.disabled).toBe(false);
  });
});

describe('drpo-run-view: an unnamed run', () => {
  it('takes a name no stored run has, so History, Playground and Evaluate can tell two quick runs apart', async () => {
    const state = new AppState({
      dataset,
      roles: bound,
      endpoints: [{ id: 'e1', baseUrl: 'http://127.0.0.1:1/v1', remember: false, models: ['m'] }],
    });
    const el = document.createElement('drpo-run-view') as DrpoRunView;
    const store = new FakeStore();
    el.appState = state;
    el.store = store.asStore();
    el.client = new FakeClient().asClient();
    mountEl(el);
    await settle(el);
    const start = () => el.shadowRoot!.querySelector<HTMLButtonElement>('.start button.primary')!;
    const names = () => [...store.runs.values()].map((r) => r.name);
    for (const n of [1, 2, 3]) {
      await settle(el);
      expect(start().disabled).toBe(false);
      start().click();
      await expect.poll(() => store.runs.size).toBe(n);
    }
    expect(names()).toEqual(['DRPO Quick', 'DRPO Quick (2)', 'DRPO Quick (3)']);
    // A run deleted in History leaves its saved alignment, which the Playground and Evaluate still list.
    await store.saveAlignment({ name: 'DRPO Quick (4)', artifact: sampleArtifact(), source: 'run' });
    // The name field says which name an unnamed run will take (it read the stored runs when it opened).
    const again = document.createElement('drpo-run-view') as DrpoRunView;
    again.appState = state;
    again.store = store.asStore();
    again.client = new FakeClient().asClient();
    mountEl(again);
    await expect
      .poll(() => again.shadowRoot?.querySelector<HTMLInputElement>('#run-name')?.placeholder)
      .toBe('DRPO Quick (5)');
    // A typed name another run has is numbered too (two runs under one name could not be told apart), and the
    // field says so as it is typed, in a refused rename's words; a free one is said nothing about.
    const note = () => el.shadowRoot!.querySelector('#run-name-note')!.textContent!.trim();
    state.update({ runName: 'Kind and brief' });
    await settle(el);
    expect(note()).toBe('');
    state.update({ runName: 'DRPO Quick ' });
    await expect
      .poll(note)
      .toBe('Another run is already called “DRPO Quick”: this one will be saved as “DRPO Quick (5)”.');
    expect(el.shadowRoot!.querySelector('#run-name-note')!.getAttribute('aria-live')).toBe('polite');
    expect(el.shadowRoot!.querySelector('#run-name')!.getAttribute('aria-describedby')).toBe(
      'run-name-err run-name-note',
    );
    await settle(el);
    start().click();
    await expect.poll(() => store.runs.size).toBe(4);
    expect(names().at(-1)).toBe('DRPO Quick (5)');
    // The field empties for the next run, and the note with it; a saved alignment's name is said as such.
    await expect.poll(note).toBe('');
    await store.saveAlignment({ name: 'Polite', artifact: sampleArtifact({ systemPrompt: 'P.' }), source: 'file' });
    state.update({ runName: 'Polite' });
    await expect
      .poll(note)
      .toBe('A saved alignment is already called “Polite”: this one will be saved as “Polite (2)”.');
    start().click();
    await expect.poll(() => store.runs.size).toBe(5);
    expect(names().at(-1)).toBe('Polite (2)');
  });

  it('says what a name will be saved as again when another tab starts a run or saves an alignment under it (real store)', async () => {
    const db = uniqueDb();
    try {
      const store = await db.open();
      const state = new AppState({
        dataset,
        roles: bound,
        endpoints: [{ id: 'e1', baseUrl: 'http://127.0.0.1:1/v1', remember: false, models: ['m'] }],
        runName: 'Kind and brief',
      });
      const el = document.createElement('drpo-run-view') as DrpoRunView;
      el.appState = state;
      el.store = store;
      el.client = new FakeClient().asClient();
      mountEl(el);
      const sr = () => el.shadowRoot!;
      const note = () => sr().querySelector('#run-name-note')?.textContent?.trim() ?? '';
      const placeholder = () => sr().querySelector<HTMLInputElement>('#run-name')?.placeholder;
      await expect.poll(placeholder).toBe('DRPO Quick');
      await settle(el);
      expect(note()).toBe('');
      // Another tab (its own connection to the same database) starts a run under the typed name and one
      // under the preset's: the note and the placeholder follow without a keystroke here.
      const other = await db.open();
      await other.createRun(buildRunConfig('quick'), 'Kind and brief');
      await other.createRun(buildRunConfig('quick'), 'DRPO Quick');
      await expect
        .poll(note)
        .toBe('Another run is already called “Kind and brief”: this one will be saved as “Kind and brief (2)”.');
      await expect.poll(placeholder).toBe('DRPO Quick (2)');
      // ...and a saved alignment under the next number moves it on again.
      await other.saveAlignment({ name: 'Kind and brief (2)', artifact: sampleArtifact(), source: 'file' });
      await expect
        .poll(note)
        .toBe('Another run is already called “Kind and brief”: this one will be saved as “Kind and brief (3)”.');
    } finally {
      unmountAll();
      await db.cleanup();
    }
  });
});
