/**
 * A user can tell whether a result beats the prompt they started with (audit "trust" findings): Result and
 * the share page show which prompt the verdict compared with; History says each outcome in the Result's
 * words; a shared closest candidate's heading agrees with its comparison; Evaluate on a closest candidate
 * says it saves it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LitElement } from 'lit';
import '../../../src/ui/views/drpo-result-view';
import '../../../src/ui/views/drpo-history-view';
import '../../../src/ui/views/drpo-share-preview';
import '../../../src/ui/components/drpo-use-it';
import type { DrpoResultView } from '../../../src/ui/views/drpo-result-view';
import type { DrpoHistoryView } from '../../../src/ui/views/drpo-history-view';
import type { DrpoSharePreview } from '../../../src/ui/views/drpo-share-preview';
import { AppState } from '../../../src/ui/app/app-state';
import { resetRunSessions } from '../../../src/ui/controllers/run-controller';
import { closestCandidate } from '../../../src/core/formats/closest-candidate';
import { PLUS_MINUS_LABEL } from '../../../src/core/words/verdict-text';
import { encodeAlignmentLink, linkArtifact } from '../../../src/core/formats/link-codec';
import { readAlignmentText } from '../../../src/core/formats/alignment-import';
import { openStore } from '../../../src/store/store';
import { buildRunConfig } from '../../../src/core/plan/presets';
import type { AlignmentArtifact } from '../../../src/core/contracts/alignment';
import { FakeStore, until } from '../../support/live-fakes';
import { makeNode } from '../../support/live-fixtures';
import { getRunSession } from '../../../src/ui/controllers/run-controller';
import { applyEvents, createRunViewModel } from '../../../src/ui/view-models/run/run-view-model';
import type { SearchNode } from '../../../src/core/contracts/search-node';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import { mountResultView, mountRunResult } from '../../support/result-view';
import { fellShortArtifact, nothingLedArtifact, sampleArtifact } from '../../support/artifacts';
import { $, $$, mount, mountEl, settle, text, unmountAll, waitFor } from '../../support/dom';

const startHash = location.hash;
afterEach(() => {
  unmountAll();
  resetRunSessions();
  history.replaceState(null, '', startHash || location.pathname + location.search);
});

const START = 'You answer briefly, kindly and honestly.';

/** The audit's quick run: a rewrite that beat the start, 3.53 vs 3.19, with a path mean of 4.04. */
const improved = (over: Partial<AlignmentArtifact> = {}) =>
  sampleArtifact({
    name: 'Audit quick',
    systemPrompt: 'Be specific and relevant.',
    initialPrompt: START,
    outcome: 'improved',
    scores: {
      train: 4.04,
      validation: 3.53,
      initialValidation: 3.19,
      validationStandardError: 0.31,
      validationQueries: 6,
      heldOutQueries: 12,
      raceQueries: 4,
      keptBackQueries: 6,
    },
    lineage: [
      { depth: 0, prompt: START, reward: 4 },
      { depth: 1, prompt: 'Be specific and relevant.', reward: 4.5 },
    ],
    ...over,
  });

/** The audit's paper run: no improvement (3.51, the start's), its closest candidate 3.39 vs 3.51. */
function paperFellShort(): AlignmentArtifact {
  const a = fellShortArtifact(
    { validation: 3.39, standardError: 0.3 },
    { name: 'Audit paper', preset: 'paper', systemPrompt: START, initialPrompt: START },
  );
  a.scores = { ...a.scores, validation: 3.51, initialValidation: 3.51 };
  return a;
}

const resultView = mountResultView;

const btn = (root: ParentNode, label: RegExp) =>
  [...root.querySelectorAll('button')].find((b) => label.test(b.textContent?.trim() ?? ''))!;
