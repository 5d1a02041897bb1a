import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../../src/ui/app/drpo-app';
import type { DrpoApp } from '../../../src/ui/app/drpo-app';
import { parseRoute, routeHref } from '../../../src/ui/app/route';
import type { ChatFinishedDetail } from '../../../src/ui/components/drpo-chat-pane';
import { knownSpeed } from '../../../src/ui/views/drpo-run-view';
import { speedKey } from '../../../src/ui/view-models/run/measured-speed';
import { buildRunConfig } from '../../../src/core/plan/presets';
import { encodeAlignmentLink } from '../../../src/core/formats/link-codec';
import { openStore } from '../../../src/store/store';
import { createRunSink } from '../../../src/store/store-sink';
import { ErrorName } from '../../../src/core/contracts/errors';
import { FakeClient, artifact, asClient, checkpoint } from '../../support/shell-fakes';
import { $, $$, mount, mountEl, settle, text, unmountAll, waitFor } from '../../support/dom';
import type { DrpoToast } from '../../../src/ui/app/drpo-toast';

afterEach(() => {
  unmountAll();
  history.replaceState(null, '', location.pathname + location.search);
});

describe('parseRoute', () => {
  it('maps hashes to routes', () => {
    expect(parseRoute('')).toEqual({ name: 'setup' });
    expect(parseRoute('#/')).toEqual({ name: 'setup' });
    expect(parseRoute('#/data')).toEqual({ name: 'data' });
    expect(parseRoute('#/history')).toEqual({ name: 'history' });
    expect(parseRoute('#/evaluate')).toEqual({ name: 'evaluate' });
    expect(parseRoute('#/live/run%201')).toEqual({ name: 'live', runId: 'run 1' });
    expect(parseRoute('#/live/abc?resume=1')).toEqual({ name: 'live', runId: 'abc', resume: true });
    expect(parseRoute('#/result/abc')).toEqual({ name: 'result', runId: 'abc' });
    expect(parseRoute('#/result')).toEqual({ name: 'result' });
    expect(parseRoute('#a=xyz')).toEqual({ name: 'share', fragment: '#a=xyz' });
    expect(parseRoute('#/nope').name).toBe('not-found');
    expect(parseRoute('#/data/extra').name).toBe('not-found');
    expect(parseRoute('#section').name).toBe('not-found');
    // A broken escape in a hand-edited link is a page not found, not an exception that blanks the app.
    expect(parseRoute('#/live/%E0%A4%A')).toEqual({ name: 'not-found', path: '/live/%E0%A4%A' });
    expect(parseRoute('#/result/%')).toEqual({ name: 'not-found', path: '/result/%' });
  });
  it('builds hrefs that parse back', () => {
    expect(routeHref('live', 'a b', true)).toBe('#/live/a%20b?resume=1');
    expect(parseRoute(routeHref('live', 'a b', true))).toEqual({ name: 'live', runId: 'a b', resume: true });
    expect(routeHref('result', null)).toBe('#/result');
    expect(routeHref('playground')).toBe('#/playground');
  });
});

