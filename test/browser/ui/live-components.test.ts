import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../../src/ui/components/run/drpo-beam-tree';
import '../../../src/ui/components/run/drpo-reward-chart';
import '../../../src/ui/components/run/drpo-throughput';
import '../../../src/ui/components/run/drpo-node-list';
import '../../../src/ui/components/run/drpo-candidate-panel';
import '../../../src/ui/components/drpo-prompt-diff';
import '../../../src/ui/components/drpo-info';
import type { DrpoBeamTree } from '../../../src/ui/components/run/drpo-beam-tree';
import type { DrpoNodeList } from '../../../src/ui/components/run/drpo-node-list';
import type { DrpoThroughput } from '../../../src/ui/components/run/drpo-throughput';
import { ROW_HEIGHT, previewLine } from '../../../src/ui/components/run/drpo-node-list';
import type { LitElement } from 'lit';
import type { GlossaryFacts } from '../../../src/ui/view-models/glossary';
import {
  applyEvents,
  createRunViewModel,
  reduceRunEvents,
  withStatus,
} from '../../../src/ui/view-models/run/run-view-model';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import { beamSelected, emptyStats, makeNode, syntheticRun } from '../../support/live-fixtures';
import { mount, mountEl, unmountAll } from '../../support/dom';

afterEach(() => {
  unmountAll();
  vi.useRealTimers();
});

const root = (el: LitElement) => el.shadowRoot!;

function smallRun() {
  const runId = 'r';
  const a = makeNode({ id: 'a', reward: 3, pathReward: 3 });
  const b = makeNode({
    id: 'b',
    parentId: 'a',
    depth: 1,
    reward: 4.25,
    pathReward: 3.6,
    prompt: 'You are a helpful assistant.\n- Be specific.',
  });
  const c = makeNode({
    id: 'c',
    parentId: 'a',
    depth: 1,
    reward: null,
    pathReward: 1.5,
    parseFailures: [{ role: 'judge', stage: 'judgement', message: 'no JSON', raw: 'Sure!' }],
  });
  const d = makeNode({
    id: 'd',
    parentId: 'b',
    depth: 2,
    reward: 4.8,
    pathReward: 4,
    carriedForward: true,
    prompt: b.prompt,
  });
  const events: RunEvent[] = [
    { runId, at: 1, type: 'node-evaluated', node: a },
    beamSelected(runId, 1, a, 3),
    { runId, at: 2, type: 'node-evaluated', node: b },
    { runId, at: 2, type: 'node-evaluated', node: c },
    beamSelected(runId, 2, b, 3.6),
    { runId, at: 3, type: 'node-evaluated', node: d },
    { runId, at: 3, type: 'depth-extended', depth: 2, maxDepth: 6 },
  ];
  return reduceRunEvents(runId, events, { maxCalls: 100 });
}