const words = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('Result: the starting prompt the verdict compared with', () => {
  it('shows its text under "Starting prompt", and the lineage names depth 0 the starting prompt', async () => {
    const { el, sr } = await resultView(improved());
    expect(words(sr.querySelector('[data-outcome]'))).toContain('3.53 vs 3.19 for the starting prompt');
    const block = sr.querySelector<HTMLDetailsElement>('details[data-starting-prompt]')!;
    expect(words(block.querySelector('summary'))).toMatch(/^Starting prompt what the run started from$/);
    // Short: open at once, its text readable without a click.
    expect(block.open).toBe(true);
    expect(block.querySelector('pre.prompt')!.textContent).toBe(START);
    // The system prompt stays the first prompt shown (Copy prompt copies it).
    expect(sr.querySelector('pre.prompt')!.textContent).toBe('Be specific and relevant.');
    // How the prompt got here: depth 0 is called the starting prompt, and its text is one press away.
    const first = sr.querySelector('ol.lineage > li')!;
    expect(words(first)).toMatch(/depth 0 score 4\.00 starting prompt Show prompt/);
    expect(words(sr.querySelector('section:last-of-type'))).not.toMatch(/initial prompt/i);
    btn(first, /^Show prompt$/).click();
    await el.updateComplete;
    const diff = first.querySelector('drpo-prompt-diff') as LitElement;
    await diff.updateComplete;
    expect(diff.shadowRoot!.querySelector('pre.prompt')!.textContent!.trim()).toBe(START);
    expect(words(diff.shadowRoot!.querySelector('.bar'))).toBe('Starting prompt');
    expect(btn(first, /^Hide prompt$/).getAttribute('aria-expanded')).toBe('true');
  });

  it('folds a long starting prompt, saying how long it is', async () => {
    const long = `${START}\n${Array.from({ length: 40 }, (_, i) => `- Rule ${i}: be careful.`).join('\n')}`;
    const { sr } = await resultView(improved({ initialPrompt: long }));
    const block = sr.querySelector<HTMLDetailsElement>('details[data-starting-prompt]')!;
    expect(block.open).toBe(false);
    expect(words(block.querySelector('summary'))).toMatch(/^Starting prompt what the run started from · \d+ words$/);
    expect(block.querySelector('pre.prompt')!.textContent).toBe(long);
  });

  it('is not shown twice when the result is the starting prompt', async () => {
    const { sr } = await resultView(paperFellShort());
    expect(sr.querySelector('[data-starting-prompt]')).toBeNull();
    expect(sr.querySelector('pre.prompt')!.textContent).toBe(START);
  });
});

/** The audit's quick run: no improvement; its closest candidate, the start with 2 examples, 3.92 vs 4.11. */
function quickExamplesOnly(): AlignmentArtifact {
  const a = fellShortArtifact(
    { systemPrompt: START, examplesPerQuery: 2, validation: 3.92, standardError: 0.26 },
    { name: 'Audit quick', preset: 'quick', systemPrompt: START, initialPrompt: START },
  );
  a.scores = {
    ...a.scores,
    train: 4,
    validation: 4.11,
    initialValidation: 4.11,
    heldOutQueries: 12,
    raceQueries: 6,
    keptBackQueries: 6,
  };
  return a;
}

describe('Result: the figure tiles agree with the verdict sentence', () => {
  const tiles = (sr: ParentNode) => [...sr.querySelectorAll('.scores > div')].map((t) => words(t));

  it('no improvement: the closest candidate and the start, the figures the sentence compares (audit)', async () => {
    const { sr } = await resultView(quickExamplesOnly());
    expect(words(sr.querySelector('[data-outcome]'))).toContain('scored 3.92 vs 4.11 without them');
    // Not "this alignment 4.11 / starting prompt 4.11": the start twice, the 3.92 nowhere.
    expect(tiles(sr)).toEqual([
      'Closest candidate 3.92',
      'Starting prompt 4.11',
      // Whose: the start's (the alignment is the start), not the closest candidate's beside it.
      'Path mean on training questions: starting prompt 4.00',
    ]);
    expect(sr.querySelector('[data-figure=candidate] drpo-info')!.getAttribute('term')).toBe('verdict');
  });

  it('nothing led: only the start’s figure', async () => {
    const { sr } = await resultView(nothingLedArtifact({ name: 'Nothing led' }));
    expect(tiles(sr)).toEqual(['Starting prompt 4.17', 'Path mean on training questions: starting prompt 3.00']);
    expect(sr.querySelector('[data-figure=start] drpo-info')!.getAttribute('term')).toBe('race');
  });

  it('an improved result keeps its tiles: this alignment against the start', async () => {
    const { sr } = await resultView(improved());
    expect(tiles(sr)).toEqual([
      'Verdict: this alignment 3.53',
      'Verdict: starting prompt 3.19',
      'Path mean on training questions 4.04',
    ]);
  });
});