describe('drpo-app', () => {
  async function app() {
    const store = await openStore({ forceMemory: true });
    const el = await mount<DrpoApp>('drpo-app');
    el.provide({ client: asClient(new FakeClient()), store });
    await settle(el);
    return { el, store };
  }
  const go = async (el: DrpoApp, hash: string) => {
    location.hash = hash;
    await waitFor(() => parseRoute(location.hash).name === parseRoute(hash).name);
    await new Promise((r) => setTimeout(r, 20));
    await settle(el);
  };

  it('keeps focused controls out from under the sticky header: the scroll padding follows its height', async () => {
    // A desktop window: the header is sticky there (a narrow or short one gets a static header; see e2e a11y-media).
    const { width, height } = { width: window.innerWidth, height: window.innerHeight };
    await page.viewport(1280, 720);
    try {
      const { el } = await app();
      const header = $(el, 'header');
      await waitFor(() => document.documentElement.style.scrollPaddingTop === `${header.offsetHeight + 8}px`);
      expect(header.offsetHeight).toBeGreaterThan(20);
      el.remove();
      expect(document.documentElement.style.scrollPaddingTop).toBe('');
    } finally {
      await page.viewport(width, height);
    }
  });

  it('switches views on hash change and marks the current step', async () => {
    const { el } = await app();
    await go(el, '#/history');
    // The tab title names the view.
    expect(document.title).toBe('History · DRPO Studio');
    await go(el, '#/setup');
    expect($(el, 'drpo-setup-view')).toBeTruthy();
    expect($(el, 'nav a[aria-current=page]').textContent?.trim()).toBe('Setup');
    await go(el, '#/data');
    expect($(el, 'drpo-data-view')).toBeTruthy();
    expect(el.shadowRoot!.querySelector('drpo-setup-view')).toBeNull();
    await go(el, '#/history');
    expect($(el, 'drpo-history-view')).toBeTruthy();
    await go(el, '#/playground');
    expect($(el, 'drpo-playground-view')).toBeTruthy();
    expect($$(el, 'nav a').map((a) => a.textContent?.trim())).toEqual([
      'Setup',
      'Data',
      'Run',
      'Live',
      'Result',
      'Playground',
      'Evaluate',
      'History',
    ]);
    await go(el, '#/nowhere');
    expect($(el, '[data-view=not-found]')).toBeTruthy();
  });

  it('keeps a measured speed as the model’s on the server its endpoint points at, not any model of that name', async () => {
    const { el } = await app();
    const cpu = { id: 'cpu', baseUrl: 'http://cpu-box:11434/v1', remember: false, models: ['llama3.2:1b'] };
    const gpu = { id: 'gpu', baseUrl: 'http://gpu-box:11434/v1', remember: false, models: ['llama3.2:1b'] };
    const onCpu = { engine: 'openai' as const, endpointId: 'cpu', modelId: 'llama3.2:1b' };
    el.appState.update({ endpoints: [cpu, gpu], roles: { policy: onCpu } });
    const finished = (detail: ChatFinishedDetail) =>
      $(el, 'main').dispatchEvent(new CustomEvent('chat-finished', { detail, bubbles: true, composed: true }));
    finished({ outcome: 'done', binding: onCpu, tokensPerS: 3, perCallMs: 900 });
    const slow = { key: speedKey(onCpu, () => cpu.baseUrl)!, tokensPerS: 3, perCallMs: 900 };
    expect(el.appState.value.decodeSpeed).toEqual(slow);
    expect(knownSpeed(el.appState.value, new Map())).toEqual(slow);
    // Checked on the slow server, then bound to the fast one: the cards do not show the slow one's time.
    el.appState.update({ roles: { policy: { ...onCpu, endpointId: 'gpu' } } });
    expect(knownSpeed(el.appState.value, new Map())).toBeNull();
    // A reply with no speed, or from an endpoint the page does not have, changes nothing.
    finished({ outcome: 'stopped', binding: onCpu });
    finished({ outcome: 'done', binding: { ...onCpu, endpointId: 'gone' }, tokensPerS: 50 });
    expect(el.appState.value.decodeSpeed).toEqual(slow);
  });

  it("the error banner's Dismiss gives focus back, or to the view's heading when that control is disabled or gone", async () => {
    const { el } = await app();
    await go(el, '#/history');
    const view = $(el, 'drpo-history-view');
    await settle(view);
    const heading = $(view, 'h2');
    const banner = $(el, 'drpo-error-banner');
    const dismiss = async () => {
      $$<HTMLButtonElement>(banner, 'button')
        .find((b) => b.textContent?.trim() === 'Dismiss')!
        .click();
      await settle(banner);
      await settle(el);
    };
    const raise = async (message: string) => {
      el.appState.update({ error: { name: ErrorName.Network, message } });
      await settle(banner);
      expect(banner.shadowRoot!.activeElement).toBe($(banner, '[role=alert]'));
    };
    const control = document.createElement('button');
    control.textContent = 'Where the user was';
    heading.after(control);
    // Back where it was.
    control.focus();
    await raise('first');
    await dismiss();
    expect(view.shadowRoot!.activeElement).toBe(control);
    // That control went disabled meanwhile: the view's heading.
    await raise('second');
    control.disabled = true;
    await dismiss();
    expect(view.shadowRoot!.activeElement).toBe(heading);
    // Gone: the heading too.
    control.disabled = false;
    control.focus();
    await raise('third');
    control.remove();
    await dismiss();
    expect(view.shadowRoot!.activeElement).toBe(heading);
  });

  it('mounts the live view with the resume intent and remembers the run', async () => {
    const { el, store } = await app();
    const config = buildRunConfig('quick', { roles: { policy: { engine: 'webllm', modelId: 'Tiny-1B' } } });
    const { id } = await store.createRun(config, 'Run 7');
    const enc = encodeURIComponent(id);
    await go(el, `#/live/${enc}?resume=1`);
    const live = $(el, 'drpo-live-view');
    expect(live.getAttribute('run-id')).toBe(id);
    expect(live.hasAttribute('resume')).toBe(true);
    expect(el.appState.value.activeRunId).toBe(id);
    expect($<HTMLAnchorElement>(el, 'nav a[href^="#/result"]').getAttribute('href')).toBe(`#/result/${enc}`);
    await go(el, `#/result/${enc}`);
    expect($(el, 'drpo-result-view').getAttribute('run-id')).toBe(id);
    // Still remembered once the store has been asked.
    await new Promise((r) => setTimeout(r, 50));
    expect(el.appState.value.activeRunId).toBe(id);
  });

  it('does not remember a run this browser does not have: Live and Result stop pointing at it', async () => {
    const { el } = await app();
    await go(el, '#/live/no-such-run');
    await waitFor(() => el.appState.value.activeRunId === null);
    await settle(el);
    expect($<HTMLAnchorElement>(el, 'nav a[href^="#/result"]').getAttribute('href')).toBe('#/result');
  });

  it('explains Live without a run', async () => {
    const { el } = await app();
    await go(el, '#/live');
    expect($(el, '[data-view=no-run]')).toBeTruthy();
  });

  it('opens share links in the preview', async () => {
    const { el } = await app();
    const { fragment } = await encodeAlignmentLink(artifact());
    await go(el, `#${fragment}`);
    const preview = $(el, 'drpo-share-preview');
    await waitFor(() => preview.shadowRoot?.querySelector('[data-state=ok]') !== null);
    expect(text(preview)).toContain('Careful helper');
    // As chat apps and hand edits pass them on: under the share route, or with the `=` escaped.
    for (const [name, hash] of [
      ['Via the share route', (p: string) => `#/share?a=${p}`],
      ['Via an escaped link', (p: string) => `#a%3D${p}`],
    ] as const) {
      const link = await encodeAlignmentLink(artifact({ name }));
      await go(el, hash(link.fragment.slice(2)));
      await waitFor(() => text($(el, 'drpo-share-preview')).includes(name));
    }
    // A mistyped one is not found, and the message does not repeat the whole payload.
    await go(el, `#/shared?a=${fragment.slice(2)}${'x'.repeat(5000)}`);
    await waitFor(() => el.shadowRoot?.querySelector('[data-view=not-found]') != null);
    expect(text($(el, '[data-view=not-found]')).length).toBeLessThan(200);
  });

  it('a share link already saved points to its row in History, which takes the focus', async () => {
    const { el, store } = await app();
    await store.saveAlignment({ name: 'Another', artifact: artifact({ systemPrompt: 'Else.' }), source: 'run' });
    const rec = await store.saveAlignment({ name: 'Saved before', artifact: artifact(), source: 'file' });
    const { fragment } = await encodeAlignmentLink(artifact());
    await go(el, `#${fragment}`);
    const preview = $(el, 'drpo-share-preview');
    await waitFor(() => preview.shadowRoot?.querySelector('[data-saved] a') != null);
    expect(text($(preview, '[data-saved]'))).toBe('Already saved as “Saved before”. Show it in History');
    $<HTMLAnchorElement>(preview, '[data-saved] a').click();
    await waitFor(() => parseRoute(location.hash).alignmentId === rec.id);
    const view = () => el.shadowRoot!.querySelector('drpo-history-view');
    await waitFor(() => view()?.shadowRoot?.activeElement?.getAttribute('data-alignment') === rec.id);
    expect($$(view()!, 'tr[data-shown]').map((r) => r.getAttribute('data-alignment'))).toEqual([rec.id]);
    // The app did not take the focus back to the view's heading.
    await new Promise((r) => setTimeout(r, 100));
    expect(view()!.shadowRoot!.activeElement?.getAttribute('data-alignment')).toBe(rec.id);
  });

  it('warns that results will not be kept with the memory store, and lists unfinished runs', async () => {
    const store = await openStore({ forceMemory: true });
    const config = buildRunConfig('quick', { roles: { policy: { engine: 'webllm', modelId: 'Tiny-1B' } } });
    const run = await store.createRun(config, 'Half-done run');
    await store.updateRun(run.id, { status: 'paused' });
    await store.putCheckpoint(checkpoint(run.id, config));
    location.hash = '#/setup';
    const el = await mount<DrpoApp>('drpo-app');
    el.provide({ client: asClient(new FakeClient()), store });
    await waitFor(() => text(el).includes('Half-done run'));
    expect(text(el)).toContain('won’t be kept');
    const resume = $$<HTMLAnchorElement>(el, 'a').find((a) => a.textContent?.trim() === 'Resume')!;
    expect(resume.getAttribute('href')).toBe(`#/live/${run.id}?resume=1`);
    await store.updateRun(run.id, { status: 'completed' });
    await waitFor(() => !text(el).includes('Half-done run'));
  });

  it('with 200 stored runs, a running run makes the app read its listing only, never every run', async () => {
    const store = await openStore({ forceMemory: true });
    const queries = Array.from({ length: 300 }, (_, i) => ({ id: `q${i}`, text: `Stored question ${i}?` }));
    const config = buildRunConfig('quick', { roles: { policy: { engine: 'webllm', modelId: 'Tiny-1B' } } });
    const big = { ...config, trainQueries: queries };
    const paused = await store.createRun(big, 'Half-done run');
    await store.updateRun(paused.id, { status: 'paused' });
    await store.putCheckpoint(checkpoint(paused.id, config));
    let finished = '';
    for (let i = 0; i < 199; i++) {
      const r = await store.createRun(big, `Stored ${i}`);
      await store.updateRun(r.id, { status: 'completed', artifact: artifact() });
      finished = r.id;
    }
    // The newest finished run as the store lists it: the last few may share a millisecond on a fast machine.
    finished = (await store.listRuns()).find((r) => r.result)!.id;
    const reads = { list: 0, listing: [] as string[], record: 0 };
    const listRuns = store.listRuns.bind(store);
    const getRunListing = store.getRunListing.bind(store);
    const getRun = store.getRun.bind(store);
    /** Readings asked for and not answered yet. */
    let reading = 0;
    const answered = <T>(p: Promise<T>): Promise<T> => (reading++, p.finally(() => reading--));
    store.listRuns = () => (reads.list++, answered(listRuns()));
    store.listUnfinishedRuns = () => (reads.list++, answered(listRuns().then((rs) => rs.filter((r) => r.resumable))));
    store.getRunListing = (id) => (reads.listing.push(id), answered(getRunListing(id)));
    store.getRun = (id) => (reads.record++, answered(getRun(id)));
    location.hash = '#/setup';
    const el = await mount<DrpoApp>('drpo-app');
    el.provide({ client: asClient(new FakeClient()), store });
    await waitFor(() => text(el).includes('Half-done run'));
    await go(el, '#/result');
    await waitFor(() => $(el, 'drpo-result-view')?.getAttribute('run-id') === finished);
    // The seeding's last notices (held in the store's change window) are heard, and what they asked read, before
    // counting: a slow machine may still be reading when the Result view shows.
    do {
      await store.changesDelivered();
      await waitFor(() => reading === 0);
      await settle(el);
    } while (reading > 0);
    Object.assign(reads, { list: 0, listing: [], record: 0 });

    // A run starts and writes 30 bursts, several notices' worth.
    const live = await store.createRun(big, 'Running now');
    const sink = createRunSink(store);
    for (let i = 0; i < 30; i++) {
      await sink.onEvents(live.id, [{ runId: live.id, at: i, type: 'stage-changed', stage: i % 2 ? 'search' : 'icl' }]);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 400));
    expect(reads.list).toBe(0);
    expect(reads.record).toBe(0);
    expect(new Set(reads.listing)).toEqual(new Set([live.id]));
    // One read per change window (300 ms), not one per burst.
    expect(reads.listing.length).toBeGreaterThan(0);
    expect(reads.listing.length).toBeLessThan(10);
    // And the lists stay right: Live opens the newest run; when it ends with a result, so does Result.
    await go(el, '#/live');
    await waitFor(() => $(el, 'drpo-live-view')?.getAttribute('run-id') === live.id);
    await sink.onEvents(live.id, [
      {
        runId: live.id,
        at: 99,
        type: 'run-finished',
        status: 'completed',
        best: null,
        stats: checkpoint(live.id, config).stats,
        artifact: artifact(),
      },
    ]);
    await waitFor(() => (el as unknown as { latest: { finished: string } }).latest.finished === live.id);
    // Deleting the newest run needs every listing once more (which is newest now), read once.
    await store.deleteRun(live.id);
    await waitFor(() => (el as unknown as { latest: { any: string } }).latest.any === finished);
    expect(reads.list).toBe(1);
  });

  it('shows toasts requested by any view', async () => {
    const { el } = await app();
    $(el, 'main').dispatchEvent(
      new CustomEvent('toast-requested', { detail: { message: 'Link copied' }, bubbles: true, composed: true }),
    );
    const toast = $(el, 'drpo-toast');
    await settle(toast);
    expect(text(toast)).toContain('Link copied');
  });
});

