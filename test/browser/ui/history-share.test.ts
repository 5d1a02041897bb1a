/** History's share links and imports, and the share page, as a user meets them (audit findings). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toStorageError } from '../../../src/store/backends/backend';
import '../../../src/ui/views/drpo-history-view';
import '../../../src/ui/views/drpo-share-preview';
import type { DrpoSharePreview } from '../../../src/ui/views/drpo-share-preview';
import type { DrpoHistoryView } from '../../../src/ui/views/drpo-history-view';
import { AppState } from '../../../src/ui/app/app-state';
import { decodeAlignmentLink, encodeAlignmentLink } from '../../../src/core/formats/link-codec';
import { otherFileWords, readAlignmentText } from '../../../src/core/formats/alignment-import';
import { openStore } from '../../../src/store/store';
import type { Store } from '../../../src/store/store';
import { artifact } from '../../support/shell-fakes';
import { config as runConfig, uniqueDb } from '../../support/store';
import { $, $$, mount, settle, text, unmountAll, waitFor } from '../../support/dom';

afterEach(() => {
  vi.restoreAllMocks();
  unmountAll();
  location.hash = '';
});

const memStore = (): Promise<Store> => openStore({ forceMemory: true });
const hex = (n: number) =>
  [...crypto.getRandomValues(new Uint8Array(n / 2))].map((b) => b.toString(16).padStart(2, '0')).join('');
const button = (root: Element, label: RegExp) =>
  $$<HTMLButtonElement>(root, 'button').find((b) => label.test(b.textContent?.trim() ?? ''));

async function historyWith(...names: string[]) {
  const store = await memStore();
  // 16 examples of 8,000 characters that barely compress: a link of about 90 KB, more than a link may be.
  const big = artifact({ icl: Array.from({ length: 16 }, (_, i) => ({ query: `q${i}`, answer: hex(8000) })) });
  for (const name of names) await store.saveAlignment({ name, artifact: { ...big, name }, source: 'run' });
  const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
  await waitFor(() => $$(el, 'tr[data-alignment]').length === names.length);
  const toasts: string[] = [];
  el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
  return { el, store, toasts };
}

describe('History: Copy link', () => {
  it('does not copy a link the app would refuse; offers one without the examples, which opens', async () => {
    const { el, toasts } = await historyWith('Long examples');
    const clipboard: string[] = [];
    vi.spyOn(navigator.clipboard, 'writeText').mockImplementation(async (t) => void clipboard.push(t));
    const row = () => $(el, 'tr[data-alignment]');
    button(row(), /^Copy link$/)!.focus();
    button(row(), /^Copy link$/)!.click();
    await waitFor(() => toasts.length === 1);
    expect(toasts[0]).toBe('The link was not copied: it would not open; choose below.');
    expect(clipboard).toEqual([]);
    await settle(el);
    const choice = $(row(), '[data-share-link]');
    expect(text(choice)).toMatch(/The link would be \d+ KB, longer than the 64 KB a link may be/);
    expect(choice.querySelector('input')).toBeNull();
    expect(button(choice, /^Download the file instead$/)).toBeTruthy();
    button(choice, /^Drop the examples and copy a shorter link$/)!.focus();
    button(choice, /^Drop the examples and copy a shorter link$/)!.click();
    await waitFor(() => toasts.length === 2);
    await settle(el);
    expect(toasts[1]).toMatch(/^Share link copied \(without examples\)\. The link is \d+ KB: fine/);
    expect(clipboard).toHaveLength(1);
    const opened = await decodeAlignmentLink(clipboard[0]!);
    expect(opened.ok && opened.artifact.icl).toEqual([]);
    // The choice went, and focus went back to Copy link, not to the page.
    expect(row().querySelector('[data-share-link]')).toBeNull();
    expect(el.shadowRoot!.activeElement).toBe(button(row(), /^Copy link$/));
  });
});

describe('History: Copy link of long Chinese text', () => {
  it('does not copy a short link that unpacks past what a link opens; without the examples it is copied', async () => {
    const store = await memStore();
    // Within every limit of a file: 16 examples of 8,000 Chinese characters a question and an answer pack into a
    // link of a few KB that unpacks to about 770 KB, which the share page refuses.
    const zh = (k: number) => `这是第${k}个例子的回答。`.repeat(800).slice(0, 8000);
    const icl = Array.from({ length: 16 }, (_, i) => ({ query: zh(i + 20), answer: zh(i) }));
    await store.saveAlignment({ name: 'Chinese', artifact: artifact({ icl, name: 'Chinese' }), source: 'run' });
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-alignment]').length === 1);
    const toasts: string[] = [];
    el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
    const clipboard: string[] = [];
    vi.spyOn(navigator.clipboard, 'writeText').mockImplementation(async (t) => void clipboard.push(t));
    const row = () => $(el, 'tr[data-alignment]');
    button(row(), /^Copy link$/)!.click();
    await waitFor(() => toasts.length === 1);
    expect(toasts[0]).toBe('The link was not copied: it would not open; choose below.');
    expect(clipboard).toEqual([]);
    await settle(el);
    expect(text($(row(), '[data-share-link]'))).toMatch(
      /KB once unpacked in a link, more than the 512 KB a link may carry/,
    );
    button($(row(), '[data-share-link]'), /^Drop the examples and copy a shorter link$/)!.click();
    await waitFor(() => toasts.length === 2);
    expect(toasts[1]).toMatch(/^Share link copied \(without examples\)\./);
    expect((await decodeAlignmentLink(clipboard[0]!)).ok).toBe(true);
  });
});

describe('History: Import', () => {
  async function importer(store: Store) {
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    const input = $<HTMLInputElement>(el, '#import');
    return async (f: File): Promise<HTMLElement> => {
      const before = el.shadowRoot!.querySelector('[data-import]');
      Object.defineProperty(input, 'files', { value: [f], configurable: true });
      input.dispatchEvent(new Event('change'));
      await waitFor(() => {
        const now = el.shadowRoot!.querySelector('[data-import]');
        return now !== null && now !== before;
      });
      await settle(el);
      return $<HTMLElement>(el, '[data-import]');
    };
  }

  it('stores an official DRPO file imported twice once, as it does one of ours', async () => {
    const store = await memStore();
    const pick = await importer(store);
    const prompts = JSON.stringify({ 'level 1': { Prompt: 'Be kind.', 'Evaluation of the prompt': {} } });
    const examples = JSON.stringify([{ query: 'Hi?', answer: '<START>Hello.<END>' }]);
    for (const [name, body] of [
      ['llama3-8b.json', prompts],
      ['icl-examples.json', examples],
    ] as const) {
      expect(text(await pick(new File([body], name)))).toMatch(/^Imported alignment/);
      // A moment later: the converter's time stamp differs, the alignment does not.
      await new Promise((r) => setTimeout(r, 5));
      expect(text(await pick(new File([body], name)))).toMatch(
        new RegExp(`^${name.replace('.', '\\.')} holds an alignment you already have .*, so nothing was added\\.$`),
      );
    }
    expect(await store.listAlignments()).toHaveLength(2);
  });

  it('says which file it is importing, and takes no other meanwhile (a large run export takes a while)', async () => {
    const store = await memStore();
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const importRun = store.importRun.bind(store);
    vi.spyOn(store, 'importRun').mockImplementation(async (json) => {
      await held;
      return importRun(json);
    });
    const run = await store.createRun(runConfig(), 'Big run');
    const exported = JSON.stringify(await store.exportRun(run.id));
    await store.deleteRun(run.id);
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    const input = $<HTMLInputElement>(el, '#import');
    Object.defineProperty(input, 'files', { value: [new File([exported], 'big-run.json')], configurable: true });
    input.dispatchEvent(new Event('change'));
    await waitFor(() => text($(el, '[data-importing]')) === 'Importing “big-run.json”…');
    expect(input.disabled).toBe(true);
    release();
    await waitFor(() => el.shadowRoot!.querySelector('[data-import]') !== null);
    await settle(el);
    expect(text($(el, '[data-import]'))).toBe('Imported run “Big run”.');
    expect(text($(el, '[data-importing]'))).toBe('');
    expect(input.disabled).toBe(false);
  });

  it('refuses a file that is not UTF-8, as drpo eval and query files do, and stores nothing', async () => {
    const store = await memStore();
    await store.saveAlignment({ name: 'Kept', artifact: artifact(), source: 'run' });
    const pick = await importer(store);
    const json = JSON.stringify(artifact({ name: 'Latin-1', systemPrompt: 'Café crème, s’il vous plaît.' }));
    const latin1 = Uint8Array.from(json.replace('’', "'"), (c) => c.charCodeAt(0));
    const shown = await pick(new File([latin1], 'latin1.json'));
    expect(shown.className).toBe('error');
    expect(text(shown)).toBe('The file "latin1.json" is not UTF-8 text. Save it as UTF-8 (JSON) and try again.');
    expect((await store.listAlignments()).map((a) => a.name)).toEqual(['Kept']);
    // The same file saved as UTF-8 is imported, its text intact.
    expect(text(await pick(new File([json], 'utf8.json')))).toBe('Imported alignment “Latin-1”.');
    expect((await store.listAlignments())[0]!.artifact.systemPrompt).toBe('Café crème, s’il vous plaît.');
  });
});

describe('A new alignment under a name already listed (two rows could not be told apart)', () => {
  for (const kind of ['memory', 'IndexedDB'] as const) {
    it(`History's import gets a numbered name and says why; both rows stay (${kind})`, async () => {
      const db = uniqueDb();
      try {
        const store = kind === 'memory' ? await memStore() : await db.open();
        await store.saveAlignment({ name: 'Helper', artifact: artifact({ name: 'Helper' }), source: 'file' });
        await store.createRun(runConfig(), 'Basil');
        const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
        await waitFor(() => $$(el, 'tr[data-alignment]').length === 1);
        const input = $<HTMLInputElement>(el, '#import');
        const pick = async (name: string, prompt: string) => {
          const before = el.shadowRoot!.querySelector('[data-import]');
          const body = JSON.stringify(artifact({ name, systemPrompt: prompt }));
          Object.defineProperty(input, 'files', { value: [new File([body], 'x.json')], configurable: true });
          input.dispatchEvent(new Event('change'));
          await waitFor(() => ![null, before].includes(el.shadowRoot!.querySelector('[data-import]')));
          return text($(el, '[data-import]'));
        };
        expect(await pick('Helper', 'Another prompt.')).toBe(
          'Imported alignment “Helper (2)”: “Helper” already names another saved alignment.',
        );
        // A run's name is kept for its result, saved under it when the run ends.
        expect(await pick('Basil', 'A third prompt.')).toBe(
          'Imported alignment “Basil (2)”: “Basil” already names a run.',
        );
        expect(await pick('Fresh', 'A fourth prompt.')).toBe('Imported alignment “Fresh”.');
        await waitFor(() => $$(el, 'tr[data-alignment]').length === 4);
        const names = $$(el, 'tr[data-alignment] td[data-label=Name]').map(text);
        expect(names.sort()).toEqual(['Basil (2)', 'Fresh', 'Helper', 'Helper (2)']);
      } finally {
        await db.cleanup();
      }
    });
  }

  it("History's import of a run export from another device gets a numbered name and says why; both rows stay", async () => {
    const store = await memStore();
    const here = await store.createRun(runConfig(), 'Basil');
    const exported = await store.exportRun(here.id);
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-run]').length === 1);
    const input = $<HTMLInputElement>(el, '#import');
    // Another device's run of that name: another id.
    const body = JSON.stringify({ ...exported, run: { ...exported.run, id: 'from-elsewhere' } });
    Object.defineProperty(input, 'files', { value: [new File([body], 'basil-run.json')], configurable: true });
    input.dispatchEvent(new Event('change'));
    await waitFor(() => el.shadowRoot!.querySelector('[data-import]') !== null);
    expect(text($(el, '[data-import]'))).toBe('Imported run “Basil (2)”: “Basil” already names a run.');
    await waitFor(() => $$(el, 'tr[data-run]').length === 2);
    const names = $$(el, 'tr[data-run] td[data-label=Name]').map(text);
    expect(names.sort()).toEqual(['Basil', 'Basil (2)']);
  });

  it('the share page saves it under a numbered name and says why, beside Saved and in its toast', async () => {
    const store = await memStore();
    await store.saveAlignment({ name: 'Helper', artifact: artifact({ name: 'Helper' }), source: 'file' });
    const { fragment } = await encodeAlignmentLink(artifact({ name: 'Helper', systemPrompt: 'Shared prompt.' }));
    const page = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}`, store });
    await waitFor(() => page.shadowRoot!.querySelector('[data-state=ok]') !== null);
    const toasts: string[] = [];
    page.addEventListener('toast-requested', (e) =>
      toasts.push((e as CustomEvent<{ message: string }>).detail.message),
    );
    button(page, /^Save$/)!.click();
    await waitFor(() => page.shadowRoot!.querySelector('[data-saved]') !== null);
    expect(text($(page, '[data-saved]'))).toBe(
      'Saved as “Helper (2)”: “Helper” already names another saved alignment. Show it in History',
    );
    expect(toasts).toEqual(['Saved as “Helper (2)”: “Helper” already names another saved alignment']);
    expect((await store.listAlignments()).map((a) => a.name)).toEqual(['Helper (2)', 'Helper']);
  });
});

describe('One alignment, saved from its share link and imported from its file (audit: two rows)', () => {
  // A run's result as its file has it: more steps than a link keeps, and the run's settings.
  const full = artifact({
    name: 'Audit quick',
    examplesPerQuery: 1,
    lineage: Array.from({ length: 7 }, (_, depth) => ({ depth, prompt: `Step ${depth}.`, reward: 3 + depth / 10 })),
    settings: { iclKInference: 1, beamWidth: 2 },
  });
  const file = () => new File([JSON.stringify(full, null, 2)], 'audit-quick.json');
  const openLink = async (store: Store) => {
    const { fragment } = await encodeAlignmentLink(full);
    const page = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}`, store });
    await waitFor(() => page.shadowRoot!.querySelector('[data-state=ok]') !== null);
    const toasts: string[] = [];
    page.addEventListener('toast-requested', (e) =>
      toasts.push((e as CustomEvent<{ message: string }>).detail.message),
    );
    return { page, toasts };
  };
  const importInto = async (el: DrpoHistoryView, f: File) => {
    const input = $<HTMLInputElement>(el, '#import');
    Object.defineProperty(input, 'files', { value: [f], configurable: true });
    input.dispatchEvent(new Event('change'));
    await waitFor(() => el.shadowRoot!.querySelector('[data-import]') !== null);
    await settle(el);
    return $<HTMLElement>(el, '[data-import]');
  };

  it('Save on the link, then import the file: one row, which takes what the link left out; Show it points to it', async () => {
    const store = await memStore();
    const { page, toasts } = await openLink(store);
    button(page, /^Save$/)!.click();
    await waitFor(() => toasts.length === 1);
    expect(toasts).toEqual(['Saved “Audit quick”']);
    const [saved] = await store.listAlignments();
    expect(saved!.artifact.settings).toEqual({});

    const history = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(history, 'tr[data-alignment]').length === 1);
    const message = await importInto(history, file());
    expect(text(message)).toBe(
      'audit-quick.json holds an alignment you already have (“Audit quick”): it was saved from a share link, and now has what the link left out.',
    );
    expect(message.getAttribute('role')).toBe('status');
    await settle(history);
    expect($$(history, 'tr[data-alignment]')).toHaveLength(1);
    const rows = await store.listAlignments();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: saved!.id, name: 'Audit quick', savedAt: saved!.savedAt, artifact: full });

    // Show it: the row is marked and takes the focus.
    button(history, /^Show it$/)!.click();
    await settle(history);
    const row = $(history, `tr[data-alignment="${saved!.id}"]`);
    expect(row.hasAttribute('data-shown')).toBe(true);
    expect(history.shadowRoot!.activeElement).toBe(row);

    // The file again: nothing to add.
    expect(text(await importInto(history, file()))).toBe(
      'audit-quick.json holds an alignment you already have (“Audit quick”), so nothing was added.',
    );
    expect(await store.listAlignments()).toHaveLength(1);
  });

  it('file imported first: the link says at once it is saved, and where; Save adds nothing', async () => {
    const store = await memStore();
    const rec = await store.importAlignmentFile(JSON.stringify(full), 'audit-quick.json');
    const { page, toasts } = await openLink(store);
    await waitFor(() => page.shadowRoot!.querySelector('[data-saved]') !== null);
    const saved = $(page, '[data-saved]');
    expect(text(saved)).toBe('Already saved as “Audit quick”. Show it in History');
    expect(saved.querySelector('a')!.getAttribute('href')).toBe(`#/history?alignment=${rec.id}`);
    const save = button(page, /^Saved$/)!;
    expect(save.getAttribute('aria-disabled')).toBe('true');
    save.click();
    await settle(page);
    expect(toasts).toEqual([]);
    expect((await store.listAlignments()).map((a) => a.artifact)).toEqual([full]);
  });

  it('file imported while the link is open: Save finds it and says so', async () => {
    const store = await memStore();
    const { page, toasts } = await openLink(store);
    await settle(page);
    const rec = await store.importAlignmentFile(JSON.stringify(full), 'audit-quick.json');
    button(page, /^Save$/)!.click();
    await waitFor(() => toasts.length === 1);
    expect(toasts).toEqual(['Already saved as “Audit quick”']);
    await settle(page);
    expect(text($(page, '[data-saved]'))).toBe('Already saved as “Audit quick”. Show it in History');
    expect($(page, '[data-saved] a').getAttribute('href')).toBe(`#/history?alignment=${rec.id}`);
    expect((await store.listAlignments()).map((a) => a.artifact)).toEqual([full]);
  });

  it('History opened at a saved alignment (the link above) marks and focuses its row; a deleted one is said', async () => {
    const store = await memStore();
    const other = await store.saveAlignment({
      name: 'Other',
      artifact: artifact({ systemPrompt: 'Else.' }),
      source: 'run',
    });
    const rec = await store.saveAlignment({ name: 'Audit quick', artifact: full, source: 'file' });
    const history = await mount<DrpoHistoryView>('drpo-history-view', {
      store,
      appState: new AppState(),
      shownAlignment: rec.id,
    });
    await waitFor(() => history.shadowRoot!.activeElement?.getAttribute('data-alignment') === rec.id);
    expect($$(history, 'tr[data-shown]').map((r) => r.getAttribute('data-alignment'))).toEqual([rec.id]);
    expect(history.shadowRoot!.querySelector('[data-shown-gone]')).toBeNull();
    history.shownAlignment = other.id;
    await store.deleteAlignment(other.id);
    await waitFor(() => history.shadowRoot!.querySelector('[data-shown-gone]') !== null);
    expect(text($(history, '[data-shown-gone]'))).toBe(
      'The alignment you were pointed to is no longer saved on this device.',
    );
  });
});

describe('History: the "shown" mark lasts only while it points somewhere', () => {
  async function pointedAt() {
    const store = await memStore();
    const rec = await store.saveAlignment({ name: 'Audit quick', artifact: artifact(), source: 'run' });
    const other = await store.saveAlignment({
      name: 'Other',
      artifact: artifact({ systemPrompt: 'Else.' }),
      source: 'run',
    });
    const history = await mount<DrpoHistoryView>('drpo-history-view', {
      store,
      appState: new AppState(),
      shownAlignment: rec.id,
    });
    await waitFor(() => history.shadowRoot!.activeElement?.getAttribute('data-alignment') === rec.id);
    return { store, history, rec, other };
  }

  it('deleting the shown row yourself does not say it is "no longer saved"', async () => {
    const { history, rec, other } = await pointedAt();
    const row = $(history, `tr[data-alignment="${rec.id}"]`);
    button(row, /^Delete$/)!.click();
    await settle(history);
    button(row, /^Yes, delete$/)!.click();
    await waitFor(() => $$(history, 'tr[data-alignment]').length === 1);
    await settle(history);
    expect($$(history, 'tr[data-alignment]').map((r) => r.getAttribute('data-alignment'))).toEqual([other.id]);
    expect(history.shadowRoot!.querySelector('[data-shown-gone]')).toBeNull();
    expect(history.shadowRoot!.querySelector('tr[data-shown]')).toBeNull();
  });

  it('going from #/history?alignment=… to #/history (the same element) clears the mark', async () => {
    const { store, history, rec } = await pointedAt();
    history.shownAlignment = '';
    await settle(history);
    expect(history.shadowRoot!.querySelector('tr[data-shown]')).toBeNull();
    // Deleted elsewhere afterwards: nothing is pointed to, so nothing is said gone.
    await store.deleteAlignment(rec.id);
    await waitFor(() => $$(history, 'tr[data-alignment]').length === 1);
    await settle(history);
    expect(history.shadowRoot!.querySelector('[data-shown-gone]')).toBeNull();
  });
});

describe('History: a file that is not an alignment is named for what it is', () => {
  it('an import the full disk refused says so and how to make room, once, and keeps what was there', async () => {
    const store = await memStore();
    await store.saveAlignment({ name: 'Kept', artifact: artifact(), source: 'run' });
    vi.spyOn(store, 'importAlignmentFile').mockRejectedValue(
      toStorageError(new DOMException('Quota exceeded.', 'QuotaExceededError')),
    );
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    const input = $<HTMLInputElement>(el, '#import');
    const f = new File([JSON.stringify(artifact())], 'other.json');
    Object.defineProperty(input, 'files', { value: [f] });
    input.dispatchEvent(new Event('change'));
    await waitFor(() => el.shadowRoot!.querySelector('[data-import]') !== null);
    const shown = $(el, '[data-import]');
    expect(shown.getAttribute('role')).toBe('alert');
    expect(text(shown)).toMatch(
      /^other\.json: Browser storage is full\. Make room: delete old runs in History \(export the ones you want to keep first\)/,
    );
    expect(text(shown).match(/delete old runs/g)).toHaveLength(1);
    expect((await store.listAlignments()).map((a) => a.name)).toEqual(['Kept']);
  });

  it('an evaluation report (Export JSON in Evaluate) says it holds scores, and stores nothing', async () => {
    const store = await memStore();
    await store.saveAlignment({ name: 'Kept', artifact: artifact(), source: 'run' });
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    const report = {
      format: 'drpo-eval',
      version: 1,
      createdAt: new Date().toISOString(),
      candidates: [],
      pairwise: [],
    };
    const input = $<HTMLInputElement>(el, '#import');
    Object.defineProperty(input, 'files', { value: [new File([JSON.stringify(report)], 'drpo-eval.json')] });
    input.dispatchEvent(new Event('change'));
    await waitFor(() => el.shadowRoot!.querySelector('[data-import]') !== null);
    const shown = $(el, '[data-import]');
    expect(shown.getAttribute('role')).toBe('alert');
    expect(text(shown)).toBe(`drpo-eval.json cannot be imported: ${otherFileWords('', report)}.`);
    expect(text(shown)).toMatch(
      /^drpo-eval\.json cannot be imported: it is an evaluation report \(Export JSON in Evaluate, or drpo eval --out\): it holds scores, not an alignment\. Use an alignment file instead/,
    );
    expect(text(shown)).not.toMatch(/format: must be/);
    expect(button(el, /^Show it$/)).toBeUndefined();
    expect((await store.listAlignments()).map((a) => a.name)).toEqual(['Kept']);
  });
});

describe('Never-scored imports', () => {
  it('show "not scored" in History and on a share link, not a score of 0.00', async () => {
    const read = readAlignmentText(JSON.stringify([{ query: 'Hi?', answer: 'Hello.' }]), 'icl.json');
    if (!read.ok) throw new Error(read.errors.join('; '));
    const store = await memStore();
    await store.saveAlignment({ name: 'Examples', artifact: read.artifact, source: 'drpo-import' });
    await store.saveAlignment({ name: 'Scored', artifact: artifact(), source: 'run' });
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-alignment]').length === 2);
    const score = (name: string) =>
      text(
        $$(el, 'tr[data-alignment]')
          .find((r) => text(r).includes(name))!
          .querySelector('[data-label="Path mean on training questions"]')!,
      );
    expect(score('Examples')).toBe('not scored');
    expect(score('Scored')).toMatch(/^\d\.\d\d/);
    const { fragment } = await encodeAlignmentLink(read.artifact);
    const page = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}` });
    await waitFor(() => page.shadowRoot!.querySelector('[data-state=ok]') !== null);
    expect(text($(page, '[data-figure=path-mean]'))).toBe('not scored');
  });
});

describe('Share page: the verdict', () => {
  const open = async (a: ReturnType<typeof artifact>) => {
    const { fragment } = await encodeAlignmentLink(a);
    const page = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}` });
    await waitFor(() => page.shadowRoot!.querySelector('[data-state=ok]') !== null);
    return page;
  };
  const start = 'You are a helpful assistant.';

  it('says plainly that a run found no improvement and that this is its starting prompt', async () => {
    const page = await open(
      artifact({
        systemPrompt: start,
        initialPrompt: start,
        outcome: 'no-improvement',
        scores: {
          train: 3.2,
          validation: 2.9,
          initialValidation: 2.9,
          validationQueries: 6,
          bestCandidate: { validation: 3.1, standardError: 0.3 },
        },
      }),
    );
    expect(text(page)).toContain(
      'Someone shared a DRPO run that found no improvement: the prompt below is the one it started from.',
    );
    expect(text(page)).not.toContain('optimized with DRPO');
    const verdict = $(page, '[data-outcome]');
    expect(verdict.getAttribute('data-outcome')).toBe('no-improvement');
    expect(text(verdict)).toBe(
      'No improvement found: the best the search produced scored 3.10 vs 2.90 for the starting prompt (+0.20 ± 0.30) on 6 held-out questions, not clearly better, so this is the starting prompt. “±”: one standard error of the difference, not a 95% interval as in Evaluate.',
    );
  });

  it('shows an improvement as its own, and a link without a verdict as before', async () => {
    const improved = await open(
      artifact({
        initialPrompt: start,
        outcome: 'improved',
        judge: { id: 'llama-3.1-70b', engine: 'openai' },
        scores: {
          train: 4.1,
          validation: 3.4,
          initialValidation: 2.9,
          validationQueries: 8,
          validationStandardError: 0.2,
        },
      }),
    );
    expect(text($(improved, '[data-outcome=improved]'))).toBe(
      'Better than its starting prompt. It scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 8 held-out questions. “±”: one standard error of the difference, not a 95% interval as in Evaluate.',
    );
    const older = await open(artifact());
    expect(text(older)).toContain('Someone shared a system prompt optimized with DRPO.');
    expect(older.shadowRoot!.querySelector('[data-outcome]')).toBeNull();
  });
});
