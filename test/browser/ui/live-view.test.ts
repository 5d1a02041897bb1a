import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../../src/ui/views/drpo-live-view';
import type { DrpoLiveView } from '../../../src/ui/views/drpo-live-view';
import { outcomeText, progressMessage } from '../../../src/ui/views/drpo-live-view';
import { createRunViewModel, withStatus } from '../../../src/ui/view-models/run/run-view-model';
import { resetRunSessions } from '../../../src/ui/controllers/run-controller';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import type { RunConfig } from '../../../src/core/contracts/run-config';
import type { RunCheckpoint } from '../../../src/core/contracts/run-api';
import { beamSelected, emptyStats, makeNode } from '../../support/live-fixtures';
import { fellShortArtifact, sampleArtifact } from '../../support/artifacts';
import { FakeClient, FakeStore, testConfig, until } from '../../support/live-fakes';
import { mountEl, unmountAll } from '../../support/dom';
import { EmptyReplyWatch } from '../../../src/core/calls/empty-replies';
import { serializeError } from '../../../src/core/contracts/errors';
import { toStorageError } from '../../../src/store/backends/backend';
import type { ChatResult } from '../../../src/core/contracts/chat-model';
import { openStore } from '../../../src/store/store';
import { createRunSink } from '../../../src/store/store-sink';
import { ANNOUNCE_EVERY_MS } from '../../../src/ui/helpers/announce-throttle';
import type { GlossaryFacts } from '../../../src/ui/view-models/glossary';
import type { LitElement } from 'lit';

afterEach(() => {
  vi.useRealTimers();
  unmountAll();
  resetRunSessions();
});

/** The live view of a stored, paused run `runId` (with its fake store and client). */
async function mountPaused(runId: string) {
  const store = new FakeStore();
  const client = new FakeClient();
  store.addRun(runId, 'paused', stored(runId));
  return { store, client, el: await mountLive(runId, store, client) };
}

async function mountLive(runId: string, store: FakeStore, client: FakeClient, resume = false): Promise<DrpoLiveView> {
  const el = document.createElement('drpo-live-view');
  el.store = store.asStore();
  el.client = client.asClient();
  el.runId = runId;
  el.resume = resume;
  mountEl(el);
  await until(
    () => el.run.session?.phase === 'ready' || el.run.session?.phase === 'missing' || el.run.session?.running === true,
  );
  await el.updateComplete;
  return el;
}

/** A pending run mounted in the Live view and started with Start: the worker has been asked once. */
async function startedLive(id: string) {
  const store = new FakeStore();
  const client = new FakeClient();
  store.addRun(id, 'pending', []);
  const el = await mountLive(id, store, client);
  button(el, /Start/)!.click();
  await until(() => client.starts.length === 1);
  return { store, client, el };
}

const sr = (el: DrpoLiveView) => el.shadowRoot!;
const text = (el: DrpoLiveView) => sr(el).textContent ?? '';
const button = (el: DrpoLiveView, label: RegExp) =>
  [...sr(el).querySelectorAll('button')].find((b) => label.test(b.textContent ?? '')) ?? null;
const panelNodeId = (el: DrpoLiveView) =>
  (sr(el).querySelector('drpo-candidate-panel') as HTMLElement & { node: { id: string } | null }).node?.id ?? null;

function stored(runId: string): RunEvent[] {
  const a = makeNode({ id: 'a' });
  const b = makeNode({ id: 'b', parentId: 'a', depth: 1, reward: 4 });
  return [
    {
      runId,
      at: 1,
      type: 'run-started',
      preset: 'quick',
      resumed: false,
      projection: { calls: 40, promptTokens: 0, generatedTokens: 0, perRole: emptyStats().perRole },
    },
    { runId, at: 2, type: 'node-evaluated', node: a },
    beamSelected(runId, 2, a, 4.5),
    { runId, at: 3, type: 'node-evaluated', node: b },
  ];
}

