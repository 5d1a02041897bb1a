import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import '../../../src/ui/views/drpo-setup-view';
import type { DrpoGpuStatus } from '../../../src/ui/components/drpo-gpu-status';
import type { DrpoModelCard } from '../../../src/ui/components/drpo-model-card';
import type { DrpoLoadProgress } from '../../../src/ui/components/drpo-load-progress';
import type { DrpoEndpointForm } from '../../../src/ui/components/drpo-endpoint-form';
import { EndpointRegistry } from '../../../src/worker/endpoint-registry';
import type { ChatModel } from '../../../src/core/contracts/chat-model';
import { networkError } from '../../../src/llm/openai/http-errors';
import { checkBaseUrl } from '../../../src/ui/components/drpo-endpoint-form';
import type { DrpoSetupView } from '../../../src/ui/views/drpo-setup-view';
import { AppState } from '../../../src/ui/app/app-state';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import { openStore } from '../../../src/store/store';
import { defaultModelId, prebuiltModels, suggestedModels } from '../../../src/ui/view-models/model-facts';
import { FakeClient, MODELS, asClient } from '../../support/shell-fakes';
import { uniqueDb } from '../../support/store';
import { probeGpu } from '../../../src/protocol/gpu-probe';
import { describeError } from '../../../src/ui/helpers/error-messages';
import { toModelInfo } from '../../../src/llm/webllm/webllm-catalog';
import { afterPaint, $, $$, mount, settle, text, typeNumberText, unmountAll, waitFor } from '../../support/dom';

afterEach(unmountAll);

describe('drpo-gpu-status', () => {
  it('explains what to do when there is no adapter', async () => {
    const el = await mount<DrpoGpuStatus>('drpo-gpu-status', {
      probe: { available: false, reason: 'navigator.gpu is missing', shaderF16: false },
    });
    const t = text(el);
    expect(t).toContain('Chrome or Edge 113');
    expect(t).toContain('chrome://gpu');
    expect(t).toContain('webgpureport.org');
    expect(t).toContain('OpenAI-compatible endpoint');
    expect($(el, '[role=alert]')).toBeTruthy();
  });
  it('says what to do once, beside what the probe found missing, in the words of the error banner', async () => {
    const hint = describeError({ name: ErrorName.WebGpuUnavailable, message: '' }).hint;
    const noApi = null as unknown as GPU;
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    for (const gpu of [noApi, noAdapter]) {
      const probe = await probeGpu(gpu);
      const el = await mount<DrpoGpuStatus>('drpo-gpu-status', { probe });
      expect(text(el)).toContain(probe.reason);
      expect(text(el).match(/OpenAI-compatible endpoint/g)).toHaveLength(1);
      expect(
        $$(el, 'li')
          .map((li) => text(li))
          .join(' '),
      ).toBe(hint);
      expect($<HTMLAnchorElement>(el, 'li a').href).toBe('https://webgpureport.org/');
    }
  });
  it('says a missing shader-f16 as the model list and the error banner do', async () => {
    const el = await mount<DrpoGpuStatus>('drpo-gpu-status', { probe: { available: true, shaderF16: false } });
    const hint = describeError({ name: ErrorName.ShaderF16Missing, message: '' }).hint;
    expect(text($(el, '[data-f16]'))).toContain(hint);
    const f16 = { model_id: MODELS[0]!.id, model: 'https://x.invalid/m', model_lib: 'https://x.invalid/w' };
    const listed = toModelInfo(f16, { available: true, shaderF16: false }, false).disabledReason!;
    expect(listed).toContain(hint);
    // A card told only that the GPU lacks it (the page's probe, before the worker's list) says the same.
    const card = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[0], noF16: true });
    expect(text($(card, '[data-reason]'))).toBe(listed);
  });
  it('shows adapter facts and shader-f16 as words', async () => {
    const el = await mount<DrpoGpuStatus>('drpo-gpu-status', {
      probe: {
        available: true,
        shaderF16: false,
        adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true },
      },
    });
    expect(text(el)).toContain('swiftshader');
    expect($(el, '[data-f16]').dataset.f16).toBe('no');
  });
  it('probes the page itself and stores the result', async () => {
    const appState = new AppState();
    const el = await mount<DrpoGpuStatus>('drpo-gpu-status', { appState });
    await waitFor(() => appState.value.gpu !== null);
    await settle(el);
    expect(el.shadowRoot!.querySelector('[data-state]')).toBeTruthy();
  });
});

describe('drpo-model-card', () => {
  it('disables f16 models on GPUs without shader-f16, with the reason', async () => {
    const el = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[0], noF16: true });
    const btn = $<HTMLButtonElement>(el, 'button');
    expect(btn.disabled).toBe(true);
    expect($(el, '[data-reason]').textContent).toContain('shader-f16');
  });
  it('asks before deleting cached files and emits events', async () => {
    const el = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[1] });
    const seen: string[] = [];
    for (const n of ['model-load-requested', 'model-delete-requested'])
      el.addEventListener(n, (e) => seen.push(`${n}:${(e as CustomEvent).detail.modelId}`));
    expect(text(el)).toContain('cached');
    $<HTMLButtonElement>(el, 'button').click();
    const del = $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent?.includes('Delete cached'))!;
    del.click();
    await settle(el);
    expect(seen).toEqual([`model-load-requested:${MODELS[1]!.id}`]);
    // The question says what the delete costs: the next load downloads the files again.
    expect($(el, '[data-delete-question]').textContent).toMatch(
      /^Delete the downloaded files( \(≈ [\d.,]+ [KMG]B\))?\? Loading it again downloads it again\.$/,
    );
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.includes('Yes, delete'))!
      .click();
    expect(seen[1]).toBe(`model-delete-requested:${MODELS[1]!.id}`);
  });
  it('says a loaded model stays loaded when its downloaded files are deleted', async () => {
    const el = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[1], loaded: true });
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.includes('Delete cached'))!
      .click();
    await settle(el);
    expect($(el, '[data-delete-question]').textContent).toMatch(
      /The model stays loaded until you unload it or close the tab; loading it again downloads it again\.$/,
    );
  });
});

describe('drpo-model-card focus', () => {
  it('holds its buttons while another load runs, keeping focus, and hands it to Unload once loaded', async () => {
    const el = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[0] });
    const seen: string[] = [];
    el.addEventListener('model-load-requested', () => seen.push('load'));
    const load = $<HTMLButtonElement>(el, '.actions button');
    load.focus();
    load.click();
    el.busy = true;
    await settle(el);
    await afterPaint();
    // Held, not disabled: focus stays, the state is said, and a second press does nothing.
    expect(el.shadowRoot!.activeElement).toBe(load);
    expect(load.getAttribute('aria-disabled')).toBe('true');
    load.click();
    expect(seen).toEqual(['load']);
    el.busy = false;
    el.loaded = true;
    await settle(el);
    const unload = $<HTMLButtonElement>(el, '.actions button');
    expect(unload.textContent?.trim()).toBe('Unload');
    expect(el.shadowRoot!.activeElement).toBe(unload);
  });
});

