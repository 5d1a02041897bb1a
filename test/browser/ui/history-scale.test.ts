/** History with many records (scale audit 2): a page at a time, a filter, jumps, and deletes that leave at once. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../../src/ui/views/drpo-history-view';
import type { DrpoHistoryView } from '../../../src/ui/views/drpo-history-view';
import { AppState } from '../../../src/ui/app/app-state';
import { buildRunConfig } from '../../../src/core/plan/presets';
import { openStore } from '../../../src/store/store';
import type { Store } from '../../../src/store/store';
import { deepActiveElement } from '../../../src/ui/helpers/focus';
import { SAY_AFTER_MS } from '../../../src/ui/controllers/list-page';
import { artifact } from '../../support/shell-fakes';
import { $, $$, afterPaint, mount, settle, text, unmountAll, waitFor } from '../../support/dom';

afterEach(() => {
  vi.restoreAllMocks();
  unmountAll();
  location.hash = '';
});

const N = 120;

/** `N` runs ("Run 0" oldest … ; every third on the model Big-7B, the others on Tiny-1B) and `N` alignments. */
async function seeded(): Promise<Store> {
  const store = await openStore({ forceMemory: true });
  for (let i = 0; i < N; i++) {
    const modelId = i % 3 === 0 ? 'Big-7B' : 'Tiny-1B';
    const config = buildRunConfig('quick', { roles: { policy: { engine: 'webllm', modelId } } });
    await store.createRun(config, `Run ${i}`);
    const a = artifact({ systemPrompt: `Prompt number ${i}.`, model: { id: modelId, engine: 'webllm' } });
    await store.saveAlignment({ name: `Alignment ${i}`, artifact: a, source: 'run' });
  }
  return store;
}

async function history(store: Store) {
  const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
  await waitFor(() => $$(el, 'tr[data-run]').length > 0 && $$(el, 'tr[data-alignment]').length > 0);
  await settle(el);
  const toasts: { message: string; kind?: string }[] = [];
  el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail));
  return { el, toasts };
}

/**
 * Every notice the store holds in a change window is heard, and the readings it asks for are done: the store says
 * when the last is told, and a refresh joins a reading under way (and the one more it may owe) before it resolves.
 */
async function quiet(store: Store, el: DrpoHistoryView): Promise<void> {
  await store.changesDelivered();
  await el.refresh();
  await settle(el);
}