/**
 * The audit's quick run as the search left it: the start scored 4.00 at level 0, a rewrite 4.83 at depth 3
 * (what Live showed), and in the race the rewrites trailed the start (3.50 and 3.00 vs 4.00 without examples,
 * on 2 questions) while the start with 2 examples led: it became the closest candidate.
 */
function raceNodes(): SearchNode[] {
  return [
    makeNode({
      id: 'root',
      prompt: START,
      reward: 4,
      race: [
        { examplesPerQuery: 0, reward: 4, questions: 2 },
        { examplesPerQuery: 2, reward: 4.25, questions: 2 },
      ],
    }),
    makeNode({ id: 'a', parentId: 'root', depth: 1, prompt: 'Be brief.', reward: 4.5 }),
    makeNode({
      id: 'b',
      parentId: 'a',
      depth: 3,
      prompt: 'Be brief and kind.',
      reward: 4.83,
      race: [
        { examplesPerQuery: 0, reward: 3.5, questions: 2 },
        { examplesPerQuery: 2, reward: 3.25, questions: 2 },
      ],
    }),
    makeNode({
      id: 'c',
      parentId: 'a',
      depth: 3,
      prompt: 'Be kind.',
      reward: 4.2,
      race: [{ examplesPerQuery: 0, reward: 3, questions: 2 }],
    }),
  ];
}

const LOST_TO_START =
  'The search’s own prompts lost the race on the held-out questions to your prompt with 2 worked examples per question (best: 3.50 vs 4.00 on 2 questions). Their higher scores during the search (up to 4.83) were each on a few training questions; the final check compares prompts on the same held-out ones.';

describe('Result: what became of the search’s own prompts when your prompt with examples came closest', () => {
  it('a stored run: says they lost the race to your prompt, with the best of their race scores, and why', async () => {
    const store = new FakeStore();
    store.nodes.set('done', raceNodes());
    const { sr } = await resultView(quickExamplesOnly(), store);
    await until(() => sr.querySelector('[data-finalists]') !== null);
    const line = sr.querySelector('[data-finalists]')!;
    expect(words(line)).toBe(LOST_TO_START);
    expect(line.querySelector('drpo-info')!.getAttribute('term')).toBe('race');
    // Said once, beside the verdict, not in it.
    expect(words(sr.querySelector('[data-outcome]'))).not.toContain('search’s own prompts');
  });

  it('a run that just finished in this tab: read from its session', async () => {
    const session = getRunSession('live');
    const events: RunEvent[] = raceNodes().map((node) => ({ runId: 'live', at: 1, type: 'node-evaluated', node }));
    session.vm = { ...applyEvents(createRunViewModel('live'), events), artifact: quickExamplesOnly() };
    const el = mountRunResult(new FakeStore().asStore(), 'live');
    await until(() => el.shadowRoot?.querySelector('[data-finalists]') != null);
    expect(words(el.shadowRoot!.querySelector('[data-finalists]'))).toBe(LOST_TO_START);
  });

  it('says nothing extra without the run’s race (a file, a share link) or when a rewrite came closest', async () => {
    // A run without nodes (imported from a file): its nodes read, nothing said.
    const bare = new FakeStore();
    const reads: Promise<unknown>[] = [];
    const getNodes = bare.getNodes.bind(bare);
    bare.getNodes = (id: string) => {
      const read = getNodes(id);
      reads.push(read);
      return read;
    };
    const { el, sr } = await resultView(quickExamplesOnly(), bare);
    await until(() => reads.length > 0);
    await Promise.all(reads);
    await el.updateComplete;
    expect(sr.querySelector('[data-finalists]')).toBeNull();
    unmountAll();
    // A rewrite came closest: the search's own prompt reached the verdict, which says so; its nodes not read.
    const store = new FakeStore();
    store.nodes.set('done', raceNodes());
    let asked = 0;
    store.getNodes = async () => (asked++, []);
    const rewrite = await resultView(paperFellShort(), store);
    expect(rewrite.sr.querySelector('[data-finalists]')).toBeNull();
    expect(asked).toBe(0);
    unmountAll();
    const { fragment } = await encodeAlignmentLink(quickExamplesOnly());
    const page = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}` });
    await waitFor(() => page.shadowRoot!.querySelector('[data-state=ok]') !== null);
    expect(page.shadowRoot!.textContent).not.toContain('search’s own prompts');
  });
});

describe('Result: the verdict’s "±" is explained under it, no hover needed', () => {
  it('a line under a sentence with a ± says what it is; none where no ± is said', async () => {
    const { sr } = await resultView(quickExamplesOnly());
    const box = sr.querySelector('[data-outcome]')!;
    expect(words(box)).toContain('without them (−0.19 ± 0.26) on 6 of your 12');
    expect(box.querySelector('[data-plus-minus]')?.textContent).toBe(PLUS_MINUS_LABEL);
    unmountAll();
    // No "±" in the sentence, no line: nothing led, or a file without a comparison.
    for (const a of [nothingLedArtifact({ name: 'Nothing led' }), sampleArtifact({ name: 'Older' })]) {
      const { sr } = await resultView(a);
      expect(words(sr.querySelector('[data-outcome]'))).not.toContain('±');
      expect(sr.querySelector('[data-outcome] [data-plus-minus]')).toBeNull();
      unmountAll();
    }
  });

  it('the share page has it too', async () => {
    const { fragment } = await encodeAlignmentLink(quickExamplesOnly());
    const page = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}` });
    await waitFor(() => page.shadowRoot!.querySelector('[data-state=ok]') !== null);
    await settle(page);
    expect(page.shadowRoot!.querySelector('[data-outcome] [data-plus-minus]')?.textContent).toBe(PLUS_MINUS_LABEL);
  });
});

