/** The Playground as the audit met it: answer settings, B's name, a failing endpoint, another model, saving B. */
import { importIclExamples } from '../../../src/core/formats/alignment-import';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../../../src/ui/views/drpo-playground-view';
import type { DrpoChatPane } from '../../../src/ui/components/drpo-chat-pane';
import type { DrpoPlaygroundView } from '../../../src/ui/views/drpo-playground-view';
import { AppState } from '../../../src/ui/app/app-state';
import { AppError, ErrorName, serializeError } from '../../../src/core/contracts/errors';
import { openStore } from '../../../src/store/store';
import type { Store } from '../../../src/store/store';
import { FakeClient, artifact, asClient } from '../../support/shell-fakes';
import { fellShortArtifact, sampleArtifact } from '../../support/artifacts';
import { decodeAlignmentLink, encodeAlignmentLink } from '../../../src/core/formats/link-codec';
import { PRESETS } from '../../../src/core/plan/presets';
import { $, $$, find, mount, settle, text, unmountAll, waitFor } from '../../support/dom';

const binding = { engine: 'openai' as const, modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', endpointId: 'e' };
afterEach(() => unmountAll());

async function ask(el: HTMLElement, value: string): Promise<void> {
  const ta = $<HTMLTextAreaElement>(el, '#msg');
  ta.value = value;
  ta.dispatchEvent(new Event('input'));
  await settle(el);
  $<HTMLFormElement>(el, 'form').requestSubmit();
}

const panes = (el: HTMLElement) => $$<DrpoChatPane>(el, 'drpo-chat-pane');
const heading = async (el: HTMLElement) => {
  const b = panes(el)[1]!;
  await settle(b);
  return text($(b, 'h3'));
};

async function playground(props: { appState: AppState; store?: Store; client?: FakeClient }) {
  const client = props.client ?? new FakeClient();
  const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), ...props });
  return { el, client };
}

describe('Playground: the two conversations', () => {
  it('are two regions named after their panes, so a screen reader tells them apart (review finding 8)', async () => {
    const appState = new AppState({
      roles: { policy: binding },
      playgroundAlignment: artifact({ name: 'Careful v1' }),
    });
    const { el } = await playground({ appState });
    const names = panes(el).map((p) => $(p, '.log[role="region"]').getAttribute('aria-label'));
    expect(names).toEqual(['A · baseline conversation', 'B · Careful v1 conversation']);
  });
});

describe('Playground: answer length and temperature', () => {
  it("both panes answer with the length and temperature the alignment's run used, and say so", async () => {
    const al = artifact({ settings: { maxTokens: { policy: 100 }, policyTemperature: 0 } });
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: al });
    const { el, client } = await playground({ appState });
    expect(text($(el, '[data-answers]'))).toBe(
      'Both panes answer up to 100 tokens, as the alignment’s run answered; temperature 0, as in its run.',
    );
    await ask(el, 'What is the capital of Spain?');
    await waitFor(() => client.calls.length === 2);
    expect(client.calls.map((c) => [c.req.max_tokens, c.req.temperature])).toEqual([
      [100, 0],
      [100, 0],
    ]);
  });

  it('an alignment opened from the share link of a quick run answers as its file: 320 tokens, its temperature', async () => {
    const file = artifact({ settings: { ...PRESETS.quick.settings, policyTemperature: 0.3 } });
    const opened = await decodeAlignmentLink((await encodeAlignmentLink(file)).fragment);
    if (!opened.ok) throw new Error(opened.error);
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: opened.artifact });
    const { el, client } = await playground({ appState });
    expect(text($(el, '[data-answers]'))).toBe(
      'Both panes answer up to 320 tokens, as the alignment’s run answered; temperature 0.3, as in its run.',
    );
    await ask(el, 'Hi?');
    await waitFor(() => client.calls.length === 2);
    expect(client.calls.map((c) => [c.req.max_tokens, c.req.temperature])).toEqual([
      [320, 0.3],
      [320, 0.3],
    ]);
  });

  it('an alignment that records neither answers as Evaluate does: the default length, temperature 0', async () => {
    const al = artifact({ settings: {} });
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: al });
    const { el, client } = await playground({ appState });
    expect(text($(el, '[data-answers]'))).toBe(
      'Both panes answer up to 1024 tokens, the default, as the alignment file records no answer length of its run; temperature 0, the default.',
    );
    await ask(el, 'Hi?');
    await waitFor(() => client.calls.length === 2);
    expect(client.calls.map((c) => [c.req.max_tokens, c.req.temperature])).toEqual([
      [1024, 0],
      [1024, 0],
    ]);
  });
});