describe('drpo-live-view', () => {
  it('reloads a paused run from the store and resumes it from the checkpoint', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    store.addRun('r1', 'paused', stored('r1'));
    const cp: RunCheckpoint = {
      format: 'drpo-checkpoint',
      version: 1,
      runId: 'r1',
      config: testConfig(),
      calls: {},
      nodes: [],
      stats: emptyStats(),
      savedAt: 1,
    };
    store.checkpoints.set('r1', cp);
    const el = await mountLive('r1', store, client);
    expect(text(el)).toMatch(/Paused/);
    expect(sr(el).querySelector('drpo-beam-tree')).not.toBeNull();
    expect((sr(el).querySelector('drpo-beam-tree') as HTMLElement & { vm: { order: string[] } }).vm.order).toEqual([
      'a',
      'b',
    ]);
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 1);
    expect(client.starts[0]!.checkpoint).toBe(cp);
    expect(client.starts[0]!.config.name).toBe(testConfig().name);
    await el.updateComplete;
    expect(button(el, /Pause/)).not.toBeNull();
    client.emit([
      { runId: 'r1', at: 4, type: 'node-evaluated', node: makeNode({ id: 'c', parentId: 'b', depth: 2, reward: 4.9 }) },
    ]);
    await until(() => el.run.vm?.order.length === 3);
    // Auto-follows the newest node while the user has not picked one (switching at most once a second).
    await until(() => panelNodeId(el) === 'c');
    client.emit([
      {
        runId: 'r1',
        at: 5,
        type: 'run-finished',
        status: 'completed',
        best: { nodeId: 'c', prompt: 'p', reward: 4.6, depth: 2 },
        stats: emptyStats(),
        artifact: null,
      },
    ]);
    client.finish('completed');
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    expect(text(el)).toMatch(/Finished/);
    expect(store.runs.get('r1')!.status).toBe('completed');
    expect(sr(el).querySelector('a[href="#/result/r1"]')).not.toBeNull();
    expect(sr(el).querySelector('[aria-live="polite"]')!.textContent).toMatch(/Finished: 3 prompts evaluated/);
  });

  it('names the stage in words, as the CLI does ("final check", not "validation")', async () => {
    const store = new FakeStore();
    const events = [...stored('r-stage'), { runId: 'r-stage', at: 4, type: 'stage-changed', stage: 'validation' }];
    store.addRun('r-stage', 'paused', events as RunEvent[]);
    const el = await mountLive('r-stage', store, new FakeClient());
    expect(sr(el).querySelector('.badge')?.textContent).toBe('stage: final check');
  });

  it('never steals the user’s selection when new nodes arrive', async () => {
    const { client, el } = await startedLive('r2');
    client.emit(stored('r2'));
    await until(() => el.run.vm?.order.length === 2);
    await until(() => panelNodeId(el) === 'b');
    const tree = sr(el).querySelector('drpo-beam-tree')!;
    tree.dispatchEvent(new CustomEvent('node-selected', { detail: { nodeId: 'a' }, bubbles: true, composed: true }));
    await el.updateComplete;
    expect(panelNodeId(el)).toBe('a');
    client.emit([{ runId: 'r2', at: 9, type: 'node-evaluated', node: makeNode({ id: 'z', parentId: 'b', depth: 2 }) }]);
    await until(() => el.run.vm?.order.length === 3);
    await new Promise((r) => setTimeout(r, 1200)); // longer than the follow interval
    await el.updateComplete;
    expect(panelNodeId(el)).toBe('a');
    button(el, /Follow the newest/)!.focus();
    button(el, /Follow the newest/)!.click();
    await el.updateComplete;
    expect(panelNodeId(el)).toBe('z');
    // The button went: focus is on the panel's heading, not on the page's body.
    const heading = [...sr(el).querySelectorAll('h3')].find((h) => h.textContent === 'Selected prompt');
    await until(() => !!heading && sr(el).activeElement === heading);
    client.finish();
  });

  it('pauses through the client and offers Resume', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    store.addRun('r3', 'pending', []);
    const el = await mountLive('r3', store, client);
    // Each control replaced under the keyboard hands focus to the one that replaces it (never to <body>).
    button(el, /Start/)!.focus();
    button(el, /Start/)!.click();
    await until(() => client.starts.length === 1);
    await el.updateComplete;
    await until(() => sr(el).activeElement === button(el, /Pause/));
    button(el, /Pause/)!.click();
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    await until(() => sr(el).activeElement === button(el, /Resume/));
    // The job id is the run id: the worker stores nodes under it.
    expect(client.cancels).toEqual([['r3', 'pause']]);
    expect(text(el)).toMatch(/Paused/);
    expect(button(el, /Resume/)).not.toBeNull();
    expect(store.runs.get('r3')!.status).toBe('paused');
  });

  it('saves the alignment once the run is over, not its best-so-far at every pause or failure', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    store.addRun('r11', 'pending', []);
    const el = await mountLive('r11', store, client);
    // The worker resolves a paused run with its best so far.
    button(el, /Start/)!.click();
    await until(() => client.starts.length === 1);
    client.finish('paused', sampleArtifact({ systemPrompt: 'Best so far.' }));
    await until(() => el.run.session?.phase === 'ready');
    expect(store.saved).toEqual([]);
    // A failed run can be resumed too: its best so far is not a result either.
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 2);
    client.finish('failed', sampleArtifact({ systemPrompt: 'Best before the failure.' }));
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    expect(store.saved).toEqual([]);
    button(el, /Resume|Retry/)!.click();
    await until(() => client.starts.length === 3);
    client.finish('completed', sampleArtifact({ systemPrompt: 'The result.' }));
    await until(() => store.saved.length === 1);
    expect(store.saved[0]!.artifact.systemPrompt).toBe('The result.');
  });

  it('saves the result under the name the run has when it ends, renamed in History while it ran', async () => {
    const { store, client, el } = await startedLive('r12');
    // History (this tab or another) renames the run while it goes.
    store.runs.set('r12', { ...store.runs.get('r12')!, name: 'Renamed meanwhile' });
    client.finish('completed', sampleArtifact({ systemPrompt: 'The result.' }));
    await until(() => store.saved.length === 1);
    expect(store.saved[0]!.name).toBe('Renamed meanwhile');
    await until(() => el.run.session?.phase === 'ready');
    expect(store.runs.get('r12')!.name).toBe('Renamed meanwhile');
  });

  it("Retry beside a run's error keeps the keyboard's place: focus goes to Pause, not to the page", async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    store.addRun('r11b', 'pending', []);
    const el = await mountLive('r11b', store, client);
    button(el, /Start/)!.click();
    await until(() => client.starts.length === 1);
    client.fail(Object.assign(new Error('fetch failed'), { name: 'NetworkError', retryable: true }));
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    const retry = button(el, /Retry/)!;
    expect(retry.closest('[role=alert]')).not.toBeNull();
    retry.focus();
    retry.click();
    await until(() => client.starts.length === 2);
    await el.updateComplete;
    await until(() => sr(el).activeElement === button(el, /Pause/));
    client.finish();
  });

  it('a Pause pressed while the run is being read back stops it before the worker starts it', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    store.addRun('r12', 'paused', stored('r12'));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const read = store.getCheckpoint.bind(store);
    store.getCheckpoint = async (id: string) => (await gate, read(id));
    const el = await mountLive('r12', store, client);
    button(el, /Resume/)!.click();
    await until(() => button(el, /Pause/) !== null);
    button(el, /Pause/)!.click();
    release();
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    expect(client.starts).toEqual([]);
    expect(store.runs.get('r12')!.status).toBe('paused');
    expect(button(el, /Resume/)).not.toBeNull();
  });

  it('refuses to resume a run on another server than it started on, naming both; records the server first', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    const onEndpoint = (cfg: RunConfig): RunConfig => {
      const b = { engine: 'openai' as const, endpointId: 'endpoint-1', modelId: 'm' };
      return { ...cfg, roles: { policy: b, aspect: b, judge: b, optimizer: b } };
    };
    let serverNow = 'http://127.0.0.1:8080/v1';
    Object.assign(store, {
      listEndpoints: async () => [{ id: 'endpoint-1', baseUrl: serverNow, remember: false }],
    });
    const first = store.addRun('r13', 'pending', []);
    first.config = onEndpoint(first.config);
    const checkpoint = { format: 'drpo-checkpoint', version: 1, runId: 'r13' } as unknown as RunCheckpoint;
    store.checkpoints.set('r13', checkpoint);
    const el = await mountLive('r13', store, client);
    button(el, /Start/)!.click();
    await until(() => client.starts.length === 1);
    expect(store.runs.get('r13')!.endpointUrls).toEqual({ 'endpoint-1': 'http://127.0.0.1:8080/v1' });
    button(el, /Pause/)!.click();
    await until(() => el.run.session?.phase === 'ready');
    // Setup now points the same endpoint at another server.
    serverNow = 'http://10.0.0.9:11434/v1';
    button(el, /Resume/)!.click();
    await until(() => /started on http:\/\/127\.0\.0\.1:8080\/v1/.test(text(el)));
    expect(text(el)).toContain('now points at http://10.0.0.9:11434/v1');
    expect(client.starts).toHaveLength(1);
    // Refused, nothing lost: the stored progress and checkpoint stay, and the run can still be resumed.
    expect(store.runs.get('r13')!.status).toBe('failed');
    expect(store.checkpoints.get('r13')).toBe(checkpoint);
    // Pointed back (written with a trailing slash): it resumes.
    serverNow = 'http://127.0.0.1:8080/v1/';
    await until(() => button(el, /Resume|Retry/) !== null);
    button(el, /Resume|Retry/)!.click();
    await until(() => client.starts.length === 2);
    client.finish();
  });

  it('a double-click on Resume pauses again at worst: Cancel is never where Resume was, and it asks', async () => {
    const { client, el } = await mountPaused('r14');
    const controls = () => [...sr(el).querySelectorAll('[data-controls] button')].map((b) => b.textContent!.trim());
    expect(controls()).toEqual(['Resume']);
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 1);
    await el.updateComplete;
    // The last control (where Resume was) is Pause; Cancel only opens a question, where "Keep running" sits first.
    expect(controls()).toEqual(['Cancel', 'Pause']);
    button(el, /^Cancel$/)!.click();
    await el.updateComplete;
    expect(controls()).toEqual(['Keep running', 'Yes, cancel']);
    // The second click of a double-click never confirms, wherever it lands.
    button(el, /Yes, cancel/)!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, detail: 2 }));
    await el.updateComplete;
    expect(client.cancels).toEqual([]);
    button(el, /Keep running/)!.click();
    await el.updateComplete;
    expect(controls()).toEqual(['Cancel', 'Pause']);
    expect(client.cancels).toEqual([]);
    client.finish();
  });

  it('cancels for good: no Resume afterwards', async () => {
    const { store, client, el } = await startedLive('r8');
    await el.updateComplete;
    button(el, /^Cancel$/)!.focus();
    button(el, /^Cancel$/)!.click();
    await el.updateComplete;
    // It asks first (a cancelled run cannot be resumed); the safe answer takes focus.
    expect(client.cancels).toEqual([]);
    expect(text(el)).toMatch(/Cancel the run for good\?/);
    await until(() => sr(el).activeElement === button(el, /Keep running/));
    button(el, /Yes, cancel/)!.focus();
    button(el, /Yes, cancel/)!.click();
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    // No control is left: focus is on the run's heading.
    await until(() => sr(el).activeElement === sr(el).querySelector('h2'));
    expect(client.cancels).toEqual([['r8', 'cancel']]);
    expect(text(el)).toMatch(/Cancelled/);
    expect(button(el, /Resume|Start/)).toBeNull();
    expect(store.runs.get('r8')!.status).toBe('cancelled');
  });

  it('the cancel question answers Keep running on Escape, and Keep returns focus to Cancel', async () => {
    const { client, el } = await startedLive('r8k');
    await el.updateComplete;
    const ask = async () => {
      button(el, /^Cancel$/)!.focus();
      button(el, /^Cancel$/)!.click();
      await until(() => sr(el).activeElement === button(el, /Keep running/));
    };
    // Escape on either answer keeps the run, as a dialog's Escape does, and focus goes back where it was.
    for (const answer of [/Keep running/, /Yes, cancel/]) {
      await ask();
      button(el, answer)!.focus();
      button(el, answer)!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      await until(() => sr(el).activeElement === button(el, /^Cancel$/));
      expect(text(el)).not.toMatch(/Cancel the run for good\?/);
    }
    await ask();
    button(el, /Keep running/)!.click();
    await until(() => sr(el).activeElement === button(el, /^Cancel$/));
    expect(client.cancels).toEqual([]);
    client.finish();
  });

  it('shows an error in words, keeps the nodes, marks the run failed and offers Retry', async () => {
    const { store, client, el } = await mountPaused('r4');
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 1);
    client.fail(Object.assign(new Error('fetch failed'), { name: 'NetworkError', retryable: true }));
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    const alert = sr(el).querySelector('[role="alert"]')!;
    expect(alert.textContent).toMatch(/Could not reach the server/);
    expect(alert.textContent).toMatch(/fetch failed/);
    expect(el.run.vm!.order).toEqual(['a', 'b']);
    expect(store.runs.get('r4')!.status).toBe('failed');
    expect(button(el, /Retry/)).not.toBeNull();
    // One main action for one thing to do: the error's Retry, not also the header's Resume.
    expect([...sr(el).querySelectorAll('button.primary')].map((b) => b.textContent!.trim())).toEqual(['Retry']);
    expect(sr(el).querySelectorAll('[data-controls] button')).toHaveLength(0);
    button(el, /Retry/)!.click();
    await until(() => client.starts.length === 2);
    client.finish();
  });

  it('a run the full disk stopped says how full it is and how to make room, and can be resumed', async () => {
    const { store, client, el } = await mountPaused('rq');
    store.storage = { usage: 9.5e9, quota: 9.5e9 + 3e6, persisted: false };
    const checkpoint = { nodes: [] } as unknown as RunCheckpoint;
    store.checkpoints.set('rq', checkpoint);
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 1);
    // As the worker tells it: its store's write refused by the browser, the run paused with its checkpoint kept.
    const full = serializeError(toStorageError(new DOMException('Quota exceeded.', 'QuotaExceededError')));
    client.emit([{ runId: 'rq', at: 5, type: 'error', error: full }]);
    client.finish('paused');
    await until(() => sr(el).querySelector('[role="alert"] [data-storage]') !== null);
    const alert = sr(el).querySelector('[role="alert"]')!;
    expect(alert.textContent).toMatch(/Browser storage is full/);
    expect(alert.textContent).toMatch(/delete old runs in History \(export the ones you want to keep first\)/);
    expect(alert.textContent).toMatch(/downloaded models in Setup \(Delete cached\)/);
    // The advice once (the hint), and no "try again" beside the Resume button.
    expect(alert.textContent!.match(/delete old runs|free (some )?disk space/gi)).toHaveLength(2);
    expect(alert.textContent).not.toMatch(/try again/i);
    expect(alert.textContent).toMatch(/the last results were not saved/);
    // How full, in Setup's words: what the site stores and the little that still fits.
    expect(alert.querySelector('[data-storage]')!.textContent).toMatch(
      /^This site stores 8\.8 GB .*about 2\.9 MB more fits\.$/,
    );
    // The same error handed over again as a fresh object (a re-read of the run): not asked again, the line stays.
    const asked = store.estimates;
    store.storage = { usage: 1e9, quota: 9e9, persisted: false };
    const s = el.run.session!;
    if (s.error) s.error = { ...s.error };
    else s.vm = { ...s.vm, error: { ...s.vm.error! } };
    el.requestUpdate();
    await el.updateComplete;
    expect(store.estimates).toBe(asked);
    expect(sr(el).querySelector('[role="alert"] [data-storage]')?.textContent).toMatch(/about 2\.9 MB more fits\.$/);
    // Nothing stored is lost, and the run goes on from its checkpoint once there is room.
    expect(store.runs.get('rq')!.status).toBe('paused');
    expect(store.checkpoints.get('rq')).toBe(checkpoint);
    expect(el.run.vm!.order).toEqual(['a', 'b']);
    button(el, /Retry|Resume/)!.click();
    await until(() => client.starts.length === 2);
    expect(client.starts[1]!.checkpoint).toBe(checkpoint);
    // Full again after the user made some room: the same words, but the browser is asked afresh.
    client.emit([{ runId: 'rq', at: 9, type: 'error', error: full }]);
    client.finish('paused');
    await until(() =>
      /about 7\.5 GB more fits\.$/.test(sr(el).querySelector('[role="alert"] [data-storage]')?.textContent ?? ''),
    );
    expect(store.estimates).toBe(asked + 1);
  });

  it('an endpoint that turned to empty answers: the error says so with its call, the faults count them, Retry goes on', async () => {
    const { store, client, el } = await mountPaused('r18');
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 1);
    // The error exactly as the run makes it.
    const stats = { ...emptyStats(), calls: 60 };
    const watch = new EmptyReplyWatch(stats, 2, () => 'endpoint');
    const reply = (text: string): ChatResult => ({
      model: 'm',
      choices: [{ text, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    });
    stats.calls = 40;
    watch.note('policy', 'k1', reply('An answer.'), true);
    stats.calls = 41;
    watch.note('policy', 'k2', reply(''), true);
    const error = serializeError(watch.note('policy', 'k3', reply(''), true));
    client.emit([
      { runId: 'r18', at: 5, type: 'error', error },
      { runId: 'r18', at: 6, type: 'run-finished', status: 'failed', best: null, stats, artifact: null },
    ]);
    client.finish('failed');
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    const alert = sr(el).querySelector('[role="alert"]')!;
    expect(alert.textContent).toMatch(/The replies came back empty/);
    expect(alert.textContent).toMatch(/then only with empty replies/);
    expect(alert.textContent).toMatch(/The endpoint began sending empty answers at call 41/);
    expect(alert.textContent).toMatch(/go on where it stopped \(Retry\)/);
    expect(store.runs.get('r18')!.status).toBe('failed');
    const faults = () => sr(el).querySelector('drpo-fault-summary')?.shadowRoot?.textContent ?? '';
    await until(() => /2 answers came back empty \(an empty answer scores 1, the lowest\)/.test(faults()));
    expect(button(el, /Retry/)).not.toBeNull();
    button(el, /Retry/)!.click();
    await until(() => client.starts.length === 2);
    client.finish();
  });

  it('a Retry (or Resume) counts a silence from the press, not from the last word before the stop', async () => {
    // The stored run's last event is long ago (its `at` is 3 ms after the epoch).
    const { client, el } = await mountPaused('r15');
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 1);
    await el.updateComplete;
    const faults = sr(el).querySelector('drpo-fault-summary')!;
    await (faults as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(faults.shadowRoot!.querySelector('[data-waiting]')).toBeNull();
    client.finish();
  });

  it('says "Pausing…" as its button does until the run stopped, with no time left, then "Paused"', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    // The worker stops the run a moment after it is asked to; its last events arrive before the job ends.
    client.cancel = async (jobId: string, mode: 'pause' | 'cancel' = 'cancel') =>
      void client.cancels.push([jobId, mode]);
    store.addRun('r16', 'pending', []);
    const el = await mountLive('r16', store, client);
    button(el, /Start/)!.click();
    await until(() => client.starts.length === 1);
    client.emit([
      ...stored('r16'),
      {
        runId: 'r16',
        at: 4,
        type: 'usage',
        role: 'judge',
        usage: { prompt_tokens: 0, completion_tokens: 0 },
        cached: false,
        stats: { ...emptyStats(), calls: 2, elapsedMs: 2000 },
      },
    ]);
    await until(() => el.run.vm?.order.length === 2);
    await el.updateComplete;
    button(el, /Pause/)!.click();
    client.emit([
      { runId: 'r16', at: 5, type: 'run-finished', status: 'paused', best: null, stats: emptyStats(), artifact: null },
    ]);
    await until(() => el.run.vm?.status === 'paused');
    await el.updateComplete;
    const status = () => sr(el).querySelector('.status')!.textContent!.trim();
    expect(status()).toBe('Pausing…');
    expect(button(el, /Pausing…/)).not.toBeNull();
    const eta = sr(el).querySelector('drpo-throughput')!.shadowRoot!.querySelector('[data-eta]')!;
    expect(eta.textContent!.trim()).toBe('—');
    client.fail(Object.assign(new Error('Stopped'), { name: 'AbortError' }));
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    expect(status()).toBe('Paused');
    expect(button(el, /Resume/)).not.toBeNull();
  });

  it('at the end says what the final check decided, not a lower "best so far", in the header and out loud', async () => {
    const { store, client, el } = await startedLive('r17');
    const root = makeNode({ id: 'root', reward: 3.75, pathReward: 3.75 });
    const child = makeNode({
      id: 'kid',
      parentId: 'root',
      depth: 1,
      reward: 4.1,
      pathReward: 4.08,
      prompt: 'Be kind.',
    });
    client.emit([
      stored('r17')[0]!,
      { runId: 'r17', at: 2, type: 'node-evaluated', node: root },
      beamSelected('r17', 2, root, 3.75),
      { runId: 'r17', at: 3, type: 'node-evaluated', node: child },
      beamSelected('r17', 3, child, 4.08),
    ]);
    await until(() => /path mean 4\.08 \(best so far\)/.test(text(el).replace(/\s+/g, ' ')));
    const kept = fellShortArtifact();
    Object.assign(kept.scores, { heldOutQueries: 12, raceQueries: 6, keptBackQueries: 6 });
    client.emit([
      {
        runId: 'r17',
        at: 4,
        type: 'run-finished',
        status: 'completed',
        best: { nodeId: 'root', prompt: root.prompt, reward: 3.75, depth: 0 },
        stats: emptyStats(),
        artifact: kept,
      },
    ]);
    client.finish('completed', kept);
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    const header = sr(el).querySelector('[data-outcome]')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(header).toBe('· No improvement found: the final check kept your starting prompt.');
    expect(sr(el).querySelector('[data-best]')).toBeNull();
    expect(text(el)).not.toMatch(/3\.75/);
    expect(sr(el).querySelector('[aria-live="polite"]')!.textContent).toBe(
      'Finished: 2 prompts evaluated, the search at level 1. No improvement found: the final check kept your starting prompt.',
    );
    // The selected prompt's help texts know the run: its settings, and what its check kept back.
    const panel = sr(el).querySelector('drpo-candidate-panel') as LitElement & { facts?: GlossaryFacts };
    expect(panel.facts).toMatchObject({
      keptBackQueries: 6,
      beamWidth: store.runs.get('r17')!.config.settings.beamWidth,
    });
    // The same object while nothing changed: a new one at every render would redraw the panel's answers each frame.
    const facts = panel.facts;
    el.requestUpdate();
    await el.updateComplete;
    expect(panel.facts).toBe(facts);
  });

  it('the status region catches up with progress it held back once its interval is up, though the run then goes quiet', async () => {
    const { client, el } = await startedLive('r19');
    // The clock and its timers are the test's from here (the fold of events waits for a real frame).
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const region = () => sr(el).querySelector('[aria-live="polite"]')!.textContent;
    const root = makeNode({ id: 'root', reward: 3.75, pathReward: 3.75 });
    const kid = makeNode({ id: 'kid', parentId: 'root', depth: 1, reward: 3.9, pathReward: 3.8, prompt: 'Be kind.' });
    const deep = makeNode({ id: 'deep', parentId: 'kid', depth: 2, reward: 4.2, pathReward: 4.0, prompt: 'Be brief.' });
    const emit = async (events: RunEvent[]) => {
      client.emit(events);
      await frame();
      await frame();
      await el.updateComplete;
    };
    await emit([
      stored('r19')[0]!,
      { runId: 'r19', at: 2, type: 'node-evaluated', node: root },
      beamSelected('r19', 2, root, 3.75),
    ]);
    // The search's start is news: said at once.
    expect(region()).toMatch(/the search at level 0, path mean 3\.75/);
    // Two levels more within the interval, then a long model call: nothing arrives after them.
    await vi.advanceTimersByTimeAsync(1000);
    await emit([
      { runId: 'r19', at: 3, type: 'node-evaluated', node: kid },
      beamSelected('r19', 3, kid, 3.8),
      { runId: 'r19', at: 4, type: 'node-evaluated', node: deep },
      beamSelected('r19', 4, deep, 4.0),
    ]);
    expect(text(el).replace(/\s+/g, ' ')).toMatch(/path mean 4\.00 \(best so far\)/);
    // Held back for now (a screen reader is not flooded)...
    expect(region()).toMatch(/the search at level 0, path mean 3\.75/);
    // ...and said once the interval is up, with nothing else happening.
    await vi.advanceTimersByTimeAsync(ANNOUNCE_EVERY_MS - 1000);
    await el.updateComplete;
    expect(region()).toBe(progressMessage(el.run.vm!));
    expect(region()).toMatch(/the search at level 2, path mean 4\.00/);
  });

  it('the status region of a run opened in the same view says that run, not the one shown before', async () => {
    const { store, client, el } = await startedLive('r20');
    const region = () => sr(el).querySelector('[aria-live="polite"]')!.textContent;
    const root = makeNode({ id: 'root', reward: 3.75, pathReward: 3.75 });
    client.emit([
      { ...stored('r20')[0]!, runId: 'r20' },
      { runId: 'r20', at: 2, type: 'node-evaluated', node: root },
      beamSelected('r20', 2, root, 3.75),
    ]);
    await until(() => /1 prompt evaluated, the search at level 0, path mean 3\.75/.test(region() ?? ''));
    // Another run, started in this view and running too; then back to the first, both within the interval.
    store.addRun('r21', 'pending', []);
    el.runId = 'r21';
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    button(el, /Start/)!.click();
    await until(() => client.starts.length === 2);
    client.emit([{ ...stored('r21')[0]!, runId: 'r21' }]);
    await until(() => region() === 'Running: 0 prompts evaluated, the search at level 0.');
    el.runId = 'r20';
    await until(() => el.run.vm?.order.length === 1);
    await el.updateComplete;
    expect(region()).toBe('Running: 1 prompt evaluated, the search at level 0, path mean 3.75 (best so far).');
  });

  it('keeps the best path mean so far when a stopped run names a lower pick (it never goes down)', async () => {
    const { client, el } = await startedLive('r18');
    const root = makeNode({ id: 'root', reward: 3.75, pathReward: 3.75 });
    const kid = makeNode({ id: 'kid', parentId: 'root', depth: 1, reward: 4.4, pathReward: 4.08, prompt: 'Be kind.' });
    const deep = makeNode({ id: 'deep', parentId: 'kid', depth: 2, reward: 3.9, pathReward: 4.0, prompt: 'Be brief.' });
    client.emit([
      stored('r18')[0]!,
      { runId: 'r18', at: 2, type: 'node-evaluated', node: root },
      beamSelected('r18', 2, root, 3.75),
      { runId: 'r18', at: 3, type: 'node-evaluated', node: kid },
      beamSelected('r18', 3, kid, 4.08),
      { runId: 'r18', at: 4, type: 'node-evaluated', node: deep },
    ]);
    const best = () => sr(el).querySelector('[data-best]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    await until(() => /path mean 4\.08 \(best so far\)/.test(best()));
    // The endpoint failed: the run stops with its deepest level's pick (4.00), which is no new best.
    client.emit([
      {
        runId: 'r18',
        at: 5,
        type: 'run-finished',
        status: 'failed',
        best: { nodeId: 'deep', prompt: deep.prompt, reward: 4.0, depth: 2 },
        stats: emptyStats(),
        artifact: sampleArtifact({ outcome: 'unverified' }),
      },
    ]);
    client.finish('failed');
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    expect(best()).toMatch(/^· path mean 4\.08 \(best so far\) .*\(depth 1; that prompt’s own score 4\.40\)$/);
    expect(sr(el).querySelector('[aria-live="polite"]')!.textContent).toMatch(/path mean 4\.08 \(best so far\)\.$/);
  });

  it('once the run is over the panel shows its result, not the newest prompt, until the user picks another', async () => {
    const { client, el } = await startedLive('r18');
    const root = makeNode({ id: 'root' });
    const chosen = makeNode({
      id: 'chosen',
      parentId: 'root',
      depth: 1,
      prompt: 'Be kind and careful.',
      verdict: [{ examplesPerQuery: 0, reward: 4.4 }],
    });
    const newest = makeNode({ id: 'newest', parentId: 'chosen', depth: 2, prompt: 'Be kind, careful and brief.' });
    client.emit([
      stored('r18')[0]!,
      { runId: 'r18', at: 2, type: 'node-evaluated', node: root },
      beamSelected('r18', 2, root, 4.5),
      { runId: 'r18', at: 3, type: 'node-evaluated', node: chosen },
      beamSelected('r18', 3, chosen, 4.5),
      { runId: 'r18', at: 4, type: 'node-evaluated', node: newest },
    ]);
    await until(() => panelNodeId(el) === 'newest');
    const heading = () => sr(el).querySelector('h3[data-selected]')!.textContent!.trim();
    const note = () => sr(el).querySelector('[data-following]')?.textContent?.trim() ?? null;
    expect([heading(), note()]).toEqual(['Selected prompt', 'Following the newest prompt']);
    const artifact = sampleArtifact({ systemPrompt: chosen.prompt, outcome: 'improved' });
    client.emit([
      {
        runId: 'r18',
        at: 5,
        type: 'run-finished',
        status: 'completed',
        best: { nodeId: 'chosen', prompt: chosen.prompt, reward: 4.5, depth: 1 },
        stats: emptyStats(),
        artifact,
      },
    ]);
    client.finish('completed', artifact);
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    // The prompt the final check chose, with its verdict figure, is what the panel shows and names.
    await until(() => panelNodeId(el) === 'chosen');
    expect([heading(), note()]).toEqual(['The result', 'Chosen by the final check']);
    expect(sr(el).querySelector('section.side')!.getAttribute('aria-label')).toBe('The result');
    const panel = sr(el).querySelector('drpo-candidate-panel') as LitElement;
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('[data-final-check="verdict"]')!.textContent).toMatch(/verdict 4\.40/);
    // Another pick is kept; a button brings the result back.
    const tree = sr(el).querySelector('drpo-beam-tree')!;
    tree.dispatchEvent(
      new CustomEvent('node-selected', { detail: { nodeId: 'newest' }, bubbles: true, composed: true }),
    );
    await el.updateComplete;
    expect([panelNodeId(el), heading()]).toEqual(['newest', 'Selected prompt']);
    expect(button(el, /Follow the newest/)).toBeNull();
    button(el, /Show the result/)!.click();
    await el.updateComplete;
    expect([panelNodeId(el), heading()]).toEqual(['chosen', 'The result']);
  });

  it('a finished run whose check kept the starting prompt opens on the starting prompt, and says so', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    const root = makeNode({ id: 'root' });
    const kid = makeNode({ id: 'kid', parentId: 'root', depth: 1, prompt: 'Be kind.' });
    const kept = fellShortArtifact({}, { systemPrompt: root.prompt, initialPrompt: root.prompt });
    store.addRun('r19', 'completed', [
      stored('r19')[0]!,
      { runId: 'r19', at: 2, type: 'node-evaluated', node: root },
      beamSelected('r19', 2, root, 4.5),
      { runId: 'r19', at: 3, type: 'node-evaluated', node: kid },
      beamSelected('r19', 3, kid, 4.6),
      {
        runId: 'r19',
        at: 4,
        type: 'run-finished',
        status: 'completed',
        best: { nodeId: 'root', prompt: root.prompt, reward: 4.5, depth: 0 },
        stats: emptyStats(),
        artifact: kept,
      },
    ]);
    const el = await mountLive('r19', store, client);
    await until(() => panelNodeId(el) === 'root');
    expect(sr(el).querySelector('h3[data-selected]')!.textContent!.trim()).toBe('The result');
    expect(sr(el).querySelector('[data-following]')!.textContent!.trim()).toBe(
      'Your starting prompt, kept by the final check',
    );
  });

  it('a run that judged nothing says what to change and offers no Retry (it would replay the same replies)', async () => {
    const { store, client, el } = await mountPaused('r9');
    button(el, /Resume/)!.click();
    await until(() => client.starts.length === 1);
    client.fail(
      Object.assign(new Error('No prompt could be scored: every answer the model gave was empty.'), {
        name: 'NothingScoredError',
        detail: 'The endpoint may be sending empty answers; try the model in the chat first.',
        retryable: false,
      }),
    );
    await until(() => el.run.session?.phase === 'ready');
    await el.updateComplete;
    const alert = sr(el).querySelector('[role="alert"]')!;
    expect(alert.textContent).toMatch(/Nothing could be scored/);
    expect(alert.textContent).toMatch(/every answer the model gave was empty/);
    expect(alert.textContent).toMatch(/try the model in the chat first/);
    expect(store.runs.get('r9')!.status).toBe('failed');
    expect(button(el, /Retry|Resume/)).toBeNull();
  });

  it('Resume of a run another tab deleted meanwhile says "Run not found" and runs nothing', async () => {
    const { store, client, el } = await mountPaused('r10');
    store.runs.delete('r10');
    button(el, /Resume/)!.click();
    await until(() => el.run.session?.phase === 'missing');
    await el.updateComplete;
    expect(text(el)).toMatch(/Run not found/);
    expect(client.starts).toHaveLength(0);
    expect(store.runs.has('r10')).toBe(false);
  });

  it('a run deleted while its view is open (another tab, or History) turns into "Run not found" at once', async () => {
    const store = await openStore({ forceMemory: true });
    try {
      const { id } = await store.createRun(testConfig(), 'Soon deleted');
      await store.updateRun(id, { status: 'paused' });
      const client = new FakeClient();
      const el = document.createElement('drpo-live-view');
      el.store = store;
      el.client = client.asClient();
      el.runId = id;
      mountEl(el);
      await until(() => el.run.session?.phase === 'ready');
      await el.updateComplete;
      expect(button(el, /Resume/)).not.toBeNull();
      await store.deleteRun(id);
      await until(() => el.run.session?.phase === 'missing');
      await el.updateComplete;
      expect(text(el)).toMatch(/Run not found/);
      expect(button(el, /Resume/)).toBeNull();
      expect(client.starts).toHaveLength(0);
    } finally {
      store.close();
    }
  });

  it('a paused run imported from its export offers no Resume: no checkpoint came with it, so it would start over', async () => {
    const store = await openStore({ forceMemory: true });
    try {
      const { id } = await store.createRun(testConfig(), 'Moved here');
      await createRunSink(store).onEvents(id, stored(id));
      await store.updateRun(id, { status: 'paused' });
      const exported = await store.exportRun(id);
      await store.deleteRun(id);
      await store.importRun(JSON.stringify(exported));
      const client = new FakeClient();
      const el = document.createElement('drpo-live-view');
      el.store = store;
      el.client = client.asClient();
      el.runId = id;
      mountEl(el);
      await until(() => el.run.session?.phase === 'ready');
      await el.updateComplete;
      // What the file brought is shown, and nothing offers to run it over it.
      expect(el.run.vm?.order).toEqual(['a', 'b']);
      expect(button(el, /Resume|Retry|Start/)).toBeNull();
      expect(client.starts).toHaveLength(0);
    } finally {
      store.close();
    }
  });

  it('marks an interrupted run and resumes automatically with the resume handshake', async () => {
    const store = new FakeStore();
    const client = new FakeClient();
    store.addRun('r5', 'running', stored('r5'));
    const el = await mountLive('r5', store, client);
    expect(text(el)).toMatch(/was interrupted \(the page was closed, reloaded or left\)/);
    expect(client.starts).toHaveLength(0);
    el.remove();
    resetRunSessions();
    const el2 = await mountLive('r5', store, client, true);
    await until(() => client.starts.length === 1);
    await el2.updateComplete;
    expect(text(el2)).not.toMatch(/was interrupted/);
    client.finish();
  });

  it('says so when the run does not exist, and when storage fails', async () => {
    const store = new FakeStore();
    const el = await mountLive('nope', store, new FakeClient());
    expect(text(el)).toMatch(/Run not found/);
    const bad = new FakeStore();
    bad.failGetRun = true;
    const el2 = await mountLive('r6', bad, new FakeClient());
    expect(text(el2)).toMatch(/Storage is unavailable/);
  });

  it('re-attaches to a run still going after the view was left and reopened', async () => {
    const { store, client, el } = await startedLive('r7');
    el.remove();
    client.emit(stored('r7'));
    // The run goes on without a view: its session folds what arrived (at the next frame, or a timer's 250 ms).
    await until(() => el.run.vm?.order.length === 2);
    const el2 = await mountLive('r7', store, client);
    expect(el2.run.vm!.order).toEqual(['a', 'b']);
    expect(button(el2, /Pause/)).not.toBeNull();
    client.finish();
  });
});

