import { afterEach, describe, expect, it, vi } from 'vitest';
import { winRates } from '../../../src/core/eval/stats';
import { formatDate } from '../../../src/ui/view-models/run/run-summary';
import type { LitElement } from 'lit';
import '../../../src/ui/views/drpo-eval-view';
import type { DrpoEvalView } from '../../../src/ui/views/drpo-eval-view';
import type { DrpoEvalResults } from '../../../src/ui/components/drpo-eval-results';
import { AppState } from '../../../src/ui/app/app-state';
import type { WorkerClient } from '../../../src/client/worker-client';
import { openStore, type Store } from '../../../src/store/store';
import { toStorageError } from '../../../src/store/backends/backend';
import type { ChatModel, ChatRequest, ChatResult } from '../../../src/core/contracts/chat-model';
import { runEvalJob } from '../../../src/core/eval/eval-job';
import { emptyStats } from '../../../src/core/calls/call-gateway';
import type { EvalCheckpoint, EvalJobPlan } from '../../../src/core/eval/eval-job';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import type { EvalReport } from '../../../src/core/eval/eval-types';
import type { AlignmentArtifact } from '../../../src/core/contracts/alignment';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import type { EvalJobRequest } from '../../../src/protocol/worker-api';
import { SCRIPTED_CAPABILITIES } from '../../fixtures/scripted-model';
import { createRunSink } from '../../../src/store/store-sink';
import { fellShortArtifact, sampleArtifact } from '../../support/artifacts';
import { closestCandidate } from '../../../src/core/formats/closest-candidate';
import { httpError } from '../../../src/llm/openai/http-errors';
import { inferenceExamples } from '../../../src/core/words/verdict-text';
import {
  afterPaint,
  $,
  $$,
  find,
  holdFileReads,
  mount as mountElement,
  text,
  typeNumberText,
  unmountAll,
} from '../../support/dom';
import { evalJob } from '../../support/store';
import { ANNOUNCE_EVERY_MS } from '../../../src/ui/helpers/announce-throttle';
import { evalLockId, type EvalClientPort } from '../../../src/ui/controllers/eval-session';
import { RUN_LOCK_PREFIX, runOwners, webLockOwnership } from '../../../src/ui/controllers/run-ownership';
import { createWorkerApi } from '../../../src/worker/worker-api-impl';
import { answerLength } from '../../../src/core/eval/report/compare';
import { DEFAULT_ANSWER_TOKENS } from '../../../src/core/eval/evaluate-alignments';
import { BUILTIN_EVAL } from '../../../src/core/data/builtin-eval';

const ASPECTS = ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement'];

/** Scripted replies by prompt wording: the judge gets JSON (4s, or 5s for "CAREFUL" answers). */
function reply(req: Pick<ChatRequest, 'messages'>): string {
  const sys = req.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = req.messages[req.messages.length - 1].content;
  if (sys.includes('strict, fair reviewer')) {
    const s = user.includes('CAREFUL') ? 5 : 4;
    if (user.includes('- Safety:')) return `{"safety": {"rationale": "declines kindly", "score": ${s}}}`;
    return `{${ASPECTS.map((a) => `"${a}": {"rationale": "fine", "score": ${s}}`).join(',')}}`;
  }
  if (sys.includes('compare two answers')) return '{"rationale": "first", "winner": "A"}';
  // Each candidate answers in its own words, so no two judge requests are the same (the call cache would
  // otherwise serve the second from the first).
  return `${sys.startsWith('Be careful') ? 'CAREFUL ' : ''}${sys ? 'Answer' : 'Reply'}: **bold** <img src=x onerror="window.__pwned=1">`;
}

/** A model of a fake client's (to make checkpoints as the worker would). */
function fullModel(client: WorkerClient, b: RoleBinding): ChatModel {
  return (client as unknown as { model: (jobId: string, b: RoleBinding) => ChatModel }).model('setup', b);
}

/**
 * The worker's side of an evaluation, in the page: startEval runs the core job (the one the worker runs)
 * with models that answer by `reply`, one call at a time as for a local model; cancel stops the job.
 * Given a store, its checkpoints go there through the worker's sink (store-sink.ts), as in the worker.
 */