describe("Playground: B's name", () => {
  it('an unnamed handed-over alignment is called as Save on the share page calls it, in the select and the pane', async () => {
    const unnamed = sampleArtifact();
    expect(unnamed.name).toBeUndefined();
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: unnamed });
    const { el } = await playground({ appState });
    const name = 'Shared alignment for Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
    expect($<HTMLSelectElement>(el, '#align').selectedOptions[0]!.textContent!.trim()).toBe(name);
    expect(await heading(el)).toBe(`B · ${name}`);
  });

  it('a saved record renamed in History is B under its new name, not the name its file came with', async () => {
    const store = await openStore({ forceMemory: true });
    const rec = await store.saveAlignment({
      name: 'Shared X',
      artifact: artifact({ name: 'Shared X' }),
      source: 'link',
    });
    await store.renameAlignment(rec.id, 'My renamed one');
    const appState = new AppState({ roles: { policy: binding } });
    // History's Try in playground hands it over.
    await import('../../../src/ui/views/drpo-history-view');
    const history = await mount<HTMLElement>('drpo-history-view', { store, appState });
    await waitFor(() => $$(history, 'tr[data-alignment]').length === 1);
    $$<HTMLButtonElement>(history, 'button')
      .find((b) => b.textContent?.trim() === 'Try in playground')!
      .click();
    expect(appState.value.playgroundAlignment?.name).toBe('My renamed one');
    location.hash = '';
    const { el } = await playground({ appState, store });
    await waitFor(() => $$(el, '#align option').length === 1);
    expect($<HTMLSelectElement>(el, '#align').selectedOptions[0]!.textContent!.trim()).toBe('My renamed one');
    expect(await heading(el)).toBe('B · My renamed one');
    // Saved, not handed over: nothing to save.
    expect(find(el, '[data-save-b]')).toBeNull();
  });
});

describe('Playground: another model', () => {
  it('says when B was tuned on another model than the one answering, and not when it is the same', async () => {
    const appState = new AppState({
      roles: { policy: { ...binding, modelId: 'scripted-small' } },
      playgroundAlignment: artifact(),
    });
    const { el } = await playground({ appState });
    expect(text($(el, '[data-other-model]'))).toBe(
      'B was tuned on Qwen2.5-0.5B-Instruct-q4f16_1-MLC; it answers here with scripted-small: results may differ.',
    );
    appState.update({ roles: { policy: binding } });
    await settle(el);
    expect(find(el, '[data-other-model]')).toBeNull();
    // DRPO's examples, converted, are for any model: nothing to say.
    appState.update({
      roles: { policy: { ...binding, modelId: 'scripted-small' } },
      playgroundAlignment: importIclExamples([{ query: 'Hi?', answer: 'Hello.' }], 'icl-examples.json'),
    });
    await settle(el);
    expect(find(el, '[data-other-model]')).toBeNull();
  });
});