describe('drpo-beam-tree', () => {
  it('shows an empty state before any node', async () => {
    const el = await mount<DrpoBeamTree>('drpo-beam-tree', { vm: createRunViewModel('x') });
    expect(root(el).textContent).toMatch(/No prompts evaluated yet/);
  });

  it('draws every node with its reward number, marks the beam, carried levels and failures', async () => {
    const el = await mount<DrpoBeamTree>('drpo-beam-tree', { vm: smallRun(), selectedId: 'b' });
    const nodes = [...root(el).querySelectorAll<SVGGElement>('.node')];
    expect(nodes.map((n) => n.querySelector('text')!.textContent)).toEqual(['3.00', '4.25', '—', '↻4.80']);
    expect(root(el).querySelector('.node[data-id="b"]')!.classList.contains('beam')).toBe(true);
    expect(root(el).querySelector('.node[data-id="b"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(root(el).querySelector('.node[data-id="c"]')!.classList.contains('failed')).toBe(true);
    expect(root(el).querySelector('.node[data-id="c"]')!.getAttribute('aria-label')).toMatch(/judging failed/);
    expect(root(el).querySelectorAll('.edge')).toHaveLength(3);
    expect(root(el).textContent).toMatch(/↻ d2/);
    // Colour differs by reward (and the number is there too).
    const fill = (id: string) => root(el).querySelector(`.node[data-id="${id}"] rect`)!.getAttribute('fill');
    expect(fill('a')).not.toBe(fill('d'));
    // One tab stop.
    expect(nodes.filter((n) => n.getAttribute('tabindex') === '0')).toHaveLength(1);
    // Its levels counted as the Run page and the Live view count them: the starting prompt's level 0 is not one.
    expect(root(el).querySelector('[role="group"]')!.getAttribute('aria-label')).toBe(
      'Search tree: 4 prompts: your starting prompt and 2 levels',
    );
  });

  it('a selected node whose judging failed keeps its dashes and shows the selection colour', async () => {
    const el = await mount<DrpoBeamTree>('drpo-beam-tree', { vm: smallRun(), selectedId: 'c' });
    // The page's theme is not loaded here: give the colours the rules read.
    el.style.setProperty('--drpo-accent', 'rgb(1, 2, 3)');
    el.style.setProperty('--drpo-fg', 'rgb(4, 5, 6)');
    const rect = getComputedStyle(root(el).querySelector('.node[data-id="c"] rect')!);
    expect(rect.stroke).toBe('rgb(1, 2, 3)');
    expect(rect.strokeDasharray).not.toBe('none');
  });

  it('emits node-selected on click and on Enter, and moves focus with arrows', async () => {
    const el = await mount<DrpoBeamTree>('drpo-beam-tree', { vm: smallRun() });
    const got: string[] = [];
    el.addEventListener('node-selected', (e) => got.push((e as CustomEvent<{ nodeId: string }>).detail.nodeId));
    root(el)
      .querySelector<SVGGElement>('.node[data-id="c"]')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const a = root(el).querySelector<SVGGElement>('.node[data-id="a"]')!;
    a.focus();
    a.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    const focused = root(el).activeElement as SVGGElement | null;
    expect(focused?.dataset.id).toBe('b');
    focused!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect(got).toEqual(['c', 'b']);
  });

  it('re-renders only the changed column when a node arrives', async () => {
    let vm = smallRun();
    const el = await mount<DrpoBeamTree>('drpo-beam-tree', { vm });
    const col0 = root(el).querySelector('.node[data-id="a"]')!;
    vm = applyEvents(vm, [
      { runId: 'r', at: 4, type: 'node-evaluated', node: makeNode({ id: 'e', parentId: 'd', depth: 3 }) },
    ]);
    el.vm = vm;
    await el.updateComplete;
    expect(root(el).querySelector('.node[data-id="a"]')).toBe(col0);
    expect(root(el).querySelector('.node[data-id="e"]')).not.toBeNull();
  });
});

describe('drpo-reward-chart', () => {
  it('has an accessible title and description, two lines and the numbers', async () => {
    const vm = smallRun();
    const el = await mount<LitElement>('drpo-reward-chart', { series: vm.rewardSeries, maxDepth: vm.maxDepth });
    const svg = root(el).querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(root(el).querySelector('title')!.textContent).toBe('Reward over depth');
    expect(root(el).querySelector('desc')!.textContent).toMatch(/from 3\.00 at depth 0 to 4\.80 at depth 2/);
    expect(root(el).querySelector('path.best')!.getAttribute('d')).toMatch(/^M.*L.*L/);
    expect(root(el).querySelector('path.mean')!.getAttribute('d')).toMatch(/^M/);
    expect(root(el).textContent).toMatch(/Depth \(search level\)/);
    expect(root(el).querySelectorAll('tbody tr')).toHaveLength(3);
  });

  it('renders an empty chart without errors', async () => {
    const el = await mount<LitElement>('drpo-reward-chart', { series: [] });
    expect(root(el).querySelector('desc')!.textContent).toBe('No rewards yet.');
    expect(root(el).textContent).toMatch(/fills in as levels finish/);
  });
});

describe('drpo-throughput', () => {
  /** Elapsed and time left as shown at `now`. */
  const elapsedAndEta = async (el: DrpoThroughput, now: number) => {
    vi.setSystemTime(now);
    el.requestUpdate();
    await el.updateComplete;
    const dd = (name: string) => root(el).querySelector(`[data-${name}]`)!.textContent!.replace(/\s+/g, ' ').trim();
    return [dd('elapsed'), dd('eta')];
  };
  /** A run of 20 planned calls started at t0, its first call (a judge's) done a second later. */
  const oneCallDone = (t0: number) => {
    const projection = { calls: 20, promptTokens: 0, generatedTokens: 0, perRole: emptyStats().perRole };
    const stats = { ...emptyStats(), calls: 1, elapsedMs: 1000 };
    return applyEvents(createRunViewModel('r'), [
      { runId: 'r', at: t0, type: 'run-started', projection, preset: 'quick', resumed: false },
      {
        runId: 'r',
        at: t0 + 1000,
        type: 'usage',
        role: 'judge',
        usage: { prompt_tokens: 0, completion_tokens: 0 },
        cached: false,
        stats,
      },
    ]);
  };

  it('shows speed, counts, elapsed and budget bars with numbers', async () => {
    const vm = smallRun();
    vm.stats = { ...emptyStats(), calls: 25, generatedTokens: 12345, elapsedMs: 125_000, decodeTokensPerS: 31.4 };
    const el = await mount<LitElement>('drpo-throughput', { vm });
    const text = root(el).textContent!;
    expect(text).toMatch(/31\.4 tokens\/s/);
    expect(text).toMatch(/12\.3 k/);
    expect(text).toMatch(/2 min 5 s/);
    const bar = root(el).querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(text).toMatch(/25 \/ 100 \(25%\)/);
  });

  it('marks a bar near or at its limit in words, seen and read out, not by its colour alone', async () => {
    const bar = (el: LitElement) => root(el).querySelector('[role="progressbar"]')!;
    const mark = (el: LitElement) => root(el).querySelector('[data-limit-mark]')?.textContent?.trim() ?? '';
    const vm = smallRun();
    vm.stats = { ...emptyStats(), calls: 79 };
    const el = await mount<DrpoThroughput>('drpo-throughput', { vm });
    expect(mark(el)).toBe('');
    expect(bar(el).getAttribute('aria-valuetext')).toBe('79 of 100 (79%)');
    // From 80%, where the run's status line says it is close to its budget.
    el.vm = { ...vm, stats: { ...vm.stats, calls: 80 } };
    await el.updateComplete;
    expect(mark(el)).toBe('⚠ near the limit');
    el.vm = { ...vm, stats: { ...vm.stats, calls: 95 } };
    await el.updateComplete;
    expect(mark(el)).toBe('⚠ near the limit');
    expect(bar(el).getAttribute('aria-valuetext')).toBe('95 of 100 (95%), near the limit');
    expect(root(el).querySelector('[data-limit-mark] [aria-hidden="true"]')?.textContent).toBe('⚠');
    el.vm = { ...vm, stats: { ...vm.stats, calls: 100 } };
    await el.updateComplete;
    expect(mark(el)).toBe('⚠ limit reached');
    expect(bar(el).getAttribute('aria-valuetext')).toBe('100 of 100 (100%), limit reached');
    // The shown per cent and the mark agree: 799 of 1,000 is 79% and unmarked, 999 is 99% and not yet reached.
    const thousand = reduceRunEvents('r', [], { maxCalls: 1000 });
    const at = async (calls: number) => {
      el.vm = { ...thousand, stats: { ...emptyStats(), calls } };
      await el.updateComplete;
      return [bar(el).getAttribute('aria-valuetext'), mark(el)];
    };
    expect(await at(799)).toEqual(['799 of 1,000 (79%)', '']);
    expect(await at(999)).toEqual(['999 of 1,000 (99%), near the limit', '⚠ near the limit']);
    expect(await at(290)).toEqual(['290 of 1,000 (29%)', '']);
  });

  it('counts the elapsed time on during a long call, and says the run waits instead of a time left that stands still', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const shown = (el: DrpoThroughput, ms: number) => elapsedAndEta(el, t0 + ms);
    const vm = oneCallDone(t0);
    const el = await mount<DrpoThroughput>('drpo-throughput', { vm, live: true });
    expect(await shown(el, 1000)).toEqual(['1 s', '19 s']);
    // A 16 s call: nothing arrives; the elapsed time goes on, the time left counts down, then says it waits.
    expect(await shown(el, 5000)).toEqual(['5 s', '15 s']);
    expect(await shown(el, 13_000)).toEqual(['13 s', 'waiting for a reply']);
    // A retry waited for is the endpoint's to end.
    el.vm = applyEvents(vm, [
      {
        runId: 'r',
        at: t0 + 13_000,
        type: 'call-retry',
        role: 'judge',
        error: { name: 'ServerError', message: 'x', status: 429 },
        attempt: 1,
        attempts: 4,
        retryInMs: 6000,
      },
    ]);
    expect(await shown(el, 14_000)).toEqual(['14 s', 'waiting for the endpoint']);
    // Paused (or no longer driven here): the clock stops at what the run measured, and no time left is shown.
    el.vm = withStatus(el.vm!, 'paused');
    expect(await shown(el, 30_000)).toEqual(['1 s', '—']);
  });

  it('leaves out of the elapsed time an hour the laptop slept between two events, as the run does', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const elapsed = async (el: DrpoThroughput, ms: number) => {
      vi.setSystemTime(t0 + ms);
      el.requestUpdate();
      await el.updateComplete;
      return root(el).querySelector('[data-elapsed]')!.textContent!.trim();
    };
    const projection = { calls: 20, promptTokens: 0, generatedTokens: 0, perRole: emptyStats().perRole };
    const vm = applyEvents(createRunViewModel('r'), [
      { runId: 'r', at: t0, type: 'run-started', projection, preset: 'quick', resumed: false },
    ]);
    const el = await mount<DrpoThroughput>('drpo-throughput', { vm, live: true });
    // The ticker renders every second; then no tick for an hour (the lid closed), and the ticks go on.
    for (let s = 1; s <= 5; s++) expect(await elapsed(el, s * 1000)).toBe(`${s} s`);
    expect(await elapsed(el, 5000 + 3_600_000)).toBe('6 s');
    expect(await elapsed(el, 6000 + 3_600_000)).toBe('7 s');
  });

  it('after an hour the laptop slept during a call, shows the time left, not "waiting for a reply"', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const shown = (el: DrpoThroughput, ms: number) => elapsedAndEta(el, t0 + ms);
    const vm = oneCallDone(t0);
    const el = await mount<DrpoThroughput>('drpo-throughput', { vm, live: true });
    // The ticker renders every second while a call is out; then the lid closes for an hour.
    for (let s = 1; s <= 5; s++) await shown(el, s * 1000);
    expect(await shown(el, 5000)).toEqual(['5 s', '15 s']);
    // Six seconds awake since the last reply: no silence to speak of.
    expect(await shown(el, 5000 + 3_600_000)).toEqual(['6 s', '14 s']);
  });

  it('compares like with like: calls answered from cache are counted beside the planned calls, and explained', async () => {
    const projection = { calls: 72, promptTokens: 0, generatedTokens: 0, perRole: emptyStats().perRole };
    const vm = applyEvents(createRunViewModel('r'), [
      { runId: 'r', at: 1, type: 'run-started', projection, preset: 'quick', resumed: false },
    ]);
    vm.stats = { ...emptyStats(), calls: 58, cachedCalls: 14 };
    const el = await mount<DrpoThroughput>('drpo-throughput', { vm });
    const calls = root(el).querySelector('[data-calls]')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(calls).toBe('58 + 14 from cache / ~72');
    const info = root(el).querySelector('drpo-info')!;
    expect(info.getAttribute('term')).toBe('cache');
    expect(info.shadowRoot!.textContent).toMatch(
      /answered from the run’s own record instead of asking the model again/,
    );
  });

  it('says when there is no budget', async () => {
    const el = await mount<LitElement>('drpo-throughput', { vm: createRunViewModel('x') });
    expect(root(el).textContent).toMatch(/No budget limit set/);
  });
});