describe('drpo-model-card delete question', () => {
  it('takes focus on Keep, answers Keep on Escape, and gives focus back to Delete cached', async () => {
    const el = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[1] });
    const seen: string[] = [];
    el.addEventListener('model-delete-requested', () => seen.push('delete'));
    const named = (label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => text(b) === label) ?? null;
    const ask = async () => {
      named('Delete cached')!.focus();
      named('Delete cached')!.click();
      await settle(el);
      // The safe answer takes focus, as History's and the Live view's questions do.
      await waitFor(() => el.shadowRoot!.activeElement === named('Keep'));
    };
    for (const answer of ['Keep', 'Yes, delete']) {
      await ask();
      named(answer)!.focus();
      named(answer)!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      await settle(el);
      expect(el.shadowRoot!.querySelector('[data-delete-question]')).toBeNull();
      await waitFor(() => el.shadowRoot!.activeElement === named('Delete cached'));
    }
    await ask();
    named('Keep')!.click();
    await settle(el);
    await waitFor(() => el.shadowRoot!.activeElement === named('Delete cached'));
    expect(seen).toEqual([]);
  });
});

describe('drpo-load-progress', () => {
  it('is an accessible progress bar with ETA', async () => {
    const el = await mount<DrpoLoadProgress>('drpo-load-progress', {
      progress: { modelId: 'm', progress: 0.42, elapsedS: 75, etaS: 100, text: 'Fetching param cache[2/9]' },
    });
    const bar = $(el, '[role=progressbar]');
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(text(el)).toContain('1 min 15 s');
    expect($(el, '[aria-live]').textContent).toContain('Fetching');
  });
});