describe('Playground: a failing endpoint', () => {
  const outage = {
    error: serializeError(new AppError(ErrorName.ServerError, 'HTTP 500', { status: 500 })),
    attempt: 1,
    attempts: 3,
    retryInMs: 4000,
    outage: { since: Date.now(), downForMs: 2000, graceMs: 60_000, retry: 2 },
  };

  it('says what each answer waits for while the endpoint is out, instead of "Answering…" alone', async () => {
    const client = new FakeClient();
    client.hang = true;
    client.retry = outage;
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const { el } = await playground({ appState, client });
    await ask(el, 'Q500?');
    await waitFor(() => client.calls.length === 2);
    for (const pane of panes(el)) {
      await waitFor(() => find(pane, '[data-waiting]') !== null);
      expect(text($(pane, '[data-waiting]'))).toMatch(
        /^Waiting: the endpoint has been down for \d s \(HTTP 500\); it gets up to 1 min to come back \(retry 2, next in \d s\)\.$/,
      );
    }
    // Said in a status region too (not only shown), and once: B asks the model A asks, so only A says it.
    const [a, b] = panes(el);
    await waitFor(() => text($(a!, '[data-wait-said]')).startsWith('Waiting:'));
    await settle(b!);
    expect(panes(el).filter((p) => text($(p, '[data-wait-said]')) !== '')).toEqual([a]);
    await Promise.all(panes(el).map((p) => p.stop()));
  });

  it('an endpoint that did not come back: words that fit the Playground, and Ask again sends the question again', async () => {
    const client = new FakeClient();
    client.chatError = new AppError(
      ErrorName.EndpointDown,
      'The endpoint kept failing with HTTP 500 and did not recover within 1 min (the outage wait).',
      {
        status: 500,
        retryable: true,
        detail: 'Internal error: model crashed',
      },
    );
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const { el } = await playground({ appState, client });
    await ask(el, 'Q500?');
    await waitFor(() => client.calls.length === 2);
    await waitFor(() => find(el, '[data-ask-again]') !== null);
    for (const pane of panes(el)) {
      await settle(pane);
      const alert = $(pane, '[data-error]');
      expect(text(alert)).not.toContain('Retry');
      expect(text(alert)).toMatch(
        /^The endpoint did not come back within the outage wait\. .*Once it is up again, press Ask again;/,
      );
      // The advice, then the server's words below it.
      expect(text($(alert, '[data-error-detail]'))).toMatch(/kept failing with HTTP 500/);
    }
    // Shown in both panes, said once: the same error in B (which asks A's model) is no alert of its own.
    const alerts = panes(el).flatMap((p) => $$(p, '[role=alert]'));
    expect(alerts).toHaveLength(1);
    expect(text(alerts[0]!)).toMatch(/^The endpoint did not come back within the outage wait\./);
    expect(alerts[0]!.getRootNode()).toBe(panes(el)[0]!.shadowRoot);
    // The endpoint is back: Ask again sends the same question, once per pane, and the failed turn goes.
    client.chatError = null;
    $<HTMLButtonElement>(el, '[data-ask-again]').click();
    await waitFor(() => client.calls.length === 4);
    expect(client.calls.slice(2).map((c) => c.req.messages.at(-1)!.content)).toEqual(['Q500?', 'Q500?']);
    for (const pane of panes(el)) {
      await waitFor(() => !pane.busy);
      await settle(pane);
      expect($$(pane, '.user').map(text)).toEqual(['Q500?']);
      expect(find(pane, '[role=alert]')).toBeNull();
    }
    await settle(el);
    expect(find(el, '[data-ask-again]')).toBeNull();
  });

  it("B's own error (not A's) is still said by an alert of its own", async () => {
    const client = new FakeClient();
    const chat = client.chat.bind(client);
    // A asks first: the second call is B's, and only B's fails.
    client.chat = async (...args: Parameters<FakeClient['chat']>) => {
      const result = chat(...args);
      if (client.calls.length === 2) throw new AppError(ErrorName.BadResponse, 'The reply was not JSON.');
      return result;
    };
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const { el } = await playground({ appState, client });
    await ask(el, 'Q?');
    await waitFor(() => find(el, '[data-ask-again]') !== null);
    const [a, b] = panes(el);
    await settle(b!);
    expect(find(a!, '[data-error]')).toBeNull();
    expect($$(b!, '[role=alert]')).toHaveLength(1);
  });

  it('the Setup check (no Ask again) says to send the message again', async () => {
    const client = new FakeClient();
    client.chatError = new AppError(ErrorName.EndpointDown, 'The endpoint stopped answering.');
    const pane = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    expect(await pane.send('hi')).toBe('error');
    await settle(pane);
    expect(text($(pane, '[role=alert]'))).toMatch(/Once it is up again, send your message again;/);
  });
});