describe('Result: what "Evaluate it against your prompt" does to History', () => {
  it('says before and after that it saves the closest candidate; Try saves nothing', async () => {
    const store = new FakeStore();
    const { sr, toasts } = await resultView(paperFellShort(), store);
    const box = sr.querySelector('drpo-closest-candidate') as LitElement;
    await box.updateComplete;
    const inner = box.shadowRoot!;
    expect(words(inner.querySelector('[data-saves]'))).toBe(
      'Evaluate saves it to your alignments (History, Playground, Evaluate) as “Closest candidate of Audit paper”.',
    );
    btn(inner, /^Try it in the playground$/).click();
    expect(location.hash).toBe('#/playground');
    expect(store.saved).toHaveLength(0);
    btn(inner, /^Evaluate it against your prompt$/).click();
    await until(() => location.hash === '#/evaluate');
    expect(store.saved.map((s) => s.name)).toEqual(['Closest candidate of Audit paper']);
    expect(toasts).toEqual(['Saved to History as “Closest candidate of Audit paper”']);
  });

  it('saves it under a numbered name when another saved alignment has its name, and the toast says why', async () => {
    const store = await openStore({ forceMemory: true });
    const name = 'Closest candidate of Audit paper';
    await store.saveAlignment({ name, artifact: sampleArtifact({ systemPrompt: 'Another prompt.' }), source: 'file' });
    const run = await store.createRun(buildRunConfig('paper', { name: 'Audit paper' }), 'Audit paper');
    await store.updateRun(run.id, { status: 'completed', artifact: paperFellShort() });
    const el = mountRunResult(store, run.id);
    const toasts: string[] = [];
    el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
    await until(() => el.shadowRoot?.querySelector('drpo-closest-candidate') != null);
    const box = el.shadowRoot!.querySelector('drpo-closest-candidate') as LitElement;
    await box.updateComplete;
    btn(box.shadowRoot!, /^Evaluate it against your prompt$/).click();
    await until(() => location.hash === '#/evaluate');
    expect(toasts).toEqual([`Saved to History as “${name} (2)”: “${name}” already names another saved alignment`]);
    const saved = (await store.listAlignments()).find((a) => a.name === `${name} (2)`);
    expect(saved).toMatchObject({ source: 'run', runId: run.id });
  });

  it('says nothing about saving where nothing can be saved', async () => {
    const box = document.createElement('drpo-closest-candidate');
    box.artifact = paperFellShort();
    mountEl(box);
    await box.updateComplete;
    expect(box.shadowRoot!.querySelector('[data-saves]')).toBeNull();
  });
});