describe('drpo-endpoint-form', () => {
  async function form(client: FakeClient, appState = new AppState()) {
    const store = await openStore({ forceMemory: true });
    const el = await mount<DrpoEndpointForm>('drpo-endpoint-form', { client: asClient(client), appState, store });
    const setUrl = async (v: string) => {
      const input = $<HTMLInputElement>(el, '#url');
      input.value = v;
      input.dispatchEvent(new Event('input'));
      await settle(el);
    };
    const submit = async () => {
      $<HTMLFormElement>(el, 'form').requestSubmit();
      await settle(el, 5);
    };
    /** Types into a field as a user does (input, then change when the field is left). */
    const type = async (id: string, v: string) => {
      const input = $<HTMLInputElement>(el, `#${id}`);
      input.value = v;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
      await settle(el);
      return input;
    };
    /** Connects to a test endpoint with an API key. */
    const connectWithKey = async (key: string) => {
      await setUrl('https://api.example.com/v1');
      await type('key', key);
      await submit();
    };
    return { el, setUrl, submit, type, connectWithKey, store, appState };
  }

  it('checks URLs before any request', () => {
    expect(() => checkBaseUrl('')).toThrow(/Enter the server address/);
    // The adapter's own rules, so a missing scheme gets its suggestion here too.
    expect(() => checkBaseUrl('localhost:11434/v1')).toThrow(/Did you mean http:\/\/localhost:11434\/v1\?/);
    expect(() => checkBaseUrl('ftp://x')).toThrow(/http/);
    expect(checkBaseUrl(' http://localhost:11434/v1/ ')).toBe('http://localhost:11434/v1');
  });

  it('Test connection keeps focus while it tests (held, not disabled), and a second press asks nothing', async () => {
    const client = new FakeClient();
    let answer = (): void => undefined;
    let lists = 0;
    client.listEndpointModels = () => (lists++, new Promise((r) => (answer = () => r(client.endpointModels))));
    const { el, setUrl } = await form(client);
    await setUrl('http://localhost:11434/v1');
    const btn = $<HTMLButtonElement>(el, 'button[type=submit]');
    btn.focus();
    btn.click();
    await settle(el);
    await afterPaint();
    expect(text(btn)).toBe('Testing…');
    expect(btn.getAttribute('aria-disabled')).toBe('true');
    expect(el.shadowRoot!.activeElement).toBe(btn);
    btn.click();
    await settle(el);
    expect(lists).toBe(1);
    answer();
    await waitFor(() => text(btn) === 'Test connection');
    expect(el.shadowRoot!.activeElement).toBe(btn);
  });

  it('shows an invalid URL in words and calls nothing', async () => {
    const client = new FakeClient();
    const { el, setUrl, submit } = await form(client);
    await setUrl('not a url');
    await submit();
    expect($(el, '[data-error]').dataset.error).toBe(ErrorName.InvalidUrl);
    expect(client.endpoints).toEqual([]);
  });

  it('a password with an unencoded ? or # in the address: no piece of it on the page, the API key field named', async () => {
    for (const url of ['http://user:PWLEFT?PWRIGHT@host:8080/v1', 'http://user:PWLEFT#PWRIGHT@host/v1']) {
      const client = new FakeClient();
      const { el, setUrl, submit } = await form(client);
      await setUrl(url);
      await submit();
      expect($(el, '[data-error]').dataset.error).toBe(ErrorName.InvalidUrl);
      const shown = text($(el, '[data-error]'));
      expect(shown).toContain('API key field');
      for (const part of ['PWLEFT', 'PWRIGHT']) expect(shown).not.toContain(part);
      expect(client.endpoints).toEqual([]);
    }
  });

  it('a server the page cannot reach: each piece of advice is said once', async () => {
    const client = new FakeClient();
    // The error the endpoint adapter makes in a page when fetch() rejects.
    client.endpointError = networkError(new TypeError('Failed to fetch'), 'http://localhost:11434/v1/models');
    const { el, setUrl, submit } = await form(client);
    await setUrl('http://localhost:11434/v1');
    await submit();
    const t = text($(el, '[data-error]'));
    for (const advice of ['OLLAMA_ORIGINS', 'llama-server', 'allowed-origins']) {
      expect(t.split(advice).length - 1, advice).toBe(1);
    }
  });

  it('explains CORS with Ollama and llama-server hints', async () => {
    const client = new FakeClient();
    client.endpointError = new AppError(ErrorName.Cors, 'The request was blocked (CORS or unreachable).');
    const { el, setUrl, submit } = await form(client);
    await setUrl('http://localhost:11434/v1');
    await submit();
    const t = text($(el, '[data-error]'));
    expect(t.split('OLLAMA_ORIGINS')).toHaveLength(2);
    expect(t.split('llama-server')).toHaveLength(2);
    // The address is marked as the problem, and described by what went wrong.
    const url = $<HTMLInputElement>(el, '#url');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.getAttribute('aria-describedby')).toBe($(el, '[data-error]').id);
  });

  it('marks the outage wait, not the address, for an endpoint that answered before and did not come back', async () => {
    const client = new FakeClient();
    client.endpointError = new AppError(
      ErrorName.EndpointDown,
      'The endpoint stopped answering and did not come back within 1 min (the outage wait).',
    );
    const { el, setUrl, submit } = await form(client);
    await setUrl('http://localhost:11434/v1');
    await submit();
    expect(text($(el, '[data-error]'))).toMatch(/did not come back within the outage wait/);
    expect($(el, '#outage').getAttribute('aria-invalid')).toBe('true');
    expect($(el, '#url').hasAttribute('aria-invalid')).toBe(false);
  });

  it('explains a rejected key', async () => {
    const client = new FakeClient();
    client.endpointError = new AppError(ErrorName.Auth, 'HTTP 401 Unauthorized', { status: 401 });
    const { el, setUrl, submit } = await form(client);
    await setUrl('https://api.example.com/v1');
    await submit();
    expect(text($(el, '[data-error]'))).toMatch(/API key was rejected/);
    expect($(el, '#key').getAttribute('aria-invalid')).toBe('true');
    expect($(el, '#url').hasAttribute('aria-invalid')).toBe(false);
  });

  it('settings that list their models but that the worker then refuses show the error, never "connected" beside it', async () => {
    const client = new FakeClient();
    client.setEndpointError = new AppError(ErrorName.InvalidInput, 'The worker refused these settings.');
    const { el, setUrl, submit, appState } = await form(client);
    await setUrl('http://localhost:11434/v1');
    await submit();
    expect(client.tested).toHaveLength(1);
    expect(text($(el, '[data-error]'))).toContain('The worker refused these settings.');
    expect(text($(el, '[data-connected]'))).toBe('');
    expect(appState.value.endpoints).toEqual([]);
    // Once the worker takes them, the same test says connected (and no error).
    client.setEndpointError = null;
    await submit();
    expect($$(el, '[data-error]')).toEqual([]);
    expect(text($(el, '[data-connected]'))).toMatch(/^✓ connected · 2 models/);
  });

  it('lists models, refuses unlisted ones, and reports the chosen one', async () => {
    const client = new FakeClient();
    const { el, setUrl, submit, appState } = await form(client);
    await setUrl('http://localhost:11434/v1/');
    await submit();
    expect(client.endpoints[0]!.baseUrl).toBe('http://localhost:11434/v1');
    expect(appState.value.endpoints[0]!.models).toEqual(client.endpointModels);
    expect(appState.value.endpoints[0]!.apiKey).toBeUndefined();
    const model = $<HTMLInputElement>(el, '#model');
    model.value = 'gpt-17';
    model.dispatchEvent(new Event('input'));
    await settle(el);
    const use = () => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent?.includes('Use this model'))!;
    use().click();
    await settle(el);
    expect($(el, '[data-error]').dataset.error).toBe(ErrorName.ModelNotListed);
    model.value = 'qwen2.5:0.5b';
    model.dispatchEvent(new Event('input'));
    await settle(el);
    let detail: unknown;
    el.addEventListener('endpoint-connected', (e) => (detail = (e as CustomEvent).detail));
    use().click();
    expect(detail).toEqual({ endpointId: 'endpoint-1', modelId: 'qwen2.5:0.5b' });
  });

  it('refuses an outage wait typed as no number ("1e" reads as empty in the browser), keeping what was typed', async () => {
    const client = new FakeClient();
    const { el, setUrl, submit } = await form(client);
    await setUrl('http://localhost:11434/v1');
    $<HTMLDetailsElement>(el, 'details').open = true;
    const outage = $<HTMLInputElement>(el, '#outage');
    await typeNumberText(outage, '1e');
    await settle(el);
    await submit();
    expect(text($(el, '[data-error]'))).toMatch(/outage wait \(seconds\) must be a number from 0 to 3600/);
    expect(outage.getAttribute('aria-invalid')).toBe('true');
    // Not written back (that would wipe the box): what was typed is still there to fix.
    expect(outage.validity.badInput).toBe(true);
    expect(client.endpoints).toHaveLength(0);
  });

  it('refuses a bad number of parallel requests with the registry’s message, and keeps nothing', async () => {
    // The worker's own check (EndpointRegistry.set), as the real client reaches it.
    const registry = new EndpointRegistry({
      listModels: async () => [],
      createModel: () => ({}) as unknown as ChatModel,
    });
    const client = new FakeClient();
    const set = client.setEndpoint.bind(client);
    client.setEndpoint = async (config) => (registry.set(config), set(config));
    const { el, setUrl, submit, store } = await form(client);
    await setUrl('http://localhost:11434/v1');
    const parallel = $<HTMLInputElement>(el, '#parallel');
    parallel.value = '99';
    parallel.dispatchEvent(new Event('input'));
    await submit();
    expect($(el, '[data-error]').textContent).toMatch(/Parallel requests must be a whole number from 1 to 64/);
    expect(parallel.getAttribute('aria-invalid')).toBe('true');
    // Said next to the field, and tied to it.
    expect(parallel.getAttribute('aria-describedby')!.split(' ')).toContain('parallel-error');
    expect(text($(el, '#parallel-error'))).toMatch(/whole number from 1 to 64/);
    // A cleared field stays empty (a number input showed "0", and typing then gave "00"), and is refused.
    parallel.value = '';
    parallel.dispatchEvent(new Event('input'));
    await settle(el);
    expect(parallel.value).toBe('');
    await submit();
    // No number at all is asked for as such (the registry's "(got NaN)" said nothing to the user).
    expect($(el, '[data-error]').textContent).toMatch(/Parallel requests: enter a whole number from 1 to 64\./);
    expect($(el, '[data-error]').textContent).not.toMatch(/NaN/);
    expect(client.endpoints).toEqual([]);
    expect(await store.listEndpoints()).toEqual([]);
  });

  it('keeps the API key off disk unless remembered', async () => {
    const client = new FakeClient();
    const { connectWithKey, store } = await form(client);
    await connectWithKey('sk-secret');
    expect(client.endpoints[0]!.apiKey).toBe('sk-secret');
    expect((await store.listEndpoints())[0]?.apiKey).toBeUndefined();
    // Only the fact that one was used, so a reload asks for it again.
    expect((await store.listEndpoints())[0]?.keyNotRemembered).toBe(true);
  });

  it('prices keep what is typed: a decimal comma is a price, a bad one is flagged, never rewritten', async () => {
    const client = new FakeClient();
    const { el, setUrl, submit, type, appState } = await form(client);
    await setUrl('https://api.example.com/v1');
    await submit();
    const inField = await type('price-in', '0,15');
    const outField = await type('price-out', '0.6');
    expect(inField.value).toBe('0,15');
    expect(inField.getAttribute('aria-invalid')).toBe('false');
    await waitFor(() => appState.value.endpoints[0]?.price?.inputPerM === 0.15);
    expect(appState.value.endpoints[0]!.price).toEqual({ inputPerM: 0.15, outputPerM: 0.6 });
    await type('price-in', '1e');
    expect(inField.value).toBe('1e');
    expect(inField.getAttribute('aria-invalid')).toBe('true');
    expect(text(el)).toMatch(/Prices must be numbers of 0 or more/);
    expect(text($(el, `#${inField.getAttribute('aria-describedby')}`))).toMatch(/Prices must be numbers of 0 or more/);
    expect(outField.hasAttribute('aria-describedby')).toBe(false);
    expect(outField.value).toBe('0.6');
  });

  it('the "remember" box takes effect at once: ticked stores the key, unticked deletes it', async () => {
    const client = new FakeClient();
    const { el, connectWithKey, store } = await form(client);
    await connectWithKey('sk-secret');
    const box = $$<HTMLInputElement>(el, 'input[type=checkbox]').find((b) =>
      b.closest('label')?.textContent?.includes('Remember the key'),
    )!;
    const storedKey = async () => (await store.listEndpoints())[0]?.apiKey;
    box.click();
    await expect.poll(storedKey).toBe('sk-secret');
    box.click();
    await expect.poll(storedKey).toBeUndefined();
    expect((await store.listEndpoints())[0]).toMatchObject({ remember: false });
  });
});