describe('Playground: switching B', () => {
  it('clears what each pane said of its last answer along with the answers', async () => {
    const store = await openStore({ forceMemory: true });
    await store.saveAlignment({ name: 'Other', artifact: artifact({ systemPrompt: 'Be terse.' }), source: 'run' });
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const { el, client } = await playground({ appState, store });
    await waitFor(() => $$(el, '#align option').length === 2);
    await ask(el, 'Hello?');
    await waitFor(() => client.calls.length === 2);
    for (const pane of panes(el)) await waitFor(() => text($(pane, '[data-said]')).endsWith('answer ready.'));
    const select = $<HTMLSelectElement>(el, '#align');
    select.value = select.options[1]!.value;
    select.dispatchEvent(new Event('change'));
    await settle(el, 5);
    for (const pane of panes(el)) {
      await settle(pane);
      expect($$(pane, '.user')).toHaveLength(0);
      expect(text($(pane, '[data-said]'))).toBe('');
    }
  });
});

describe('Playground: Clear', () => {
  it('takes away what each pane said of its last answer with the answers ("answer ready." of nothing shown)', async () => {
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const { el, client } = await playground({ appState });
    await ask(el, 'Hello?');
    await waitFor(() => client.calls.length === 2);
    for (const pane of panes(el)) await waitFor(() => text($(pane, '[data-said]')).endsWith('answer ready.'));
    const clear = $$<HTMLButtonElement>(el, 'button').find((b) => text(b) === 'Clear')!;
    clear.click();
    await settle(el, 5);
    for (const pane of panes(el)) {
      await settle(pane);
      expect($$(pane, '.user')).toHaveLength(0);
      expect(text($(pane, '[data-said]'))).toBe('');
    }
  });
});