describe('outcomeText', () => {
  it('says what the final check chose once the run is over, and nothing for a run that can still go on', () => {
    const done = (artifact: ReturnType<typeof sampleArtifact>, status: 'completed' | 'failed' = 'completed') =>
      outcomeText({ ...withStatus(createRunViewModel('r'), status), artifact });
    expect(done(sampleArtifact({ outcome: 'improved' }))).toBe(
      'Better than your starting prompt: the final check on held-out questions chose a prompt the search wrote',
    );
    expect(done(sampleArtifact({ outcome: 'unverified' }))).toBe(
      'Not verified: the prompt with the best path mean, not checked against your starting prompt',
    );
    // A lead on the one held-out question that also picked it (none kept back) is no gain.
    const unconfirmed = sampleArtifact({
      outcome: 'improved',
      scores: {
        train: 4,
        validation: 4,
        initialValidation: 2,
        validationQueries: 1,
        heldOutQueries: 1,
        raceQueries: 1,
        keptBackQueries: 0,
      },
    });
    expect(done(unconfirmed)).toBe(
      'Not verified: the final check picked it on the same questions that judged it, so it could not confirm a gain',
    );
    expect(done(sampleArtifact({ outcome: 'improved' }), 'failed')).toBeNull();
    expect(outcomeText(withStatus(createRunViewModel('r'), 'running'))).toBeNull();
  });
});

describe('progressMessage', () => {
  it('says "Interrupted", as the status line does, for a run stored as running whose driver is gone', () => {
    const vm = withStatus(createRunViewModel('r'), 'running');
    expect(progressMessage(vm)).toMatch(/^Running: 0 prompts evaluated/);
    expect(progressMessage(vm, true)).toMatch(/^Interrupted: 0 prompts evaluated/);
    expect(progressMessage(withStatus(vm, 'completed'), true)).toMatch(/^Finished:/);
  });
});