describe('drpo-endpoint-form: the endpoint in use', () => {
  const A = 'http://127.0.0.1:4174/v1';
  const B = 'http://127.0.0.1:4175/v1';
  const on = (modelId: string) => ({ engine: 'openai' as const, endpointId: 'endpoint-1', modelId });
  /** Connected to A and "Use this model" pressed: every role uses llama3.2:1b there. */
  function inUseOnA() {
    const roles = {
      policy: on('llama3.2:1b'),
      aspect: on('llama3.2:1b'),
      judge: on('llama3.2:1b'),
      optimizer: on('llama3.2:1b'),
    };
    const endpoint = { id: 'endpoint-1', baseUrl: A, remember: false, models: ['llama3.2:1b', 'qwen2.5:0.5b'] };
    return new AppState({ roles, endpoints: [endpoint] });
  }
  async function mountForm(client: FakeClient, appState: AppState) {
    const store = await openStore({ forceMemory: true });
    const el = await mount<DrpoEndpointForm>('drpo-endpoint-form', { client: asClient(client), appState, store });
    await settle(el);
    const url = $<HTMLInputElement>(el, '#url');
    url.value = B;
    url.dispatchEvent(new Event('input'));
    await settle(el);
    const submit = async () => {
      $<HTMLFormElement>(el, 'form').requestSubmit();
      await settle(el, 5);
    };
    return { el, store, submit };
  }

  it('a failed test of another address changes nothing: the worker, the roles and what is remembered keep A', async () => {
    const client = new FakeClient();
    client.endpointError = new AppError(ErrorName.Auth, 'HTTP 401 Unauthorized', { status: 401 });
    const appState = inUseOnA();
    const before = appState.value;
    const { el, store, submit } = await mountForm(client, appState);
    await submit();
    expect($(el, '[data-error]').dataset.error).toBe(ErrorName.Auth);
    expect(client.tested.map((c) => c.baseUrl)).toEqual([B]);
    expect(client.endpoints).toEqual([]);
    expect(appState.value.endpoints).toEqual(before.endpoints);
    expect(appState.value.roles).toEqual(before.roles);
    expect(await store.listEndpoints()).toEqual([]);
    expect(text($(el, '[data-still-in-use]'))).toBe(`Nothing was changed: Setup still uses llama3.2:1b on ${A}.`);
    // The model list shown is A's, and says so, since B was typed.
    expect(text($(el, '[data-listed-by]'))).toBe(`Models listed by ${A}.`);
  });

  it('another server that answers takes over only when a model of it is chosen', async () => {
    const client = new FakeClient();
    client.endpointModels = ['b-model'];
    const appState = inUseOnA();
    const { el, store, submit } = await mountForm(client, appState);
    await submit();
    expect(client.endpoints).toEqual([]);
    expect(appState.value.endpoints[0]!.baseUrl).toBe(A);
    expect(text($(el, '[data-pending]'))).toMatch(
      new RegExp(`Setup still uses llama3.2:1b on ${A}\\. To switch to ${B}, choose one of its models`),
    );
    expect(text($(el, '[data-connected]'))).toMatch(/Choose a model below and press “Use this model”/);
    let detail: unknown;
    el.addEventListener('endpoint-connected', (e) => (detail = (e as CustomEvent).detail));
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.includes('Use this model'))!
      .click();
    await waitFor(() => detail !== undefined);
    expect(detail).toEqual({ endpointId: 'endpoint-1', modelId: 'b-model' });
    expect(client.endpoints.map((c) => c.baseUrl)).toEqual([B]);
    expect(appState.value.endpoints[0]).toMatchObject({ baseUrl: B, models: ['b-model'] });
    expect((await store.listEndpoints())[0]).toMatchObject({ baseUrl: B, modelId: 'b-model' });
    await settle(el);
    expect($$(el, '[data-pending]')).toEqual([]);
  });

  it('another server the worker refuses when its model is chosen: the error, not "connected", and A stays', async () => {
    const client = new FakeClient();
    client.endpointModels = ['b-model'];
    const appState = inUseOnA();
    const before = appState.value;
    const { el, submit } = await mountForm(client, appState);
    await submit();
    expect(text($(el, '[data-connected]'))).toMatch(/^✓ connected/);
    client.setEndpointError = new AppError(ErrorName.InvalidInput, 'The worker refused these settings.');
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.includes('Use this model'))!
      .click();
    await waitFor(() => $$(el, '[data-error]').length > 0);
    await settle(el);
    expect(text($(el, '[data-error]'))).toContain('The worker refused these settings.');
    expect(text($(el, '[data-connected]'))).toBe('');
    expect(appState.value.endpoints).toEqual(before.endpoints);
    expect(appState.value.roles).toEqual(before.roles);
  });

  it('the same server tested again is kept at once, with its new list', async () => {
    const client = new FakeClient();
    client.endpointModels = ['other-a', 'other-b'];
    const appState = inUseOnA();
    const { el, submit } = await mountForm(client, appState);
    const url = $<HTMLInputElement>(el, '#url');
    url.value = `${A}/`;
    url.dispatchEvent(new Event('input'));
    await submit();
    expect(client.endpoints.map((c) => c.baseUrl)).toEqual([A]);
    expect(appState.value.endpoints[0]!.models).toEqual(['other-a', 'other-b']);
    expect(text($(el, '[data-connected]'))).toBe('✓ connected · 2 models');
  });

  it('a key that was not remembered: the page names the next step, and says when it is done', async () => {
    const store = await openStore({ forceMemory: true });
    await store.saveEndpoint({
      id: 'endpoint-1',
      baseUrl: A,
      remember: false,
      apiKey: 'sk-old',
      modelId: 'llama3.2:1b',
    });
    const client = new FakeClient();
    const el = await mount<DrpoEndpointForm>('drpo-endpoint-form', {
      client: asClient(client),
      appState: new AppState(),
      store,
    });
    await waitFor(() => el.shadowRoot!.querySelector('[data-key-wanted]') !== null);
    expect(text($(el, '[data-key-wanted]'))).toBe(
      'This server was used with an API key that was not remembered: enter the key and press Test connection.',
    );
    const key = $<HTMLInputElement>(el, '#key');
    key.value = 'sk-new';
    key.dispatchEvent(new Event('input'));
    await settle(el);
    expect(text($(el, '[data-key-wanted]'))).toBe('Press Test connection to use this key.');
    $<HTMLFormElement>(el, 'form').requestSubmit();
    await settle(el, 5);
    expect($$(el, '[data-key-wanted]')).toEqual([]);
    // Nothing uses this server yet: the next step is said beside "connected".
    expect(text($(el, '[data-connected]'))).toBe(
      '✓ connected · 2 models Choose a model below and press “Use this model”.',
    );
  });

  it('parallel requests that are no number are asked for as a whole number, never "NaN"', async () => {
    const client = new FakeClient();
    const { el, submit } = await mountForm(client, new AppState());
    const parallel = $<HTMLInputElement>(el, '#parallel');
    parallel.value = 'abc';
    parallel.dispatchEvent(new Event('input'));
    await submit();
    expect(text($(el, '#parallel-error'))).toBe('Parallel requests: enter a whole number from 1 to 64.');
    expect(text($(el, '[data-error]'))).toMatch(/Parallel requests: enter a whole number from 1 to 64\./);
    expect(text(el)).not.toMatch(/NaN/);
    expect(client.tested).toEqual([]);
  });
});

