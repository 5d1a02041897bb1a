import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../../src/ui/views/drpo-run-view';
import '../../../src/ui/views/drpo-result-view';
import '../../../src/ui/components/drpo-closest-candidate';
import '../../../src/ui/components/drpo-settings-panel';
import type { DrpoRunView } from '../../../src/ui/views/drpo-run-view';
import type { DrpoResultView } from '../../../src/ui/views/drpo-result-view';
import type { DrpoSettingsPanel } from '../../../src/ui/components/drpo-settings-panel';
import type { DrpoPresetCard } from '../../../src/ui/components/drpo-preset-card';
import { AppState } from '../../../src/ui/app/app-state';
import { DEFAULT_INITIAL_PROMPT, PRESETS } from '../../../src/core/plan/presets';
import { getRunSession, resetRunSessions } from '../../../src/ui/controllers/run-controller';
import type { AlignmentArtifact } from '../../../src/core/contracts/alignment';
import { FakeClient, FakeStore, until } from '../../support/live-fakes';
import type { LitElement } from 'lit';
import { fellShortArtifact, nothingLedArtifact, sampleArtifact } from '../../support/artifacts';
import { afterPaint, captureDownloads, mountEl, typeNumberText, unmountAll } from '../../support/dom';
import { mountResultView, mountRunResult } from '../../support/result-view';
import { decodeAlignmentLink } from '../../../src/core/formats/link-codec';
import { config as runConfig, uniqueDb } from '../../support/store';

const startHash = location.hash;
afterEach(() => {
  unmountAll();
  resetRunSessions();
  history.replaceState(null, '', startHash || location.pathname + location.search);
});

const dataset = {
  source: 'builtin' as const,
  name: 'Starter set',
  queries: [
    { id: 'q1', text: 'How do I keep basil alive indoors?' },
    { id: 'q2', text: 'Write a haiku about rain.' },
    { id: 'v1', text: 'What is a prime number?' },
  ],
};

async function runView(state: AppState, store = new FakeStore(), client = new FakeClient()) {
  const el = document.createElement('drpo-run-view') as DrpoRunView;
  el.appState = state;
  el.store = store.asStore();
  el.client = client.asClient();
  mountEl(el);
  await el.updateComplete;
  return { el, store, client, sr: el.shadowRoot! };
}

/** The endpoint the bound model `m` is served from, as Setup leaves it after a connection check. */
const endpointE1 = { id: 'e1', baseUrl: 'http://127.0.0.1:1/v1', remember: false, models: ['m'] };

/** The app state of a run ready to start: a dataset and the policy bound to the endpoint's model `m`. */
function boundState(more: ConstructorParameters<typeof AppState>[0] = {}): AppState {
  return new AppState({
    dataset,
    roles: { policy: { engine: 'openai', modelId: 'm', endpointId: 'e1' } },
    endpoints: [endpointE1],
    ...more,
  });
}