describe('Result: the closest candidate’s worked examples can be read', () => {
  it('lists them, folded, under its prompt, as the result’s own examples are listed', async () => {
    const paper = paperFellShort();
    const { sr } = await resultView(paper);
    const box = sr.querySelector('drpo-closest-candidate') as LitElement;
    await box.updateComplete;
    const list = box.shadowRoot!.querySelector<HTMLDetailsElement>('details[data-examples]')!;
    expect(list.open).toBe(false);
    expect(words(list.querySelector('summary'))).toBe('Worked examples (1) · 1 retrieved per question');
    expect(words(list.querySelector('ol'))).toBe('Why is the sky blue? Air scatters blue light most.');
    // The result itself is the starting prompt without examples: none listed for it.
    expect(sr.querySelector('[data-examples]')).toBeNull();

    // An improved result's own examples: the same list, in the Result itself.
    unmountAll();
    resetRunSessions();
    const withExamples = improved({
      icl: [{ query: 'What is rain?', answer: 'Water falling from clouds.' }],
      examplesPerQuery: 1,
    });
    const { sr: own } = await resultView(withExamples);
    const ownList = own.querySelector('details[data-examples]')!;
    expect(words(ownList.querySelector('summary'))).toBe('Worked examples (1) · 1 retrieved per question');
    expect(words(ownList.querySelector('ol'))).toBe('What is rain? Water falling from clouds.');
  });
});

describe('Result: the places it is saved in, and a link to its closest candidate, go there', () => {
  it('"Saved as … (History, Playground, Evaluate)": each a link that opens that page with this alignment', async () => {
    const shown = paperFellShort();
    const store = new FakeStore();
    await store.saveAlignment({ name: 'Audit paper', artifact: shown, source: 'run' });
    const { sr, state } = await resultView(shown, store);
    await until(() => !!sr.querySelector('[data-saved]'));
    const line = sr.querySelector('[data-saved] span')!;
    expect(words(line)).toBe('Saved as “Audit paper” in your alignments (History, Playground, Evaluate).');
    const links = Object.fromEntries([...line.querySelectorAll('a')].map((a) => [words(a), a]));
    expect(Object.keys(links)).toEqual(['History', 'Playground', 'Evaluate']);
    expect(links['History']!.getAttribute('href')).toBe('#/history?alignment=al-1');
    links['Evaluate']!.click();
    await until(() => location.hash === '#/evaluate');
    expect(state.value.evalPreselect).toEqual({ alignmentId: 'al-1' });
    links['Playground']!.click();
    await until(() => location.hash === '#/playground');
    expect(state.value.playgroundAlignment?.systemPrompt).toBe(shown.systemPrompt);
  });

  it('opened from a link to its closest candidate: the candidate shown open, its Evaluate focused', async () => {
    const { el, sr } = await resultView(paperFellShort());
    const box = sr.querySelector('drpo-closest-candidate') as LitElement;
    await box.updateComplete;
    expect(box.shadowRoot!.querySelector('details')!.open).toBe(false);
    el.showClosest = true;
    await until(() => box.shadowRoot!.querySelector('details')!.open);
    await until(() => words(box.shadowRoot!.activeElement) === 'Evaluate it against your prompt');
  });
});

describe('Result: its alignment saved from its share link', () => {
  it('gives the stored row what the link left out (the run’s settings), under the row’s name', async () => {
    const store = await openStore({ forceMemory: true });
    const full = improved({ settings: { iclKInference: 1, maxTokens: 256 } });
    const thin = await store.saveAlignment({ name: 'From a friend', artifact: linkArtifact(full)!, source: 'link' });
    expect(thin.artifact.settings).toEqual({});
    const el = document.createElement('drpo-result-view') as DrpoResultView;
    el.appState = new AppState();
    el.store = store;
    el.artifact = full;
    mountEl(el);
    await waitFor(() => /Saved as “From a friend”/.test(words(el.shadowRoot!.querySelector('[data-saved]'))));
    const rows = await store.listAlignments();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: thin.id, name: 'From a friend', source: 'link' });
    expect(rows[0]!.artifact.settings).toEqual({ iclKInference: 1, maxTokens: 256 });
    expect(rows[0]!.artifact).toEqual(full);
  });
});