describe('drpo-toast', () => {
  it('stays clear of the focused control as of a field, and moves when the keyboard goes under it', async () => {
    const bar = (where: Partial<CSSStyleDeclaration>, label: string) => {
      const b = document.createElement('button');
      b.textContent = label;
      Object.assign(b.style, { position: 'fixed', left: '0', width: '100vw', height: '40px', ...where });
      return mountEl(b);
    };
    // Where a toast goes first (the bottom), then where it goes when that is taken (near the top).
    const low = bar({ bottom: '16px' }, 'Copy prompt');
    const high = bar({ top: '72px' }, 'Download JSON');
    const toast = await mount<DrpoToast>('drpo-toast');
    const covers = (el: Element) => {
      const [t, r] = [toast.getBoundingClientRect(), el.getBoundingClientRect()];
      return t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom;
    };
    low.focus();
    toast.show('Copied');
    await settle(toast);
    await waitFor(() => text(toast).includes('Copied') && !covers(low));
    // Tab to a control under the toast where it is now: it moves off it.
    high.focus();
    await waitFor(() => !covers(high));
  });

  it('stays clear of the label a keyboard user sees when the focused control is a visually hidden file input', async () => {
    // History's "Import a file…": the label is the button, the input inside it is 1 px and takes the focus.
    const label = document.createElement('label');
    label.textContent = 'Import a file…';
    Object.assign(label.style, { position: 'fixed', left: '0', bottom: '16px', width: '100vw', height: '40px' });
    const input = document.createElement('input');
    input.type = 'file';
    Object.assign(input.style, { position: 'absolute', width: '1px', height: '1px', opacity: '0' });
    label.append(input);
    mountEl(label);
    const toast = await mount<DrpoToast>('drpo-toast');
    input.focus();
    expect(document.activeElement).toBe(input);
    toast.show('Imported');
    await settle(toast);
    await waitFor(() => text(toast).includes('Imported'));
    const [t, r] = [toast.getBoundingClientRect(), label.getBoundingClientRect()];
    expect(t.top < r.bottom && r.top < t.bottom).toBe(false);
  });
});