const runNames = (el: Element) => $$(el, 'tr[data-run] td[data-label=Name]').map(text);
const button = (root: Element, label: RegExp) => $$<HTMLButtonElement>(root, 'button').find((b) => label.test(text(b)));
const filterIn = async (el: DrpoHistoryView, list: 'runs' | 'alignments', value: string) => {
  const input = $<HTMLInputElement>(el, `#${list}-filter`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await settle(el);
};

describe('History with many runs and alignments', () => {
  it('draws the newest 50 of each list, says so, and Show more adds the next ones', async () => {
    const { el } = await history(await seeded());
    expect($$(el, 'tr[data-run]')).toHaveLength(50);
    expect($$(el, 'tr[data-alignment]')).toHaveLength(50);
    expect(runNames(el)[0]).toBe(`Run ${N - 1}`);
    const runsMore = $(el, '[data-more=runs]');
    expect(text($(runsMore, '[data-count]'))).toBe(`Showing 50 of ${N} runs.`);
    expect(text($(el, '[data-more=alignments] [data-count]'))).toBe(`Showing 50 of ${N} saved alignments.`);
    button(runsMore, /^Show 50 more$/)!.click();
    await settle(el);
    expect($$(el, 'tr[data-run]')).toHaveLength(100);
    expect(text($(el, '[data-more=runs] [data-count]'))).toBe(`Showing 100 of ${N} runs.`);
    // The last page: 20 more, then the button goes and focus goes to the first row it added.
    const last = button($(el, '[data-more=runs]'), /^Show 20 more$/)!;
    last.focus();
    last.click();
    await settle(el);
    await afterPaint();
    expect($$(el, 'tr[data-run]')).toHaveLength(N);
    expect(button($(el, '[data-more=runs]'), /more/)).toBeUndefined();
    expect(deepActiveElement()?.closest('tr')).toBe($$(el, 'tr[data-run]')[100]);
    // The other list kept its page.
    expect($$(el, 'tr[data-alignment]')).toHaveLength(50);
  });

  it('filters each list by name or model, and says when nothing matches', async () => {
    const { el } = await history(await seeded());
    await filterIn(el, 'runs', 'run 11');
    // "Run 11", "Run 110" … "Run 119", newest first.
    expect(runNames(el)).toEqual([...Array.from({ length: 10 }, (_, i) => `Run ${119 - i}`), 'Run 11']);
    expect(text($(el, '[data-more=runs] [data-count]'))).toBe(`11 of ${N} runs match “run 11”.`);
    // A model's name: every third run is on Big-7B, 40 of them, all on one page.
    await filterIn(el, 'runs', 'big-7b');
    expect($$(el, 'tr[data-run]')).toHaveLength(40);
    expect($$(el, 'tr[data-run] td[data-label=Model]').every((td) => text(td).includes('Big-7B'))).toBe(true);
    await filterIn(el, 'alignments', 'tiny');
    expect($$(el, 'tr[data-alignment]')).toHaveLength(50);
    expect(text($(el, '[data-more=alignments] [data-count]'))).toBe(
      `Showing 50 of the 80 saved alignments that match “tiny” (${N} in all).`,
    );
    await filterIn(el, 'runs', 'nothing like this');
    expect($$(el, 'tr[data-run]')).toHaveLength(0);
    expect(text($(el, '[data-more=runs] [data-count]'))).toBe(
      `No runs match “nothing like this”. Clear the filter to see all ${N}.`,
    );
    await filterIn(el, 'runs', '');
    expect($$(el, 'tr[data-run]')).toHaveLength(50);
  });

  it('"Go to" takes keyboard focus to each list\'s heading', async () => {
    const { el } = await history(await seeded());
    $<HTMLAnchorElement>(el, 'a[data-jump=alignment]').click();
    await settle(el);
    expect(deepActiveElement()).toBe($(el, 'h3[data-list=alignment]'));
    expect(text($(el, 'a[data-jump=alignment]'))).toBe(`Saved alignments (${N})`);
    expect(location.hash).toBe('');
    $<HTMLAnchorElement>(el, 'a[data-jump=run]').click();
    await settle(el);
    expect(deepActiveElement()).toBe($(el, 'h3[data-list=run]'));
  });

  it('a deleted row leaves at once; focus goes to the next row’s Delete', async () => {
    const store = await seeded();
    const { el, toasts } = await history(store);
    // The store takes its time (as with hundreds of records): the row does not wait for it.
    let finish!: () => void;
    const real = store.deleteAlignment.bind(store);
    vi.spyOn(store, 'deleteAlignment').mockImplementation(async (id) => {
      await new Promise<void>((r) => (finish = r));
      return real(id);
    });
    const rows = () => $$(el, 'tr[data-alignment]');
    const [, second, third] = rows();
    const id = second!.getAttribute('data-alignment')!;
    $<HTMLButtonElement>(second!, 'button[data-delete]').click();
    await settle(el);
    const yes = button(second!, /^Yes, delete$/)!;
    yes.focus();
    yes.click();
    await settle(el);
    expect(el.shadowRoot!.querySelector(`tr[data-alignment="${id}"]`)).toBeNull();
    await afterPaint();
    expect(deepActiveElement()).toBe($(third!, 'button[data-delete]'));
    finish();
    await waitFor(() => toasts.length === 1);
    expect(toasts[0]!.message).toBe(`Deleted “Alignment ${N - 2}”.`);
    expect((await store.listAlignments()).some((a) => a.id === id)).toBe(false);
    await settle(el);
    expect(el.shadowRoot!.querySelector(`tr[data-alignment="${id}"]`)).toBeNull();
  });

  it('a delete that fails brings its row back and says why', async () => {
    const store = await seeded();
    const { el, toasts } = await history(store);
    let fail!: () => void;
    vi.spyOn(store, 'deleteRun').mockImplementation(
      () => new Promise<void>((_, reject) => (fail = () => reject(new Error('The disk is full.')))),
    );
    const first = $$(el, 'tr[data-run]')[0]!;
    const id = first.getAttribute('data-run')!;
    $<HTMLButtonElement>(first, 'button[data-delete]').click();
    await settle(el);
    button(first, /^Yes, delete$/)!.click();
    await waitFor(() => el.shadowRoot!.querySelector(`tr[data-run="${id}"]`) === null);
    fail();
    await waitFor(() => el.shadowRoot!.querySelector(`tr[data-run="${id}"]`) !== null);
    expect(runNames(el)[0]).toBe(`Run ${N - 1}`);
    expect(toasts).toEqual([{ message: `Not deleted “Run ${N - 1}”: The disk is full.`, kind: 'error' }]);
    expect(await store.getRun(id)).toBeDefined();
  });

  it('says the count once typing settles, not at each key; the count shown follows each key', async () => {
    const { el } = await history(await seeded());
    const said = () => text($(el, '[data-more=runs] [data-count-said]'));
    expect($(el, '[data-more=runs] [role=status]')).toBe($(el, '[data-more=runs] [data-count-said]'));
    expect(said()).toBe(`Showing 50 of ${N} runs.`);
    await filterIn(el, 'runs', 'run 1');
    await filterIn(el, 'runs', 'run 11');
    expect(text($(el, '[data-more=runs] [data-count]'))).toBe(`11 of ${N} runs match “run 11”.`);
    expect(said()).toBe(`Showing 50 of ${N} runs.`);
    await new Promise((r) => setTimeout(r, SAY_AFTER_MS + 50));
    await settle(el);
    expect(said()).toBe(`11 of ${N} runs match “run 11”.`);
  });

  it('a rename that takes a row out of the filter keeps the row, its Rename focused, and says so', async () => {
    const { el } = await history(await seeded());
    // Each its own new name: a run may not take a saved alignment's (but its own result's).
    for (const [list, kind, name, to] of [
      ['alignments', 'alignment', 'Alignment 11', 'Zed'],
      ['runs', 'run', 'Run 11', 'Zed run'],
    ] as const) {
      await filterIn(el, list, name.toLowerCase());
      const row = $$(el, `tr[data-${kind}]`).find((r) => text($(r, 'td[data-label=Name]')) === name)!;
      const id = row.getAttribute(`data-${kind}`)!;
      $<HTMLButtonElement>(row, 'button[data-rename]').click();
      await settle(el);
      const input = $<HTMLInputElement>(el, 'input[aria-label="New name"]');
      input.value = to;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      await waitFor(() => text($(el, `tr[data-${kind}="${id}"] td[data-label=Name]`)) === to);
      await settle(el);
      await afterPaint();
      expect(deepActiveElement()).toBe($(el, `tr[data-${kind}="${id}"] button[data-rename]`));
      const noun = kind === 'run' ? 'runs' : 'saved alignments';
      const who = kind === 'run' ? 'The run you just renamed' : 'The one you just renamed';
      expect(text($(el, `[data-more=${list}] [data-count]`))).toBe(
        `10 of ${N} ${noun} match “${name.toLowerCase()}”. ${who} is shown anyway.`,
      );
      // Another filter: it is drawn only if it matches.
      await filterIn(el, list, 'zzz');
      expect(el.shadowRoot!.querySelector(`tr[data-${kind}="${id}"]`)).toBeNull();
    }
  });

  for (const kind of ['alignment', 'run'] as const) {
    it(`renaming ${kind === 'run' ? 'a run' : 'an alignment'} to another one's name is refused beside the field, which stays with what was typed; both keep their names, a free name goes through`, async () => {
      const store = await seeded();
      const { el, toasts } = await history(store);
      const noun = kind === 'run' ? 'Run' : 'Alignment';
      const list = kind === 'run' ? await store.listRuns() : await store.listAlignments();
      const id = list.find((r) => r.name === `${noun} ${N - 1}`)!.id;
      const name = () => text($(el, `tr[data-${kind}="${id}"] td[data-label=Name]`));
      const field = () => el.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="New name"]');
      const problem = () => el.shadowRoot!.querySelector('#rename-problem');
      const type = (to: string) => {
        field()!.value = to;
        field()!.dispatchEvent(new Event('input'));
      };
      const enter = () =>
        field()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      $<HTMLButtonElement>(el, `tr[data-${kind}="${id}"] button[data-rename]`).click();
      await settle(el);
      type(`${noun} ${N - 2}`);
      enter();
      await waitFor(() => problem() !== null);
      await settle(el);
      const other = kind === 'run' ? 'Another run' : 'Another saved alignment';
      expect(text(problem()!)).toBe(`Not renamed: ${other} is already called “${noun} ${N - 2}”. Choose another name.`);
      expect(problem()!.getAttribute('role')).toBe('alert');
      // The field stays in its row, with what was typed and focus, to be mended; nothing else is said.
      const input = $<HTMLInputElement>(el, `tr[data-${kind}="${id}"] input[aria-label="New name"]`);
      expect(input.value).toBe(`${noun} ${N - 2}`);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toBe('rename-problem');
      expect(deepActiveElement()).toBe(input);
      expect(toasts).toEqual([]);
      await quiet(store, el);
      const names = (kind === 'run' ? await store.listRuns() : await store.listAlignments()).map((r) => r.name);
      expect(names.filter((n) => n === `${noun} ${N - 2}`)).toHaveLength(1);
      expect(names).toHaveLength(N);
      expect(names).toContain(`${noun} ${N - 1}`);
      // A saved alignment's name (not the run's own) is refused too: the run's result is saved under its name;
      // and the other way round, a run's name (but its own run's) for an alignment.
      type(kind === 'run' ? 'Alignment 5' : 'Run 5');
      await settle(el);
      expect(problem()).toBeNull();
      enter();
      await waitFor(() => problem() !== null);
      expect(text(problem()!)).toBe(
        kind === 'run'
          ? 'Not renamed: A saved alignment is already called “Alignment 5”. Choose another name.'
          : 'Not renamed: A run is already called “Run 5”. Choose another name.',
      );
      if (kind === 'run') {
        // Left by Tab or a click, a refused name stays open beside its problem, and focus stays where it went.
        const jump = $<HTMLElement>(el, '[data-jump=run]');
        jump.focus();
        field()!.dispatchEvent(new FocusEvent('blur'));
        await settle(el);
        expect(text(problem()!)).toMatch(/“Alignment 5”/);
        expect(deepActiveElement()).toBe(jump);
        field()!.focus();
      }
      // Typing takes the problem away; a free name goes through, and focus goes back to Rename.
      type('Kept apart');
      await settle(el);
      expect(problem()).toBeNull();
      expect(field()!.getAttribute('aria-invalid')).toBe('false');
      enter();
      await waitFor(() => name() === 'Kept apart');
      await quiet(store, el);
      expect(field()).toBeNull();
      expect(deepActiveElement()).toBe($(el, `tr[data-${kind}="${id}"] button[data-rename]`));
      expect(toasts).toEqual([]);
    });
  }

  it('the row a link pointed to is drawn under any filter, and the words say so', async () => {
    const store = await seeded();
    const target = (await store.listAlignments()).find((a) => a.name === 'Alignment 3')!;
    const el = await mount<DrpoHistoryView>('drpo-history-view', {
      store,
      appState: new AppState(),
      shownAlignment: target.id,
    });
    await waitFor(() => $$(el, 'tr[data-alignment]').length > 0);
    await filterIn(el, 'alignments', 'zzz');
    expect($$(el, 'tr[data-alignment]').map((r) => r.getAttribute('data-alignment'))).toEqual([target.id]);
    expect(text($(el, '[data-more=alignments] [data-count]'))).toBe(
      `No saved alignments match “zzz”. The alignment you were pointed to is shown anyway. Clear the filter to see all ${N}.`,
    );
  });

  it("a run's notices re-read the runs only, never every saved alignment, and its row still updates", async () => {
    const store = await seeded();
    const { el } = await history(store);
    // The seeding's last notices come at the end of the store's change window, maybe after the view was drawn
    // (a fast machine): they are heard, and their readings done, before counting (or they would count as a run's).
    await quiet(store, el);
    const alignmentsRead = vi.spyOn(store, 'listAlignments');
    // Each reading takes 50 ms, as a large History's would, so notices keep coming while one is under way (a
    // fast reading would finish between two notices, and the count would say nothing about coalescing).
    const listRuns = store.listRuns.bind(store);
    const runsRead = vi.spyOn(store, 'listRuns').mockImplementation(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return listRuns();
    });
    const id = $$(el, 'tr[data-run]')[0]!.getAttribute('data-run')!;
    for (let i = 0; i < 30; i++) {
      await store.renameRun(id, `Busy ${i}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => text($(el, `tr[data-run="${id}"] td[data-label=Name]`)) === 'Busy 29');
    await settle(el);
    expect(alignmentsRead).not.toHaveBeenCalled();
    // One reading at a time, with at most one more after it: fewer readings than notices.
    expect(runsRead.mock.calls.length).toBeGreaterThan(0);
    expect(runsRead.mock.calls.length).toBeLessThan(15);
    // The row may show "Busy 29" from a reading that began after the last rename, its notice still held in the
    // window: it is heard (and read) now, or its reading would be counted as the alignment's.
    await quiet(store, el);
    // An alignment's notice re-reads the alignments (and not the runs).
    runsRead.mockClear();
    const a = (await store.listAlignments())[0]!;
    alignmentsRead.mockClear();
    await store.renameAlignment(a.id, 'Renamed elsewhere');
    await waitFor(() => text($(el, `tr[data-alignment="${a.id}"] td[data-label=Name]`)) === 'Renamed elsewhere');
    expect(alignmentsRead).toHaveBeenCalled();
    expect(runsRead).not.toHaveBeenCalled();
  });
});