describe('Playground: a handed-over alignment not saved', () => {
  it('offers to save it; saved, B is the saved record (a reload keeps it) and the page says where it is', async () => {
    const store = await openStore({ forceMemory: true });
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: sampleArtifact() });
    const { el } = await playground({ appState, store });
    await settle(el);
    const save = $<HTMLButtonElement>(el, '[data-save-b]');
    expect(text(save)).toBe('Save it to keep it');
    expect(text($(el, `#${save.getAttribute('aria-describedby')}`))).toBe(
      'B is not saved on this device: a reload loses it.',
    );
    save.click();
    await waitFor(() => text($(el, '[data-saved-b]')) !== '');
    const [rec] = await store.listAlignments();
    expect(rec!.name).toBe('Shared alignment for Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(text($(el, '[data-saved-b]'))).toBe(`Saved as “${rec!.name}”. Show it in History`);
    expect($(el, '[data-saved-b] a').getAttribute('href')).toBe(`#/history?alignment=${rec!.id}`);
    expect(find(el, '[data-save-b]')).toBeNull();
    // A reload: nothing handed over, B is the saved one.
    unmountAll();
    const again = await playground({ appState: new AppState({ roles: { policy: binding } }), store });
    await waitFor(() => $$(again.el, '#align option').length === 1);
    expect(await heading(again.el)).toBe(`B · ${rec!.name}`);
  });

  it("a run's closest candidate handed over from its Result is saved as the Result saves it: with its run", async () => {
    const store = await openStore({ forceMemory: true });
    await store.saveAlignment({ name: 'Other', artifact: artifact({ systemPrompt: 'Be terse.' }), source: 'run' });
    const candidate = sampleArtifact();
    const appState = new AppState({
      roles: { policy: binding },
      playgroundAlignment: candidate,
      playgroundRun: { artifact: candidate, runId: 'run-7' },
    });
    const { el } = await playground({ appState, store });
    await waitFor(() => $$(el, '#align option').length === 2);
    const name = 'Alignment for Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
    expect(await heading(el)).toBe(`B · ${name}`);
    $<HTMLButtonElement>(el, '[data-save-b]').click();
    await waitFor(() => text($(el, '[data-saved-b]')) !== '');
    const rec = (await store.listAlignments()).find((r) => r.name !== 'Other')!;
    expect([rec.name, rec.source, rec.runId]).toEqual([name, 'run', 'run-7']);
    expect(text($(el, '[data-saved-b]'))).toBe(`Saved as “${name}”. Show it in History`);
    // Another alignment in B: the note was about the one before, and goes.
    const select = $<HTMLSelectElement>(el, '#align');
    select.value = [...select.options].find((o) => o.textContent!.trim() === 'Other')!.value;
    select.dispatchEvent(new Event('change'));
    await settle(el);
    expect(text($(el, '[data-saved-b]'))).toBe('');
  });

  it('saved under a name another saved alignment has: a numbered one, said with why', async () => {
    const store = await openStore({ forceMemory: true });
    const name = 'Shared alignment for Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
    await store.saveAlignment({ name, artifact: artifact({ systemPrompt: 'Be terse.' }), source: 'link' });
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: sampleArtifact() });
    const { el } = await playground({ appState, store });
    await waitFor(() => $$(el, '#align option').length === 2);
    $<HTMLButtonElement>(el, '[data-save-b]').click();
    await waitFor(() => text($(el, '[data-saved-b]')) !== '');
    expect(text($(el, '[data-saved-b]'))).toBe(
      `Saved as “${name} (2)”: “${name}” already names another saved alignment. Show it in History`,
    );
    expect((await store.listAlignments()).map((r) => r.name)).toEqual([`${name} (2)`, name]);
  });

  it("an alignment from a link handed over after a run's is not taken for the run's", async () => {
    const store = await openStore({ forceMemory: true });
    const candidate = artifact({ systemPrompt: 'Be terse.' });
    const appState = new AppState({
      roles: { policy: binding },
      playgroundAlignment: sampleArtifact(),
      playgroundRun: { artifact: candidate, runId: 'run-7' },
    });
    const { el } = await playground({ appState, store });
    await settle(el);
    $<HTMLButtonElement>(el, '[data-save-b]').click();
    await waitFor(() => text($(el, '[data-saved-b]')) !== '');
    const [rec] = await store.listAlignments();
    expect([rec!.source, rec!.runId]).toEqual(['link', undefined]);
  });

  it('one saved already says so, as the share page does', async () => {
    const store = await openStore({ forceMemory: true });
    const al = artifact();
    // Saved meanwhile (another tab) where the Playground's list does not show it: the store finds it on Save.
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: al });
    const stale = Object.assign(Object.create(store) as Store, { listAlignments: async () => [] });
    const { el } = await playground({ appState, store: stale });
    await settle(el);
    await store.saveAlignment({ name: 'Mine', artifact: al, source: 'run' });
    $<HTMLButtonElement>(el, '[data-save-b]').click();
    await waitFor(() => text($(el, '[data-saved-b]')) !== '');
    expect(text($(el, '[data-saved-b]'))).toBe('Already saved as “Mine”. Show it in History');
  });
});