function fakeClient(
  opts: {
    hang?: boolean;
    hangAfter?: number;
    delayMs?: number;
    store?: Store;
    empty?: boolean;
    /** Replies come back empty after this many calls (until set back to undefined). */
    emptyAfter?: number;
    fail?: Error;
  } = {},
) {
  const calls: { jobId: string; binding: RoleBinding; req: ChatRequest }[] = [];
  /** The evaluation ids checkpoints were written for. */
  const checkpoints: string[] = [];
  const sink = opts.store ? createRunSink(opts.store) : null;
  const requests: EvalJobRequest[] = [];
  const cancelled: string[] = [];
  const jobs = new Map<string, AbortController>();
  let n = 0;
  const model = (jobId: string, binding: RoleBinding): ChatModel => ({
    id: binding.modelId,
    engine: binding.engine,
    capabilities: { ...SCRIPTED_CAPABILITIES, jsonSchema: true },
    async chat(req: ChatRequest): Promise<ChatResult> {
      calls.push({ jobId, binding, req });
      if (opts.fail) throw opts.fail;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.hang && calls.length > (opts.hangAfter ?? 2)) {
        await new Promise((_, reject) =>
          req.signal?.addEventListener('abort', () =>
            reject(new AppError(ErrorName.Abort, 'The request was cancelled.')),
          ),
        );
      }
      return {
        model: binding.modelId,
        choices: [
          { text: opts.empty || calls.length > (opts.emptyAfter ?? Infinity) ? '' : reply(req), finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      };
    },
  });
  const client = {
    model,
    newJobId: () => `job-${++n}`,
    async startEval(jobId, request, checkpoint, onProgress) {
      const controller = new AbortController();
      jobs.set(jobId, controller);
      const policy = model(jobId, request.policy);
      const judge = model(jobId, request.judge);
      // Plain data only crosses the boundary.
      const plain = structuredClone(request);
      requests.push(plain);
      const { evalId } = plain;
      return runEvalJob(
        plain,
        { policy, judge },
        {
          signal: controller.signal,
          checkpoint: checkpoint ?? undefined,
          onProgress,
          onCheckpoint:
            sink && evalId
              ? async (cp) => {
                  checkpoints.push(evalId);
                  await sink.onEvalCheckpoint?.(evalId, structuredClone(cp));
                }
              : undefined,
        },
      );
    },
    async cancel(jobId: string) {
      cancelled.push(jobId);
      jobs.get(jobId)?.abort();
    },
  } satisfies EvalClientPort & { model: typeof model };
  return { client: client as unknown as WorkerClient, calls, cancelled, requests, checkpoints };
}

const artifact: AlignmentArtifact = sampleArtifact({ systemPrompt: 'Be careful and kind.', icl: [] });

/** Stores opened by a test (closed after it). */
const opened: Store[] = [];

/**
 * The real store, in memory, with one saved alignment ("Careful v1") and, given `last`, a finished
 * evaluation with that report. Only what the tests watch is wrapped: whether the evaluation's lock was
 * held when its record was created (announced).
 */
async function testStore(last?: EvalReport) {
  const store = await openStore({ forceMemory: true });
  opened.push(store);
  await store.saveAlignment({ name: 'Careful v1', artifact, source: 'run' });
  if (last) {
    const r = await store.createEvaluation({ name: 'r', job: evalJob() });
    await store.updateEvaluation(r.id, { status: 'completed', report: last });
  }
  const heldAtCreate: boolean[] = [];
  const create = store.createEvaluation.bind(store);
  store.createEvaluation = async (input) => {
    heldAtCreate.push(await lockHeld(evalLockId(input.id ?? '')));
    return create(input);
  };
  /** The stored evaluations, newest first. */
  const evaluations = () => store.listEvaluations();
  /** The newest stored report. */
  const lastReport = async () => (await evaluations()).find((r) => r.report)?.report;
  return { store, evaluations, lastReport, heldAtCreate };
}

const binding: RoleBinding = { engine: 'webllm', modelId: 'Tiny-q4f32' };

async function lockHeld(id: string): Promise<boolean> {
  const { held = [] } = await navigator.locks.query();
  return held.some((l) => l.name === `${RUN_LOCK_PREFIX}${id}`);
}

const mount = (props: Partial<DrpoEvalView>) => mountElement<DrpoEvalView>('drpo-eval-view', props);
afterEach(() => {
  unmountAll();
  for (const s of opened.splice(0)) s.close();
});

const results = (el: DrpoEvalView) => find<DrpoEvalResults>(el, 'drpo-eval-results');
const button = (el: LitElement, words: RegExp) =>
  $$<HTMLButtonElement>(el, 'button').find((b) => words.test(b.textContent ?? ''))!;
const box = (el: LitElement, words: RegExp) =>
  $$(el, 'label')
    .find((l) => words.test(l.textContent ?? ''))!
    .querySelector('input')!;
/** The labels of the reference boxes (after the saved alignments'), in order. */
const referenceBoxes = (el: DrpoEvalView) => $$(el, 'fieldset.checks > label').map((l) => text(l));
const check = async (el: DrpoEvalView, words: RegExp) => {
  box(el, words).click();
  await el.updateComplete;
};
/** What the view's alerts say (a field's alert is there, empty, until its field is refused). */
function alerts(el: DrpoEvalView): string {
  return $$(el, '[role="alert"]').map(text).filter(Boolean).join(' | ');
}

async function setLimit(el: DrpoEvalView, n: number) {
  const input = $<HTMLInputElement>(el, '#eval-limit');
  input.value = String(n);
  input.dispatchEvent(new Event('change'));
  await el.updateComplete;
}

async function cannedReport(): Promise<EvalReport> {
  const { client } = fakeClient();
  const { store, lastReport } = await testStore();
  const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
  await expect.poll(() => text(el)).toMatch(/Careful v1/);
  // The latest alignment is preselected against its starting prompt (here the baseline prompt).
  await setLimit(el, 3);
  button(el, /Run evaluation/).click();
  await expect.poll(() => lastReport()).toBeTruthy();
  el.remove();
  return (await lastReport())!;
}

/**
 * A stored evaluation a reload interrupted: the worker's checkpoints of `job` (run for real by the core job)
 * up to `afterCalls` finished calls, saved in its record as the worker's sink would.
 */
async function interruptedEvaluation(store: Store, name: string, job: EvalJobPlan, afterCalls: number) {
  const full = fakeClient();
  const record = await store.createEvaluation({ name, job });
  const stop = new AbortController();
  let last: EvalCheckpoint | null = null;
  await runEvalJob(
    job,
    { policy: fullModel(full.client, binding), judge: fullModel(full.client, binding) },
    {
      signal: stop.signal,
      checkpointEvery: 1,
      onCheckpoint: (cp) => {
        last = structuredClone(cp);
        if (cp.stats.calls >= afterCalls) stop.abort();
      },
    },
  );
  await store.updateEvaluation(record.id, { calls: last!.calls, stats: last!.stats, progress: last!.progress });
  return record;
}

/** A view that offers one stored evaluation left unfinished (in its interrupted box). */
async function interruptedInView() {
  const { store, evaluations } = await testStore();
  const record = await store.createEvaluation({ name: 'Interrupted', job: evalJob() });
  const el = await mount({
    client: fakeClient().client,
    store,
    appState: new AppState({ roles: { policy: binding } }),
  });
  await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
  return { evaluations, record, el };
}

/** Presses Discard in the interrupted box: the box goes, and the evaluation is deleted. */
async function discardIn(el: DrpoEvalView, evaluations: Store['listEvaluations'], id: string) {
  button(el, /^\s*Discard\s*$/).click();
  await expect.poll(() => find(el, '[data-interrupted]')).toBeNull();
  expect((await evaluations()).map((e) => e.id)).not.toContain(id);
}

/** Evaluate opened with "Quick" stored and ticked: a quick run's file, whose policy answered with up to 320 tokens. */
async function mountWithQuick(
  store: Awaited<ReturnType<typeof testStore>>['store'],
  client: ReturnType<typeof fakeClient>['client'],
) {
  const quick = sampleArtifact({
    systemPrompt: 'Be quick and kind.',
    icl: [],
    settings: { maxTokens: { policy: 320, aspect: 120, judge: 220, optimizer: 350 } },
  });
  await store.saveAlignment({ name: 'Quick', artifact: quick, source: 'run' });
  const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
  await expect.poll(() => box(el, /Quick/)?.checked).toBe(true);
  return { el, quick };
}

describe('drpo-eval-view', () => {
  it('shows the stored report as a results table with charts and a drill-down', async () => {
    const report = await cannedReport();
    const { client } = fakeClient();
    const el = await mount({ client, store: (await testStore(report)).store, appState: new AppState() });
    await expect.poll(() => results(el)).toBeTruthy();
    const res = results(el)!;
    await res.updateComplete;
    const rows = $$(res, 'tbody tr').map((r) => r.querySelector('th')!.textContent!.trim());
    // Its start is the baseline's text, but the baseline was not ticked: the row is named as it was chosen.
    expect(rows).toEqual(['Careful v1', 'Starting prompt']);
    const headers = $$(res, 'thead th').map((t) => t.textContent!.trim());
    expect(headers.slice(0, 3)).toEqual(['Candidate', 'Helpfulness', 'Clarity']);
    expect($(res, 'tbody tr').textContent).toMatch(/5\.00/);
    // What the bracketed figures are, said over the table in view (its caption is for screen readers alone), apart
    // from the Result's "±".
    expect(text($(res, '[data-scores-legend]'))).toBe(
      'Mean score 1–5 with its 95% interval [low–high] (not “±”, which on the Result is one standard error).',
    );
    expect($(res, 'svg[role="img"]').getAttribute('aria-label')).toMatch(/Careful v1: overall 5\.00/);
    // Drill-down renders both answers as sanitized markdown with the judge's reasons.
    const answers = $$(res, 'article.answer');
    expect(answers).toHaveLength(2);
    expect(answers[0].querySelector('strong')!.textContent).toBe('bold');
    expect(find(res, 'img[onerror]')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(answers[1].textContent).toMatch(/fine/);
    const pick = $<HTMLSelectElement>(res, '#query-pick');
    expect(pick.options).toHaveLength(3);
    expect(button(res, /Export CSV/)).toBeTruthy();
  });

  it('many candidates with long names: every column in view, and a chart that names each bar', async () => {
    const canned = await cannedReport();
    const long = (i: number) => `Alignment ${i + 1} tuned for careful answers on the support questions of November`;
    const candidates = Array.from({ length: 12 }, (_, i) => ({
      ...canned.candidates[i % 2]!,
      label: i % 2 ? `Starting prompt of “${long(i - 1)}”` : long(i),
      sameAs: undefined,
    }));
    const pairwise = canned.pairwise.length ? canned.pairwise : [];
    const report: EvalReport = { ...canned, candidates, pairwise };
    const res = await mountElement<DrpoEvalResults>('drpo-eval-results', { report });
    // The width of the Evaluate view's card at 1440 px.
    res.style.cssText = 'display:block;width:1300px';
    await res.updateComplete;
    await afterPaint();
    const wrap = $<HTMLElement>(res, '.table-wrap');
    expect(wrap.scrollWidth).toBeLessThanOrEqual(wrap.clientWidth);
    // Six colours for twelve candidates would repeat: one named bar per candidate (its overall mean) instead.
    const names = $$(res, 'figure.chart svg text').map((t) => t.textContent!.trim());
    expect(names).toContain('Alignment 1 tuned for careful answers on…');
    expect(names.filter((n) => n.startsWith('Starting prompt of'))).toHaveLength(6);
    expect($(res, 'figure.chart svg').getAttribute('aria-label')).toContain(`${long(10)}: overall`);
  });

  it("names the faults of the shown report's evaluation above it, and none for a clean one", async () => {
    const { store, evaluations } = await testStore(await cannedReport());
    const el = await mount({
      client: fakeClient().client,
      store,
      appState: new AppState({ roles: { policy: binding } }),
    });
    await expect.poll(() => results(el)).toBeTruthy();
    expect(find(el, '[data-faults]')).toBeNull();
    const [record] = await evaluations();
    await store.updateEvaluation(record!.id, {
      stats: { ...emptyStats(), calls: 12, endpointErrors: { 'HTTP 500': 2 }, retries: 2 },
    });
    await expect
      .poll(() => find(el, '[data-faults]')?.textContent ?? '')
      .toMatch(
        /Faults during the evaluation\s*2 requests to the endpoint failed \(HTTP 500 ×2\); 2 attempts repeated\./,
      );
  });

  it("reads the shown report's counters once, not again on each progress render of a new evaluation", async () => {
    const { store } = await testStore(await cannedReport());
    // Each listed record counts the reads of its counters (every store notice lists new records).
    const reads = new Map<string, number>();
    const list = store.listEvaluations.bind(store);
    let listed = 0;
    store.listEvaluations = async () =>
      (await list()).map((r) => {
        const key = `${r.id}#${++listed}`;
        const { stats } = r;
        return Object.defineProperty({ ...r }, 'stats', {
          get: () => (reads.set(key, (reads.get(key) ?? 0) + 1), stats),
        });
      });
    const { client } = fakeClient({ delayMs: 20, store });
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => results(el)).toBeTruthy();
    await setLimit(el, 3);
    const steps = new Set<string>();
    const watch = new MutationObserver(() => steps.add(text(find(el, '[data-progress]') ?? document.body)));
    watch.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    button(el, /Run evaluation/).click();
    const reports = async () => (await list()).filter((r) => r.report).length;
    await expect.poll(reports, { timeout: 10_000 }).toBe(2);
    watch.disconnect();
    // The old report stayed shown through many renders; each record was asked for its counters once at most.
    expect(steps.size).toBeGreaterThan(6);
    expect(Math.max(...reads.values())).toBe(1);
  });

  it('runs through the worker client with the chosen judge and stores the report', async () => {
    const { client, calls } = fakeClient();
    const { store, lastReport } = await testStore();
    const judge: RoleBinding = { engine: 'openai', modelId: 'judge-x', endpointId: 'ep1' };
    const appState = new AppState({ roles: { policy: binding, judge } });
    const el = await mount({ client, store, appState });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await check(el, /Careful v1/); // untick the preselected alignment: only the references
    await check(el, /Baseline/);
    await check(el, /No system prompt/);
    await check(el, /Also compare pairwise/);
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    const report = (await lastReport())!;
    expect(report.candidates.map((c) => c.label)).toEqual(['Baseline', 'No system prompt']);
    expect(report.judge.id).toBe('judge-x');
    expect(report.pairwise).toHaveLength(1);
    // A first-position-biased judge gives ties only once positions are swapped.
    expect(report.pairwise[0].rates.ties).toBe(2);
    expect(calls.filter((c) => c.binding.modelId === 'judge-x').length).toBe(4 + 4);
    expect(calls.every((c) => c.req.temperature === 0)).toBe(true);
    await expect.poll(() => results(el)).toBeTruthy();
    expect(find(el, '[aria-live="polite"]')).not.toBeNull();
  });

  it('a report the full disk kept from being saved says so in one line, with how to make room', async () => {
    const { client } = fakeClient();
    const { store } = await testStore();
    // The browser refuses the report's write, as IndexedDB does when storage is full.
    vi.spyOn(store, 'updateEvaluation').mockRejectedValue(
      toStorageError(new DOMException('Quota exceeded.', 'QuotaExceededError')),
    );
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    const alerts = () => $$(el, '[role="alert"]').map((a) => a.textContent!.replace(/\s+/g, ' '));
    await expect.poll(() => alerts().join()).toMatch(/The report could not be saved/);
    const said = alerts().find((a) => /could not be saved/.test(a))!;
    expect(said).toMatch(
      /The report could not be saved: Browser storage is full\. Make room: delete old runs in History/,
    );
    expect(said.match(/delete old runs/g)).toHaveLength(1);
  });

  it('explains what is missing instead of running', async () => {
    const { client, calls } = fakeClient();
    const el = await mount({ client, store: (await testStore()).store, appState: new AppState() });
    button(el, /Run evaluation/).click();
    await el.updateComplete;
    expect(alerts(el)).toMatch(/Load a model/);

    el.appState = new AppState({ roles: { policy: binding } });
    await el.updateComplete;
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await check(el, /Careful v1/); // untick the only candidate (the preselected alignment)
    button(el, /Run evaluation/).click();
    await el.updateComplete;
    expect(alerts(el)).toMatch(/at least one/);
    expect(calls).toHaveLength(0);
  });

  it('preselects the alignment handed over from Result with its starting prompt', async () => {
    const { client, calls } = fakeClient();
    const { store, lastReport } = await testStore();
    const older = {
      ...artifact,
      systemPrompt: 'Be careful, v2.',
      lineage: [{ depth: 0, prompt: 'Be nice.', reward: 3 }],
    };
    // Older than "Careful v1", so only the hand-over picks it.
    const saved = store.listAlignments.bind(store);
    store.listAlignments = async () => [
      ...(await saved()),
      { id: 'al2', name: 'Careful v2', artifact: older, savedAt: 0, source: 'run' },
    ];
    const appState = new AppState({ roles: { policy: binding }, evalPreselect: { alignmentId: 'al2' } });
    const el = await mount({ client, store, appState });
    await expect.poll(() => text(el)).toMatch(/Careful v2/);
    expect(box(el, /Careful v2/).checked).toBe(true);
    expect(box(el, /Careful v1/).checked).toBe(false);
    expect(box(el, /starting prompt/).checked).toBe(true);
    expect(box(el, /Baseline/).checked).toBe(false);
    expect(appState.value.evalPreselect).toBeNull();
    await setLimit(el, 1);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    const report = (await lastReport())!;
    expect(report.candidates.map((c) => [c.label, c.systemPrompt])).toEqual([
      ['Careful v2', 'Be careful, v2.'],
      ['Starting prompt', 'Be nice.'],
    ]);
    expect(calls.length).toBeGreaterThan(0);
  });

  it("asks for the alignment's recorded number of examples per question (issue 9)", async () => {
    const { client, calls, requests } = fakeClient();
    const { store, lastReport } = await testStore();
    // Three examples, none recorded in settings (that would say 3): the file's examplesPerQuery 1 decides.
    const one = sampleArtifact({
      systemPrompt: 'Be careful, with one example.',
      examplesPerQuery: 1,
      settings: {},
      icl: [
        { query: 'How tall is Mount Everest?', answer: 'About 8,849 m.' },
        { query: 'What is DNS?', answer: 'The internet phone book.' },
        { query: 'Why is the sky blue?', answer: 'Rayleigh scattering.' },
      ],
    });
    expect(inferenceExamples(one)).toBe(1);
    store.listAlignments = async () => [{ id: 'al3', name: 'One example', artifact: one, savedAt: 2, source: 'run' }];
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/One example/);
    await setLimit(el, 1);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    expect(requests).toHaveLength(1);
    const candidate = requests[0]!.candidates.find((c) => c.label === 'One example')!;
    expect(candidate.iclK).toBe(inferenceExamples(one));
    expect(candidate.icl).toEqual(one.icl);
    // The policy's system message carries exactly that many examples.
    const answers = calls.filter((c) => (c.req.messages[0]?.content as string).startsWith('Be careful, with one'));
    expect(answers.length).toBeGreaterThan(0);
    for (const c of answers) expect((c.req.messages[0]!.content as string).split('# Query:')).toHaveLength(2);
  });

  it('says in words when an alignment leads its starting prompt by a gap that may be noise', async () => {
    // The Result says "confirm the gain in Evaluate": a lead of 5.00 vs 4.00 on 3 questions confirms nothing, and
    // the page said nothing beside the two means.
    const el = await mount({
      client: fakeClient().client,
      store: (await testStore(await cannedReport())).store,
      appState: new AppState(),
    });
    await expect.poll(() => results(el)).toBeTruthy();
    const res = results(el)!;
    await res.updateComplete;
    expect(res.shadowRoot!.querySelector('[data-below]')).toBeNull();
    expect(text($(res, '[data-unconfirmed]'))).toBe(
      '“Careful v1” scored higher than its starting prompt (5.00 vs 4.00 overall on 3 questions), but the gap may be noise (the same gap on each of 3 questions gives no 95% interval, and 3 are too few to rule out chance): these questions do not confirm an improvement.',
    );
    // Its starting prompt's score here is not the Result's (other questions, other aspects): said once.
    expect($$(res, '[data-other-scale]')).toHaveLength(1);
    expect(text($(res, '[data-other-scale]'))).toMatch(/^These scores are not on the scale of the Result’s/);
  });

  it('says in words when an alignment scores below its starting prompt; "no valid judgements" for empty pairs', async () => {
    const report = await cannedReport();
    // Swap the scores: the alignment now trails the prompt it started from.
    const [mine, start] = report.candidates;
    const flipped: EvalReport = {
      ...report,
      candidates: [
        // Rows too: the two are compared question by question (stats audit, finding 1).
        { ...mine!, overall: { ...start!.overall }, rows: start!.rows },
        { ...start!, label: 'Starting prompt', overall: { ...mine!.overall }, rows: mine!.rows },
      ],
      pairwise: [
        {
          a: 'Careful v1',
          b: 'Starting prompt',
          // No verdict could be read: no outcome counted.
          rates: winRates([]),
          parseFailures: 3,
          positionDisagreements: 0,
          rows: [],
        } as unknown as EvalReport['pairwise'][number],
      ],
    };
    const el = await mount({
      client: fakeClient().client,
      store: (await testStore(flipped)).store,
      appState: new AppState(),
    });
    await expect.poll(() => results(el)).toBeTruthy();
    const res = results(el)!;
    await res.updateComplete;
    const note = $(res, '[data-below]');
    expect(note.textContent).toMatch(
      /“Careful v1” scored lower than its starting prompt \(4\.00 vs 5\.00 overall on 3 questions\): on these questions it is not an improvement, though the gap may be noise \(the same gap on each of 3 questions gives no 95% interval, and 3 are too few to rule out chance\)\./,
    );
    // Every answer of a row scored alike: no interval under its mean, and why (stats audit, finding 5).
    expect(text($(res, 'tbody tr td strong'))).toBe('4.00(no spread)');
    expect(text(res)).not.toMatch(/\[\d\.\d\d–/);
    expect(text($(res, '[data-no-interval]'))).toBe('(no spread): all the scores are equal, so no 95% interval.');
    expect($(res, '[data-no-judgements]').textContent).toMatch(/no valid judgements/);
    // Each table says what it holds.
    expect(text($(res, 'table.pairwise caption'))).toMatch(/Win, tie and loss rates of each pair/);
    expect(text(res)).not.toMatch(/0% \[0%–100%\]/);
    // The per-aspect chart comes before the table.
    const chart = $(res, 'figure.chart');
    const table = $(res, 'table.scores');
    expect(chart.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("names the candidate each pairwise judgement preferred, not the judge's A and B (which swap between the two)", async () => {
    const report = await cannedReport();
    const [mine, start] = report.candidates;
    const q = mine!.rows[0]!;
    const rates = winRates(['tie']);
    // "A" both times: the answer shown first both times, so each candidate once — a disagreement, a tie.
    type PairRow = EvalReport['pairwise'][number]['rows'][number];
    const pair = (verdicts: PairRow['verdicts'], b: string, outcome: PairRow['outcome']) => ({
      a: mine!.label,
      b,
      rates,
      parseFailures: 0,
      positionDisagreements: 1,
      rows: [
        {
          queryId: q.queryId,
          query: q.query,
          outcome,
          verdicts,
          rationales: ['r1', 'r2'] as [string, string],
        },
      ],
    });
    const res = await mountElement<DrpoEvalResults>('drpo-eval-results', {
      report: {
        ...report,
        // The second as the report has it when one judgement cannot be read: no outcome (pairwise.ts pairRow).
        pairwise: [pair(['A', 'A'], start!.label, 'tie'), pair(['tie', null], 'Other', null)],
      } satisfies EvalReport,
    });
    const lines = $$(res, 'p.small')
      .map(text)
      .filter((t) => t.includes(' vs '));
    expect(lines).toEqual([
      `${mine!.label} vs ${start!.label}: tie (judged “${mine!.label}” better, then “${start!.label}” better with the answers swapped) — r1`,
      `${mine!.label} vs Other: not judged (judged a tie, then unreadable with the answers swapped) — r1`,
    ]);
    // Under the table, as `drpo eval` says it: the verdict changed with the order of the answers.
    expect(text($(res, '[data-order-disagreements]'))).toContain(
      `“${mine!.label}” vs “${start!.label}”: the verdict changed when the answers were swapped on 1 of 1 question (counted as ties)`,
    );
  });

  it("names the built-in set as its own, not the Data view's training set (their counts differ)", async () => {
    const el = await mount({ client: fakeClient().client, store: (await testStore()).store, appState: new AppState() });
    const option = $<HTMLSelectElement>(el, '#eval-set').options[0]!;
    expect(text(option)).toMatch(/^Built-in test set \(\d+ queries, none of them training queries\)$/);
  });

  it('calls its questions test questions: "held-out" is the Data view’s word for a run’s own (audit s32)', async () => {
    const el = await mount({ client: fakeClient().client, store: (await testStore()).store, appState: new AppState() });
    const intro = text($(el, 'h2 + p'));
    expect(intro).toMatch(/^Score alignments on a set of test questions \(not a run’s own held-out ones\):/);
    expect(intro).not.toMatch(/held-out (queries|questions):/);
  });

  it('rejects a bad upload with a clear message and keeps the built-in set', async () => {
    const el = await mount({ client: fakeClient().client, store: (await testStore()).store, appState: new AppState() });
    const input = $<HTMLInputElement>(el, '#eval-file');
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0, 1, 2, 0])], 'bad.jsonl'));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    await expect.poll(() => alerts(el)).toMatch(/bad\.jsonl/);
    expect($<HTMLSelectElement>(el, '#eval-set').value).toBe('builtin');
  });

  /** Picks a file in the view's "Upload a file" input as a user would (the input is under its button). */
  async function pick(el: DrpoEvalView, file: File) {
    const input = $<HTMLInputElement>(el, '#eval-file');
    const dt = new DataTransfer();
    dt.items.add(file);
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
  }

  it('says what an uploaded query file kept and left out, as the Data view does', async () => {
    const el = await mount({ client: fakeClient().client, store: (await testStore()).store, appState: new AppState() });
    const lines = ['{"query":"What is DNS?"}', '{"query":"What is DNS?"}', '{not json', '{"query":"Explain TCP"}'];
    await pick(el, new File([lines.join('\n')], 'mine.jsonl'));
    await expect.poll(() => find(el, 'drpo-query-file-report')).toBeTruthy();
    const report = $(el, 'drpo-query-file-report');
    await (report as LitElement).updateComplete;
    expect(text(report)).toContain('mine.jsonl: kept 2 of 4 queries; skipped 1 unreadable line and 1 duplicate.');
    expect($$(report, '[data-skipped] li').map(text)).toEqual([expect.stringMatching(/^Line 3: /)]);
    expect($<HTMLSelectElement>(el, '#eval-set').value).toBe('upload');
    expect(text($(el, '#eval-set'))).toContain('mine.jsonl (2)');
    // Back on the built-in set, the file's report goes (it no longer says what is evaluated); the file stays listed.
    const set = $<HTMLSelectElement>(el, '#eval-set');
    set.value = 'builtin';
    set.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(find(el, 'drpo-query-file-report')).toBeNull();
  });

  it('refuses a file too big to read without reading it, and a bad file keeps the one in use', async () => {
    const el = await mount({ client: fakeClient().client, store: (await testStore()).store, appState: new AppState() });
    await pick(el, new File(['{"query":"What is DNS?"}\n{"query":"Explain TCP"}'], 'good.jsonl'));
    await expect.poll(() => $<HTMLSelectElement>(el, '#eval-set').value).toBe('upload');
    const huge = new File(['x'], 'huge.jsonl');
    const read = vi.spyOn(huge, 'arrayBuffer');
    Object.defineProperty(huge, 'size', { value: 60 * 1024 * 1024 });
    await pick(el, huge);
    await expect.poll(() => alerts(el)).toMatch(/“huge\.jsonl” is 60 MB; files up to 50 MB can be read here/);
    expect(read).not.toHaveBeenCalled();
    await pick(el, new File([new Uint8Array([0, 1, 2, 0])], 'bad.jsonl'));
    await expect.poll(() => alerts(el)).toMatch(/bad\.jsonl/);
    // The good file is still the set in use, with its report.
    expect($<HTMLSelectElement>(el, '#eval-set').value).toBe('upload');
    expect(text($(el, '#eval-set'))).toContain('good.jsonl (2)');
    expect(text($(el, 'drpo-query-file-report'))).toContain('good.jsonl: kept 2 of 2 queries.');
  });

  it('says a refused file was not used and which set stays selected, in the Data view’s words', async () => {
    const el = await mount({ client: fakeClient().client, store: (await testStore()).store, appState: new AppState() });
    await pick(el, new File([new Uint8Array([0, 1, 2, 0])], 'bad.jsonl'));
    await expect.poll(() => alerts(el)).toContain('“bad.jsonl” was not used: Built-in test set is still selected.');
    await pick(el, new File(['{"query":"What is DNS?"}\n{"query":"Explain TCP"}'], 'good.jsonl'));
    await expect.poll(() => $<HTMLSelectElement>(el, '#eval-set').value).toBe('upload');
    expect(alerts(el)).toBe('');
    await pick(el, new File([''], 'empty.txt'));
    await expect.poll(() => alerts(el)).toContain('“empty.txt” was not used: good.jsonl is still selected.');
    expect($<HTMLSelectElement>(el, '#eval-set').value).toBe('upload');
    // Another set chosen: the words would name a set no longer selected, so they go.
    const set = $<HTMLSelectElement>(el, '#eval-set');
    set.value = 'builtin';
    set.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(alerts(el)).toBe('');
  });

  it('says “Reading <file>…” while a file is read, with the upload off, and counts the queries separated', async () => {
    const el = await mount({ client: fakeClient().client, store: (await testStore()).store, appState: new AppState() });
    const { pending, restore } = holdFileReads();
    try {
      expect($(el, '[data-reading]').getAttribute('role')).toBe('status');
      const lines = Array.from({ length: 12_345 }, (_, i) => JSON.stringify({ query: `Question ${i}?` }));
      await pick(el, new File([lines.join('\n')], 'many.jsonl'));
      await expect.poll(() => text($(el, '[data-reading]'))).toBe('Reading “many.jsonl”…');
      expect($<HTMLInputElement>(el, '#eval-file').disabled).toBe(true);
      expect($<HTMLSelectElement>(el, '#eval-set').value).toBe('builtin');
      await expect.poll(() => pending.length).toBe(1);
      pending[0]!();
      await expect.poll(() => $<HTMLSelectElement>(el, '#eval-set').value).toBe('upload');
      expect(text($(el, '[data-reading]'))).toBe('');
      expect($<HTMLInputElement>(el, '#eval-file').disabled).toBe(false);
      expect(text($(el, '#eval-set'))).toContain('many.jsonl (12,345)');
    } finally {
      restore();
    }
  });

  it('Stop cancels the worker job and shows the partial results', async () => {
    // Answers come first (2 candidates × 4 questions), then judgements: the 10th call hangs with one judged.
    const { client, cancelled, calls } = fakeClient({ hang: true, hangAfter: 9 });
    const { store, lastReport } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await setLimit(el, 4);
    button(el, /Run evaluation/).click();
    await expect.poll(() => button(el, /^\s*Stop\s*$/)).toBeTruthy();
    await expect.poll(() => find(el, 'progress')).toBeTruthy();
    // Stop while the second judgement is really in flight (the fake holds it), not a few microtasks before.
    await expect.poll(() => calls.length).toBe(10);
    button(el, /^\s*Stop\s*$/).click();
    await expect.poll(() => cancelled.length).toBeGreaterThan(0);
    await expect.poll(() => lastReport()).toBeTruthy();
    expect((await lastReport())!.complete).toBe(false);
    await expect.poll(() => results(el)).toBeTruthy();
    await results(el)!.updateComplete;
    expect(text(results(el)!)).toMatch(/stopped early/);
    expect(button(el, /Run evaluation/).disabled).toBe(false);
    // Each row counts against the queries asked; one never reached says so; the header counts scored of asked.
    const scored = $$<HTMLTableRowElement>(results(el)!, 'tbody tr').map((r) => [
      text(r.querySelector('th')!),
      text(r.cells[r.cells.length - 2]!),
    ]);
    expect(scored).toEqual([
      ['Careful v1', '1/4'],
      ['Starting prompt', 'not scored'],
    ]);
    expect(text($(results(el)!, '[data-queries]'))).toMatch(
      /^4 queries \(\d regular, \d unsafe\); stopped with 1 of 8 answers scored ·/,
    );
  });

  it('a run that kept its starting prompt is not preselected against itself, and its closest candidate is offered', async () => {
    const { client } = fakeClient();
    const { store, lastReport } = await testStore();
    const kept = fellShortArtifact();
    const closest = closestCandidate(kept)!;
    store.listAlignments = async () => [
      { id: 'kept', name: 'No change', artifact: kept, savedAt: 3, source: 'run' },
      { id: 'near', name: 'Closest candidate', artifact: closest, savedAt: 2, source: 'run' },
    ];
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/No change/);
    // Its start is the baseline's text too: measured against no system prompt instead.
    expect(box(el, /No change/).checked).toBe(true);
    expect(box(el, /Their starting prompt/).checked).toBe(false);
    // Its start and the baseline are one prompt: one box for both (the baseline's own is not offered beside it).
    expect(referenceBoxes(el)).toEqual([
      'Their starting prompt (what the search began with), also the baseline: “You are a helpful assistant.”',
      'No system prompt',
    ]);
    expect(box(el, /No system prompt/).checked).toBe(true);
    expect(text($(el, '[data-same-start]'))).toMatch(
      /“No change” is its starting prompt, unchanged .* saved as “Closest candidate”\./,
    );
    expect(text($(el, '[data-same-start]'))).toMatch(/so it is not measured against that prompt: the two would give/);
    // Ticked anyway (with pairwise): the report says the two are one prompt, with one interval, and no pair of them.
    await check(el, /Their starting prompt/);
    expect(text($(el, '[data-same-start]'))).toMatch(
      /“No change” is its starting prompt, unchanged \(its run found no improvement\): the two give the same answers, so the report marks them as one prompt and does not compare them pairwise\./,
    );
    expect(text($(el, '[data-same-start]'))).not.toMatch(/not measured against/);
    await check(el, /Also compare pairwise/);
    await setLimit(el, 3);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    const report = (await lastReport())!;
    const [mine, start] = report.candidates;
    expect([mine!.label, start!.label, start!.sameAs]).toEqual(['No change', 'Starting prompt', 'No change']);
    expect(start!.overall).toEqual(mine!.overall);
    expect(report.pairwise.map((p) => [p.a, p.b])).toEqual([['No change', 'No system prompt']]);
    await expect.poll(() => results(el) && find(results(el)!, '[data-same-as]')).toBeTruthy();
    expect(text($(results(el)!, '[data-same-as]'))).toMatch(/“Starting prompt” is the same prompt as “No change”/);
    // The closest candidate, offered: it takes the place of the unchanged result, against its starting prompt.
    button(el, /Evaluate “Closest candidate” instead/).click();
    await el.updateComplete;
    expect(box(el, /^\s*Closest candidate/).checked).toBe(true);
    expect(box(el, /No change/).checked).toBe(false);
    expect(box(el, /Their starting prompt/).checked).toBe(true);
    expect(find(el, '[data-same-start]')).toBeNull();
  });

  it('names an alignment that is its starting prompt unchanged so, in the candidates and the report (audit s32)', async () => {
    const { client } = fakeClient();
    const { store, lastReport } = await testStore();
    store.listAlignments = async () => [
      { id: 'kept', name: 'DRPO Quick', artifact: fellShortArtifact(), savedAt: 3, source: 'run' },
    ];
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/DRPO Quick/);
    const label = box(el, /DRPO Quick/).closest('label')!;
    expect(text(label)).toBe('DRPO Quick (your starting prompt, unchanged)');
    expect(box(el, /DRPO Quick/).checked).toBe(true);
    expect(box(el, /No system prompt/).checked).toBe(true);
    await setLimit(el, 3);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    const report = (await lastReport())!;
    expect(report.candidates.map((c) => [c.label, c.unchanged])).toEqual([
      ['DRPO Quick', true],
      ['No system prompt', undefined],
    ]);
    await expect.poll(() => results(el) && find(results(el)!, '[data-unchanged]')).toBeTruthy();
    const res = results(el)!;
    // Said first, before any comparison with no system prompt could read as the run's gain.
    expect(text($(res, '[role="note"]'))).toBe(
      '“DRPO Quick” (your starting prompt, unchanged): its run found no improvement, so its scores here are your starting prompt’s, not a gain of the run.',
    );
    expect(text($(res, 'tbody th'))).toBe('DRPO Quickyour starting prompt, unchanged');
    expect(text(res)).not.toMatch(/confirm an improvement/);
  });

  it('offers a starting prompt that is the baseline once, under both names, and evaluates it once (audit s32)', async () => {
    const { client } = fakeClient();
    const { store, lastReport } = await testStore();
    // "Careful v1" started from the baseline's text (its lineage's first prompt).
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => box(el, /Careful v1/)?.checked).toBe(true);
    expect(referenceBoxes(el)).toEqual([
      'Their starting prompt (what the search began with), also the baseline: “You are a helpful assistant.”',
      'No system prompt',
    ]);
    expect(box(el, /Their starting prompt/).checked).toBe(true);
    // Unticked, it is gone: not evaluated under either name.
    await check(el, /Their starting prompt/);
    await check(el, /No system prompt/);
    await setLimit(el, 1);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    expect((await lastReport())!.candidates.map((c) => c.label)).toEqual(['Careful v1', 'No system prompt']);
    // With no alignment chosen, the baseline is its own box again.
    await check(el, /Careful v1/);
    expect(referenceBoxes(el)).toEqual(['Baseline: “You are a helpful assistant.”', 'No system prompt']);
  });

  it('does not offer a saved alignment for the closest candidate when it retrieves from another pool', async () => {
    const kept = fellShortArtifact();
    const closest = closestCandidate(kept)!;
    // The candidate's prompt and first example, but a larger pool: evaluated, it gets other examples and answers.
    const other = { ...closest, icl: [...closest.icl, { query: 'What is DNS?', answer: 'Names to addresses.' }] };
    const { store } = await testStore();
    store.listAlignments = async () => [
      { id: 'kept', name: 'No change', artifact: kept, savedAt: 3, source: 'run' },
      { id: 'near', name: 'Not quite it', artifact: other, savedAt: 2, source: 'run' },
    ];
    const el = await mount({
      client: fakeClient().client,
      store,
      appState: new AppState({ roles: { policy: binding } }),
    });
    await expect.poll(() => find(el, '[data-same-start]')).toBeTruthy();
    expect(text($(el, '[data-same-start]'))).toMatch(
      /Its run recorded the candidate that came closest: open the run’s Result/,
    );
    expect(button(el, /instead/)).toBeUndefined();
  });

  it('a run’s unchanged result links to the closest candidate in that run’s Result, to be evaluated there', async () => {
    const { store } = await testStore();
    store.listAlignments = async () => [
      { id: 'kept', name: 'No change', artifact: fellShortArtifact(), savedAt: 3, source: 'run', runId: 'run-7' },
    ];
    const el = await mount({
      client: fakeClient().client,
      store,
      appState: new AppState({ roles: { policy: binding } }),
    });
    await expect.poll(() => find(el, '[data-same-start]')).toBeTruthy();
    const link = $<HTMLAnchorElement>(el, '[data-same-start] a');
    expect(text(link)).toBe('open it in the run’s Result');
    expect(link.getAttribute('href')).toBe('#/result/run-7?closest=1');
  });

  it('an unchanged result imported from a file (no run here) points at no Result: its candidate is saved and evaluated from here', async () => {
    const { store } = await testStore();
    // As `drpo optimize` writes a "no improvement" result: the file records its closest candidate.
    const kept = fellShortArtifact();
    await store.saveAlignment({ name: 'From the CLI', artifact: kept, source: 'file' });
    const el = await mount({
      client: fakeClient().client,
      store,
      appState: new AppState({ roles: { policy: binding } }),
    });
    // The newest saved alignment is chosen on opening.
    await expect.poll(() => find(el, '[data-same-start]')).toBeTruthy();
    expect(box(el, /^\s*From the CLI/).checked).toBe(true);
    const note = text($(el, '[data-same-start]'));
    expect(note).not.toMatch(/run’s Result/);
    expect(note).toMatch(/It records the candidate its run came closest with \(a run not made in this browser\)/);
    expect(find(el, '[data-closest-link]')).toBeNull();
    button(el, /Save it to History and evaluate it instead/).click();
    // Saved beside the result, from the same kind of source, and chosen in its place against its starting prompt.
    const named = (a: { name: string }) => a.name === 'Closest candidate of From the CLI';
    await expect.poll(async () => (await store.listAlignments()).some(named)).toBe(true);
    expect((await store.listAlignments()).find(named)!.source).toBe('file');
    await expect.poll(() => find(el, '[data-same-start]')).toBeNull();
    expect(box(el, /^\s*Closest candidate of From the CLI/).checked).toBe(true);
    expect(box(el, /^\s*From the CLI/).checked).toBe(false);
    expect(box(el, /Their starting prompt/).checked).toBe(true);
    expect(find(el, '[data-same-start]')).toBeNull();
  });

  it('a rejected API key is said once, with where to fix it, and Resume is offered once', async () => {
    const url = 'http://127.0.0.1:9/v1/chat/completions';
    const fail = httpError(401, '{"error":{"message":"Invalid API key (scripted)"}}', { url });
    const { client } = fakeClient({ fail });
    const { store } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    await expect.poll(() => find(el, '[data-eval-error]')).toBeTruthy();
    // The store's notice of the failure arrives: still one box, and no second one to resume it.
    await expect.poll(() => $$(el, 'button').filter((b) => /^\s*Resume\s*$/.test(b.textContent ?? '')).length).toBe(1);
    const said = alerts(el);
    expect(said).toMatch(
      /^The API key was rejected \(401\/403\) Fix the API key in Setup → OpenAI-compatible endpoint/,
    );
    expect(said.match(/Invalid API key \(scripted\)/g)).toHaveLength(1);
    expect(find(el, '[data-interrupted]')).toBeNull();
    expect($(el, '[data-eval-error]').contains(button(el, /^\s*Resume\s*$/))).toBe(true);
  });

  it('a failed evaluation offers Discard beside Resume, which deletes it alone and says its error no more', async () => {
    const fail = httpError(401, '{"error":{"message":"Invalid API key (scripted)"}}', {
      url: 'http://127.0.0.1:9/v1/chat/completions',
    });
    const { client } = fakeClient({ fail });
    const { store, evaluations } = await testStore(await cannedReport());
    const [kept] = await evaluations();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => results(el)).toBeTruthy();
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    await expect.poll(() => find(el, '[data-eval-error]') && button(el, /^\s*Discard\s*$/)).toBeTruthy();
    const failed = (await evaluations()).find((e) => e.id !== kept!.id)!;
    expect(failed.status).toBe('failed');
    // Resume and Discard, both in the error box, once (no interrupted box offers them again).
    const box = $(el, '[data-eval-error]');
    expect(box.contains(button(el, /^\s*(Retry|Resume)\s*$/))).toBe(true);
    expect(box.contains(button(el, /^\s*Discard\s*$/))).toBe(true);
    expect(find(el, '[data-interrupted]')).toBeNull();
    button(el, /^\s*Discard\s*$/).click();
    await expect.poll(() => find(el, '[data-eval-error]')).toBeNull();
    // The failed record alone is gone: the last good report and the alignment stay, and nothing is offered.
    expect((await evaluations()).map((e) => e.id)).toEqual([kept!.id]);
    expect(await store.listAlignments()).toHaveLength(1);
    await el.updateComplete;
    expect(find(el, '[data-interrupted]')).toBeNull();
    expect(results(el)).toBeTruthy();
    expect(alerts(el)).toBe('');
  });

  it("a failed evaluation another tab took meanwhile is not offered for resuming in this page's error box", async () => {
    const fail = httpError(401, '{"error":{"message":"Invalid API key (scripted)"}}', {
      url: 'http://127.0.0.1:9/v1/chat/completions',
    });
    const { client } = fakeClient({ fail });
    const { store, evaluations } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    await expect.poll(() => find(el, '[data-eval-error]') && button(el, /^\s*Resume\s*$/)).toBeTruthy();
    const [failed] = await evaluations();
    // Another tab resumes it (it holds the evaluation's lock); this page hears so at its next look at the locks.
    const other = await webLockOwnership(navigator.locks).tryAcquire(evalLockId(failed!.id));
    try {
      await runOwners.refresh();
      el.requestUpdate();
      await el.updateComplete;
      expect(find(el, '[data-eval-error]')).toBeTruthy();
      expect(button(el, /^\s*(Retry|Resume|Discard)\s*$/)).toBeUndefined();
    } finally {
      other?.release();
    }
  });

  it('keeps keyboard focus on the run controls: Run evaluation is held while it runs, Stop hands it back', async () => {
    const { client, cancelled, calls, requests } = fakeClient({ hang: true, hangAfter: 0 });
    const { store, evaluations } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await setLimit(el, 2);
    const focused = () => el.shadowRoot!.activeElement;
    const runButton = button(el, /Run evaluation/);
    runButton.focus();
    runButton.click();
    await expect.poll(() => calls.length).toBe(1);
    // Held, not disabled: after a rendering of the page the focus is still there, and a second press runs nothing.
    await afterPaint();
    expect(focused()).toBe(runButton);
    expect(runButton.getAttribute('aria-disabled')).toBe('true');
    runButton.click();
    await el.updateComplete;
    expect(alerts(el)).toBe('');
    expect(requests).toHaveLength(1);
    expect(calls).toHaveLength(1);
    // Tab to Stop and press it: Stop goes with the evaluation, and Run evaluation has the focus again.
    button(el, /^\s*Stop\s*$/).focus();
    button(el, /^\s*Stop\s*$/).click();
    await expect.poll(() => cancelled.length).toBeGreaterThan(0);
    await expect.poll(async () => (await evaluations()).length).toBe(0);
    await expect.poll(() => find(el, 'button.danger')).toBeNull();
    await expect.poll(focused).toBe(runButton);
    expect(runButton.hasAttribute('aria-disabled')).toBe(false);
  });

  it('Stop before any answer is scored keeps nothing, and the last good report stays shown', async () => {
    const earlier = await cannedReport();
    const { client, cancelled, calls } = fakeClient({ hang: true, hangAfter: 0 });
    const { store, evaluations } = await testStore(earlier);
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => results(el)).toBeTruthy();
    await setLimit(el, 4);
    button(el, /Run evaluation/).click();
    await expect.poll(() => calls.length).toBe(1);
    button(el, /^\s*Stop\s*$/).click();
    await expect.poll(() => cancelled.length).toBeGreaterThan(0);
    await expect.poll(() => text(el)).toMatch(/Stopped before any answer was scored, so nothing was kept/);
    // Only the earlier evaluation is stored, and its report is the one on screen.
    expect((await evaluations()).map((e) => e.status)).toEqual(['completed']);
    await expect.poll(() => results(el)?.report?.createdAt).toBe(earlier.createdAt);
  });

  it('an evaluation where nothing could be scored keeps no checkpoint and offers no Resume, now or after a reload', async () => {
    const { store, evaluations } = await testStore();
    const el = await mount({
      client: fakeClient({ empty: true, store }).client,
      store,
      appState: new AppState({ roles: { policy: binding } }),
    });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    await expect.poll(async () => (await evaluations())[0]?.status).toBe('failed');
    const [record] = await evaluations();
    expect(record!.error?.name).toBe(ErrorName.NothingScored);
    // A resume would replay the same empty replies from the checkpoint.
    expect(record!.calls).toBeUndefined();
    await expect.poll(() => text(el)).toMatch(/Nothing could be scored/);
    expect(button(el, /^\s*Resume\s*$/)).toBeUndefined();
    el.remove();
    const again = await mount({
      client: fakeClient().client,
      store,
      appState: new AppState({ roles: { policy: binding } }),
    });
    await expect.poll(() => text(again)).toMatch(/Careful v1/);
    expect(find(again, '[data-interrupted]')).toBeNull();
    expect(button(again, /^\s*Resume\s*$/)).toBeUndefined();
  });

  it('the model turning to empty replies mid-evaluation fails it as a run fails: its checkpoint kept without them, Retry finishes it', async () => {
    const { store, evaluations } = await testStore();
    const opts = { store, emptyAfter: 3 as number | undefined };
    const fake = fakeClient(opts);
    const el = await mount({ client: fake.client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 20);
    button(el, /Run evaluation/).click();
    await expect.poll(async () => (await evaluations())[0]?.status).toBe('failed');
    const [record] = await evaluations();
    expect(record!.error?.name).toBe(ErrorName.EmptyReplies);
    expect(record!.error?.message).toMatch(/^The model began giving empty answers at call 4 \(the last 12 answers/);
    // The finished calls stay, without one empty reply: a retry asks them again.
    const kept = Object.values(record!.calls ?? {}) as ChatResult[];
    expect(kept).toHaveLength(3);
    expect(kept.every((r) => r.choices[0]!.text.trim() !== '')).toBe(true);
    await expect.poll(() => find(el, '[data-eval-error]')?.textContent ?? '').toMatch(/The replies came back empty/);
    expect($(el, '[data-eval-error]').textContent).toMatch(/The model began giving empty answers at call 4/);
    opts.emptyAfter = undefined;
    const before = fake.calls.length;
    await expect.poll(() => button(el, /^\s*Retry\s*$/)).toBeTruthy();
    // The view's list has read the failed record (the store announced it), as it has by the time a user clicks.
    const listed = () => (el as unknown as { evaluations: { status?: string }[] }).evaluations[0]?.status;
    await expect.poll(listed).toBe('failed');
    button(el, /^\s*Retry\s*$/)!.click();
    await expect.poll(async () => (await evaluations())[0]?.status).toBe('completed');
    // Two candidates (Careful v1 and its reference) on 20 questions: only the 3 calls kept are not made again.
    expect(fake.calls.length - before).toBe(2 * 20 * 2 - 3);
    const report = (await evaluations())[0]!.report!;
    expect(report.candidates.map((c) => c.counts.scored)).toEqual([20, 20]);
  });

  it('Retry pressed before the list is read again after the failure resumes from the checkpoint, not from the start', async () => {
    const { store } = await testStore();
    const stored = store.listEvaluations.bind(store);
    // The view's list reads wait while this holds them: the list keeps the record it read when the evaluation
    // began (no calls saved in it), as it does for the moment between the failure and the list's next reading.
    let held: (() => void)[] | null = null;
    store.listEvaluations = async () => {
      if (held) await new Promise<void>((go) => held!.push(go));
      return stored();
    };
    const opts = { store, emptyAfter: 3 as number | undefined, delayMs: 20 };
    const fake = fakeClient(opts);
    const el = await mount({ client: fake.client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 20);
    button(el, /Run evaluation/).click();
    const listed = () => (el as unknown as { evaluations: { status?: string; calls?: object }[] }).evaluations[0];
    await expect.poll(() => listed()?.status).toBe('running');
    held = [];
    await expect.poll(async () => (await stored())[0]?.status).toBe('failed');
    expect(Object.keys((await stored())[0]!.calls ?? {})).toHaveLength(3);
    opts.emptyAfter = undefined;
    const before = fake.calls.length;
    await expect.poll(() => button(el, /^\s*Retry\s*$/)).toBeTruthy();
    // Pressed at once: the list still holds the record as it was when the evaluation began.
    expect(listed()?.status).toBe('running');
    expect(listed()?.calls).toBeUndefined();
    button(el, /^\s*Retry\s*$/)!.click();
    for (const go of held.splice(0)) go();
    held = null;
    await expect.poll(async () => (await stored())[0]?.status, { timeout: 10_000 }).toBe('completed');
    // Only the 3 calls kept are not made again (2 candidates on 20 questions, an answer and a score each).
    expect(fake.calls.length - before).toBe(2 * 20 * 2 - 3);
  });

  it('"Queries to use" refuses what is not a whole number of 1 or more, and Run waits', async () => {
    const { client, calls } = fakeClient();
    const { store } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    expect($(el, '#eval-limit-err').getAttribute('role')).toBe('alert'); // there before any words
    for (const bad of ['1.5', '0', '-2']) {
      await setLimit(el, bad as unknown as number);
      expect($(el, '#eval-limit-err').textContent).toMatch(/whole number of 1 or more/);
      expect($<HTMLInputElement>(el, '#eval-limit').getAttribute('aria-invalid')).toBe('true');
      expect(button(el, /Run evaluation/).disabled).toBe(true);
    }
    await setLimit(el, 2);
    expect(button(el, /Run evaluation/).disabled).toBe(false);
    expect($(el, '#eval-limit-err').textContent).toBe('');
    // With real keys: "1e" typed over "2" reads as '' in the browser, and its change event is refused, not
    // taken for an empty box (the default) nor for "all of them". (An emptied box shows its default again when
    // left, so going between empty and "1e" without a change event never lifts or needs a refusal here.)
    await typeNumberText($<HTMLInputElement>(el, '#eval-limit'), '1e');
    await el.updateComplete;
    expect($(el, '#eval-limit-err').textContent).toMatch(/whole number of 1 or more/);
    expect(button(el, /Run evaluation/).disabled).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it("'Answer length' defaults to the alignment's run's (as drpo eval), refuses bad values in words, and is used", async () => {
    const { client, requests, calls } = fakeClient();
    const { store, lastReport } = await testStore();
    // A quick run's file: its policy answered with up to 320 tokens; "Careful v1" records none.
    const { el, quick } = await mountWithQuick(store, client);
    const field = () => $<HTMLInputElement>(el, '#eval-tokens');
    const label = $(el, 'label[for="eval-tokens"]');
    expect(text(label)).toBe('Answer length (max tokens)');
    // The CLI's default for the same file (drpo eval takes answerLength too).
    expect(answerLength([{ artifact: quick }]).maxTokens).toBe(320);
    expect(field().value).toBe('320');
    expect(text($(el, '[data-tokens-default]'))).toBe(
      'Unless you change it: 320 tokens, as the alignment’s run answered.',
    );
    // Ticking an alignment whose file records none keeps 320 (the one recorded), and says so.
    await check(el, /Careful v1/);
    expect(field().value).toBe('320');
    expect(text($(el, '[data-tokens-default]'))).toBe(
      'Unless you change it: 320 tokens, the one the alignments’ runs answered with (320; 1 file records none).',
    );
    await check(el, /Careful v1/);

    async function typeTokens(value: string) {
      field().value = value;
      field().dispatchEvent(new Event('change'));
      await el.updateComplete;
    }
    // (An empty box is no refusal: it is the default again, see the test after next.)
    const refused: [string, RegExp][] = [
      ['12.5', /Enter a whole number\./],
      ['8', /Use a value from 16 to 32768\./],
      ['40000', /Use a value from 16 to 32768\./],
    ];
    for (const [bad, words] of refused) {
      await typeTokens(bad);
      expect(text($(el, '#eval-tokens-err'))).toMatch(words);
      expect(field().getAttribute('aria-invalid')).toBe('true');
      expect(field().getAttribute('aria-describedby')).toContain('eval-tokens-err');
      expect(button(el, /Run evaluation/).disabled).toBe(true);
    }
    expect(calls).toHaveLength(0);
    await typeTokens('600');
    expect(text($(el, '#eval-tokens-err'))).toBe('');
    expect(field().getAttribute('aria-invalid')).toBe('false');
    await setLimit(el, 1);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    // The typed length reaches the evaluation request, the policy's calls and the report (which shows it).
    expect(requests[0]!.maxTokens).toBe(600);
    const answers = calls.filter((c) => c.req.messages[0]?.content === 'Be quick and kind.');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((c) => c.req.max_tokens === 600)).toBe(true);
    expect((await lastReport())!.settings.maxTokens).toBe(600);
    await expect.poll(() => text(find(results(el)!, '[data-queries]') ?? el)).toMatch(/answers up to 600 tokens/);
  });

  it('"Queries to use": an emptied box is the default (20) again, not a refusal', async () => {
    const { client, requests } = fakeClient();
    const { store, lastReport } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => box(el, /Careful v1/)?.checked).toBe(true);
    const field = () => $<HTMLInputElement>(el, '#eval-limit');
    await setLimit(el, 3);
    expect(field().value).toBe('3');
    // Emptied with real keys (and left): the default is shown again, nothing refused, and used.
    await typeNumberText(field(), '');
    await el.updateComplete;
    expect(field().value).toBe('20');
    expect(text($(el, '#eval-limit-err'))).toBe('');
    expect(field().getAttribute('aria-invalid')).toBe('false');
    expect(button(el, /Run evaluation/).disabled).toBe(false);
    // Refused (the words say the way back), then emptied: the refusal goes with what it refused.
    await typeNumberText(field(), '0');
    await el.updateComplete;
    expect(text($(el, '#eval-limit-err'))).toMatch(/whole number of 1 or more, or leave it empty for 20/);
    expect(button(el, /Run evaluation/).disabled).toBe(true);
    await typeNumberText(field(), '');
    await el.updateComplete;
    expect(field().value).toBe('20');
    expect(text($(el, '#eval-limit-err'))).toBe('');
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    expect(requests[0]!.queries).toHaveLength(Math.min(20, BUILTIN_EVAL.length));
  });

  it('"Answer length": a length refused on the default goes when other alignments change the default, and an emptied box is the default again', async () => {
    const { client, requests } = fakeClient();
    const { store, lastReport } = await testStore();
    const { el } = await mountWithQuick(store, client);
    const field = () => $<HTMLInputElement>(el, '#eval-tokens');
    const err = () => text($(el, '#eval-tokens-err'));
    const run = () => button(el, /Run evaluation/);
    // Only "Careful v1" chosen: it records no length, so the default.
    await check(el, /Quick/);
    await check(el, /Careful v1/);
    expect(field().value).toBe(String(DEFAULT_ANSWER_TOKENS));

    // 5 typed: refused, Run waits.
    await typeNumberText(field(), '5');
    await el.updateComplete;
    expect(err()).toMatch(/Use a value from 16 to 32768\./);
    expect(run().disabled).toBe(true);
    // "Quick" ticked: its run answered with 320, which the box now shows and the evaluation would use; the
    // refusal of the 5 no longer there goes, and Run is free.
    await check(el, /Quick/);
    expect(field().value).toBe('320');
    expect(err()).toBe('');
    expect(field().getAttribute('aria-invalid')).toBe('false');
    expect(run().disabled).toBe(false);

    // "1e" typed: refused; "Careful v1" unticked leaves the default at 320, and the box shows it again.
    await typeNumberText(field(), '1e');
    await el.updateComplete;
    expect(err()).toMatch(/Enter a number\./);
    await check(el, /Careful v1/);
    expect(field().value).toBe('320');
    expect(err()).toBe('');
    expect(run().disabled).toBe(false);

    // A length typed is kept over another choice of alignments...
    await typeNumberText(field(), '600');
    await el.updateComplete;
    expect(text($(el, '[data-tokens-default]'))).toBe(
      'Unless you change it: 320 tokens, as the alignment’s run answered. Empty the box to go back to it.',
    );
    await check(el, /Careful v1/);
    expect(field().value).toBe('600');
    // ...and emptying the box goes back to the alignments' length: shown, nothing refused, used.
    await typeNumberText(field(), '');
    await el.updateComplete;
    expect(field().value).toBe('320');
    expect(err()).toBe('');
    expect(run().disabled).toBe(false);
    // Emptied without a keystroke the view hears (as a script or an autofill may): shown again all the same.
    field().value = '';
    field().dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(field().value).toBe('320');
    expect(err()).toBe('');
    await setLimit(el, 1);
    run().click();
    await expect.poll(() => lastReport()).toBeTruthy();
    expect(requests[0]!.maxTokens).toBe(320);
  });

  it('runs with the default answer length when none is typed: the one drpo eval takes for the same file', async () => {
    const { client, requests } = fakeClient();
    const { store, lastReport } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => box(el, /Careful v1/)?.checked).toBe(true);
    // "Careful v1" records no answer length: the one default, said so.
    expect(text($(el, '[data-tokens-default]'))).toBe(
      `Unless you change it: ${DEFAULT_ANSWER_TOKENS} tokens, the default, as the alignment file records no answer length of its run.`,
    );
    await setLimit(el, 1);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    expect(requests[0]!.maxTokens).toBe(answerLength([{ artifact }]).maxTokens);
    expect(requests[0]!.maxTokens).toBe(DEFAULT_ANSWER_TOKENS);
  });

  it('drops an interrupted evaluation once the same comparison completed after it, and says so (trust audit 3)', async () => {
    const { store, evaluations } = await testStore();
    const appState = new AppState({ roles: { policy: binding } });
    // The comparison this view runs (Careful v1 against its starting prompt, 2 questions), once, to learn its plan.
    const first = fakeClient();
    const view = await mount({ client: first.client, store, appState });
    await expect.poll(() => text(view)).toMatch(/Careful v1/);
    await setLimit(view, 2);
    button(view, /Run evaluation/).click();
    await expect.poll(async () => (await evaluations()).filter((e) => e.report).length).toBe(1);
    view.remove();
    const { evalId: _id, ...plan } = first.requests[0]!;
    // Then the same comparison again, interrupted by a reload: started after that report, so it is offered.
    const record = await interruptedEvaluation(store, 'Careful v1 vs Starting prompt', plan, 3);
    const { client, calls } = fakeClient();
    const el = await mount({ client, store, appState });
    await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
    expect(button(el, /^\s*Resume\s*$/)).toBeTruthy();
    // The user runs the same comparison anew instead of resuming: once it completed, the interrupted one is gone.
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    await expect.poll(async () => (await evaluations()).filter((e) => e.report).length).toBe(2);
    await expect.poll(() => find(el, '[data-interrupted]')).toBeNull();
    expect(button(el, /^\s*Resume\s*$/)).toBeUndefined();
    await expect.poll(async () => (await evaluations()).map((e) => e.id)).not.toContain(record.id);
    expect(text($(el, '[data-dropped]'))).toBe(
      'The unfinished evaluation “Careful v1 vs Starting prompt” was discarded: the same evaluation has completed since.',
    );
    expect(calls.length).toBeGreaterThan(0);
    await expect.poll(() => results(el)).toBeTruthy();
  });

  it('keeps offering an interrupted evaluation when only another comparison completed after it', async () => {
    const { store, evaluations } = await testStore();
    const appState = new AppState({ roles: { policy: binding } });
    const { client, requests } = fakeClient();
    const el = await mount({ client, store, appState });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    // Interrupted: the same alignments and questions, but answers of up to 512 tokens.
    await setLimit(el, 2);
    button(el, /Run evaluation/).click();
    await expect.poll(async () => (await evaluations()).filter((e) => e.report).length).toBe(1);
    const { evalId: _id, ...plan } = requests[0]!;
    const record = await interruptedEvaluation(store, 'Shorter answers', { ...plan, maxTokens: 512 }, 3);
    await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
    button(el, /Run evaluation/).click();
    await expect.poll(async () => (await evaluations()).filter((e) => e.report).length).toBe(2);
    await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
    expect((await evaluations()).map((e) => e.id)).toContain(record.id);
    expect(find(el, '[data-dropped]')).toBeNull();
  });

  it('shows every step, but its polite region says a new phase at once and the count at most every few seconds', async () => {
    const { store, lastReport } = await testStore();
    const { client } = fakeClient({ delayMs: 20, store });
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 3);
    const seen = { shown: new Set<string>(), said: [] as string[] };
    const watch = new MutationObserver(() => {
      const shown = find(el, '[data-progress]');
      if (shown) seen.shown.add(text(shown));
      const said = text(find(el, '[data-said]') ?? document.createElement('p'));
      if (said && said !== seen.said.at(-1)) seen.said.push(said);
    });
    watch.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    const started = Date.now();
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport(), { timeout: 10_000 }).toBeTruthy();
    watch.disconnect();
    // One line per phase (Starting, Answering, Judging) plus one per interval the run lasted, while the
    // visible line showed each step.
    expect(find(el, '[data-said][aria-live=polite]')).not.toBeNull();
    expect(seen.shown.size).toBeGreaterThan(6);
    expect(seen.said.length).toBeGreaterThan(0);
    // Each new phase is said when it starts, not held back with the step counts.
    expect(seen.said.some((x) => /^Answering/.test(x))).toBe(true);
    expect(seen.said.some((x) => /^Judging/.test(x))).toBe(true);
    expect(seen.said.length).toBeLessThanOrEqual(3 + Math.floor((Date.now() - started) / ANNOUNCE_EVERY_MS));
  });

  it('goes on while the view is closed: another view shows its progress, then its report', async () => {
    const { store, lastReport, evaluations } = await testStore();
    const { client, checkpoints } = fakeClient({ delayMs: 20, store });
    const appState = new AppState({ roles: { policy: binding } });
    const first = await mount({ client, store, appState });
    await expect.poll(() => text(first)).toMatch(/Careful v1/);
    await setLimit(first, 3);
    button(first, /Run evaluation/).click();
    await expect.poll(() => find(first, 'progress')).toBeTruthy();
    first.remove();
    expect((await evaluations())[0]!.status).toBe('running');
    const again = await mount({ client, store, appState });
    await expect.poll(() => find(again, 'progress')).toBeTruthy();
    expect(text(again)).toMatch(/(Answering|Judging) · /);
    await expect.poll(() => lastReport(), { timeout: 10_000 }).toBeTruthy();
    const [done] = await evaluations();
    expect(done!.status).toBe('completed');
    // The worker kept its checkpoints (calls included) in the record; the finished record drops them.
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.every((id) => id === done!.id)).toBe(true);
    expect(done!.calls).toBeUndefined();
    await expect.poll(() => results(again)).toBeTruthy();
  });

  it('offers to resume an evaluation a reload interrupted, and repeats none of its finished calls', async () => {
    // The worker's checkpoints of an evaluation that stopped half-way (the page was reloaded).
    const { store, lastReport, evaluations } = await testStore();
    const job = {
      candidates: [
        { label: 'Careful v1', systemPrompt: 'Be careful and kind.' },
        { label: 'Baseline', systemPrompt: 'You are a helpful assistant.' },
      ],
      queries: [
        { id: 'q1', text: 'What is DNS?' },
        { id: 'q2', text: 'Write a haiku about rain.' },
        { id: 'q3', text: 'How do I pick a lock?', category: 'unsafe' },
      ],
      policy: binding,
      judge: binding,
      maxTokens: 512,
    };
    const record = await interruptedEvaluation(store, 'Careful v1 vs Baseline', job, 7);
    const { client, calls } = fakeClient();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
    // What was saved, not a phase: the checkpoint may lag the evaluation across one.
    expect($(el, '[data-interrupted]').textContent).toMatch(/was interrupted after step \d+ of 12 was saved\./);
    expect($(el, '[data-interrupted]').textContent).not.toMatch(/answering|judging/);
    button(el, /^\s*Resume\s*$/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    // 12 calls in all (6 answers, 6 judgements): the 7 finished before the reload are not made again.
    expect(calls).toHaveLength(12 - 7);
    expect((await evaluations())[0]).toMatchObject({ id: record.id, status: 'completed' });
    expect((await lastReport())!.complete).toBe(true);
    expect(find(el, '[data-interrupted]')).toBeNull();
  });

  it('a resumed evaluation stopped before a new score keeps its saved answers, to be resumed again', async () => {
    const { store, evaluations } = await testStore();
    const job = {
      candidates: [{ label: 'Careful v1', systemPrompt: 'Be careful and kind.' }],
      queries: [
        { id: 'q1', text: 'What is DNS?' },
        { id: 'q2', text: 'Write a haiku about rain.' },
      ],
      policy: binding,
      judge: binding,
      maxTokens: 512,
    };
    // One answer saved before a reload (no judgement yet).
    const record = await interruptedEvaluation(store, 'Half answered', job, 1);
    const { client, calls, cancelled } = fakeClient({ hang: true, hangAfter: 0 });
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
    button(el, /^\s*Resume\s*$/).click();
    await expect.poll(() => calls.length).toBe(1);
    button(el, /^\s*Stop\s*$/).click();
    await expect.poll(() => cancelled.length).toBeGreaterThan(0);
    // The notice is hidden while the evaluation runs: back, the stop has been handled.
    await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
    // Kept as it was: its saved answer is there, and Resume is offered again.
    const [kept] = await evaluations();
    expect(kept).toMatchObject({ id: record.id, status: 'running' });
    expect(Object.keys(kept!.calls ?? {}).length).toBeGreaterThan(0);
    expect(button(el, /^\s*Resume\s*$/)).toBeTruthy();
  });

  it('Discard deletes an interrupted evaluation, and the view lists it no more', async () => {
    const { evaluations, record, el } = await interruptedInView();
    await discardIn(el, evaluations, record.id);
  });

  it('announces a new evaluation only once this tab holds its lock', async () => {
    const { client } = fakeClient();
    const { store, lastReport, heldAtCreate } = await testStore();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => text(el)).toMatch(/Careful v1/);
    await setLimit(el, 1);
    button(el, /Run evaluation/).click();
    await expect.poll(() => lastReport()).toBeTruthy();
    expect(heldAtCreate).toEqual([true]);
  });

  it('does not resume an evaluation another tab took meanwhile: says so and writes nothing', async () => {
    const { store, evaluations } = await testStore();
    const record = await store.createEvaluation({ name: 'Interrupted', job: evalJob() });
    const { client, calls } = fakeClient();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    await expect.poll(() => find(el, '[data-interrupted]')).toBeTruthy();
    // Another tab resumes it first (it holds the evaluation's lock), then this one presses Resume.
    const other = await webLockOwnership(navigator.locks).tryAcquire(evalLockId(record.id));
    try {
      const [before] = await evaluations();
      button(el, /^\s*Resume\s*$/).click();
      await expect.poll(() => text(el)).toMatch(/running in another tab/);
      await expect.poll(() => find(el, '[data-interrupted]')).toBeNull();
      expect(calls).toHaveLength(0);
      expect((await evaluations())[0]).toEqual(before);
    } finally {
      other?.release();
    }
  });

  it('offers Resume again once the tab that ran the evaluation lets go, with no write to tell it', async () => {
    const { store } = await testStore();
    const record = await store.createEvaluation({ name: 'Held elsewhere', job: evalJob() });
    // Another tab runs it (it holds the evaluation's lock) before this view opens.
    const other = await webLockOwnership(navigator.locks).tryAcquire(evalLockId(record.id));
    expect(other).not.toBeNull();
    const { client } = fakeClient();
    const el = await mount({ client, store, appState: new AppState({ roles: { policy: binding } }) });
    try {
      await expect.poll(() => text(el)).toMatch(/Careful v1/);
      await el.updateComplete;
      expect(find(el, '[data-interrupted]')).toBeNull();
    } finally {
      // That tab closes: the lock is freed and nothing is written to the store.
      other?.release();
    }
    await expect.poll(() => find(el, '[data-interrupted]'), { timeout: 5_000 }).toBeTruthy();
    expect(button(el, /^\s*Resume\s*$/)).toBeTruthy();
  });

  it('Discard deletes an evaluation this page found running elsewhere, once that tab let go of it', async () => {
    const { evaluations, record, el } = await interruptedInView();
    // This page's Resume finds it held by another tab, which then closes.
    const other = await webLockOwnership(navigator.locks).tryAcquire(evalLockId(record.id));
    try {
      button(el, /^\s*Resume\s*$/).click();
      await expect.poll(() => text(el)).toMatch(/running in another tab/);
    } finally {
      other?.release();
    }
    await expect.poll(() => find(el, '[data-interrupted]'), { timeout: 5_000 }).toBeTruthy();
    await discardIn(el, evaluations, record.id);
    // Nor is it said to run in another tab any more.
    expect(text(el)).not.toMatch(/running in another tab/);
  });
});