async function showAllModels(el: DrpoSetupView): Promise<void> {
  $$<HTMLButtonElement>(el, 'button')
    .find((b) => b.textContent?.includes('Show all models and what is downloaded'))!
    .click();
  await waitFor(() => $$<DrpoModelCard>(el, 'drpo-model-card').some((c) => c.model.id.startsWith('Qwen2.5-0.5B')));
  await settle(el);
}

describe('drpo-setup-view', () => {
  it('preselects a model the GPU can run', () => {
    expect(defaultModelId(MODELS, true)).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(defaultModelId(MODELS, false)).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(defaultModelId([], true)).toBeNull();
    const llama = { ...MODELS[1]!, id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', vramMB: 1129 };
    expect(defaultModelId([...MODELS, llama], false)).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
  });

  it('loads a model, binds every role to it and offers the check chat', async () => {
    const client = new FakeClient();
    const appState = new AppState({
      gpu: {
        available: true,
        shaderF16: false,
        adapter: { vendor: 'v', architecture: 'a', description: '', isFallbackAdapter: false },
      },
    });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState });
    // Suggested models come from page facts (no catalog request, so no WebLLM package yet) ...
    expect($$<DrpoModelCard>(el, 'drpo-model-card')[0]!.model.id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(client.listCalls).toBe(0);
    // ... the whole catalog only on request.
    await showAllModels(el);
    const cards = $$<DrpoModelCard>(el, 'drpo-model-card');
    expect(cards.length).toBe(3); // the base model is hidden until searched for
    expect(cards[0]!.model.id).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(cards[0]!.selected).toBe(true);
    cards[0]!.dispatchEvent(new CustomEvent('model-load-requested', { bubbles: true, composed: true }));
    await waitFor(() => appState.value.loaded.length === 1);
    await settle(el);
    expect(appState.value.roles.judge).toEqual({ engine: 'webllm', modelId: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC' });
    expect(appState.value.loadProgress).toBeNull();
    expect($(el, 'drpo-chat-pane')).toBeTruthy();
  });

  it('"Show all models" is held while it lists, keeping focus, which then goes to the filter of the list', async () => {
    const client = new FakeClient();
    const list = client.listModels.bind(client);
    let release = (): void => undefined;
    client.listModels = async () => {
      await new Promise<void>((r) => (release = r));
      return list();
    };
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState: new AppState() });
    const show = $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent?.includes('Show all models'))!;
    show.focus();
    show.click();
    await settle(el);
    await afterPaint();
    expect(show.textContent?.trim()).toBe('Listing models…');
    expect(show.getAttribute('aria-disabled')).toBe('true');
    expect(el.shadowRoot!.activeElement).toBe(show);
    release();
    await waitFor(() => !show.isConnected);
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe($(el, '#filter'));
  });

  it('the filter searches every model id before the full list is fetched, not only the suggested ones', async () => {
    const client = new FakeClient();
    const appState = new AppState({ gpu: { available: true, shaderF16: true } });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState });
    const ids = () => $$<DrpoModelCard>(el, 'drpo-model-card').map((c) => c.model.id);
    const type = async (v: string) => {
      const filter = $<HTMLInputElement>(el, '#filter');
      filter.value = v;
      filter.dispatchEvent(new Event('input'));
      await settle(el);
    };
    expect(ids()).not.toContain('SmolLM2-360M-Instruct-q4f16_1-MLC');
    await type('smollm2-360m');
    expect(ids()).toEqual(
      expect.arrayContaining(['SmolLM2-360M-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1-MLC']),
    );
    expect(ids().every((id) => id.startsWith('SmolLM2-360M'))).toBe(true);
    expect(text(el)).toMatch(/Searching every model; what is downloaded shows once all are listed/);
    // A suggested model's other builds are found too; nothing was fetched for it (no WebLLM package yet).
    await type('Qwen2.5-0.5B');
    expect(ids()).toEqual(
      expect.arrayContaining(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q0f32-MLC']),
    );
    expect(client.listCalls).toBe(0);
    await type('');
    expect(ids()[0]).toBe('Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(ids()).not.toContain('Qwen2.5-0.5B-Instruct-q0f32-MLC');
    expect(text(el)).toMatch(/Suggested models for this GPU/);
  });

  it('raises a page-level error when loading fails, and stays usable', async () => {
    const client = new FakeClient();
    client.loadError = new AppError(ErrorName.OutOfMemory, 'GPU out of memory');
    const appState = new AppState({ gpu: { available: true, shaderF16: true } });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState });
    await showAllModels(el);
    $$(el, 'drpo-model-card')[0]!.dispatchEvent(
      new CustomEvent('model-load-requested', { bubbles: true, composed: true }),
    );
    await waitFor(() => appState.value.error !== null);
    expect(appState.value.error?.name).toBe(ErrorName.OutOfMemory);
    expect(appState.value.roles.policy).toBeUndefined();
    await settle(el);
    expect($$<DrpoModelCard>(el, 'drpo-model-card')[0]!.busy).toBe(false);
  });

  it('warns that a software adapter will be very slow, and not on a real GPU', async () => {
    const soft = {
      available: true,
      shaderF16: false,
      adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false },
    };
    const el = await mount<DrpoSetupView>('drpo-setup-view', {
      client: asClient(new FakeClient()),
      appState: new AppState({ gpu: soft }),
    });
    expect($(el, '[data-software-gpu]').textContent).toMatch(/runs WebGPU in software.*very slowly/s);
    expect($$<DrpoModelCard>(el, 'drpo-model-card')[0]!.shadowRoot!.textContent).toMatch(/Very slow here/);
    const hw = await mount<DrpoSetupView>('drpo-setup-view', {
      client: asClient(new FakeClient()),
      appState: new AppState({ gpu: { ...soft, adapter: { ...soft.adapter, architecture: 'rdna-3' } } }),
    });
    expect(hw.shadowRoot!.querySelector('[data-software-gpu]')).toBeNull();
  });

  it('defaults to the endpoint form without WebGPU', async () => {
    const appState = new AppState({ gpu: { available: false, shaderF16: false, reason: 'none' } });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    expect($(el, 'drpo-endpoint-form')).toBeTruthy();
    el.shadowRoot!.querySelector('drpo-endpoint-form')!.dispatchEvent(
      new CustomEvent('endpoint-connected', {
        detail: { endpointId: 'e1', modelId: 'llama3.2:1b' },
        bubbles: true,
        composed: true,
      }),
    );
    expect(appState.value.roles.optimizer).toEqual({ engine: 'openai', endpointId: 'e1', modelId: 'llama3.2:1b' });
  });
});