describe('History: each outcome in the Result’s words', () => {
  it('says which alignment beat its start, and names the path mean as Result does', async () => {
    const store = await openStore({ forceMemory: true });
    const paper = paperFellShort();
    const read = readAlignmentText(JSON.stringify([{ query: 'Hi?', answer: 'Hello.' }]), 'icl.json');
    if (!read.ok) throw new Error(read.errors.join('; '));
    await store.saveAlignment({ name: 'Examples', artifact: read.artifact, source: 'drpo-import' });
    await store.saveAlignment({ name: 'Audit quick', artifact: improved(), source: 'run' });
    await store.saveAlignment({ name: 'Audit paper', artifact: paper, source: 'run' });
    await store.saveAlignment({ name: 'Closest', artifact: closestCandidate(paper)!, source: 'run' });
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-alignment]').length === 4);
    const section = $$(el, 'section').find((s) => /Saved alignments/.test(text(s)))!;
    expect($$(section, 'th').map((th) => text(th))).toEqual([
      'Name',
      'Model',
      'Verdict (vs starting prompt)',
      'Path mean on training questions',
      'Saved',
      'Actions',
    ]);
    const cells = (name: string) => {
      const row = $$(el, 'tr[data-alignment]').find((r) => text(r).startsWith(name))!;
      return [...row.querySelectorAll('td')].slice(2, 4).map((td) => text(td));
    };
    expect(cells('Audit quick')).toEqual(['improved: 3.53 vs 3.19', '4.04']);
    expect(cells('Audit paper')).toEqual(['no improvement', '3.50']);
    expect(cells('Closest')).toEqual(['no better: 3.39 vs 3.51', '3.90']);
    expect(cells('Examples')).toEqual(['not verified', 'not scored']);
    expect(text(el)).not.toMatch(/\(val /);
  });

  it('says a finished run’s verdict, and names its path mean under one header true for every row: the result’s, or the best so far', async () => {
    const store = await openStore({ forceMemory: true });
    const { buildRunConfig } = await import('../../../src/core/plan/presets');
    const config = buildRunConfig('quick', {
      roles: { policy: { engine: 'webllm', modelId: 'Tiny-Model' } },
      trainQueries: [{ id: 'q1', text: 'How?' }],
    });
    const done = await store.createRun(config, 'Audit quick');
    await store.updateRun(done.id, {
      status: 'completed',
      artifact: improved(),
      best: { nodeId: 'n', prompt: 'p', reward: 4.04, depth: 1 },
    });
    const paused = await store.createRun(config, 'Paused run');
    await store.updateRun(paused.id, {
      status: 'paused',
      artifact: nothingLedArtifact(),
      best: { nodeId: 'n', prompt: 'p', reward: 3.2, depth: 1 },
      reached: { nodeId: 'm', prompt: 'q', reward: 3.6, depth: 1 },
    });
    const failed = await store.createRun(config, 'Failed run');
    await store.updateRun(failed.id, {
      status: 'failed',
      best: { nodeId: 'n', prompt: 'p', reward: 2.9, depth: 1 },
      reached: { nodeId: 'm', prompt: 'q', reward: 3.1, depth: 1 },
    });
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-run]').length === 3);
    const section = $$(el, 'section').find((s) => /Runs/.test(text($(s, 'h3'))))!;
    const headers = $$(section, 'th').map((th) => text(th));
    // One header for a result's figure and a best so far alike: it names neither (a paused row has no result).
    expect(headers.slice(3, 5)).toEqual(['Verdict (vs starting prompt)', 'Path mean']);
    expect(headers).not.toContain('Best');
    const cells = (id: string) =>
      [...$(el, `tr[data-run="${id}"]`).querySelectorAll('td')].slice(3, 5).map((td) => text(td));
    // The figure of the prompt it handed back (the kept starting prompt may score below the search's best).
    expect(cells(done.id)).toEqual(['improved: 3.53 vs 3.19', '4.04']);
    // A paused (or failed) run's alignment is its best so far, not a result: no verdict yet, and the best the
    // search reached (not the pick it stopped on), said as such under the neutral header.
    expect(cells(paused.id)).toEqual(['—', '3.60 (best so far)']);
    expect(cells(failed.id)).toEqual(['—', '3.10 (best so far)']);
    const label = (id: string) => $(el, `tr[data-run="${id}"] [data-path-mean]`).getAttribute('data-label');
    expect([label(done.id), label(paused.id)]).toEqual(['Path mean', 'Path mean']);
  });
});