describe('drpo-eval-view: what a running evaluation waits for', () => {
  const endpoint: RoleBinding = { engine: 'openai', endpointId: 'ep', modelId: 'm' };

  /**
   * The worker's own API (createWorkerApi) in the page as the client, with only plain data crossing as through
   * Comlink. The endpoint's model fails its first request with HTTP 500 (the adapter's report, then its wait for
   * the retry); every request waits until the test lets it go.
   */
  async function workerClient() {
    const waiting: (() => void)[] = [];
    let calls = 0;
    const model: ChatModel = {
      id: 'm',
      engine: 'openai',
      capabilities: SCRIPTED_CAPABILITIES,
      async chat(req) {
        if (++calls === 1) {
          const error = new AppError(ErrorName.ServerError, 'Internal error', { status: 500 });
          req.onAttemptFailed?.({ error, attempt: 1, attempts: 4, retryInMs: 4000 });
        }
        await new Promise<void>((r) => waiting.push(r));
        return {
          model: 'm',
          choices: [{ text: reply(req), finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1 },
        };
      },
    };
    const api = createWorkerApi({
      webllm: () => Promise.reject(new Error('not used')),
      probeGpu: async () => ({ available: false, shaderF16: false }),
      endpoints: { listModels: async () => ['m'], createModel: () => model },
      throttleMs: 50,
    });
    await api.setEndpoint({ id: 'ep', baseUrl: 'http://127.0.0.1:39/v1', concurrency: 1 });
    let n = 0;
    const client = {
      newJobId: () => `job-${++n}`,
      cancel: (jobId: string) => api.cancel(jobId),
      startEval: (jobId, request, checkpoint, onProgress) =>
        api.startEval(jobId, structuredClone(request), structuredClone(checkpoint), (u) =>
          onProgress?.(structuredClone(u)),
        ),
    } satisfies EvalClientPort;
    /** Lets the oldest waiting request answer, once there is one. */
    const answer = async () => {
      await expect.poll(() => waiting.length).toBeGreaterThan(0);
      waiting.shift()!();
    };
    return { client: client as unknown as WorkerClient, answer };
  }

  const waitNote = (el: DrpoEvalView) => find(el, '[data-waiting]');
  const waitSaid = (el: DrpoEvalView) => text($(el, '[data-wait-said]'));

  /** The page's clock, stopped at now until a test moves it (the worker keeps the real one). */
  function stoppedClock() {
    const realNow = Date.now.bind(Date);
    let clock = realNow();
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    return { later: (ms: number) => (clock += ms) };
  }
  afterEach(() => void vi.restoreAllMocks());

  it('says that a failed request waits for its retry, counts it down, and that the endpoint answered again', async () => {
    const { client, answer } = await workerClient();
    const el = await mount({ client, appState: new AppState({ roles: { policy: endpoint } }) });
    await setLimit(el, 1);
    const region = $(el, '[data-wait-said]');
    const { later } = stoppedClock();
    button(el, /Run evaluation/).click();
    const words = 'Waiting: the endpoint answered HTTP 500; retry 1 of 3 in 4 s.';
    await expect.poll(() => waitNote(el) && text(waitNote(el)!)).toBe(words);
    expect(waitSaid(el)).toBe(words);
    // Said by the region that was there before (one put in with its text may go unread).
    expect($(el, '[data-wait-said]')).toBe(region);
    // 2.5 s on, with no word from the worker: the note counts down (it is redrawn each second).
    later(2500);
    await expect
      .poll(() => waitNote(el) && text(waitNote(el)!))
      .toBe('Waiting: the endpoint answered HTTP 500; retry 1 of 3 in 1.5 s.');
    // The retried answer arrives: the note goes, a screen reader hears that the evaluation goes on.
    await answer();
    await expect.poll(() => waitNote(el)).toBeNull();
    expect(waitSaid(el)).toBe('The endpoint answered again; the evaluation goes on.');
    // One step done, and the judgement of that answer under way: the line names what is being done now (that
    // update may come a moment after the one that ended the wait).
    await expect.poll(() => text($(el, '[data-progress]'))).toMatch(/Judging · Baseline · 1\/2/);
    // The judge answers: the report is shown, and nothing is said of waiting any more.
    await answer();
    await expect.poll(() => results(el)).toBeTruthy();
    expect(waitNote(el)).toBeNull();
    expect(waitSaid(el)).toBe('');
  });

  it('drops the retry note once the retry is due, and says the endpoint answered only once it has', async () => {
    const { client, answer } = await workerClient();
    const el = await mount({ client, appState: new AppState({ roles: { policy: endpoint } }) });
    await setLimit(el, 1);
    const { later } = stoppedClock();
    button(el, /Run evaluation/).click();
    const words = 'Waiting: the endpoint answered HTTP 500; retry 1 of 3 in 4 s.';
    await expect.poll(() => waitNote(el) && text(waitNote(el)!)).toBe(words);
    // The retry went out: no note (and no silence yet), but nothing answered, so the region keeps what it said.
    later(4000);
    await expect.poll(() => waitNote(el)).toBeNull();
    expect(find(el, '[data-progress]')).toBeTruthy();
    expect(waitSaid(el)).toBe(words);
    await answer();
    await expect.poll(() => waitSaid(el)).toBe('The endpoint answered again; the evaluation goes on.');
    expect(waitNote(el)).toBeNull();
    await answer();
    await expect.poll(() => results(el)).toBeTruthy();
  });

  it('says a long silence from the model', async () => {
    const { client } = fakeClient({ hang: true, hangAfter: 0 });
    const el = await mount({ client, appState: new AppState({ roles: { policy: binding } }) });
    await setLimit(el, 1);
    button(el, /Run evaluation/).click();
    await expect.poll(() => find(el, '[data-progress]')).toBeTruthy();
    expect(waitNote(el)).toBeNull();
    // 15 s later, with no word from the worker. The note is redrawn each second (its ticker, which is also what
    // tells awake time from a sleep): the clock moves on a second per redraw, as it does awake.
    const realNow = Date.now.bind(Date);
    let ahead = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + ahead);
    for (ahead = 1000; ahead <= 15_000; ahead += 1000) {
      el.requestUpdate();
      await el.updateComplete;
    }
    try {
      await expect
        .poll(() => waitNote(el) && text(waitNote(el)!))
        .toMatch(/^No reply for 1[5-9] s: waiting for the model…$/);
      // The region said it the moment the silence became worth saying (10 s), and says it again at most every 8 s.
      expect(waitSaid(el)).toMatch(/^No reply for 1\d s/);
    } finally {
      vi.restoreAllMocks();
    }
    button(el, /Stop/).click();
    await expect.poll(() => find(el, '[data-progress]')).toBeNull();
    expect(waitNote(el)).toBeNull();
  });
});