describe('Playground: Escape', () => {
  /** A Playground whose two answers stream until stopped, with `draft` typed meanwhile in the message box. */
  async function streaming(policy: typeof binding | { engine: 'webllm'; modelId: string }, draft: string) {
    const client = new FakeClient();
    client.hang = true;
    const appState = new AppState({ roles: { policy }, playgroundAlignment: artifact() });
    const { el } = await playground({ appState, client });
    await ask(el, 'hello');
    await waitFor(() => client.calls.length === (policy.engine === 'webllm' ? 1 : 2));
    const ta = $<HTMLTextAreaElement>(el, '#msg');
    ta.value = draft;
    ta.dispatchEvent(new Event('input'));
    await settle(el);
    return { el, client, ta };
  }
  /** Escape keys that reached the page around the Playground. */
  function escapesAround(): { seen: number; stop(): void } {
    const seen = { seen: 0, stop: () => document.removeEventListener('keydown', on) };
    const on = (e: KeyboardEvent) => void (e.key === 'Escape' && seen.seen++);
    document.addEventListener('keydown', on);
    return seen;
  }

  it('in the message box stops both answers as Stop does, and keeps the draft and the conversation', async () => {
    const { el, client, ta } = await streaming(binding, 'my next question');
    const around = escapesAround();
    try {
      ta.focus();
      await userEvent.keyboard('{Escape}');
      // Cancelled as Stop cancels (the worker's job, not the worker): both panes' answers end as stopped.
      await waitFor(() => panes(el).every((p) => !p.busy));
      expect(client.cancelled.sort()).toEqual(['job-1', 'job-2']);
      await settle(el);
      for (const pane of panes(el)) {
        await settle(pane);
        expect($(pane, '.assistant').dataset.status).toBe('stopped');
        // The question and what came of its answer stay: Escape is no Clear.
        expect($$(pane, '.user')).toHaveLength(1);
        expect(text($(pane, '.assistant'))).toContain('Hello');
      }
      expect(ta.value).toBe('my next question');
      expect(el.shadowRoot!.activeElement).toBe(ta);
      expect(find(el, 'button[data-stop]')).toBeNull();
      // Taken for the stop: nothing around the page closes on it as well.
      expect(around.seen).toBe(0);
      // With nothing to stop, Escape is not the Playground's: the draft and the conversation stay, and it goes on.
      await userEvent.keyboard('{Escape}');
      await settle(el);
      expect(ta.value).toBe('my next question');
      expect(panes(el).map((p) => $$(p, '.user').length)).toEqual([1, 1]);
      expect(client.cancelled).toHaveLength(2);
      expect(around.seen).toBe(1);
    } finally {
      around.stop();
    }
  });

  it('on Stop stops A and the question B waits with (one local model), and focus goes back to the message box', async () => {
    const { el, client } = await streaming({ engine: 'webllm', modelId: binding.modelId }, '');
    const stop = $<HTMLButtonElement>(el, 'button[data-stop]');
    expect(stop.getAttribute('aria-keyshortcuts')).toBe('Escape');
    stop.focus();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => panes(el).every((p) => !p.busy));
    expect(client.cancelled).toEqual(['job-1']);
    // B's question was never sent: it ends stopped, as Stop leaves it.
    expect(client.calls).toHaveLength(1);
    const b = panes(el)[1]!;
    await settle(b);
    expect($(b, '.assistant').dataset.status).toBe('stopped');
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe($(el, '#msg'));
  });

  it('that only ends an IME composition stops nothing', async () => {
    const { el, client, ta } = await streaming(binding, 'にほん');
    ta.dispatchEvent(
      new KeyboardEvent('keydown', {
        key: 'Escape',
        isComposing: true,
        bubbles: true,
        composed: true,
        cancelable: true,
      }),
    );
    await settle(el);
    expect(client.cancelled).toEqual([]);
    expect(panes(el).every((p) => p.busy)).toBe(true);
    await Promise.all(panes(el).map((p) => p.stop()));
  });
});