describe('Share page: the heading agrees with the comparison, the figures are named as on Result', () => {
  const open = async (a: AlignmentArtifact) => {
    const { fragment } = await encodeAlignmentLink(a);
    const page = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}` });
    await waitFor(() => page.shadowRoot!.querySelector('[data-state=ok]') !== null);
    await settle(page);
    return page;
  };
  const figures = (page: Element) =>
    $$(page, 'dt')
      .map((dt) => `${text(dt)} = ${text(dt.nextElementSibling!)}`)
      .filter((row) => !/^(Model|Judge|Preset|Created|Search depth) =/.test(row));

  it('a shared closest candidate is headed by how it compared, not "Not verified"', async () => {
    const page = await open(closestCandidate(paperFellShort())!);
    const verdict = $(page, '[data-outcome]');
    expect($(verdict, 'strong').textContent).toBe('No better than the starting prompt:');
    expect(text(verdict)).toMatch(/^No better than the starting prompt: it scored 3\.39 vs 3\.51 for the starting/);
    expect(text(page)).not.toMatch(/Not verified/);
    expect(figures(page)).toEqual([
      'Verdict: this alignment = 3.39',
      'Verdict: starting prompt = 3.51',
      'Path mean on training questions = 3.90',
    ]);
    // The rewrite is not its start: which start it was is on the page.
    expect($(page, '[data-starting-prompt] pre').textContent).toBe(START);
  });

  it('an improved alignment shows its starting prompt and the Result’s names for its figures', async () => {
    const page = await open(improved());
    expect(text($(page, '[data-outcome]'))).toMatch(/^Better than its starting prompt\. It scored 3\.53 vs 3\.19/);
    expect(figures(page)).toEqual([
      'Verdict: this alignment = 3.53',
      'Verdict: starting prompt = 3.19',
      'Path mean on training questions = 4.04',
    ]);
    expect(text(page)).not.toMatch(/\/ 5 training|validation/);
    const block = $<HTMLDetailsElement>(page, 'details[data-starting-prompt]');
    expect(block.open).toBe(true);
    expect($(block, 'pre').textContent).toBe(START);
    // The shared prompt stays the one to copy; the start is apart from it.
    expect($(page, '[data-prompt]').textContent).toBe('Be specific and relevant.');
  });

  it('an older file without a verdict does not call its held-out score a verdict (nor does Result)', async () => {
    const older = sampleArtifact({ name: 'Older file' });
    const page = await open(older);
    expect(page.shadowRoot!.querySelector('[data-outcome]')).toBeNull();
    expect(figures(page)).toEqual([
      'Held-out questions: this alignment = 4.10',
      'Path mean on training questions = 4.25',
    ]);
    expect(text(page)).not.toMatch(/Verdict:/);
    // Result, where the "Not verified" box stands right beside the figure.
    const { sr } = await resultView(older);
    expect(words(sr.querySelector('[data-outcome]'))).toMatch(
      /^Not verified\. This alignment carries no comparison with a starting prompt/,
    );
    expect(words(sr.querySelector('[data-figure=this]'))).toBe('Held-out questions: this alignment 4.10');
    expect(sr.querySelector('[data-figure=this] drpo-info')).toBeNull();
    expect(words(sr.querySelector('.scores'))).not.toMatch(/Verdict/);
  });

  it('a run that kept its starting prompt shows it once', async () => {
    const page = await open(paperFellShort());
    expect(page.shadowRoot!.querySelector('[data-starting-prompt]')).toBeNull();
    expect(figures(page).slice(0, 2)).toEqual(['Closest candidate = 3.39', 'Starting prompt = 3.51']);
  });
});

describe('Result: a result no verdict confirmed says why', () => {
  it('a lead on the one held-out question that also chose it reads "Not verified", its figures the race’s', async () => {
    const one = improved({
      scores: {
        train: 4.04,
        validation: 4,
        initialValidation: 2,
        validationStandardError: 0.6,
        validationQueries: 1,
        heldOutQueries: 1,
        raceQueries: 1,
        keptBackQueries: 0,
      },
    });
    for (const outcome of ['improved', 'unverified'] as const) {
      const { sr } = await resultView({ ...one, outcome });
      const box = sr.querySelector('[data-outcome]')!;
      expect(box.getAttribute('data-outcome')).toBe('unverified');
      expect(words(box)).toMatch(
        /^Not verified: it scored 4\.00 vs 2\.00 .* but that question was also used to pick it/,
      );
      expect(words(box)).toContain('Evaluate it against your prompt on more questions');
      expect(words(sr.querySelector('[data-figure="this"]'))).toMatch(/^Race: this alignment/);
      unmountAll();
    }
  });

  it('a result never checked shows no empty held-out tiles: the verdict says why there are none', async () => {
    const store = new FakeStore();
    const never = sampleArtifact({ name: 'Never checked', outcome: 'unverified', scores: { train: 4.25 } });
    store.addRun('none', 'completed', [], { artifact: never });
    store.addRun('spent', 'budget-exhausted', [], { artifact: { ...never, name: 'Spent' } });
    for (const [runId, name] of [
      ['none', 'Never checked'],
      ['spent', 'Spent'],
    ] as const) {
      const el = mountRunResult(store.asStore(), runId);
      await until(() => !!el.shadowRoot?.textContent?.includes(name));
      await el.updateComplete;
      const sr = el.shadowRoot!;
      expect([...sr.querySelectorAll('.scores > div')].map((t) => words(t))).toEqual([
        'Path mean on training questions 4.25',
      ]);
      expect(words(sr.querySelector('[data-outcome]'))).toMatch(/^Not verified\. Not checked against the starting/);
      // Said once, in the verdict: no tile, nor a second line, for the figures it lacks.
      expect(sr.textContent).not.toMatch(/Held-out questions|—/);
      unmountAll();
    }
  });

  it('a run stopped by its budget says the budget stopped its check', async () => {
    const store = new FakeStore();
    store.addRun('spent', 'budget-exhausted', [], {
      artifact: sampleArtifact({ name: 'Spent', outcome: 'unverified' }),
    });
    const el = mountRunResult(store.asStore(), 'spent');
    await until(() => !!el.shadowRoot?.textContent?.includes('Spent'));
    await el.updateComplete;
    expect(words(el.shadowRoot!.querySelector('[data-outcome]'))).toContain(
      'Not checked against the starting prompt (the run’s budget ran out before its final check was done)',
    );
  });

  it('a finished run with no held-out questions, or a cancelled one, says which (audit)', async () => {
    const store = new FakeStore();
    const unchecked = (name: string) => sampleArtifact({ name, outcome: 'unverified' });
    store.addRun('none', 'completed', [], { artifact: unchecked('None held out') });
    store.addRun('cancelled', 'cancelled', [], { artifact: unchecked('Cancelled') });
    const said = async (runId: string, name: string) => {
      const el = mountRunResult(store.asStore(), runId);
      await until(() => !!el.shadowRoot?.textContent?.includes(name));
      await el.updateComplete;
      return words(el.shadowRoot!.querySelector('[data-outcome]'));
    };
    const none = await said('none', 'None held out');
    expect(none).toContain(
      'Not checked against the starting prompt (the run had no held-out questions to check it on)',
    );
    const cancelled = await said('cancelled', 'Cancelled');
    expect(cancelled).toContain(
      'Not checked against the starting prompt (the run was cancelled before its final check)',
    );
    for (const w of [none, cancelled]) expect(w).not.toMatch(/held out no questions or stopped early/);
  });
});

describe('Use it: what an export carries of the examples', () => {
  it('says, in the words drpo export uses, that a file holds fixed examples where the score was measured with retrieved ones', async () => {
    const icl = ['a', 'b', 'c'].map((q) => ({ query: `Question ${q}?`, answer: `Answer ${q}.` }));
    const el = await mount('drpo-use-it', { artifact: improved({ icl, examplesPerQuery: 1 }) });
    await waitFor(() => text(el).includes('Download'));
    expect(text(el)).toContain('Run this alignment in your own tools.');
    // A loss a user should read before copying: a note of its own, not muted small print.
    const lost = el.shadowRoot!.querySelector('[data-examples-lost]')!;
    expect(lost.textContent).toBe(
      'Its held-out score was measured with 1 example retrieved per question, the most similar of its 3; a file cannot choose per question, so exports carry the first one for every question, and answers may differ from those measured.',
    );
    expect(lost.classList.contains('muted')).toBe(false);
    expect(lost.getAttribute('role')).toBe('note');
    // Nothing lost (every example given every question): said as before, in the muted line.
    const all = await mount('drpo-use-it', { artifact: improved({ icl, examplesPerQuery: 3 }) });
    await waitFor(() => text(all).includes('Download'));
    expect(all.shadowRoot!.querySelector('[data-examples-lost]')).toBeNull();
    expect(all.shadowRoot!.querySelector('p.muted')!.textContent).toMatch(/all 3 examples, which the studio gives/);
  });
});