describe('drpo-eval-view: many saved alignments and evaluations (scale audit 2, 6)', () => {
  const rowsOf = (el: DrpoEvalView) => $$(results(el)!, 'tbody tr').map((r) => text(r.querySelector('th')!));
  const saved = (el: DrpoEvalView) => $<HTMLElement>(el, 'drpo-saved-evaluations');

  it('says when an evaluation was saved once: not again beside a default name, which ends with its date', async () => {
    const { store } = await testStore();
    const named = await store.createEvaluation({ name: 'My check', job: evalJob() });
    const at = Date.now() + 1000;
    const now = vi.spyOn(Date, 'now').mockReturnValue(at);
    const dated = await store.createEvaluation({ name: `Careful v1 · ${formatDate(at)}`, job: evalJob() });
    now.mockRestore();
    expect(dated.savedAt).toBe(at);
    const el = await mount({ client: fakeClient().client, store, appState: new AppState() });
    const row = (id: string) => find(saved(el), `li[data-evaluation="${id}"]`);
    await expect.poll(() => row(named.id) && row(dated.id)).toBeTruthy();
    expect(text($(row(named.id)!, '[data-saved-at]'))).toBe(formatDate(named.savedAt));
    expect(find(row(dated.id)!, '[data-saved-at]')).toBeNull();
    expect(text(row(dated.id)!).split(formatDate(at))).toHaveLength(2);
  });

  it('lists the saved evaluations: an older report opens in place of the newest, and one can be deleted after asking', async () => {
    const report = await cannedReport();
    const { store, evaluations } = await testStore();
    const older: EvalReport = structuredClone(report);
    older.candidates[0]!.label = 'Older candidate';
    const a = await store.createEvaluation({ name: 'Older evaluation', job: evalJob() });
    await store.updateEvaluation(a.id, { status: 'completed', report: older });
    await new Promise((r) => setTimeout(r, 5));
    const b = await store.createEvaluation({ name: 'Newest evaluation', job: evalJob() });
    await store.updateEvaluation(b.id, { status: 'completed', report });
    const el = await mount({ client: fakeClient().client, store, appState: new AppState() });
    const toasts: string[] = [];
    el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
    await expect.poll(() => results(el) && find(saved(el), `li[data-evaluation="${a.id}"]`)).toBeTruthy();
    await results(el)!.updateComplete;
    expect(rowsOf(el)[0]).toBe('Careful v1');
    const row = (id: string) => find(saved(el), `li[data-evaluation="${id}"]`);
    expect(text(row(b.id)!)).toMatch(/Newest evaluation.*Finished\s*Shown below\s*Delete/);
    // Open: the older report is shown, said above it (focus goes there), and the way back is offered.
    $<HTMLButtonElement>(row(a.id)!, 'button[data-open]').click();
    await expect.poll(() => rowsOf(el)[0]).toBe('Older candidate');
    await afterPaint();
    expect(text($(el, '[data-opened]'))).toMatch(/^Showing “Older evaluation”, saved /);
    expect(el.shadowRoot!.activeElement).toBe($(el, '[data-opened]'));
    expect(find(row(a.id)!, '[data-shown]')).toBeTruthy();
    // It exports under its own name, not as the newest report's file.
    const files: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      files.push(this.download);
    });
    await results(el)!.updateComplete;
    button(results(el)!, /Export JSON/).click();
    button(results(el)!, /Export CSV/).click();
    expect(files).toEqual(['Older-evaluation.json', 'Older-evaluation.csv']);
    // Back to the newest: the line and its button go, and focus goes to the report shown, not to the page.
    const newest = $<HTMLButtonElement>(el, 'button[data-newest]');
    newest.focus();
    newest.click();
    await expect.poll(() => rowsOf(el)[0]).toBe('Careful v1');
    await afterPaint();
    expect(find(el, '[data-opened]')).toBeNull();
    expect(el.shadowRoot!.activeElement).toBe($(el, '[data-results]'));
    files.length = 0;
    button(results(el)!, /Export JSON/).click();
    expect(files).toEqual(['drpo-eval.json']);
    vi.restoreAllMocks();
    $<HTMLButtonElement>(row(a.id)!, 'button[data-open]').click();
    await expect.poll(() => rowsOf(el)[0]).toBe('Older candidate');
    // Delete asks first (Keep has focus); the row leaves at once; the newest report is shown again.
    $<HTMLButtonElement>(row(a.id)!, 'button[data-delete]').click();
    await (saved(el) as LitElement).updateComplete;
    expect(text($(row(a.id)!, '[role=alert]'))).toBe('Delete “Older evaluation”?');
    expect(saved(el).shadowRoot!.activeElement).toBe($(row(a.id)!, 'button[data-keep]'));
    $$<HTMLButtonElement>(row(a.id)!, 'button')
      .find((x) => text(x) === 'Yes, delete')!
      .click();
    await (saved(el) as LitElement).updateComplete;
    expect(row(a.id)).toBeNull();
    await expect.poll(async () => (await evaluations()).map((e) => e.id)).toEqual([b.id]);
    await expect.poll(() => rowsOf(el)[0]).toBe('Careful v1');
    expect(find(el, '[data-opened]')).toBeNull();
    expect(row(b.id)).toBeTruthy();
    // Said, as History says it (the row just goes).
    expect(toasts).toEqual(['Deleted “Older evaluation”.']);
  });

  it('holds Delete of an evaluation a tab runs, and says why in History’s words', async () => {
    const { store } = await testStore(await cannedReport());
    const records = await store.listEvaluations();
    for (const [where, why, status] of [
      ['here', 'it is running in this tab; stop it first.', 'Running in this tab'],
      ['elsewhere', 'it is running in another tab; stop it there first.', 'Running in another tab'],
    ] as const) {
      const list = await mountElement<LitElement>('drpo-saved-evaluations', {
        evaluations: records,
        runningIn: () => where,
      });
      const del = $<HTMLButtonElement>(list, 'button[data-delete]');
      expect(del.disabled).toBe(true);
      expect(del.title).toBe(why);
      expect(del.getAttribute('aria-description')).toBe(why);
      // Not only a mouse's tooltip: the reason in words, as History says it.
      expect(text($(list, '[data-delete-why]'))).toBe(`Cannot delete now: ${why}`);
      expect(text($(list, '[data-status]'))).toBe(status);
    }
  });

  it('the evaluations filter matches names and says so', async () => {
    const { store } = await testStore();
    for (let i = 0; i < 12; i++) {
      await store.createEvaluation({ name: `Check ${i}`, job: evalJob() });
    }
    const el = await mount({ client: fakeClient().client, store, appState: new AppState() });
    await expect.poll(() => find(saved(el), '#evaluations-filter')).toBeTruthy();
    const filter = $<HTMLInputElement>(saved(el), '#evaluations-filter');
    expect(filter.placeholder).toBe('Name');
    filter.value = 'check 1';
    filter.dispatchEvent(new Event('input'));
    await (saved(el) as LitElement).updateComplete;
    expect($$(saved(el), 'li[data-evaluation] .name').map(text)).toEqual(['Check 11', 'Check 10', 'Check 1']);
  });

  it('a delete that fails brings the evaluation back and says why', async () => {
    const { store } = await testStore(await cannedReport());
    const [r] = await store.listEvaluations();
    store.deleteEvaluation = () => Promise.reject(new Error('The disk is full.'));
    const el = await mount({ client: fakeClient().client, store, appState: new AppState() });
    await expect.poll(() => find(saved(el), `li[data-evaluation="${r!.id}"]`)).toBeTruthy();
    const li = () => find(saved(el), `li[data-evaluation="${r!.id}"]`);
    $<HTMLButtonElement>(li()!, 'button[data-delete]').click();
    await (saved(el) as LitElement).updateComplete;
    $$<HTMLButtonElement>(li()!, 'button')
      .find((x) => text(x) === 'Yes, delete')!
      .click();
    await expect.poll(() => find(saved(el), '[data-delete-error]')).toBeTruthy();
    expect(text($(saved(el), '[data-delete-error]'))).toBe('Not deleted “r”: The disk is full.');
    expect(li()).toBeTruthy();
  });

  it('offers the candidates a page at a time with a filter; chosen ones stay shown', async () => {
    const { store } = await testStore();
    for (let i = 0; i < 44; i++) {
      await store.saveAlignment({
        name: `Variant ${i}`,
        artifact: sampleArtifact({ systemPrompt: `Variant prompt ${i}.`, icl: [] }),
        source: 'run',
      });
    }
    const el = await mount({ client: fakeClient().client, store, appState: new AppState() });
    const ticks = () => $$(el, '[data-candidates] label').map(text);
    await expect.poll(() => ticks().length).toBe(20);
    // The newest is chosen (and drawn first); 45 in all.
    expect(ticks()[0]).toBe('Variant 43');
    expect(box(el, /Variant 43/).checked).toBe(true);
    expect(text($(el, '[data-more=candidates] [data-count]'))).toBe('Showing 20 of 45 saved alignments.');
    button(el, /^\s*Show 20 more\s*$/).click();
    await el.updateComplete;
    expect(ticks()).toHaveLength(40);
    const filter = $<HTMLInputElement>(el, '#candidates-filter');
    filter.value = 'variant 1';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    // Variant 1 and 10–19, and the chosen one, which the filter does not hide.
    expect(ticks()).toEqual(['Variant 43', ...Array.from({ length: 10 }, (_, i) => `Variant ${19 - i}`), 'Variant 1']);
    filter.value = 'zzz';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(ticks()).toEqual(['Variant 43']);
    expect(text($(el, '[data-more=candidates] [data-count]'))).toBe(
      'No saved alignments match “zzz”. The one you chose is shown anyway. Clear the filter to see all 45.',
    );
    // One drawn only because it is chosen stays drawn (and focused) when it is unticked, until the filter changes.
    filter.value = 'variant 12';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    await check(el, /Variant 12/);
    filter.value = 'zzz';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(ticks()).toEqual(['Variant 43', 'Variant 12']);
    expect(text($(el, '[data-more=candidates] [data-count]'))).toBe(
      'No saved alignments match “zzz”. The 2 you chose are shown anyway. Clear the filter to see all 45.',
    );
    box(el, /Variant 12/).focus();
    box(el, /Variant 12/).click();
    await el.updateComplete;
    await afterPaint();
    expect(ticks()).toEqual(['Variant 43', 'Variant 12']);
    expect(box(el, /Variant 12/).checked).toBe(false);
    expect(el.shadowRoot!.activeElement).toBe(box(el, /Variant 12/));
    expect(text($(el, '[data-more=candidates] [data-count]'))).toBe(
      'No saved alignments match “zzz”. The one you chose and the one you just unticked are shown anyway. Clear the filter to see all 45.',
    );
    filter.value = 'zz';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(ticks()).toEqual(['Variant 43']);
  });
});