describe('drpo-node-list (virtualized)', () => {
  it('renders a bounded number of rows for 2,000 nodes and follows scrolling', async () => {
    const vm = reduceRunEvents('big', syntheticRun({ nodes: 2000, usagePerNode: 0 }));
    expect(vm.order).toHaveLength(2000);
    const el = await mount<DrpoNodeList>('drpo-node-list', { vm });
    const rows = () => root(el).querySelectorAll('[role="option"]');
    expect(rows().length).toBeGreaterThan(3);
    expect(rows().length).toBeLessThan(30);
    const spacer = root(el).querySelector<HTMLElement>('.spacer')!;
    expect(spacer.style.height).toBe(`${2000 * ROW_HEIGHT}px`);
    // Newest first by default.
    expect(rows()[0]!.id).toBe(`opt-${vm.order[1999]}`);
    const vp = root(el).querySelector<HTMLElement>('.viewport')!;
    vp.scrollTop = 1000 * ROW_HEIGHT;
    vp.dispatchEvent(new Event('scroll'));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    await el.updateComplete;
    expect(rows().length).toBeLessThan(30);
    const posinsets = [...rows()].map((r) => Number(r.getAttribute('aria-posinset')));
    expect(Math.min(...posinsets)).toBeGreaterThan(990);
    expect(rows()[0]!.getAttribute('aria-setsize')).toBe('2000');
  });

  it('selects by click and by keyboard, and sorts by reward', async () => {
    const vm = smallRun();
    const el = await mount<DrpoNodeList>('drpo-node-list', { vm, selectedId: null });
    const got: string[] = [];
    el.addEventListener('node-selected', (e) => {
      got.push((e as CustomEvent<{ nodeId: string }>).detail.nodeId);
      el.selectedId = (e as CustomEvent<{ nodeId: string }>).detail.nodeId;
    });
    root(el).querySelector<HTMLElement>('#opt-b')!.click();
    await el.updateComplete;
    const vp = root(el).querySelector<HTMLElement>('.viewport')!;
    expect(vp.getAttribute('aria-activedescendant')).toBe('opt-b');
    vp.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    vp.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home' }));
    expect(got).toEqual(['b', 'a', 'd']);
    el.sort = 'reward';
    await el.updateComplete;
    expect([...root(el).querySelectorAll('[role="option"] .score')].map((s) => s.textContent)).toEqual([
      '4.80',
      '4.25',
      '3.00',
      '—',
    ]);
  });

  it('previews what is new in a prompt', () => {
    expect(previewLine('A.\n- one\n- two', 'A.\n- one')).toBe('- two');
    expect(previewLine('A.', 'A.')).toBe('Unchanged from its parent');
    expect(previewLine('First line\nsecond', undefined)).toBe('First line');
    expect(previewLine('x'.repeat(200), undefined)).toHaveLength(118);
  });

  it('keeps tracking the viewport height after being moved in the DOM', async () => {
    const vm = reduceRunEvents('big', syntheticRun({ nodes: 500, usagePerNode: 0 }));
    const el = await mount<DrpoNodeList>('drpo-node-list', { vm });
    const rows = () => root(el).querySelectorAll('[role="option"]').length;
    const before = rows();
    // Detach and re-attach (as a parent re-render may do), then make the viewport much taller.
    el.remove();
    document.body.append(el);
    el.style.setProperty('--drpo-node-list-height', `${ROW_HEIGHT * 80}px`);
    await expect.poll(rows, { timeout: 2000 }).toBeGreaterThan(before + 40);
  });

  it('shows an empty state', async () => {
    const el = await mount<DrpoNodeList>('drpo-node-list', { vm: createRunViewModel('x') });
    expect(root(el).textContent).toMatch(/No prompts yet/);
  });
});

