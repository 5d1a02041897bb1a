/**
 * What Setup and Data say when something fails, and where they take the user: a server that lists no models,
 * WebGPU missing while an endpoint is used, focus after a failed connection test, a query file that was not used.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../../../src/ui/views/drpo-setup-view';
import '../../../src/ui/views/drpo-data-view';
import type { DrpoEndpointForm } from '../../../src/ui/components/drpo-endpoint-form';
import type { DrpoSetupView } from '../../../src/ui/views/drpo-setup-view';
import type { DrpoDataView } from '../../../src/ui/views/drpo-data-view';
import { AppState } from '../../../src/ui/app/app-state';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import { openStore } from '../../../src/store/store';
import { FakeClient, asClient } from '../../support/shell-fakes';
import { deepActiveElement } from '../../../src/ui/helpers/focus';
import { $, $$, find, mount, settle, text, unmountAll, waitFor } from '../../support/dom';

afterEach(unmountAll);

async function endpointForm(client: FakeClient, appState = new AppState()) {
  const store = await openStore({ forceMemory: true });
  const el = await mount<DrpoEndpointForm>('drpo-endpoint-form', { client: asClient(client), appState, store });
  const url = $<HTMLInputElement>(el, '#url');
  url.value = 'http://localhost:8080/v1';
  url.dispatchEvent(new Event('input'));
  await settle(el);
  return el;
}

describe('drpo-endpoint-form: a server that lists no models', () => {
  it('says the server lists none and what to do, not that it lacks "that model"', async () => {
    const client = new FakeClient();
    client.endpointModels = [];
    const el = await endpointForm(client);
    $<HTMLFormElement>(el, 'form').requestSubmit();
    await waitFor(() => find(el, '[data-error]') !== null);
    const shown = text($(el, '[data-error]'));
    expect(shown).not.toMatch(/that model/);
    expect(shown).toMatch(/The server lists no models/);
    // What to do: put a model on the server (the page uses only the models it lists), then test again.
    expect(shown).toMatch(/Load a model on the server/);
    expect(shown).toMatch(/Test connection again/);
    expect(shown.split('lists no models').length - 1).toBe(1);
    expect(text($(el, '[data-connected]'))).toBe('');
  });
});

describe('drpo-setup-view: no WebGPU while an endpoint is used', () => {
  const noGpu = { available: false, shaderF16: false, reason: 'navigator.gpu is missing' };

  it('says it once as a quiet note, no alert above the endpoint form; the local engine still warns', async () => {
    const appState = new AppState({ gpu: noGpu });
    const el = await mount<DrpoSetupView>('drpo-setup-view', { client: asClient(new FakeClient()), appState });
    expect(find(el, 'drpo-endpoint-form')).not.toBeNull();
    const status = $(el, 'drpo-gpu-status');
    // Still said (and how to get WebGPU), but not as an alert nor a warning: the endpoint does not need it.
    expect(text(status)).toMatch(/WebGPU is not available here/);
    expect(text(status)).toMatch(/webgpureport\.org/);
    expect(text(status)).toMatch(/does not need it/);
    expect(find(status, '[role=alert]')).toBeNull();
    expect(find(status, '.warn-box')).toBeNull();
    // Back to the local engine, which needs WebGPU: the alert is the page's news again.
    $$<HTMLInputElement>(el, 'input[name=engine]')[0]!.click();
    await settle(el);
    await settle(status);
    expect(find(status, '[role=alert]')).not.toBeNull();
    expect(text(status)).not.toMatch(/does not need it/);
  });
});

describe('drpo-endpoint-form: focus after a failed test', () => {
  it('a failed test pressed from the button takes focus to the error, which the button had', async () => {
    const client = new FakeClient();
    client.endpointError = new AppError(ErrorName.Cors, 'The request was blocked (CORS or unreachable).');
    const el = await endpointForm(client);
    const btn = $<HTMLButtonElement>(el, 'button[type=submit]');
    btn.focus();
    btn.click();
    await waitFor(() => find(el, '[data-error]') !== null);
    const box = $(el, '[data-error]');
    await waitFor(() => deepActiveElement() === box);
    expect(box.getAttribute('tabindex')).toBe('-1');
    expect(box.getAttribute('role')).toBe('alert');
    // Pressed again, it fails again: focus goes to the new error again.
    btn.focus();
    btn.click();
    await waitFor(() => deepActiveElement() === $(el, '[data-error]'));
  });

  it('Enter typed in the address keeps the field (marked invalid, described by the error)', async () => {
    const client = new FakeClient();
    client.endpointError = new AppError(ErrorName.Cors, 'The request was blocked (CORS or unreachable).');
    const el = await endpointForm(client);
    const url = $<HTMLInputElement>(el, '#url');
    url.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => find(el, '[data-error]') !== null);
    await settle(el);
    expect(deepActiveElement()).toBe(url);
    expect(url.getAttribute('aria-describedby')).toBe('endpoint-error');
  });
});

describe('drpo-data-view: a file that was not used', () => {
  it('says the file was not used and which selection stays', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState });
    const before = appState.value.dataset;
    expect(before?.name).toBe('Built-in training set');
    await el.readFile(new File([new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x82])], 'weird.bin'));
    await settle(el);
    const error = text($(el, '[data-upload-error]'));
    expect(error).toContain('“weird.bin” was not used');
    expect(error).toContain('Built-in training set is still selected');
    expect(appState.value.dataset).toBe(before);
    expect(text($(el, '[data-chosen]'))).toContain('Selected: Built-in training set');
  });

  it('after an upload in use, a failed one names the upload that stays', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState });
    await el.readFile(new File(['What is DNS?\nExplain TCP\nWhy is the sky blue?'], 'first.txt'));
    await settle(el);
    await el.readFile(new File([''], 'empty.txt'));
    await settle(el);
    expect(text($(el, '[data-upload-error]'))).toContain('“empty.txt” was not used: first.txt is still selected.');
    expect(appState.value.dataset?.name).toBe('first.txt');
  });

  it('a file chosen with the picker that holds duplicates says how many were removed, and uses the rest', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState });
    $$<HTMLInputElement>(el, 'input[name=src]')[1]!.click();
    await settle(el);
    const body = ['What is DNS?', 'Explain TCP', 'What is DNS?', '  What   is DNS?  ', 'Explain TCP', 'Why?'].join(
      '\n',
    );
    await userEvent.upload($<HTMLInputElement>(el, '#file'), new File([body], 'dups.txt', { type: 'text/plain' }));
    await waitFor(() => find(el, '[data-report]') !== null);
    expect(text($(el, '[data-report]'))).toContain('dups.txt: kept 3 of 6 queries; skipped 3 duplicates.');
    expect(appState.value.dataset?.queries.map((q) => q.text)).toEqual(['What is DNS?', 'Explain TCP', 'Why?']);
    expect(find(el, '[data-upload-error]')).toBeNull();
  });
});