describe('Playground: a "no improvement" result', () => {
  const start = 'You are a helpful assistant.';
  /** The system prompt each pane sends (A, B) for one question. */
  async function promptsSent(el: HTMLElement, client: FakeClient): Promise<string[]> {
    const before = client.calls.length;
    await ask(el, 'How tall is Mount Everest?');
    await waitFor(() => client.calls.length === before + 2);
    await waitFor(() => panes(el).every((p) => !p.busy));
    return client.calls.slice(before).map((c) => c.req.messages[0]!.content);
  }

  it('opened from its Result says it is your starting prompt unchanged, and puts its closest candidate in B on request', async () => {
    const store = await openStore({ forceMemory: true });
    const result = fellShortArtifact({}, { name: 'Support desk' });
    const appState = new AppState({
      roles: { policy: binding },
      playgroundAlignment: result,
      playgroundRun: { artifact: result, runId: 'run-3' },
    });
    const { el, client } = await playground({ appState, store });
    await settle(el);
    // B is the result, as "Open in playground" says: the page says what that is, not two panes that seem to differ.
    expect(await heading(el)).toBe('B · Support desk');
    expect(text($(el, '[data-unchanged]'))).toBe(
      'This result is your starting prompt unchanged: the run found no improvement on it, so B answers with the ' +
        'prompt you started from. Its closest candidate (a rewrite, with 1 worked example per question) was not ' +
        'kept: try it in B to compare it with your prompt. Try the closest candidate in B',
    );
    expect(text($(el, '[data-same]'))).toBe(
      'A and B use the same prompt without examples: any difference between their answers comes from sampling, ' +
        'not from the prompt.',
    );
    expect(await promptsSent(el, client)).toEqual([start, start]);
    // The candidate the Result's "Try it in the playground" hands over: B asks with it, A with the starting prompt.
    const tryIt = $<HTMLButtonElement>(el, '[data-try-closest]');
    tryIt.focus();
    tryIt.click();
    await settle(el, 5);
    expect(await heading(el)).toBe('B · Closest candidate of Support desk');
    expect(find(el, '[data-unchanged]')).toBeNull();
    expect(find(el, '[data-same]')).toBeNull();
    expect(el.shadowRoot!.activeElement).toBe($(el, '#align'));
    // A new comparison: the two answers to the result are gone from both panes.
    expect(panes(el).map((p) => $$(p, '.user').length)).toEqual([0, 0]);
    const [a, b] = await promptsSent(el, client);
    expect(a).toBe(start);
    expect(b).toContain('- Say what you cannot know.');
    expect(b).toContain('# Query:');
    // Saved as the Result saves its closest candidate: with its run.
    $<HTMLButtonElement>(el, '[data-save-b]').click();
    await waitFor(() => text($(el, '[data-saved-b]')) !== '');
    const [rec] = await store.listAlignments();
    expect([rec!.name, rec!.source, rec!.runId]).toEqual(['Closest candidate of Support desk', 'run', 'run-3']);
  });

  it('chosen saved in B offers its closest candidate too, kept with the run it was saved with', async () => {
    const store = await openStore({ forceMemory: true });
    const result = fellShortArtifact({}, { name: 'Support desk' });
    await store.saveAlignment({ name: 'Support desk', artifact: result, source: 'run', runId: 'run-3' });
    await store.saveAlignment({ name: 'Other', artifact: artifact({ systemPrompt: 'Be terse.' }), source: 'run' });
    const { el } = await playground({ appState: new AppState({ roles: { policy: binding } }), store });
    await waitFor(() => $$(el, '#align option').length === 2);
    const select = $<HTMLSelectElement>(el, '#align');
    select.value = [...select.options].find((o) => o.textContent!.trim() === 'Support desk')!.value;
    select.dispatchEvent(new Event('change'));
    await settle(el);
    $<HTMLButtonElement>(el, '[data-try-closest]').click();
    await settle(el, 5);
    expect(await heading(el)).toBe('B · Closest candidate of Support desk');
    $<HTMLButtonElement>(el, '[data-save-b]').click();
    await waitFor(() => text($(el, '[data-saved-b]')) !== '');
    const rec = (await store.listAlignments()).find((r) => r.name.startsWith('Closest'))!;
    expect([rec.source, rec.runId]).toEqual(['run', 'run-3']);
  });

  it('without a closest candidate (a link, an older file) says so plainly and offers nothing else', async () => {
    const plain = fellShortArtifact({}, { name: 'Support desk' });
    const { bestCandidate: _, ...scores } = plain.scores;
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: { ...plain, scores } });
    const { el } = await playground({ appState });
    await settle(el);
    expect(text($(el, '[data-unchanged]'))).toBe(
      'This result is your starting prompt unchanged: the run found no improvement on it, so B answers with the ' +
        'prompt you started from.',
    );
    expect(find(el, '[data-try-closest]')).toBeNull();
    // A result that improved is no starting prompt: nothing is said.
    appState.update({ playgroundAlignment: artifact({ outcome: 'improved' }) });
    await settle(el);
    expect(find(el, '[data-unchanged]')).toBeNull();
  });
});