describe('drpo-setup-view advanced roles', () => {
  it('binds the judge to an endpoint model while the policy stays local', async () => {
    const appState = new AppState({
      gpu: { available: true, shaderF16: true },
      loaded: [{ engine: 'webllm', modelId: 'Tiny-Local', contextWindow: 4096 }],
      roles: Object.fromEntries(
        ['policy', 'aspect', 'judge', 'optimizer'].map((r) => [r, { engine: 'webllm', modelId: 'Tiny-Local' }]),
      ),
      endpoints: [{ id: 'endpoint-1', baseUrl: 'http://localhost:11434/v1', remember: false, models: ['big-judge'] }],
    });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    const toggle = $$<HTMLInputElement>(el, 'input[type=checkbox]').find((c) =>
      c.parentElement?.textContent?.includes('Advanced'),
    )!;
    toggle.click();
    await settle(el);
    const judge = $<HTMLSelectElement>(el, '#role-judge');
    expect([...judge.options].map((o) => o.textContent)).toContain('http://localhost:11434/v1 · big-judge');
    judge.value = 'openai|endpoint-1|big-judge';
    judge.dispatchEvent(new Event('change'));
    expect(appState.value.roles.judge).toEqual({ engine: 'openai', endpointId: 'endpoint-1', modelId: 'big-judge' });
    expect(appState.value.roles.policy).toEqual({ engine: 'webllm', modelId: 'Tiny-Local' });
    // Unticked, the page says one model plays every role: so every role is bound to the policy again.
    toggle.click();
    await settle(el);
    expect(text(el)).toMatch(/One model plays every role/);
    expect(appState.value.roles.judge).toEqual({ engine: 'webllm', modelId: 'Tiny-Local' });
  });

  it('shows the roles (box ticked) whenever some role is bound to another model, e.g. on a return visit', async () => {
    const local = { engine: 'webllm' as const, modelId: 'Tiny-Local' };
    const appState = new AppState({
      gpu: { available: true, shaderF16: true },
      roles: { policy: local, aspect: local, optimizer: local, judge: { ...local, modelId: 'Other' } },
    });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    const toggle = $$<HTMLInputElement>(el, 'input[type=checkbox]').find((c) =>
      c.parentElement?.textContent?.includes('Advanced'),
    )!;
    expect(toggle.checked).toBe(true);
    expect(text(el)).not.toMatch(/One model plays every role/);
  });

  it('loading the local policy on a return visit keeps the endpoint judge restored beside it', async () => {
    const big = { engine: 'openai' as const, endpointId: 'endpoint-1', modelId: 'big-judge' };
    const appState = new AppState({
      gpu: { available: true, shaderF16: true },
      roles: { judge: big },
      endpoints: [{ id: 'endpoint-1', baseUrl: 'http://localhost:11434/v1', remember: false, models: ['big-judge'] }],
    });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    const card = el.shadowRoot!.querySelector('drpo-model-card')!;
    const id = (card as unknown as { model: { id: string } }).model.id;
    card.dispatchEvent(new CustomEvent('model-load-requested', { bubbles: true, composed: true }));
    await waitFor(() => appState.value.roles.policy !== undefined);
    expect(appState.value.roles.policy).toEqual({ engine: 'webllm', modelId: id });
    expect(appState.value.roles.optimizer).toEqual({ engine: 'webllm', modelId: id });
    expect(appState.value.roles.judge).toEqual(big);
  });

  it('"Use this model" on a return visit keeps a judge bound to another model', async () => {
    const small = { engine: 'openai' as const, endpointId: 'endpoint-1', modelId: 'small' };
    const big = { ...small, modelId: 'big-judge' };
    const appState = new AppState({
      gpu: { available: true, shaderF16: true },
      roles: { policy: small, aspect: small, optimizer: small, judge: big },
      endpoints: [
        {
          id: 'endpoint-1',
          baseUrl: 'http://localhost:11434/v1',
          remember: false,
          models: ['small', 'big-judge', 'other'],
        },
      ],
    });
    // A new view, as after a reload or a visit to another view: its own "advanced" flag starts unticked.
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    el.shadowRoot!.querySelector('drpo-endpoint-form')!.dispatchEvent(
      new CustomEvent('endpoint-connected', {
        detail: { endpointId: 'endpoint-1', modelId: 'other' },
        bubbles: true,
        composed: true,
      }),
    );
    await settle(el);
    // The judge stays; the roles that followed the policy move with it to the new model.
    const other = { ...small, modelId: 'other' };
    expect(appState.value.roles.judge).toEqual(big);
    expect(appState.value.roles.policy).toEqual(other);
    expect(appState.value.roles.optimizer).toEqual(other);
    expect(appState.value.roles.aspect).toEqual(other);
  });
});

describe('drpo-setup-view: the role menus show the real binding', () => {
  it('a bound model the server no longer lists is shown as such, in every menu, and said', async () => {
    const url = 'http://127.0.0.1:4174/v1';
    const on = (modelId: string) => ({ engine: 'openai' as const, endpointId: 'endpoint-1', modelId });
    const small = on('scripted-small');
    const appState = new AppState({
      gpu: { available: true, shaderF16: true },
      roles: { policy: small, aspect: small, optimizer: small, judge: on('scripted-judge') },
      endpoints: [{ id: 'endpoint-1', baseUrl: url, remember: false, models: ['scripted-small', 'scripted-judge'] }],
    });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    const shown = (role: string) => $<HTMLSelectElement>(el, `#role-${role}`).selectedOptions[0]!.textContent!.trim();
    expect(shown('policy')).toBe(`${url} · scripted-small`);
    expect(shown('judge')).toBe(`${url} · scripted-judge`);
    expect($$(el, '[data-unavailable]')).toEqual([]);
    // A connection test of the same server lists other models now (the endpoint form updates the page state).
    appState.update({ endpoints: [{ ...appState.value.endpoints[0]!, models: ['other-a', 'other-b'] }] });
    await settle(el);
    expect(shown('policy')).toBe(`${url} · scripted-small (not listed by the server)`);
    expect(shown('judge')).toBe(`${url} · scripted-judge (not listed by the server)`);
    expect($<HTMLSelectElement>(el, '#role-judge').value).toBe('openai|endpoint-1|scripted-judge');
    expect(text($(el, '[data-unavailable]'))).toMatch(
      /The judge uses scripted-judge, which http:\/\/127\.0\.0\.1:4174\/v1 did not list at the last connection test\./,
    );
    // Choosing a listed model puts things right.
    const judge = $<HTMLSelectElement>(el, '#role-judge');
    judge.value = 'openai|endpoint-1|other-b';
    judge.dispatchEvent(new Event('change'));
    await settle(el);
    expect(shown('judge')).toBe(`${url} · other-b`);
    expect(text($(el, '[data-unavailable]'))).not.toMatch(/judge/);
  });
});

describe('drpo-setup-view: the local model list', () => {
  /** The real catalog, as the worker lists it. */
  function catalogClient() {
    const client = new FakeClient();
    client.listModels = async () => (client.listCalls++, prebuiltModels());
    return client;
  }
  const ids = (el: DrpoSetupView) => $$<DrpoModelCard>(el, 'drpo-model-card').map((c) => c.model.id);

  it('stays the suggested models, in their order, after a failed download; "Show all" shows all', async () => {
    const client = catalogClient();
    client.loadError = new AppError(ErrorName.ModelDownload, 'Could not download the model.');
    const appState = new AppState({ gpu: { available: true, shaderF16: true } });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState });
    const suggested = suggestedModels(true).map((m) => m.id);
    expect(ids(el)).toEqual(suggested);
    $$(el, 'drpo-model-card')[1]!.dispatchEvent(
      new CustomEvent('model-load-requested', { bubbles: true, composed: true }),
    );
    // Listed twice: whether the model is downloaded (before it loads), and what is downloaded after.
    await waitFor(() => appState.value.error !== null && client.listCalls === 2);
    await settle(el);
    expect(ids(el)).toEqual(suggested);
    await showAllModels(el);
    const all = prebuiltModels().filter((m) => !m.base);
    expect(ids(el)).toHaveLength(all.length);
    expect(ids(el).slice(0, suggested.length)).toEqual(suggested);
    expect($$<HTMLButtonElement>(el, 'button').some((b) => /Show all \d+/.test(b.textContent ?? ''))).toBe(false);
    expect(text($(el, '[data-model-count]'))).toMatch(
      new RegExp(`^${all.length} models · suggested: Llama 3.2 1B Instruct$`),
    );
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.includes('Show only the suggested models'))!
      .click();
    await settle(el);
    expect(ids(el)).toEqual(suggested);
  });

  it('a filter that matches nothing says so in a live region, and names the suggested model only when shown', async () => {
    const appState = new AppState({ gpu: { available: true, shaderF16: true } });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    const count = () => $(el, '[data-model-count]');
    expect(count().getAttribute('role')).toBe('status');
    const type = async (v: string) => {
      const filter = $<HTMLInputElement>(el, '#filter');
      filter.value = v;
      filter.dispatchEvent(new Event('input'));
      await settle(el);
    };
    await type('zzz');
    expect(ids(el)).toEqual([]);
    expect(text(count())).toBe('No model matches “zzz”. Try part of a name, such as “llama” or “q4f32”.');
    await type('qwen2.5-0.5b');
    expect(text(count())).toMatch(/^\d+ models match “qwen2\.5-0\.5b”$/);
    await type('');
    expect(text(count())).toBe('4 suggested models · suggested: Llama 3.2 1B Instruct');
  });
});