/** A run view ready to start (a dataset, an endpoint model), with its settings panel and its Start button. */
async function boundRunView() {
  const state = boundState();
  const { el, sr } = await runView(state);
  const panel = sr.querySelector('drpo-settings-panel') as DrpoSettingsPanel;
  await panel.updateComplete;
  const startButton = () => [...sr.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Start')!;
  return { state, el, sr, panel, startButton };
}

describe('drpo-run-view', () => {
  it('disables Start with a reason when no model is bound, then when no dataset is chosen', async () => {
    const state = new AppState();
    const { el, sr } = await runView(state);
    const start = () => [...sr.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Start')!;
    expect(start().disabled).toBe(true);
    expect(sr.querySelector('#start-why')!.textContent).toMatch(/Load a model/);
    state.update({ loaded: [{ engine: 'webllm', modelId: 'Tiny-Model', contextWindow: 4096 }] });
    await el.updateComplete;
    expect(start().disabled).toBe(true);
    expect(sr.querySelector('#start-why')!.textContent).toMatch(/Choose training queries/);
    state.update({ dataset });
    await el.updateComplete;
    expect(start().disabled).toBe(false);
  });

  it('shows three preset cards with projections and "depends on your GPU", and switches preset', async () => {
    const state = new AppState({ dataset });
    const { el, sr } = await runView(state);
    const cards = [...sr.querySelectorAll('drpo-preset-card')] as (LitElement & { selected: boolean })[];
    expect(cards).toHaveLength(3);
    await Promise.all(cards.map((c) => c.updateComplete));
    const cardText = cards[1]!.shadowRoot!.textContent!;
    expect(cardText).toMatch(/Paper/);
    expect(cardText).toMatch(/Model calls\s*~\d/);
    expect(cardText).toMatch(/depends on your GPU/);
    expect(cards[0]!.selected).toBe(true);
    // Chosen by a toggle named by the preset alone; the facts are its description.
    const pick = cards[1]!.shadowRoot!.querySelector('button')!;
    expect(pick.textContent!.trim()).toBe(PRESETS.paper.label);
    expect(pick.getAttribute('aria-pressed')).toBe('false');
    expect(pick.querySelector('dl')).toBeNull();
    const described = pick
      .getAttribute('aria-describedby')!
      .split(' ')
      .map((id) => cards[1]!.shadowRoot!.getElementById(id)!.textContent)
      .join(' ');
    expect(described).toMatch(/Model calls\s*~\d/);
    expect(cards[0]!.shadowRoot!.querySelector('button')!.getAttribute('aria-pressed')).toBe('true');
    let chosen = 0;
    cards[2]!.addEventListener('preset-selected', () => chosen++);
    cards[2]!.shadowRoot!.querySelector('button')!.click();
    await el.updateComplete;
    expect(state.value.preset).toBe('thorough');
    expect(chosen).toBe(1);
    // A click anywhere on a card chooses it as well.
    cards[1]!.shadowRoot!.querySelector<HTMLElement>('[data-levels]')!.click();
    await el.updateComplete;
    expect(state.value.preset).toBe('paper');
  });

  it('projects again once an invalid starting prompt is fixed (a failed plan is not remembered)', async () => {
    const state = new AppState({ dataset, initialPrompt: 'x'.repeat(20_001) });
    const { el, sr } = await runView(state);
    const card = () => sr.querySelector('drpo-preset-card') as LitElement;
    await card().updateComplete;
    expect(card().shadowRoot!.textContent).toMatch(/Model calls\s*—/);
    state.update({ initialPrompt: 'Be kind.' });
    await el.updateComplete;
    await card().updateComplete;
    expect(card().shadowRoot!.textContent).toMatch(/Model calls\s*~\d/);
  });

  it('projects more tokens for a longer starting prompt (sent with every answer, rewritten by the optimizer)', async () => {
    const state = new AppState({ dataset });
    const { el, sr } = await runView(state);
    const projected = async () => {
      await el.updateComplete;
      return (sr.querySelector('drpo-preset-card') as DrpoPresetCard).projection!;
    };
    const usual = await projected();
    state.update({ initialPrompt: 'Answer plainly, say what you rely on, and say what you do not know. '.repeat(20) });
    const long = await projected();
    expect(long.perRole.policy.promptTokens).toBeGreaterThan(usual.perRole.policy.promptTokens);
    expect(long.generatedTokens).toBeGreaterThan(usual.generatedTokens);
    state.update({ initialPrompt: DEFAULT_INITIAL_PROMPT });
    expect(await projected()).toEqual(usual);
  });

  it('estimates the time from the decode speed a stored run of the same model reported', async () => {
    const store = new FakeStore();
    const rec = store.addRun('old', 'completed');
    rec.config.roles.policy.modelId = 'Tiny-Model';
    rec.stats = { ...rec.stats, decodeTokensPerS: 40 };
    const state = new AppState({ dataset, loaded: [{ engine: 'webllm', modelId: 'Tiny-Model', contextWindow: 4096 }] });
    const { el, sr } = await runView(state, store);
    await until(() => {
      const card = sr.querySelector('drpo-preset-card');
      return !!card?.shadowRoot?.textContent?.includes('at 40 tokens/s');
    });
    state.update({ loaded: [{ engine: 'webllm', modelId: 'Other', contextWindow: 4096 }] });
    await el.updateComplete;
    const card = sr.querySelector('drpo-preset-card') as LitElement;
    await card.updateComplete;
    expect(card.shadowRoot!.textContent).toMatch(/depends on your GPU/);
  });

  it('exposes every search setting and rejects out-of-range values without changing the state', async () => {
    const state = new AppState({ dataset });
    const { el, sr } = await runView(state);
    const panel = sr.querySelector('drpo-settings-panel') as DrpoSettingsPanel;
    await panel.updateComplete;
    const keys = Object.keys(PRESETS.quick.settings).filter((k) => k !== 'maxTokens');
    for (const k of keys) expect(panel.shadowRoot!.querySelector(`#${k}, input[type=checkbox]`), k).not.toBeNull();
    const beam = panel.shadowRoot!.querySelector<HTMLInputElement>('#beamWidth')!;
    expect(panel.shadowRoot!.querySelector('#beamWidth-err')!.getAttribute('role')).toBe('alert'); // before words
    beam.value = '99';
    beam.dispatchEvent(new Event('change'));
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('#beamWidth-err')!.textContent).toMatch(/from 1 to 16/);
    expect(beam.getAttribute('aria-invalid')).toBe('true');
    expect(beam.getAttribute('aria-describedby')).toBe('beamWidth-hint beamWidth-err');
    expect(state.value.settingsOverride.beamWidth).toBeUndefined();
    beam.value = '3';
    beam.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(state.value.settingsOverride.beamWidth).toBe(3);
    await panel.updateComplete;
    expect(beam.getAttribute('aria-invalid')).toBe('false');
    const minutes = panel.shadowRoot!.querySelector<HTMLInputElement>('[id="budget.maxWallMs"]')!;
    expect([minutes.type, minutes.placeholder, minutes.min]).toEqual(['number', 'no limit', '0']);
    minutes.value = '10';
    minutes.dispatchEvent(new Event('change'));
    expect(state.value.budget.maxWallMs).toBe(600_000);
    minutes.value = '-1';
    minutes.dispatchEvent(new Event('change'));
    expect(state.value.budget.maxWallMs).toBe(600_000);
    // Too big to be a time (1e305 minutes is Infinity ms), a fraction of a call: flagged, never stored.
    minutes.value = '1e305';
    minutes.dispatchEvent(new Event('change'));
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('[id="budget.maxWallMs-err"]')!.textContent).toMatch(/smaller number/);
    expect(state.value.budget.maxWallMs).toBe(600_000);
    minutes.value = '0.000001';
    minutes.dispatchEvent(new Event('change'));
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('[id="budget.maxWallMs-err"]')!.textContent).toMatch(/larger number/);
    expect(state.value.budget.maxWallMs).toBe(600_000);
    const calls = panel.shadowRoot!.querySelector<HTMLInputElement>('[id="budget.maxCalls"]')!;
    calls.value = '0.4';
    calls.dispatchEvent(new Event('change'));
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('[id="budget.maxCalls-err"]')!.textContent).toMatch(/whole number/);
    expect(state.value.budget.maxCalls).toBeUndefined();
  });

  it('holds Start while an advanced field shows a value the run would not use, and says which', async () => {
    const { state, el, sr, panel, startButton } = await boundRunView();
    expect(startButton().disabled).toBe(false);
    const depth = panel.shadowRoot!.querySelector<HTMLInputElement>('#depth')!;
    depth.value = '0';
    depth.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(startButton().disabled).toBe(true);
    expect(sr.querySelector('#start-why')!.textContent).toMatch(/Fix Depth under Advanced settings/);
    depth.value = '2';
    depth.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(startButton().disabled).toBe(false);
    expect(state.value.settingsOverride.depth).toBe(2);
    // Another preset shows its own values: the refusal is forgotten with the value it was about.
    depth.value = '0';
    depth.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(startButton().disabled).toBe(true);
    state.update({ preset: 'paper', settingsOverride: {} });
    await el.updateComplete;
    await panel.updateComplete;
    await el.updateComplete;
    expect(startButton().disabled).toBe(false);
    // Text that is no number in an empty budget box reads as '' in the browser: refused, not "no limit".
    sr.querySelector('details')!.open = true;
    const calls = panel.shadowRoot!.querySelector<HTMLInputElement>('[id="budget.maxCalls"]')!;
    await typeNumberText(calls, '1e');
    await panel.updateComplete;
    await el.updateComplete;
    expect(calls.validity.badInput).toBe(true);
    expect(calls.getAttribute('aria-invalid')).toBe('true');
    expect(panel.shadowRoot!.querySelector('[id="budget.maxCalls-err"]')!.textContent).toMatch(/positive number/);
    expect(startButton().disabled).toBe(true);
    expect(sr.querySelector('#start-why')!.textContent).toMatch(/Fix Max model calls under Advanced/);
    expect(state.value.budget.maxCalls).toBeUndefined();
    // Emptied again (the browser reads '' before and after, and fires no change): no limit, and Start is free.
    await typeNumberText(calls, '');
    await panel.updateComplete;
    await el.updateComplete;
    expect(calls.validity.badInput).toBe(false);
    expect(calls.getAttribute('aria-invalid')).toBe('false');
    expect(panel.shadowRoot!.querySelector('[id="budget.maxCalls-err"]')!.textContent).toBe('');
    expect(startButton().disabled).toBe(false);
    expect(state.value.budget.maxCalls).toBeUndefined();
  });

  it('Reset and another preset show the values in use again, not refused text left in the boxes', async () => {
    const { state, el, sr, panel, startButton } = await boundRunView();
    sr.querySelector('details')!.open = true;
    const box = (id: string) => panel.shadowRoot!.querySelector<HTMLInputElement>(`[id="${id}"]`)!;
    const settled = async () => {
      await panel.updateComplete;
      await el.updateComplete;
      await panel.updateComplete;
    };
    const depth = String(PRESETS[state.value.preset].settings.depth);
    for (const leave of ['reset', 'preset'] as const) {
      await typeNumberText(box('budget.maxCalls'), '1e');
      await typeNumberText(box('depth'), '-5');
      await settled();
      expect(startButton().disabled).toBe(true);
      if (leave === 'reset') {
        [...panel.shadowRoot!.querySelectorAll('button')]
          .find((b) => /Reset to the preset/.test(b.textContent!))!
          .click();
      } else {
        state.update({ preset: 'paper', settingsOverride: {} });
      }
      await settled();
      const want = leave === 'reset' ? depth : String(PRESETS.paper.settings.depth);
      expect([box('budget.maxCalls').value, box('budget.maxCalls').validity.badInput], leave).toEqual(['', false]);
      expect(box('depth').value, leave).toBe(want);
      expect(box('budget.maxCalls').getAttribute('aria-invalid')).toBe('false');
      expect(panel.shadowRoot!.querySelector('[id="budget.maxCalls-err"]')!.textContent).toBe('');
      expect(panel.shadowRoot!.querySelector('[id="depth-err"]')!.textContent).toBe('');
      expect(startButton().disabled).toBe(false);
    }
  });

  it('flags a run name over the limit as it is typed, next to the field, and holds Start until it fits', async () => {
    const { el, sr, startButton } = await boundRunView();
    const name = sr.querySelector<HTMLInputElement>('#run-name')!;
    const type = async (v: string) => {
      name.value = v;
      name.dispatchEvent(new Event('input'));
      await el.updateComplete;
    };
    await type('x'.repeat(201));
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(name.getAttribute('aria-describedby')).toBe('run-name-err run-name-note');
    expect(sr.querySelector('#run-name-err')!.textContent).toMatch(/201 characters; the limit is 200/);
    expect(startButton().disabled).toBe(true);
    expect(sr.querySelector('#start-why')!.textContent).toMatch(/The run name has 201 characters/);
    await type('x'.repeat(200));
    expect(name.getAttribute('aria-invalid')).toBe('false');
    expect(sr.querySelector('#run-name-err')!.textContent!.trim()).toBe('');
    expect(startButton().disabled).toBe(false);
  });

  it('says a run name holds a tab (one line, so not “must be one line”), as drpo optimize --name words it', async () => {
    const { el, sr, startButton } = await boundRunView();
    const name = sr.querySelector<HTMLInputElement>('#run-name')!;
    // Pasted from a spreadsheet cell: a text field keeps the tab.
    name.value = 'Kind\tand brief';
    name.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(sr.querySelector('#run-name-err')!.textContent!.trim()).toBe(
      'The run name contains a tab: use spaces instead.',
    );
    expect(startButton().disabled).toBe(true);
    name.value = 'Kind and brief';
    name.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(name.getAttribute('aria-invalid')).toBe('false');
    expect(startButton().disabled).toBe(false);
  });

  it('keeps a typed run name across a visit to another view, uses it on Start, then starts the next run unnamed', async () => {
    const state = boundState({ settingsOverride: { validationSize: 1 } });
    const store = new FakeStore();
    const first = await runView(state, store);
    const name = first.sr.querySelector<HTMLInputElement>('#run-name')!;
    name.value = 'Kind and brief';
    name.dispatchEvent(new Event('input'));
    await first.el.updateComplete;
    // The user opens Data to check the questions: the router replaces the Run view, and makes a new one on return.
    first.el.remove();
    const { el, sr, client } = await runView(state, store);
    expect(sr.querySelector<HTMLInputElement>('#run-name')!.value).toBe('Kind and brief');
    [...sr.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Start')!.click();
    await until(() => location.hash.startsWith('#/live/'));
    const id = decodeURIComponent(location.hash.slice('#/live/'.length));
    expect(store.runs.get(id)?.config.name).toBe('Kind and brief');
    await el.updateComplete;
    expect(sr.querySelector<HTMLInputElement>('#run-name')!.value).toBe('');
    await until(() => client.starts.length === 1);
    client.finish();
  });

  it('says before Start when the training questions are too few for fresh ones at every level', async () => {
    // A small upload: 2 questions to train on, where quick asks 2 at each of its 6 levels ("fresh training queries").
    const state = boundState({ settingsOverride: { validationSize: 1 } });
    const { el, sr } = await runView(state);
    expect(sr.querySelector('[data-repeats]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'The search asks 2 questions for the starting prompt and at each of its 5 levels, and at up to 2 more levels ' +
        'when a prompt already scores above 4.5 (12 to 16 in all), and you train on 2: later levels ask the same ' +
        'questions again. Add questions in Data, or lower Depth or Queries per level, for fresh ones at every level.',
    );
    // As many questions as the search asks (depth 1, one question a level, no extra levels: 2 in all): no note.
    state.update({ settingsOverride: { validationSize: 1, depth: 1, queriesPerLevel: 1, maxDepthExtension: 0 } });
    await el.updateComplete;
    expect(sr.querySelector('[data-repeats]')).toBeNull();
  });

  it('creates the run, starts it and routes to the live view', async () => {
    const state = boundState({ settingsOverride: { validationSize: 1 } });
    const { sr, store, client } = await runView(state);
    [...sr.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Start')!.click();
    await until(() => location.hash.startsWith('#/live/'));
    const id = decodeURIComponent(location.hash.slice('#/live/'.length));
    // The planner held out one query (the settings say 1) with the run's seed; two are left to train on.
    expect(store.runs.get(id)?.config.trainQueries).toHaveLength(2);
    expect(store.runs.get(id)?.config.validationQueries).toHaveLength(1);
    expect(store.runs.get(id)?.config.roles.judge.modelId).toBe('m');
    // The built-in seed answers travel as the in-context example pool.
    expect(store.runs.get(id)?.config.icl.length).toBeGreaterThanOrEqual(16);
    expect(state.value.activeRunId).toBe(id);
    await until(() => client.starts.length === 1);
    expect(getRunSession(id).running).toBe(true);
    client.finish();
  });

  it('holds Start while it creates the run: focus stays, a second press creates nothing', async () => {
    const state = boundState();
    const store = new FakeStore();
    const create = store.createRun.bind(store);
    let release = (): void => undefined;
    let creates = 0;
    store.createRun = async (...args) => {
      creates++;
      await new Promise<void>((r) => (release = r));
      return create(...args);
    };
    const { el, sr, client } = await runView(state, store);
    const start = [...sr.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Start')!;
    start.focus();
    start.click();
    await el.updateComplete;
    await afterPaint();
    expect(start.textContent?.trim()).toBe('Starting…');
    expect(start.getAttribute('aria-disabled')).toBe('true');
    expect(sr.activeElement).toBe(start);
    start.click();
    expect(creates).toBe(1);
    release();
    await until(() => location.hash.startsWith('#/live/'));
    await until(() => client.starts.length === 1);
    client.finish();
  });

  it('shows a readable error when the settings cannot make a config', async () => {
    const state = new AppState({
      dataset,
      loaded: [{ engine: 'webllm', modelId: 'x', contextWindow: null }],
      settingsOverride: { depth: 0 },
    });
    const { el, sr, store } = await runView(state);
    [...sr.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Start')!.click();
    await until(() => sr.querySelector('[role="alert"]') !== null);
    await el.updateComplete;
    expect(sr.querySelector('[role="alert"]')!.textContent).toMatch(/Depth must be a whole number/);
    expect(store.runs.size).toBe(0);
  });
});

const artifact: AlignmentArtifact = sampleArtifact({
  systemPrompt: 'You are a careful assistant.\n- Say what you cannot know.',
  icl: [{ query: 'What is 2+2?', answer: '4.' }],
  model: { id: 'Tiny-Model', engine: 'webllm' },
  judge: { id: 'Tiny-Model', engine: 'webllm' },
  lineage: [
    { depth: 0, prompt: 'You are a helpful assistant.', reward: 3.5 },
    { depth: 1, prompt: 'You are a careful assistant.\n- Say what you cannot know.', reward: 4.25 },
  ],
  name: 'Basil helper',
});

const resultView = (store = new FakeStore(), state = new AppState(), shown: AlignmentArtifact = artifact) =>
  mountResultView(shown, store, state);

const btn = (sr: ShadowRoot, label: RegExp) =>
  [...sr.querySelectorAll('button')].find((b) => label.test(b.textContent ?? ''))!;

describe('drpo-result-view', () => {
  it('shows the prompt, both scores, examples and the lineage with a diff toggle', async () => {
    const { el, sr } = await resultView();
    expect(sr.querySelector('pre.prompt')!.textContent).toBe(artifact.systemPrompt);
    expect(sr.textContent).toMatch(/4\.25/);
    expect(sr.textContent).toMatch(/4\.10/);
    expect(sr.textContent).toMatch(/Worked examples \(1\)/);
    expect(sr.querySelectorAll('ol.lineage > li')).toHaveLength(2);
    btn(sr, /Show changes/).click();
    await el.updateComplete;
    const diff = sr.querySelector('drpo-prompt-diff') as LitElement;
    await diff.updateComplete;
    expect(diff.shadowRoot!.querySelector('ins')).not.toBeNull();
    expect(btn(sr, /Hide changes/).getAttribute('aria-expanded')).toBe('true');
  });

  it('saves with feedback, and reports a failed save in words', async () => {
    const { el, sr, store } = await resultView();
    btn(sr, /^Save$/).focus();
    btn(sr, /^Save$/).click();
    await until(() => store.saved.length === 1);
    await until(() => /Saved as/.test(sr.querySelector('[role="status"]')!.textContent ?? ''));
    await el.updateComplete;
    expect(store.saved[0]!.source).toBe('run');
    expect(sr.querySelector('[role="status"]')!.textContent).toMatch(/Saved as “Basil helper”/);
    // Once stored, the view says where it is kept instead of offering Save again.
    expect(sr.querySelector('[data-saved]')!.textContent).toMatch(/Saved as “Basil helper”/);
    // Its History link goes to its row there.
    expect(sr.querySelector('[data-saved] a')!.getAttribute('href')).toBe('#/history?alignment=al-1');
    expect([...sr.querySelectorAll('button')].some((b) => /^\s*Save\s*$/.test(b.textContent ?? ''))).toBe(false);
    // Save went from under the keyboard: Rename, which took its place, has focus; and gets it back when
    // the rename form is left with Escape.
    const rename = () => sr.querySelector<HTMLButtonElement>('[data-saved] button')!;
    await until(() => sr.activeElement === rename());
    rename().click();
    await el.updateComplete;
    await until(() => sr.activeElement?.id === 'rename-alignment');
    sr.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await until(() => sr.activeElement === rename());
    expect(sr.querySelector('#rename-alignment')).toBeNull();

    // Saved since the view looked (another tab, its file, its share link): the store finds it, and the view says so.
    const found = await resultView();
    const save = found.store.saveAlignment.bind(found.store);
    found.store.saveAlignment = async (input) => ({ ...(await save(input)), name: 'Kept before', existing: true });
    btn(found.sr, /^Save$/).click();
    await until(() => /Already saved/.test(found.sr.querySelector('[role="status"]')!.textContent ?? ''));
    expect(found.sr.querySelector('[role="status"]')!.textContent).toBe(
      'Already saved as “Kept before”. Find it under History.',
    );

    const failing = await resultView();
    failing.store.failSave = true;
    btn(failing.sr, /^Save$/).click();
    await until(() => /Not saved/.test(failing.sr.querySelector('[role="status"]')!.textContent ?? ''));
    expect(failing.sr.querySelector('[role="status"]')!.textContent).toMatch(/storage is full/i);
  });

  it('renamed, it is shown, downloaded and linked under its new name, as History has it', async () => {
    const { el, sr } = await resultView();
    btn(sr, /^Save$/).click();
    await until(() => sr.querySelector('[data-saved] button') !== null);
    sr.querySelector<HTMLButtonElement>('[data-saved] button')!.click();
    await el.updateComplete;
    const field = sr.querySelector<HTMLInputElement>('#rename-alignment')!;
    field.value = 'Polite bot';
    field.dispatchEvent(new Event('input'));
    btn(sr, /^Save name$/).click();
    await until(() => /Renamed to “Polite bot”/.test(sr.querySelector('[role="status"]')!.textContent ?? ''));
    await el.updateComplete;
    expect(sr.querySelector('h2')!.textContent).toBe('Polite bot');
    const blobs = captureDownloads(() => btn(sr, /Download JSON/).click());
    expect(JSON.parse(await blobs[0]!.text()).name).toBe('Polite bot');
    expect(sr.querySelector('[role="status"]')!.textContent).toBe('Downloading Polite-bot.json.');
    btn(sr, /Copy share link/).click();
    await until(() => sr.querySelector<HTMLInputElement>('#share-url') !== null);
    const link = sr.querySelector<HTMLInputElement>('#share-url')!.value;
    const opened = await decodeAlignmentLink(link);
    expect(opened.ok && opened.artifact.name).toBe('Polite bot');
  });

  it('a rename without a name says so beside its field, which Cancel or Escape takes away; the status line stays', async () => {
    const { el, sr } = await resultView();
    btn(sr, /^Save$/).click();
    await until(() => sr.querySelector('[data-saved] button') !== null);
    const status = () => sr.querySelector('[role="status"]')!.textContent?.trim() ?? '';
    const problem = () => sr.querySelector('#rename-problem')?.textContent?.trim() ?? '';
    // A message of another action is not the form's: it stays through a rename that fails and one left.
    captureDownloads(() => btn(sr, /Download JSON/).click());
    await until(() => /^Downloading /.test(status()));
    const emptyName = async () => {
      sr.querySelector<HTMLButtonElement>('[data-saved] button')!.click();
      await el.updateComplete;
      expect(problem()).toBe('');
      const field = sr.querySelector<HTMLInputElement>('#rename-alignment')!;
      expect(field.getAttribute('aria-invalid')).toBe('false');
      field.value = '  ';
      field.dispatchEvent(new Event('input'));
      btn(sr, /^Save name$/).click();
      await until(() => problem() === 'Enter a name, or press Cancel.');
      await el.updateComplete;
      // Beside the field and tied to it, where a user typing the name looks (it was under the starting prompt).
      expect(field.getAttribute('aria-invalid')).toBe('true');
      expect(field.getAttribute('aria-describedby')).toBe('rename-problem');
      expect(sr.querySelector('#rename-problem')!.getAttribute('role')).toBe('alert');
      expect(status()).toMatch(/^Downloading /);
    };
    await emptyName();
    // Typing a name takes the problem away (it was about the empty one).
    const field = sr.querySelector<HTMLInputElement>('#rename-alignment')!;
    field.value = 'Polite';
    field.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(problem()).toBe('');
    expect(field.getAttribute('aria-invalid')).toBe('false');
    field.value = '';
    field.dispatchEvent(new Event('input'));
    btn(sr, /^Save name$/).click();
    await until(() => problem() === 'Enter a name, or press Cancel.');
    btn(sr, /^Cancel$/).click();
    await until(() => sr.querySelector('#rename-alignment') === null);
    await el.updateComplete;
    expect(problem()).toBe('');
    await emptyName();
    sr.querySelector('#rename-alignment')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await until(() => sr.querySelector('#rename-alignment') === null);
    await el.updateComplete;
    expect(problem()).toBe('');
    expect(status()).toMatch(/^Downloading /);
  });

  it("another saved alignment's name is refused beside the field (real store); the field stays, nothing is lost", async () => {
    const db = uniqueDb();
    try {
      const store = await db.open();
      const run = await store.createRun(runConfig(), 'Basil helper');
      await store.updateRun(run.id, { status: 'completed', artifact });
      const mine = await store.saveAlignment({ name: 'Basil helper', artifact, source: 'run', runId: run.id });
      const other = await store.saveAlignment({
        name: 'Polite bot',
        artifact: sampleArtifact({ systemPrompt: 'Another prompt.' }),
        source: 'file',
      });
      const el = mountRunResult(store, run.id);
      const sr = el.shadowRoot!;
      await until(() => /Saved as “Basil helper”/.test(sr.querySelector('[data-saved]')?.textContent ?? ''));
      sr.querySelector<HTMLButtonElement>('[data-saved] button')!.click();
      await el.updateComplete;
      const field = sr.querySelector<HTMLInputElement>('#rename-alignment')!;
      field.value = 'Polite bot';
      field.dispatchEvent(new Event('input'));
      btn(sr, /^Save name$/).click();
      const problem = () => sr.querySelector('#rename-problem')?.textContent?.trim() ?? '';
      await until(() => problem() !== '');
      await el.updateComplete;
      expect(problem()).toBe(
        'Not renamed: Another saved alignment is already called “Polite bot”. Choose another name.',
      );
      expect(sr.querySelector('#rename-problem')!.getAttribute('role')).toBe('alert');
      expect(field.getAttribute('aria-invalid')).toBe('true');
      expect(field.getAttribute('aria-describedby')).toBe('rename-problem');
      // The field stays, with what was typed, to be mended; both alignments keep their names.
      expect(sr.querySelector('#rename-alignment')).toBe(field);
      expect(field.value).toBe('Polite bot');
      expect((await store.getAlignment(mine.id))?.name).toBe('Basil helper');
      expect((await store.getAlignment(other.id))?.name).toBe('Polite bot');
      // Another run's name is refused too (History lists runs by name), in the same words.
      await store.createRun(runConfig(), 'Mint helper');
      field.value = 'Mint helper';
      field.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(problem()).toBe('');
      btn(sr, /^Save name$/).click();
      await until(() => problem() !== '');
      expect(problem()).toBe('Not renamed: A run is already called “Mint helper”. Choose another name.');
      expect((await store.getAlignment(mine.id))?.name).toBe('Basil helper');
      // A free name goes through.
      field.value = 'Polite bot 2';
      field.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(problem()).toBe('');
      btn(sr, /^Save name$/).click();
      await until(() => /Renamed to “Polite bot 2”/.test(sr.querySelector('[role="status"]')!.textContent ?? ''));
      expect((await store.getAlignment(mine.id))?.name).toBe('Polite bot 2');
    } finally {
      unmountAll();
      await db.cleanup();
    }
  });

  it("a result numbered as its run ended (a saved alignment had the run's name) says why, until renamed (real store)", async () => {
    const db = uniqueDb();
    try {
      const store = await db.open();
      // A file imported, then a run under its name (started before typed names were numbered).
      await store.saveAlignment({
        name: 'Basil helper',
        artifact: sampleArtifact({ systemPrompt: 'Another prompt.' }),
        source: 'file',
      });
      const run = await store.createRun(runConfig(), 'Basil helper');
      await store.updateRun(run.id, { status: 'completed', artifact });
      // What the run's session keeps when it saves the result (run-controller saveResult).
      const saved = await store.saveAlignment({ name: 'Basil helper', artifact, source: 'run', runId: run.id });
      expect(saved.name).toBe('Basil helper (2)');
      getRunSession(run.id).savedAlignment = saved;
      const el = mountRunResult(store, run.id);
      const sr = el.shadowRoot!;
      const line = () => sr.querySelector('[data-saved] span')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      await until(() => /Basil helper \(2\)/.test(line()));
      expect(line()).toBe(
        'Saved as “Basil helper (2)” in your alignments (History, Playground, Evaluate): “Basil helper” already names another saved alignment.',
      );
      // Renamed, the name is the user's: no why.
      sr.querySelector<HTMLButtonElement>('[data-saved] button')!.click();
      await el.updateComplete;
      const field = sr.querySelector<HTMLInputElement>('#rename-alignment')!;
      field.value = 'Basil, kept';
      field.dispatchEvent(new Event('input'));
      btn(sr, /^Save name$/).click();
      await until(() => /“Basil, kept”/.test(line()));
      expect(line()).toBe('Saved as “Basil, kept” in your alignments (History, Playground, Evaluate).');
    } finally {
      unmountAll();
      await db.cleanup();
    }
  });

  it('a result saved as its run ended, renamed in History, is shown under the new name when opened again', async () => {
    const store = new FakeStore();
    const saved = await store.saveAlignment({ name: 'Basil helper', artifact, source: 'run' });
    // What the run's session kept when it saved the result (run-controller saveResult).
    getRunSession('done').savedAlignment = saved as never;
    await store.renameAlignment(saved.id, 'Renamed in History');
    const { el, sr } = await resultView(store);
    await until(() => /Renamed in History/.test(sr.querySelector('[data-saved]')?.textContent ?? ''));
    await el.updateComplete;
    expect(sr.querySelector('h2')!.textContent).toBe('Renamed in History');
  });

  it('a result saved as its run ended and deleted in History since offers Save again, not "Saved as"', async () => {
    const store = new FakeStore();
    getRunSession('done').savedAlignment = { id: 'al-9', name: 'Deleted', artifact, source: 'run', savedAt: 1 };
    const { el, sr } = await resultView(store);
    await until(() => btn(sr, /^Save$/) !== undefined);
    await el.updateComplete;
    expect(sr.querySelector('[data-saved]')).toBeNull();
    expect(sr.querySelector('h2')!.textContent).toBe(artifact.name);
  });

  it('makes a share link with size advice (copy may be blocked headless, which is reported)', async () => {
    const { el, sr } = await resultView();
    btn(sr, /Copy share link/).click();
    await until(() => (sr.querySelector('[role="status"]')!.textContent ?? '').length > 0);
    await el.updateComplete;
    expect(sr.querySelector('[role="status"]')!.textContent).toMatch(/Share link copied|could not be copied/);
    expect(sr.textContent).toMatch(/The link is \d+ KB/);
    expect(sr.querySelector<HTMLInputElement>('#share-url')!.value).toMatch(/#a=[\w-]+$/);
  });

  it('offers to drop the examples or download the file when the link is over 32 KB', async () => {
    const hex = (n: number) =>
      [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const big: AlignmentArtifact = {
      ...artifact,
      icl: Array.from({ length: 10 }, (_, i) => ({ query: `q${i}`, answer: hex(3500) })),
    };
    const { el, sr } = await resultView(new FakeStore(), new AppState(), big);
    btn(sr, /Copy share link/).click();
    await until(() => /too long/.test(sr.textContent ?? ''));
    await el.updateComplete;
    expect(sr.querySelector('.warn-box')!.textContent).toMatch(/Drop the examples/);
    expect(btn(sr, /Download the file instead/)).toBeTruthy();
    btn(sr, /Drop the examples/).click();
    await until(() =>
      /without examples|could not be copied/.test(sr.querySelector('[role="status"]')!.textContent ?? ''),
    );
    expect(sr.textContent).not.toMatch(/Drop the examples and copy/);
  });

  it('says in words how the result compares with the starting prompt', async () => {
    const show = async (a: AlignmentArtifact) =>
      (await resultView(new FakeStore(), new AppState(), a)).sr.querySelector('[data-outcome]')!;
    const scores = { train: 3.5, validation: 3.4, initialValidation: 2.9, validationQueries: 8 };
    const improved = await show({
      ...artifact,
      outcome: 'improved',
      scores: { ...scores, validationStandardError: 0.2 },
    });
    expect(improved.getAttribute('data-outcome')).toBe('improved');
    expect(improved.textContent).toContain(
      'It scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 8 held-out questions',
    );
    // What "±" is, said where it is read (Evaluate's figures beside the same scores are 95% intervals).
    expect(improved.querySelector('[data-plus-minus]')?.textContent).toBe(
      '“±”: one standard error of the difference, not a 95% interval as in Evaluate.',
    );
    // A model that judged itself: the claim says where to confirm it; another judge's claim does not.
    expect(improved.querySelector('.verdict-caveat')?.textContent).toMatch(/judged its own answers/);
    const judged = await show({
      ...artifact,
      judge: { id: 'llama-3.1-70b', engine: 'openai' },
      outcome: 'improved',
      scores: { ...scores, validationStandardError: 0.2 },
    });
    expect(judged.getAttribute('data-outcome')).toBe('improved');
    expect(judged.querySelector('.verdict-caveat')).toBeNull();
    const none = await show({
      ...artifact,
      systemPrompt: 'You are a helpful assistant.',
      outcome: 'no-improvement',
      scores: { ...scores, validation: 2.9 },
    });
    expect(none.getAttribute('data-outcome')).toBe('no-improvement');
    // No "±" in its sentence: no label for one.
    expect(none.querySelector('[data-plus-minus]')).toBeNull();
    expect(none.textContent).toMatch(/No improvement found/);
    // Said once: the bold lead is the sentence's own opening, not a second copy of it.
    expect(none.textContent!.match(/No improvement found/g)).toHaveLength(1);
    expect(none.querySelector('strong')!.textContent).toBe('No improvement found:');
  });

  it('under "no improvement", offers the closest candidate to try, evaluate or copy', async () => {
    const fellShort = fellShortArtifact({}, { name: 'Basil helper' });
    const state = new AppState();
    const store = new FakeStore();
    const { el, sr } = await resultView(store, state, fellShort);
    const box = sr.querySelector('drpo-closest-candidate') as LitElement;
    await box.updateComplete;
    const inner = box.shadowRoot!;
    expect(inner.querySelector('summary')!.textContent).toMatch(
      /closest candidate\s+a rewrite, with 1 worked example per question/i,
    );
    expect(inner.textContent).toContain(
      'Not clearly better than the starting prompt: it scored 3.31 vs 3.08 for the starting prompt (+0.23 ± 0.27) on 6 held-out questions.',
    );
    // The result itself stays the starting prompt.
    expect(sr.querySelector('pre.prompt')!.textContent).toBe('You are a helpful assistant.');
    // Try: the candidate goes to the playground with its own examples and count, against the start.
    btn(inner as unknown as ShadowRoot, /Try it in the playground/).click();
    const tried = state.value.playgroundAlignment!;
    expect(tried.systemPrompt).toBe('You are a helpful assistant.\n- Say what you cannot know.');
    expect(tried.examplesPerQuery).toBe(1);
    expect(tried.icl).toHaveLength(1);
    expect(tried.outcome).toBe('unverified');
    expect(tried.initialPrompt).toBe('You are a helpful assistant.');
    expect(location.hash).toBe('#/playground');
    // With the run it came from: the Playground's Save stores it as this view does.
    expect(state.value.playgroundRun).toEqual({ artifact: tried, runId: 'done' });
    // Evaluate: stored as an alignment of its own and chosen in Evaluate.
    btn(inner as unknown as ShadowRoot, /Evaluate it against your prompt/).click();
    await until(() => location.hash === '#/evaluate');
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]!.name).toBe('Closest candidate of Basil helper');
    expect(store.saved[0]!.artifact.systemPrompt).toBe(tried.systemPrompt);
    expect(state.value.evalPreselect).toEqual({ alignmentId: 'al-1' });
    // A failed save says so and leaves the view usable.
    store.failSave = true;
    history.replaceState(null, '', '#/result/done');
    btn(inner as unknown as ShadowRoot, /Evaluate it against your prompt/).click();
    await until(() => /Could not open Evaluate/.test(sr.querySelector('[role="status"]')!.textContent ?? ''));
    await el.updateComplete;
    expect(location.hash).toBe('#/result/done');
    // Copy: the candidate's prompt, not the result's; a blocked clipboard is said in words.
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    btn(inner as unknown as ShadowRoot, /Copy its prompt/).click();
    await until(() => /Candidate prompt copied\./.test(sr.querySelector('[role="status"]')!.textContent ?? ''));
    expect(write).toHaveBeenCalledWith('You are a helpful assistant.\n- Say what you cannot know.');
    write.mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    btn(inner as unknown as ShadowRoot, /Copy its prompt/).click();
    await until(() => /Copying was blocked/.test(sr.querySelector('[role="status"]')!.textContent ?? ''));
    write.mockRestore();
    // An improved result, or an older file without the candidate's prompt, shows no such box.
    for (const other of [
      { ...artifact, outcome: 'improved' as const },
      { ...fellShort, scores: { ...fellShort.scores, bestCandidate: { validation: 3.31, standardError: 0.27 } } },
    ]) {
      const v = await resultView(new FakeStore(), new AppState(), other);
      const b = v.sr.querySelector('drpo-closest-candidate') as LitElement;
      await b.updateComplete;
      expect(b.shadowRoot!.querySelector('details')).toBeNull();
    }
  });

  it('names the verdict’s figures and questions: "of your 6 held-out questions", the race apart', async () => {
    // The run: 6 held out, the race chose on 3, the verdict on the other 3 (3.50 vs 4.17).
    const fellShort = fellShortArtifact({ validation: 3.5, standardError: 0.3 }, { name: 'Basil helper' });
    // The figures and the split of the "nothing led" run (4.17 vs 4.17, 3 + 3 of 6).
    const { train: _, ...split } = nothingLedArtifact().scores;
    fellShort.scores = { ...fellShort.scores, ...split };
    const { sr } = await resultView(new FakeStore(), new AppState(), fellShort);
    const words = (sel: string) => sr.querySelector(sel)!.textContent!.replace(/\s+/g, ' ').trim();
    expect(words('[data-outcome]')).toContain(
      'scored 3.50 vs 4.17 for the starting prompt (−0.67 ± 0.30) on 3 of your 6 held-out questions (the other 3 were used to pick it)',
    );
    const tiles = [...sr.querySelectorAll('.scores > div')].map((t) => t.textContent!.replace(/\s+/g, ' ').trim());
    // The tiles show what the sentence compares: the closest candidate and the start (the alignment is the start).
    expect(tiles.slice(0, 2)).toEqual(['Closest candidate 3.50', 'Starting prompt 4.17']);
    expect(sr.querySelector('.scores drpo-info')!.getAttribute('term')).toBe('verdict');
    expect(sr.textContent).not.toMatch(/Validation/);
    // The closest candidate's diff is against the starting prompt, and says so.
    const box = sr.querySelector('drpo-closest-candidate') as LitElement;
    await box.updateComplete;
    const diff = box.shadowRoot!.querySelector('drpo-prompt-diff') as LitElement;
    await diff.updateComplete;
    expect(diff.shadowRoot!.textContent).toMatch(/words vs\. your starting prompt/);
    expect(diff.shadowRoot!.textContent).not.toMatch(/its parent/);
    // Nothing led the race: the figures are the start's race scores, and named so.
    const nothingLed = nothingLedArtifact({ name: 'Basil helper' });
    const race = await resultView(new FakeStore(), new AppState(), nothingLed);
    const raceTiles = [...race.sr.querySelectorAll('.scores > div')].map((t) =>
      t.textContent!.replace(/\s+/g, ' ').trim(),
    );
    // Only the start's figure: nothing led, and the alignment is the start.
    expect(raceTiles.slice(0, 2)).toEqual([
      'Starting prompt 4.17',
      'Path mean on training questions: starting prompt 3.00',
    ]);
    expect(race.sr.querySelector('.scores drpo-info')!.getAttribute('term')).toBe('race');
    expect(race.sr.querySelector('[data-outcome]')!.textContent).toMatch(
      /on the 3 of your 6 held-out questions that choose a candidate \(the other 3, kept back for the verdict, were not needed\), so this is/,
    );
    // The verdict's help: "kept back from the race" only where questions were.
    const help = async (sr: ParentNode) => {
      const info = sr.querySelector('.scores drpo-info') as LitElement;
      await info.updateComplete;
      return info.shadowRoot!.querySelector('[id^=info-]')!.textContent!;
    };
    expect(await help(sr)).toMatch(/kept back from the race/);
    expect(await help(sr)).not.toMatch(/keeps none back/);
    // Nothing kept back (verdictQueries 0): the race's 4 questions chose it and judged it.
    const unsplit = fellShortArtifact({ validation: 3.5, standardError: 0.3 }, { name: 'Basil helper' });
    unsplit.scores = {
      ...fellShort.scores,
      validationQueries: 4,
      heldOutQueries: 12,
      raceQueries: 4,
      keptBackQueries: 0,
    };
    const same = await resultView(new FakeStore(), new AppState(), unsplit);
    expect(same.sr.querySelector('[data-outcome]')!.textContent!.replace(/\s+/g, ' ')).toMatch(
      /\) on 4 held-out questions, /,
    );
    const sameTiles = [...same.sr.querySelectorAll('.scores > div')].map((t) =>
      t.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(sameTiles[0]).toBe('Closest candidate 3.50');
    expect(await help(same.sr)).not.toMatch(/kept back from the race/);
    expect(await help(same.sr)).toMatch(/kept none back from the race/);
  });

  it('a near miss that is your own prompt with examples offers no prompt to copy; Evaluate needs a store', async () => {
    const start = 'You are a helpful assistant.';
    const box = document.createElement('drpo-closest-candidate');
    box.artifact = fellShortArtifact({ systemPrompt: start });
    mountEl(box);
    await box.updateComplete;
    const inner = box.shadowRoot! as unknown as ShadowRoot;
    expect(inner.querySelector('summary')!.textContent).toMatch(/your prompt, with 1 worked example per question/);
    expect(inner.querySelector('pre.prompt')!.textContent).toBe(start);
    expect([...inner.querySelectorAll('button')].map((b) => b.textContent!.trim())).toEqual([
      'Try it in the playground',
      'Evaluate it against your prompt',
    ]);
    expect(btn(inner, /Evaluate it/).disabled).toBe(true);
    box.canSave = true;
    await box.updateComplete;
    expect(btn(inner, /Evaluate it/).disabled).toBe(false);
  });

  it('opens the playground with this alignment', async () => {
    const { sr, state } = await resultView();
    btn(sr, /Open in playground/).click();
    expect(state.value.playgroundAlignment?.name).toBe('Basil helper');
    expect(location.hash).toBe('#/playground');
  });

  it('explains when a run has no alignment yet', async () => {
    const store = new FakeStore();
    store.addRun('p', 'paused', []);
    const el = document.createElement('drpo-result-view') as DrpoResultView;
    el.store = store.asStore();
    el.runId = 'p';
    mountEl(el);
    await until(() => !!el.shadowRoot?.textContent?.includes('No alignment yet'));
    expect(el.shadowRoot!.textContent).toMatch(/paused/);
    expect(el.shadowRoot!.querySelector('a[href="#/live/p"]')).not.toBeNull();
  });

  it('says "Run not found" for an id no stored run has, as Live does (not "no alignment yet")', async () => {
    const el = document.createElement('drpo-result-view') as DrpoResultView;
    el.store = new FakeStore().asStore();
    el.runId = 'nope';
    mountEl(el);
    await until(() => !!el.shadowRoot?.textContent?.includes('Run not found'));
    expect(el.shadowRoot!.textContent).not.toMatch(/No alignment yet|Open the run/);
    expect(el.shadowRoot!.querySelector('a[href="#/history"]')).not.toBeNull();
  });
});