describe('drpo-candidate-panel', () => {
  it('shows the query, aspects with reasons, sanitized answer, scores as numbers and bars, and the diff', async () => {
    const parent = makeNode({ id: 'p', prompt: 'You are a helpful assistant.' });
    const node = makeNode({ id: 'n', parentId: 'p', depth: 1, prompt: 'You are a careful assistant.\n- Cite limits.' });
    node.evaluations[0]!.answer =
      'Use **light**.<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';
    const el = await mount<LitElement>('drpo-candidate-panel', { node, parent, inBeam: true });
    const r = root(el);
    expect(r.textContent).toMatch(/How do I keep basil alive indoors\?/);
    expect(r.textContent).toMatch(/Helpfulness — The user wants practical steps\./);
    expect(r.querySelector('.answer strong')?.textContent).toBe('light');
    expect(r.querySelector('.answer script')).toBeNull();
    expect(r.querySelector('.answer img[onerror]')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect([...r.querySelectorAll('.score-num')].map((s) => s.textContent)).toEqual(['4', '5']);
    expect(r.querySelector('[role="meter"]')!.getAttribute('aria-valuenow')).toBe('4');
    expect(r.textContent).toMatch(/Covers light and water/);
    expect(r.textContent).toMatch(/in the beam/);
    const diff = r.querySelector('drpo-prompt-diff') as LitElement;
    await diff.updateComplete;
    expect(diff.shadowRoot!.querySelector('del')!.textContent).toMatch(/−helpful/);
    expect(diff.shadowRoot!.querySelector('ins')!.textContent).toMatch(/\+careful/);
    expect(diff.shadowRoot!.querySelector('ins')!.textContent).toMatch(/added/);
  });

  it('lists parse failures with the raw output and says the answer was not scored', async () => {
    const node = makeNode({
      id: 'n',
      reward: null,
      parseFailures: [
        { role: 'judge', stage: 'judgement', message: 'The judge did not return JSON.', raw: 'I think it is good' },
      ],
    });
    node.evaluations[0]!.scores = [];
    node.evaluations[0]!.reward = null;
    const el = await mount<LitElement>('drpo-candidate-panel', {
      node,
      failures: [{ role: 'aspect', stage: 'aspects', message: 'No aspects found.', raw: '' }],
    });
    const t = root(el).textContent!;
    expect(t).toMatch(/Parse failures \(2\)/);
    expect(t).toMatch(/judge · judgement: The judge did not return JSON\./);
    expect(t).toMatch(/I think it is good/);
    expect(t).toMatch(/could not be read for this answer/);
    const diff = root(el).querySelector('drpo-prompt-diff') as LitElement;
    await diff.updateComplete;
    expect(diff.shadowRoot!.textContent).toMatch(/Starting prompt/);
  });

  it('names the final check’s two scores apart: the race that chose, the verdict that decided', async () => {
    // The run: the d3 rewrite led the race (4.67 vs 4.50) and lost the verdict (3.50 vs 4.17).
    const start = makeNode({ id: 'd0-n0' });
    start.race = [
      { examplesPerQuery: 0, reward: 4.17 },
      { examplesPerQuery: 2, reward: 4.5 },
    ];
    start.verdict = [{ examplesPerQuery: 0, reward: 4.17 }];
    const rewrite = makeNode({ id: 'd3-n0', depth: 3, prompt: 'You are careful.' });
    rewrite.race = [{ examplesPerQuery: 0, reward: 4.67 }];
    rewrite.verdict = [{ examplesPerQuery: 0, reward: 3.5 }];
    const badges = async (node: typeof start, facts?: GlossaryFacts) => {
      const r = root(await mount<LitElement>('drpo-candidate-panel', { node, facts }));
      const said = (part: string) => r.querySelector(`[data-final-check=${part}]`)?.textContent?.trim();
      const help = async (part: string) => {
        const info = r.querySelector(`[data-final-check=${part}] + drpo-info`) as LitElement | null;
        await info?.updateComplete;
        return info?.shadowRoot!.querySelector('[id^=info-]')!.textContent ?? '';
      };
      return {
        race: said('race'),
        verdict: said('verdict'),
        raceHelp: await help('race'),
        verdictHelp: await help('verdict'),
      };
    };
    const d3 = await badges(rewrite);
    expect([d3.race, d3.verdict]).toEqual(['race 4.67', 'verdict 3.50']);
    expect(d3.raceHelp).toMatch(/choose the candidate/);
    expect(d3.raceHelp).not.toMatch(/fair check/);
    expect(d3.verdictHelp).toMatch(/kept back from the race/);
    expect(d3.verdictHelp).toMatch(/decides “improved” or “no improvement”/);
    // Before the run's result is known the help covers a run that keeps none back too; after, only its case.
    expect(d3.verdictHelp).toMatch(/A run that keeps none back/);
    expect((await badges(rewrite, { keptBackQueries: 6 })).verdictHelp).not.toMatch(/keeps none back/);
    expect((await badges(rewrite, { keptBackQueries: 0 })).verdictHelp).toMatch(/This run kept none back/);
    const d0 = await badges(start);
    expect([d0.race, d0.verdict]).toEqual(['race 4.17 without examples · 4.50 with 2 examples', 'verdict 4.17']);
    // A run recorded before the two were told apart kept one race figure.
    const older = makeNode({ id: 'old', validationReward: 4.67 });
    expect(await badges(older)).toMatchObject({ race: 'race 4.67', verdict: undefined });
    expect(await badges(makeNode({ id: 'plain' }))).toMatchObject({ race: undefined, verdict: undefined });
  });

  it('says how many questions each race and verdict figure is over', async () => {
    // A finalist dropped after the first round has a mean over 2 questions, which can top the chosen one's
    // over all 6: without the counts the race seems to have picked the lower one.
    const said = async (node: ReturnType<typeof makeNode>, part: string) =>
      root(await mount<LitElement>('drpo-candidate-panel', { node }))
        .querySelector(`[data-final-check=${part}]`)
        ?.textContent?.trim();
    const dropped = makeNode({ id: 'd3-n1', depth: 3, prompt: 'You are brief.' });
    dropped.race = [{ examplesPerQuery: 0, reward: 4.8, questions: 2 }];
    const chosen = makeNode({ id: 'd3-n0', depth: 3, prompt: 'You are careful.' });
    chosen.race = [{ examplesPerQuery: 0, reward: 4.67, questions: 6 }];
    chosen.verdict = [{ examplesPerQuery: 0, reward: 3.5, questions: 5 }];
    expect(await said(dropped, 'race')).toBe('race 4.80 on 2 questions');
    expect(await said(chosen, 'race')).toBe('race 4.67 on 6 questions');
    expect(await said(chosen, 'verdict')).toBe('verdict 3.50 on 5 questions');
    const start = makeNode({ id: 'd0-n0' });
    start.race = [
      { examplesPerQuery: 0, reward: 4.17, questions: 6 },
      { examplesPerQuery: 2, reward: 4.5, questions: 1 },
    ];
    expect(await said(start, 'race')).toBe(
      'race 4.17 without examples on 6 questions · 4.50 with 2 examples on 1 question',
    );
  });

  it('wraps a long race figure in a narrow window instead of cutting it off at the edge', async () => {
    // A 400 px window leaves the panel about 300 px: "… · 3.00 with 2 examples on 2 questions" ran past it.
    const start = makeNode({ id: 'd0-n0' });
    start.race = [
      { examplesPerQuery: 0, reward: 4.17, questions: 6 },
      { examplesPerQuery: 2, reward: 3, questions: 2 },
    ];
    const el = await mount<LitElement>('drpo-candidate-panel', { node: start });
    el.style.display = 'block';
    el.style.width = '300px';
    await el.updateComplete;
    const badge = root(el).querySelector<HTMLElement>('[data-final-check=race]')!;
    expect(badge.textContent).toMatch(/3\.00 with 2 examples on 2 questions$/);
    const edge = el.getBoundingClientRect().right;
    expect(Math.round(badge.getBoundingClientRect().right)).toBeLessThanOrEqual(Math.round(edge));
  });

  it('has an empty state', async () => {
    const el = await mount<LitElement>('drpo-candidate-panel', { node: null });
    expect(root(el).textContent).toMatch(/Select a prompt/);
  });
});

describe('drpo-prompt-diff', () => {
  it('toggles between the diff and the plain prompt and says when nothing changed', async () => {
    const el = await mount<LitElement & { showDiff: boolean }>('drpo-prompt-diff', {
      previous: 'a b c',
      prompt: 'a x c',
    });
    expect(root(el).querySelectorAll('ins, del')).toHaveLength(2);
    expect(root(el).textContent).toMatch(/\+1 words, −1 words/);
    root(el).querySelector('button')!.click();
    await el.updateComplete;
    expect(root(el).querySelectorAll('ins, del')).toHaveLength(0);
    expect(root(el).querySelector('pre')!.textContent).toBe('a x c');
    const same = await mount<LitElement>('drpo-prompt-diff', { previous: 'same', prompt: 'same' });
    expect(root(same).textContent).toMatch(/Unchanged from its parent/);
  });

  it('names what it compares with when that is not the parent', async () => {
    const el = await mount<LitElement>('drpo-prompt-diff', {
      previous: 'a b c',
      prompt: 'a x c d',
      against: 'your starting prompt',
    });
    expect(root(el).textContent).toMatch(/\+2 words, −1 words vs\. your starting prompt/);
    expect(root(el).textContent).not.toMatch(/parent/);
  });
});

describe('drpo-info', () => {
  it('keeps its popover on screen when opened at the right edge (phones)', async () => {
    const wrap = mountEl(document.createElement('div'));
    wrap.style.cssText = 'position: fixed; right: 4px; top: 40px';
    const info = document.createElement('drpo-info') as LitElement;
    wrap.append(info);
    await info.updateComplete;
    info.shadowRoot!.querySelector('button')!.click();
    await info.updateComplete;
    const r = info.shadowRoot!.querySelector('.pop')!.getBoundingClientRect();
    expect(r.width).toBeGreaterThan(100);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.right).toBeLessThanOrEqual(document.documentElement.clientWidth);
  });
});