describe('drpo-model-card: its button names its model', () => {
  it('"Download & load" and "Load" say which model (each card has one)', async () => {
    const el = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[0] });
    expect($(el, '.actions button').getAttribute('aria-label')).toBe(
      'Download & load Qwen2.5 0.5B Instruct (4-bit, 16-bit maths)',
    );
    const cached = await mount<DrpoModelCard>('drpo-model-card', { model: MODELS[1] });
    expect($(cached, '.actions button').getAttribute('aria-label')).toBe(
      'Load Qwen2.5 0.5B Instruct (4-bit, 32-bit maths)',
    );
  });
});

describe('drpo-setup-view: the browser’s storage', () => {
  const GB = 1024 ** 3;
  /** navigator.storage as a nearly full disk would have it (the real one, its answers stubbed). */
  function stubStorage(figures: { usage: number; quota: number }, grant = false) {
    const s = navigator.storage;
    const asked: string[] = [];
    let persisted = false;
    const own = {
      estimate: async () => ({ ...figures }),
      persisted: async () => persisted,
      persist: async () => (asked.push('persist'), (persisted = grant)),
    };
    for (const [k, v] of Object.entries(own)) Object.defineProperty(s, k, { value: v, configurable: true });
    return {
      asked,
      restore: () => Object.keys(own).forEach((k) => delete (s as unknown as Record<string, unknown>)[k]),
    };
  }
  /** The real catalog, as the worker lists it (what was loaded is downloaded, and `cached`). */
  function catalogClient(cached: string[] = []): FakeClient {
    const client = new FakeClient();
    client.listModels = async () => (
      client.listCalls++,
      prebuiltModels().map((m) => ({ ...m, cached: cached.includes(m.id) || client.loaded.includes(m.id) }))
    );
    return client;
  }
  /** A store in IndexedDB, as a normal (not private) window has it. */
  let db = uniqueDb();
  afterEach(async () => {
    await db.cleanup();
    db = uniqueDb();
  });
  const card = (el: DrpoSetupView, id: string) =>
    $$<DrpoModelCard>(el, 'drpo-model-card').find((c) => c.model.id === id)!;
  const requestLoad = (el: DrpoSetupView, id: string) =>
    card(el, id).dispatchEvent(new CustomEvent('model-load-requested', { bubbles: true, composed: true }));
  /**
   * Setup on a nearly full disk (`usage` of 10 GB taken; the real navigator.storage is back after the test), with
   * WebGPU, a store in IndexedDB and `client`, once its storage line is shown.
   */
  async function mountWithFullDisk(client: FakeClient, usage = 9.9 * GB) {
    const stub = stubStorage({ usage, quota: 10 * GB });
    onTestFinished(stub.restore);
    const store = await db.open();
    const appState = new AppState({ gpu: { available: true, shaderF16: true } });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState, store });
    await waitFor(() => !!el.shadowRoot!.querySelector('[data-storage]'));
    return { el, appState, stub };
  }

  it('says what the site stores, what more fits and that the browser may clear it; a card too big for it warns', async () => {
    const { el, stub } = await mountWithFullDisk(catalogClient(), 9.5 * GB);
    await settle(el);
    expect(text($(el, '[data-storage]'))).toBe(
      'This site stores 9.5 GB (downloaded models and saved runs); about 512 MB more fits. ' +
        'The browser may clear them when the disk runs short (best-effort storage): export the results you want to keep.',
    );
    // Llama 3.2 3B (≈ 1.7 GB) will not fit; Qwen2.5 0.5B (≈ 280 MB) does. Said once what is downloaded is known.
    expect(stub.asked).toEqual([]); // not asked on page load
    await showAllModels(el);
    await settle(card(el, 'Llama-3.2-3B-Instruct-q4f16_1-MLC'));
    expect(text($(card(el, 'Llama-3.2-3B-Instruct-q4f16_1-MLC'), '[data-too-big]'))).toMatch(
      /^Needs about 1\.\d GB, but only 512 MB more fits here\. Delete a downloaded model or free disk space first\.$/,
    );
    expect(card(el, 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC').shadowRoot!.querySelector('[data-too-big]')).toBeNull();
    expect(stub.asked).toEqual([]); // not asked on page load
  });

  it('is shown once whichever engine is chosen: an endpoint user sees what the site stores, and without WebGPU too', async () => {
    const stub = stubStorage({ usage: 300 * 1024 ** 2, quota: 10 * GB });
    try {
      const store = await db.open();
      const line =
        'This site stores 300 MB (downloaded models and saved runs); about 9.7 GB more fits. ' +
        'The browser may clear them when the disk runs short (best-effort storage): export the results you want to keep.';
      const appState = new AppState({ gpu: { available: true, shaderF16: true } });
      const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(catalogClient()), appState, store });
      const endpointRadio = $$<HTMLInputElement>(el, 'input[name="engine"]').find((r) =>
        r.parentElement!.textContent!.includes('OpenAI-compatible endpoint'),
      )!;
      endpointRadio.click();
      await settle(el);
      await waitFor(() => !!el.shadowRoot!.querySelector('[data-storage]'));
      expect($(el, 'drpo-endpoint-form')).toBeTruthy();
      expect($$(el, '[data-storage]')).toHaveLength(1);
      expect(text($(el, '[data-storage]'))).toBe(line);
      // No WebGPU: the endpoint is the only choice, and the runs kept here are still said.
      unmountAll();
      const noGpu = new AppState({ gpu: { available: false, shaderF16: false, reason: 'none' } });
      const el2 = await mount<DrpoSetupView>('drpo-setup-view', {
        client: asClient(catalogClient()),
        appState: noGpu,
        store,
      });
      await waitFor(() => !!el2.shadowRoot!.querySelector('[data-storage]'));
      expect($(el2, 'drpo-endpoint-form')).toBeTruthy();
      expect(text($(el2, '[data-storage]'))).toBe(line);
    } finally {
      stub.restore();
    }
  });

  it('asks the browser to keep the data at the first download, says its answer once, and the line then says kept', async () => {
    const stub = stubStorage({ usage: 1 * GB, quota: 10 * GB }, true);
    try {
      const store = await db.open();
      const appState = new AppState({ gpu: { available: true, shaderF16: true } });
      const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(catalogClient()), appState, store });
      const toasts: string[] = [];
      el.addEventListener('toast-requested', (e) =>
        toasts.push((e as CustomEvent<{ message: string }>).detail.message),
      );
      await waitFor(() => !!el.shadowRoot!.querySelector('[data-storage]'));
      requestLoad(el, 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
      await waitFor(() => appState.value.loaded.length === 1 && /keeps them/.test(text($(el, '[data-storage]'))));
      expect(stub.asked).toEqual(['persist']);
      expect(toasts).toContain('The browser will keep your downloaded models and saved runs.');
      expect(text($(el, '[data-storage]'))).toMatch(/The browser keeps them until you delete them\.$/);
      requestLoad(el, 'Llama-3.2-1B-Instruct-q4f16_1-MLC');
      await waitFor(() => appState.value.loaded.length === 1 && appState.value.loaded[0]!.modelId.startsWith('Llama'));
      expect(stub.asked).toEqual(['persist']);
    } finally {
      stub.restore();
    }
  });

  it('a download the disk cannot take names what it needs and what fits, deletes its part, and the page stays usable', async () => {
    const client = catalogClient();
    // As the worker tells it (mapWebLlmError of a QuotaExceededError), plain data across the boundary.
    client.loadError = new AppError(ErrorName.Quota, 'The browser ran out of storage for model files.');
    const { el, appState } = await mountWithFullDisk(client);
    requestLoad(el, 'Llama-3.2-3B-Instruct-q4f16_1-MLC');
    await waitFor(() => appState.value.error !== null);
    const err = appState.value.error!;
    expect(err.name).toBe(ErrorName.Quota);
    expect(err.message).toMatch(
      /^The browser has no room left for Llama 3\.2 3B Instruct\. It needs about 1\.\d GB; 102 MB more fits\. The part already downloaded was deleted\.$/,
    );
    expect(describeError(err).hint).toMatch(/downloaded models in Setup \(Delete cached\)/);
    expect(client.deleted).toEqual(['Llama-3.2-3B-Instruct-q4f16_1-MLC']);
    await settle(el);
    expect(card(el, 'Llama-3.2-3B-Instruct-q4f16_1-MLC').busy).toBe(false);
  });

  it('before the list is fetched, no card claims a download; once listed, only the models not downloaded do', async () => {
    const cachedId = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
    const otherId = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
    const client = catalogClient([cachedId]);
    const appState = new AppState({ gpu: { available: true, shaderF16: false } });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState });
    const button = (id: string) => $(card(el, id), '.actions button');
    await settle(card(el, cachedId));
    expect(client.listCalls).toBe(0);
    for (const id of [cachedId, otherId]) {
      // Unknown either way: a load downloads only what is missing, and the size says so.
      expect(text(button(id))).toBe('Load');
      expect(button(id).getAttribute('aria-label')).toMatch(/^Load /);
      expect(text(card(el, id))).toMatch(/unless already downloaded \(once; kept by the browser\)/);
    }
    const show = $$<HTMLButtonElement>(el, 'button').find((b) => text(b) === 'Show all models and what is downloaded')!;
    show.click();
    await waitFor(() => client.listCalls === 1 && !!card(el, otherId) && text(button(otherId)) === 'Download & load');
    await settle(card(el, cachedId));
    expect(text(button(cachedId))).toBe('Load');
    expect(text(card(el, cachedId))).toContain('✓ downloaded');
    expect(text(card(el, otherId))).not.toContain('unless already downloaded');
  });

  it('a downloaded model, before the list is fetched: no "will not fit", and a full disk deletes none of its files', async () => {
    const id = 'Llama-3.2-3B-Instruct-q4f16_1-MLC';
    const client = catalogClient([id]);
    client.loadError = new AppError(ErrorName.Quota, 'The browser ran out of storage for model files.');
    const { el, appState, stub } = await mountWithFullDisk(client);
    await settle(card(el, id));
    expect(client.listCalls).toBe(0);
    expect(card(el, id).shadowRoot!.querySelector('[data-too-big]')).toBeNull();
    requestLoad(el, id);
    await waitFor(() => appState.value.error !== null);
    expect(client.deleted).toEqual([]);
    expect(appState.value.error!.message).toBe('The browser ran out of storage for model files.');
    expect(stub.asked).toEqual([]); // nothing to download: the browser is not asked to keep it
  });

  it('a part that could not be deleted is not said to be deleted', async () => {
    const client = catalogClient();
    client.loadError = new AppError(ErrorName.Quota, 'The browser ran out of storage for model files.');
    client.deleteCachedModel = async () => {
      throw new AppError(ErrorName.Quota, 'Could not open the cache.');
    };
    const { el, appState } = await mountWithFullDisk(client);
    requestLoad(el, 'Llama-3.2-3B-Instruct-q4f16_1-MLC');
    await waitFor(() => appState.value.error !== null);
    expect(appState.value.error!.message).not.toMatch(/was deleted/);
    expect(appState.value.error!.message).toMatch(
      /The part already downloaded could not be deleted, so it still takes space\.$/,
    );
  });

  it('runs kept in memory (private window, data it could not open): says they last until the tab closes, asks nothing', async () => {
    const stub = stubStorage({ usage: 1 * GB, quota: 10 * GB }, true);
    try {
      const store = await openStore({ forceMemory: true });
      await navigator.storage.persist(); // the browser keeps the site's data: still not the runs of this page
      stub.asked.length = 0;
      const appState = new AppState({ gpu: { available: true, shaderF16: true } });
      const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(catalogClient()), appState, store });
      await waitFor(() => !!el.shadowRoot!.querySelector('[data-storage]'));
      const line = text($(el, '[data-storage]'));
      expect(line).not.toMatch(/keeps them/);
      expect(line).toMatch(/Downloaded models stay, but runs and alignments last only until this tab closes/);
      requestLoad(el, 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
      await waitFor(() => appState.value.loaded.length === 1);
      expect(stub.asked).toEqual([]);
    } finally {
      stub.restore();
    }
  });

  it('asks once per store: back on Setup (a new view), another download asks nothing and says nothing again', async () => {
    const stub = stubStorage({ usage: 1 * GB, quota: 10 * GB }, false);
    try {
      const store = await db.open();
      const client = catalogClient();
      const appState = new AppState({ gpu: { available: true, shaderF16: true } });
      const toasts: string[] = [];
      const visit = async () => {
        unmountAll();
        const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(client), appState, store });
        el.addEventListener('toast-requested', (e) =>
          toasts.push((e as CustomEvent<{ message: string }>).detail.message),
        );
        await waitFor(() => !!el.shadowRoot!.querySelector('[data-storage]'));
        return el;
      };
      let el = await visit();
      requestLoad(el, 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
      await waitFor(() => toasts.some((t) => /did not promise/.test(t)) && client.loaded.length === 1);
      el = await visit();
      requestLoad(el, 'Llama-3.2-1B-Instruct-q4f16_1-MLC');
      await waitFor(() => client.loaded.length === 2);
      await settle(el);
      expect(stub.asked).toEqual(['persist']);
      expect(toasts.filter((t) => /did not promise/.test(t))).toHaveLength(1);
    } finally {
      stub.restore();
    }
  });
});
