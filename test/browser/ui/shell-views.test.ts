import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../../../src/ui/views/drpo-data-view';
import '../../../src/ui/views/drpo-history-view';
import '../../../src/ui/views/drpo-share-preview';
import '../../../src/ui/app/drpo-error-banner';
import type { DrpoDataView } from '../../../src/ui/views/drpo-data-view';
import { byCategory } from '../../../src/ui/views/drpo-data-view';
import type { DrpoHistoryView } from '../../../src/ui/views/drpo-history-view';
import type { DrpoSharePreview } from '../../../src/ui/views/drpo-share-preview';
import type { DrpoErrorBanner } from '../../../src/ui/app/drpo-error-banner';
import { setErrorRetry } from '../../../src/ui/app/drpo-error-banner';
import { setRunOwnership } from '../../../src/ui/controllers/run-ownership';
import { DrpoViewBase } from '../../../src/ui/app/view-base';
import { AppState } from '../../../src/ui/app/app-state';
import { datasetSplit } from '../../../src/ui/view-models/dataset-choice';
import { BUILTIN_TRAIN } from '../../../src/core/data/builtin-train';
import { PRESETS, buildRunConfig } from '../../../src/core/plan/presets';
import { decodeAlignmentLink, encodeAlignmentLink } from '../../../src/core/formats/link-codec';
import { ErrorName, serializeError } from '../../../src/core/contracts/errors';
import { WebLlmHost } from '../../../src/worker/webllm-host';
import { openStore } from '../../../src/store/store';
import type { Store } from '../../../src/store/store';
import { XSS, artifact, checkpoint, pwned } from '../../support/shell-fakes';
import { deepActiveElement } from '../../../src/ui/helpers/focus';
import {
  afterPaint,
  $,
  $$,
  captureDownloads,
  find,
  holdFileReads,
  mount,
  mountEl,
  settle,
  text,
  typeNumberText,
  unmountAll,
  waitFor,
} from '../../support/dom';

afterEach(() => {
  unmountAll();
  location.hash = '';
  delete (window as unknown as { __pwned?: number }).__pwned;
});

const memStore = (): Promise<Store> => openStore({ forceMemory: true });

function file(name: string, body: string): File {
  return new File([body], name, { type: 'text/plain' });
}

describe('drpo-data-view', () => {
  it('shows the built-in set by category and selects it', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState });
    const groups = byCategory(BUILTIN_TRAIN);
    if (BUILTIN_TRAIN.length) {
      expect($$(el, 'tbody tr').length).toBe(groups.size);
      expect(appState.value.dataset?.source).toBe('builtin');
      const d = datasetSplit(appState.value)!;
      expect(appState.value.dataset!.queries).toEqual(BUILTIN_TRAIN);
      expect(d.train.length + d.validation.length).toBe(BUILTIN_TRAIN.length);
      expect(d.validation.length).toBe(PRESETS.quick.settings.validationSize);
    } else {
      expect(text(el)).toContain('empty');
    }
  });

  it('reads an upload, reports what was cleaned and uses it with the chosen split', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store: await memStore() });
    const jsonl = [
      '{"query":"What is DNS?"}',
      '{"query":"What is DNS?"}',
      '',
      '{"query":"Write a haiku"}',
      '{"query":"Explain TCP"}',
    ].join('\n');
    await el.readFile(file('mine.jsonl', jsonl));
    await settle(el);
    // The blank line is no record: 4 lines, each counted once (skippedInWords, the CLI's words too).
    expect(text($(el, '[data-report]'))).toContain('mine.jsonl: kept 3 of 4 queries; skipped 1 duplicate.');
    const val = $<HTMLInputElement>(el, '#val');
    val.value = '1';
    val.dispatchEvent(new Event('change'));
    await settle(el);
    expect(appState.value.dataset).toMatchObject({ source: 'upload', name: 'mine.jsonl' });
    expect(datasetSplit(appState.value)!.train.length).toBe(2);
    expect(datasetSplit(appState.value)!.validation.length).toBe(1);
    expect(text($(el, '[data-chosen]'))).toContain('2 training queries, 1 held-out question.');
    // Asking for more than half holds out half: the search keeps questions to learn from, and the
    // line under the field shows what the run will really use.
    val.value = '3';
    val.dispatchEvent(new Event('change'));
    await settle(el);
    expect(datasetSplit(appState.value)!.validation.length).toBe(1);
    expect(text($(el, '[data-chosen]'))).toContain('2 training queries, 1 held-out question.');
    expect(text($(el, '[data-val-note]'))).toBe('1 will be used: at most half of your 3 questions are held out.');
    expect(text($(el, '#val-hint'))).toContain('at most half of the questions');
    // Text that is no number reads as '' in the browser: said, and the count in use stays (it is not 0). The
    // words go in an alert of their own, there before them (an alert arriving with its text may go unsaid).
    const hint = text($(el, '#val-hint'));
    expect(val.getAttribute('aria-describedby')).toBe('val-hint val-err');
    expect([$(el, '#val-err').getAttribute('role'), text($(el, '#val-err'))]).toEqual(['alert', '']);
    await typeNumberText(val, '1e');
    await settle(el);
    expect(val.getAttribute('aria-invalid')).toBe('true');
    expect(text($(el, '#val-err'))).toBe('Enter a number. It stays at 3.');
    expect(text($(el, '#val-hint'))).toBe(hint);
    expect(datasetSplit(appState.value)!.validation.length).toBe(1);
    expect(appState.value.settingsOverride.validationSize).toBe(3);
    // Emptied again (the browser reads '' before and after, and fires no change): empty is 0, off, as it always was,
    // and now said: the box shows 0 and a note says the check is off.
    await typeNumberText(val, '');
    await settle(el);
    expect(val.getAttribute('aria-invalid')).toBe('false');
    expect(text($(el, '#val-err'))).toBe('');
    expect(appState.value.settingsOverride.validationSize).toBe(0);
    expect(val.value).toBe('0');
    expect(text($(el, '[data-chosen]'))).toContain('3 training queries, 0 held-out questions.');
    // Said once, by the warning (in a live region, so it is heard as it appears), and not "on Data": we are on Data.
    const saysOff = $$(el, 'p').filter((p) => /final check|not be checked|Not verified/i.test(text(p)));
    expect(saysOff).toEqual([$(el, '[data-held-out-warning]')]);
    expect(text($(el, '[data-held-out-warning]'))).toBe(
      'No question is held out, so the result will not be checked against your starting prompt: hold out at least 2 (a run holds out at most half of its questions, so 4 or more questions).',
    );
    expect($(el, '[data-held-out-warning]').parentElement!.getAttribute('aria-live')).toBe('polite');
    expect(text($(el, '[data-val-note]'))).toBe('');
  });

  it('takes the held-out count’s range and name from the settings: 300 is valid, 1500 is refused in words', async () => {
    const appState = new AppState({ settingsOverride: { validationSize: 300 } });
    const el = await mount<DrpoDataView>('drpo-data-view', { appState });
    const val = $<HTMLInputElement>(el, '#val');
    // Advanced settings allows up to 1000: the box agrees (it was capped at 100, so 300 was invalid there).
    expect([val.value, val.max, val.validity.valid]).toEqual(['300', '1000', true]);
    expect(text($(el, 'label[for="val"]'))).toBe('Held-out questions');
    // Typed past the range: refused with the range, not clamped without a word; the count in use stays.
    val.value = '1500';
    val.dispatchEvent(new Event('change'));
    await settle(el);
    expect(text($(el, '#val-err'))).toBe('Use a value from 0 to 1000. It stays at 300.');
    expect(appState.value.settingsOverride.validationSize).toBe(300);
    expect(val.value).toBe('300');
    // The same refused number again changes no state: the box still goes back to the count in use.
    val.value = '1500';
    val.dispatchEvent(new Event('change'));
    await settle(el);
    expect([val.value, text($(el, '#val-err'))]).toEqual(['300', 'Use a value from 0 to 1000. It stays at 300.']);
    val.value = '150';
    val.dispatchEvent(new Event('change'));
    await settle(el);
    expect(text($(el, '#val-err'))).toBe('');
    expect(appState.value.settingsOverride.validationSize).toBe(150);
    // More than the data allows: the box keeps what was asked, and says what the run will use.
    const half = Math.floor(BUILTIN_TRAIN.length / 2);
    expect(half).toBeLessThan(150); // the built-in set is smaller than 300 queries: the note below is shown
    expect(text($(el, '[data-val-note]'))).toBe(
      `${half} will be used: at most half of your ${BUILTIN_TRAIN.length} questions are held out.`,
    );
  });

  it('shows the uploaded file’s report and Save again after leaving the view and coming back', async () => {
    const appState = new AppState();
    const store = await memStore();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store });
    await el.readFile(file('m.txt', 'one\ntwo\ntwo\nthree\nfour\nfive'));
    await settle(el);
    const report = text($(el, '[data-report]'));
    expect(report).toContain('m.txt: kept 5 of 6 queries; skipped 1 duplicate.');
    // Another view, then Data again: a new element.
    el.remove();
    const back = await mount<DrpoDataView>('drpo-data-view', { appState, store });
    await settle(back);
    expect(text($(back, '[data-report]'))).toBe(report);
    const save = $$<HTMLButtonElement>(back, '[data-report] button').find((b) => text(b) === 'Save on this device')!;
    expect(save.disabled).toBe(false);
    save.click();
    await vi.waitFor(async () => expect(await store.listDatasets()).toHaveLength(1));
    expect((await store.listDatasets())[0]).toMatchObject({ name: 'm.txt', report: { kept: 5, total: 6 } });
    expect((await store.listDatasets())[0]!.queries).toHaveLength(5);
  });

  it('saves another file named like a saved one as “q.csv (2)”, says so, and lists the two apart', async () => {
    const store = await memStore();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState: new AppState(), store });
    const toasts: string[] = [];
    el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
    const save = async (body: string) => {
      await el.readFile(file('q.csv', body));
      await settle(el);
      const n = toasts.length;
      $$<HTMLButtonElement>(el, '[data-report] button')
        .find((b) => text(b) === 'Save on this device')!
        .click();
      await vi.waitFor(() => expect(toasts.length).toBe(n + 1));
      return toasts.at(-1);
    };
    expect(await save('query\nWhy is the sky blue?\nWhat is rain?\n')).toBe('Saved “q.csv” on this device');
    expect(await save('query\nHow do bees fly?\nWhat is a prime?\n')).toBe(
      'Saved as “q.csv (2)” on this device: “q.csv” already names other saved queries',
    );
    // The first file again: saved once, under its name (as before).
    expect(await save('query\nWhy is the sky blue?\nWhat is rain?\n')).toBe(
      'These queries are already saved as “q.csv”',
    );
    expect(text(el)).toContain('Saved (2)');
    // Built-in, Upload your own, Saved (2).
    $$<HTMLInputElement>(el, 'input[name="src"]')[2]!.click();
    await settle(el);
    expect($$(el, '.saved-list li > span').map(text)).toEqual(['q.csv (2) (2 queries)', 'q.csv (2 queries)']);
    expect($$(el, '#saved option').map(text)).toEqual(['— choose —', 'q.csv (2) (2)', 'q.csv (2)']);
  });

  it('says before a run when too few questions are held out for the final check to confirm a gain', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store: await memStore() });
    // The built-in set holds out the preset's 12: the check keeps questions back, nothing to say.
    expect(el.renderRoot.querySelector('[data-held-out-warning]')).toBeNull();
    await el.readFile(file('three.txt', 'What is 2+2?\nWhy is the sky blue?\nExplain, briefly, tides\n'));
    await settle(el);
    expect(text($(el, '[data-chosen]'))).toContain('2 training queries, 1 held-out question');
    const note = $(el, '[data-held-out-warning]');
    expect(note.getAttribute('role')).toBe('note');
    expect(text(note)).toBe(
      'Only 1 question is held out, so the final check cannot keep one back from choosing the result and cannot confirm a gain over your starting prompt: hold out at least 2 (a run holds out at most half of its questions, so 4 or more questions).',
    );
    // 4 questions hold out 2, one of them kept back for the verdict: the note goes.
    await el.readFile(file('four.txt', 'What is 2+2?\nWhy is the sky blue?\nExplain, briefly, tides\nWhat is DNS?\n'));
    await settle(el);
    expect(text($(el, '[data-chosen]'))).toContain('2 training queries, 2 held-out questions');
    expect(el.renderRoot.querySelector('[data-held-out-warning]')).toBeNull();
  });

  it('reports a JSON upload once per item: kept + duplicates + skipped add up, changed categories are told', async () => {
    const el = await mount<DrpoDataView>('drpo-data-view', { appState: new AppState(), store: await memStore() });
    const items = [
      ...Array.from({ length: 8 }, (_, i) => ({ query: `Question ${i + 1}?` })),
      { query: 'A long category?', category: 'x'.repeat(70) },
      { query: 'A number as category?', category: 5 },
      { query: '   ' },
      { text: 'no query here' },
      { prompt: 7 },
    ];
    await el.readFile(file('mine.json', JSON.stringify(items)));
    await settle(el);
    const report = text($(el, '[data-report]'));
    expect(report).toContain('mine.json: kept 10 of 13 queries; skipped 2 unreadable items and 1 empty query.');
    const shown = $(el, 'drpo-query-file-report');
    expect(text($(shown, '[data-skipped] strong'))).toBe('Skipped these items');
    expect(report).not.toMatch(/\bline/);
    expect(report).not.toMatch(/duplicate/);
    expect(report).toContain('A category was longer than 64 characters and cut to their first 64 (Item 9).');
    expect(report).toMatch(
      /A category was not text \(a number, a list…\) and left out; the queries are kept without one \(Item 10\)/,
    );
    expect($$(shown, '[data-skipped] li').map(text)).toEqual([
      'Item 11: has an empty query',
      expect.stringMatching(/^Item 12: has no "query" text/),
      expect.stringMatching(/^Item 13: has no "query" text/),
    ]);
  });

  it('choosing Saved selects the newest saved dataset for the run, not “— choose —” with the built-in set kept', async () => {
    const store = await memStore();
    const older = await store.saveDataset({ name: 'Older', kind: 'train', queries: [{ id: 'o', text: 'Older?' }] });
    await store.saveDataset({ name: 'Mine', kind: 'train', queries: [{ id: 'm', text: 'Mine?' }] });
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store });
    await waitFor(() => text(el).includes('Saved (2)'));
    // Built-in, Upload your own, Saved (2).
    const sources = () => $$<HTMLInputElement>(el, 'input[name="src"]');
    sources()[2]!.click();
    await settle(el);
    expect($<HTMLSelectElement>(el, '#saved').selectedOptions[0]!.textContent!.trim()).toBe('Mine (1)');
    expect(appState.value.dataset).toMatchObject({ source: 'saved', name: 'Mine' });
    expect(text($(el, '[data-chosen]'))).toMatch(/^Selected: Mine/);
    // One chosen by the user stays chosen when they go to Built-in and back to Saved.
    const select = $<HTMLSelectElement>(el, '#saved');
    select.value = older.id;
    select.dispatchEvent(new Event('change'));
    await settle(el);
    sources()[0]!.click();
    await settle(el);
    sources()[2]!.click();
    await settle(el);
    expect(appState.value.dataset).toMatchObject({ source: 'saved', name: 'Older' });
  });

  it('an upload in use, saved, is the one Saved selects, also when another saved set was chosen before', async () => {
    const store = await memStore();
    await store.saveDataset({ name: 'Older', kind: 'train', queries: [{ id: 'o', text: 'Older?' }] });
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store });
    await waitFor(() => text(el).includes('Saved (1)'));
    const sources = () => $$<HTMLInputElement>(el, 'input[name="src"]');
    // Saved: Older chosen. Then a file of one's own, saved on this device.
    sources()[2]!.click();
    await settle(el);
    expect(appState.value.dataset).toMatchObject({ source: 'saved', name: 'Older' });
    await el.readFile(file('mine.txt', 'What is 2+2?\nWhy is the sky blue?\nWhat is DNS?\n'));
    await settle(el);
    expect(appState.value.dataset).toMatchObject({ source: 'upload', name: 'mine.txt' });
    $$<HTMLButtonElement>(el, '[data-report] button')
      .find((b) => text(b) === 'Save on this device')!
      .click();
    await waitFor(() => text(el).includes('Saved (2)'));
    // Saved again: the file in use, now saved, stays the run's data (not Older, chosen before the upload).
    sources()[2]!.click();
    await settle(el);
    expect($<HTMLSelectElement>(el, '#saved').selectedOptions[0]!.textContent!.trim()).toBe('mine.txt (3)');
    expect(appState.value.dataset).toMatchObject({ source: 'saved', name: 'mine.txt' });
  });

  it('deletes a saved dataset after asking (focus as in History); the others stay, the selection falls back', async () => {
    const store = await memStore();
    const q = (t: string) => [{ id: t, text: `${t}?` }];
    const a = await store.saveDataset({ name: 'Alpha', kind: 'train', queries: q('a') });
    const b = await store.saveDataset({ name: 'Beta', kind: 'train', queries: q('b') });
    await store.saveDataset({ name: 'Gamma', kind: 'train', queries: q('c') });
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store });
    await waitFor(() => text(el).includes('Saved (3)'));
    // Built-in, Upload your own, Saved (3).
    $$<HTMLInputElement>(el, 'input[name="src"]')[2]!.click();
    await settle(el);
    const select = $<HTMLSelectElement>(el, '#saved');
    select.value = b.id;
    select.dispatchEvent(new Event('change'));
    await settle(el);
    expect(appState.value.dataset).toMatchObject({ source: 'saved', name: 'Beta' });
    const row = (id: string) => `li[data-dataset="${id}"]`;

    // Asked first; Keep (Escape too) keeps it, and focus goes back to its Delete.
    $<HTMLButtonElement>(el, `${row(a.id)} button[data-delete]`).focus();
    $<HTMLButtonElement>(el, `${row(a.id)} button[data-delete]`).click();
    await settle(el);
    expect(text($(el, `${row(a.id)} [role=alert]`))).toBe('Delete “Alpha” from this device?');
    expect(deepActiveElement()?.matches('button[data-keep]')).toBe(true);
    await userEvent.keyboard('{Escape}');
    await afterPaint();
    expect(deepActiveElement()?.matches(`${row(a.id)} button[data-delete]`)).toBe(true);
    expect((await store.listDatasets()).length).toBe(3);

    // Deleting one keeps the others; focus goes to the list's heading.
    $<HTMLButtonElement>(el, `${row(a.id)} button[data-delete]`).click();
    await settle(el);
    $$<HTMLButtonElement>(el, `${row(a.id)} button`)
      .find((x) => text(x) === 'Yes, delete')!
      .click();
    await waitFor(() => $$(el, '.saved-list li').length === 2);
    await afterPaint();
    expect(deepActiveElement()?.matches('h3[data-saved-list]')).toBe(true);
    expect((await store.listDatasets()).map((d) => d.name).sort()).toEqual(['Beta', 'Gamma']);
    expect(text(el)).toContain('Saved (2)');
    expect(appState.value.dataset).toMatchObject({ source: 'saved', name: 'Beta' });

    // Back on the Data view after another (a new element): it still knows Beta is the one selected.
    el.remove();
    const back = await mount<DrpoDataView>('drpo-data-view', { appState, store });
    await waitFor(() => text(back).includes('Saved (2)'));
    expect($<HTMLSelectElement>(back, '#saved').value).toBe(b.id);

    // The selected one: the question says what happens, and the built-in set is selected instead.
    $<HTMLButtonElement>(back, `${row(b.id)} button[data-delete]`).click();
    await settle(back);
    expect(text($(back, `${row(b.id)} [role=alert]`))).toContain('the built-in set will be selected instead');
    $$<HTMLButtonElement>(back, `${row(b.id)} button`)
      .find((x) => text(x) === 'Yes, delete')!
      .click();
    await waitFor(() => appState.value.dataset?.source === 'builtin');
    expect((await store.listDatasets()).map((d) => d.name)).toEqual(['Gamma']);
    expect(text(back)).toContain('Saved (1)');
  });

  it('shows a clear message for a bad file and keeps the previous choice', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState });
    const before = appState.value.dataset;
    await el.readFile(new File([new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x82])], 'weird.bin'));
    await settle(el);
    expect($(el, '[data-upload-error]').textContent).toMatch(/\S{10,}/);
    expect(appState.value.dataset).toBe(before);
  });

  it('says “Reading <file>…” while a file is read, with the picker off, then the file in use (counts separated)', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store: await memStore() });
    await el.readFile(file('first.txt', 'What is DNS?\nExplain TCP\nWhy is the sky blue?'));
    await settle(el);
    const first = appState.value.dataset;
    expect(first?.name).toBe('first.txt');
    const reading = () => text($(el, '[data-reading]'));
    expect($(el, '[data-reading]').getAttribute('role')).toBe('status');
    expect(reading()).toBe('');
    // The file's bytes arrive only when the test says so: the view is seen mid-read.
    const { pending, restore } = holdFileReads();
    try {
      const rows = Array.from({ length: 30_000 }, (_, i) => `"Question ${i}, in ""quotes""?",c${i % 3}`);
      const done = el.readFile(file('big.csv', ['query,category', ...rows].join('\r\n')));
      await settle(el);
      expect(reading()).toBe('Reading “big.csv”…');
      expect($<HTMLInputElement>(el, '#file').disabled).toBe(true);
      expect($(el, 'label[for="file"]').getAttribute('aria-disabled')).toBe('true');
      // A drop meanwhile is turned away, in words; the file in use is still the first one.
      await el.readFile(file('other.txt', 'x'));
      await settle(el);
      expect(appState.value.dataset).toBe(first);
      expect(reading()).toBe('Reading “big.csv”… “other.txt” was not read: drop it again once this one is done.');
      await expect.poll(() => pending.length).toBe(1);
      pending[0]!();
      await done;
      await settle(el);
      expect(reading()).toBe('“other.txt” was not read (another file was being read): drop it again.');
      expect($<HTMLInputElement>(el, '#file').disabled).toBe(false);
      expect(appState.value.dataset?.name).toBe('big.csv');
      expect(text($(el, '[data-report]'))).toContain(
        'big.csv: kept 20,000 of 30,000 queries; skipped 10,000 over the limit of 20,000 queries.',
      );
      const train = datasetSplit(appState.value)!.train.length;
      expect(text($(el, '[data-chosen]'))).toContain(`— ${train.toLocaleString('en-US')} training queries,`);
      expect(text($(el, '[data-chosen]'))).toMatch(/\d\d,\d{3} training queries/);
      // A file that fails to read clears the words too, and the file in use stays.
      const failing = el.readFile(new File([new Uint8Array([0, 1, 2, 0])], 'bad.csv'));
      await settle(el);
      expect(reading()).toBe('Reading “bad.csv”…');
      await expect.poll(() => pending.length).toBe(2);
      pending[1]!();
      await failing;
      await settle(el);
      expect(reading()).toBe('');
      expect($(el, '[data-upload-error]').textContent).toContain('bad.csv');
      expect(appState.value.dataset?.name).toBe('big.csv');
    } finally {
      restore();
    }
  });

  it('a drop of several files reads none of them and says a dataset is one file (held-out questions come from it)', async () => {
    const appState = new AppState();
    const el = await mount<DrpoDataView>('drpo-data-view', { appState, store: await memStore() });
    [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="src"]')][1]!.click();
    await settle(el);
    const drop = (...files: File[]) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(f);
      $(el, '.drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    };
    const reading = () => text($(el, '[data-reading]'));
    const oneFile =
      'Drop one file holding all the queries: its held-out questions are set aside from it (Held-out questions below).';
    // The control the words name is there, under that name.
    expect(text($(el, 'label[for="val"]'))).toBe('Held-out questions');
    const before = appState.value.dataset;
    drop(file('heldout.txt', 'Why?'), file('train.txt', 'What is DNS?\nExplain TCP'), file('more.csv', 'query\nHow?'));
    await settle(el);
    expect(reading()).toBe(`“heldout.txt”, “train.txt” and “more.csv” were not read. ${oneFile}`);
    expect(appState.value.dataset).toBe(before);
    expect(find(el, '[data-report]')).toBeNull();
    // A folder's worth: three named, the rest counted (a status region is read out whole).
    drop(...Array.from({ length: 300 }, (_, i) => file(`q${i + 1}.txt`, 'Why?')));
    await settle(el);
    expect(reading()).toBe(`“q1.txt”, “q2.txt”, “q3.txt” and 297 more files were not read. ${oneFile}`);
    // One file alone is read, and the words go.
    drop(file('train.txt', 'What is DNS?\nExplain TCP'));
    await expect.poll(() => appState.value.dataset?.name).toBe('train.txt');
    await settle(el);
    expect(reading()).toBe('');
    // Several dropped while a file is read: all of them are named, and the file being read is the one used.
    const { pending, restore } = holdFileReads();
    try {
      drop(file('all.txt', 'What is DNS?\nExplain TCP\nWhy?'));
      await settle(el);
      expect(reading()).toBe('Reading “all.txt”…');
      drop(file('a.txt', 'Why?'), file('b.txt', 'How?'));
      await settle(el);
      expect(reading()).toBe(
        `Reading “all.txt”… “a.txt” and “b.txt” were not read (another file was being read). ${oneFile}`,
      );
      await expect.poll(() => pending.length).toBe(1);
      pending[0]!();
      await expect.poll(() => appState.value.dataset?.name).toBe('all.txt');
      await settle(el);
      expect(reading()).toBe(`“a.txt” and “b.txt” were not read (another file was being read). ${oneFile}`);
    } finally {
      restore();
    }
  });
});

describe('drpo-history-view', () => {
  async function seeded() {
    const store = await memStore();
    const config = buildRunConfig('quick', { roles: { policy: { engine: 'webllm', modelId: 'Tiny-1B' } } });
    const done = await store.createRun(config, 'Finished run');
    await store.updateRun(done.id, { status: 'completed', best: { nodeId: 'n', prompt: 'p', reward: 4.5, depth: 2 } });
    const paused = await store.createRun(config, 'Paused run');
    await store.updateRun(paused.id, { status: 'paused' });
    await store.putCheckpoint(checkpoint(paused.id, config));
    const stale = await store.createRun(config, 'Paused without checkpoint');
    await store.updateRun(stale.id, { status: 'paused' });
    const al = await store.saveAlignment({ name: 'Careful helper', artifact: artifact(), source: 'run' });
    return { store, done, paused, stale, al };
  }

  it('shows empty states', async () => {
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store: await memStore(), appState: new AppState() });
    // Each list is read on its own: either may be drawn first.
    await waitFor(() => find(el, '[data-empty=runs]') !== null && find(el, '[data-empty=alignments]') !== null);
    expect(text($(el, '[data-empty=runs]'))).toMatch(/^No runs yet/);
  });

  it('lists runs with scores and resume links, and alignments', async () => {
    const { store, done, paused, stale, al } = await seeded();
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    // Each list is read on its own: the alignments may come after the runs.
    await waitFor(() => $$(el, 'tr[data-run]').length === 3 && $$(el, 'tr[data-alignment]').length === 1);
    expect($$(el, `tr[data-run="${stale.id}"] a.button.primary`).length).toBe(0);
    const doneRow = $(el, `tr[data-run="${done.id}"]`);
    expect(text(doneRow)).toContain('4.50');
    expect(text(doneRow)).toContain('Tiny-1B');
    // The status in the live view's words (STATUS_WORDS), not the stored ones ("completed").
    expect(text($(doneRow, '.status'))).toBe('Finished');
    expect(text($(el, `tr[data-run="${paused.id}"] .status`))).toBe('Paused');
    expect($<HTMLAnchorElement>(doneRow, 'a.button').getAttribute('href')).toBe(`#/result/${done.id}`);
    const pausedRow = $(el, `tr[data-run="${paused.id}"]`);
    expect($<HTMLAnchorElement>(pausedRow, 'a.button.primary').getAttribute('href')).toBe(
      `#/live/${paused.id}?resume=1`,
    );
    expect(text($(el, `tr[data-alignment="${al.id}"]`))).toContain('4.25');
  });

  it('offers Follow, not Resume, for a run another tab drives', async () => {
    const { store, paused } = await seeded();
    setRunOwnership({
      mine: new Set(),
      tryAcquire: async () => null,
      heldRunIds: async () => new Set([paused.id]),
    });
    try {
      const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
      await waitFor(() => $(el, `tr[data-run="${paused.id}"] [data-owner="elsewhere"]`) !== null);
      const row = $(el, `tr[data-run="${paused.id}"]`);
      expect(text(row)).toContain('Running in another tab');
      expect($$(row, 'a.button.primary').length).toBe(0);
      const follow = $$<HTMLAnchorElement>(row, 'a.button').find((a) => a.textContent?.trim() === 'Follow');
      expect(follow?.getAttribute('href')).toBe(`#/live/${paused.id}`);
      // Deleting it would leave that tab calling the model into a run nobody can see: held, and said why.
      const del = $$<HTMLButtonElement>(row, 'button').find((b) => b.textContent?.trim() === 'Delete')!;
      expect(del.disabled).toBe(true);
      expect(del.title).toMatch(/running in another tab; stop it there first/);
      // A disabled button takes no focus and a title shows only under a mouse: the reason is also in words.
      expect(text($(row, '[data-delete-why]'))).toBe(
        'Cannot delete now: it is running in another tab; stop it there first.',
      );
    } finally {
      setRunOwnership(null);
    }
  });

  it('renames and deletes (after confirming)', async () => {
    const { store, done } = await seeded();
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-run]').length === 3);
    const row = () => $(el, `tr[data-run="${done.id}"]`);
    const btn = (label: string) => $$<HTMLButtonElement>(row(), 'button').find((b) => b.textContent?.trim() === label)!;
    btn('Rename').click();
    await settle(el);
    const input = $<HTMLInputElement>(row(), 'input');
    // Issue 12: the inline dialog takes focus on its field.
    expect(el.shadowRoot!.activeElement).toBe(input);
    input.value = 'Renamed run';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await waitFor(() => text(row()).includes('Renamed run'));
    expect((await store.getRun(done.id))?.name).toBe('Renamed run');
    // Focus goes back to the Rename button, not to the page's body, and stays there when the renamed run
    // moves to the top of the list.
    await waitFor(() => $$(el, 'tr[data-run]')[0]!.getAttribute('data-run') === done.id);
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe(btn('Rename'));
    // An empty name on Enter keeps the field open and says what to do; Escape keeps the old name.
    btn('Rename').click();
    await settle(el);
    const again = $<HTMLInputElement>(row(), 'input');
    expect(again.maxLength).toBe(200);
    const toasts: string[] = [];
    el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
    again.value = '  ';
    again.dispatchEvent(new Event('input'));
    again.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await settle(el);
    expect($<HTMLInputElement>(row(), 'input')).toBe(again);
    expect(toasts).toEqual(['Enter a name, or press Escape to keep the old one.']);
    again.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await settle(el);
    expect(text(row())).toContain('Renamed run');
    expect(el.shadowRoot!.activeElement).toBe(btn('Rename'));
    // Left by Tab or a click elsewhere, the field commits and focus stays where the user went.
    btn('Rename').click();
    await settle(el);
    const third = $<HTMLInputElement>(row(), 'input');
    third.value = 'Third name';
    third.dispatchEvent(new Event('input'));
    const elsewhere = $<HTMLInputElement>(el, '#import');
    elsewhere.focus();
    await waitFor(() => text(row()).includes('Third name'));
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe(elsewhere);
    btn('Delete').click();
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe(btn('Keep'));
    expect(await store.getRun(done.id)).toBeDefined();
    btn('Yes, delete').focus();
    btn('Yes, delete').click();
    await waitFor(() => $$(el, 'tr[data-run]').length === 2);
    expect(await store.getRun(done.id)).toBeUndefined();
    // The row went: focus is on the Delete of the row that took its place, not on the page's body.
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe($(el, 'tr[data-run] button[data-delete]'));
  });

  it('renames by a real Enter key press without the same Enter reopening the field (runs and alignments)', async () => {
    const { store, done, al } = await seeded();
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-run]').length === 3 && $$(el, 'tr[data-alignment]').length === 1);
    for (const [kind, id, rename] of [
      ['run', done.id, async (n: string) => (await store.getRun(done.id))?.name === n],
      ['alignment', al.id, async (n: string) => (await store.listAlignments())[0]?.name === n],
    ] as const) {
      const row = () => $(el, `tr[data-${kind}="${id}"]`);
      const renameBtn = () => $<HTMLButtonElement>(row(), 'button[data-rename]');
      renameBtn().click();
      await settle(el);
      const fresh = `Fresh ${kind}`;
      await userEvent.keyboard('{Control>}a{/Control}');
      await userEvent.keyboard(fresh);
      // A real key press: keydown, then keypress on whatever has focus by then. Focus moves to Rename on
      // the keydown, so the keypress must not press that button and open the field again (with the old name).
      await userEvent.keyboard('{Enter}');
      await waitFor(() => text(row()).includes(fresh));
      await settle(el);
      expect(await rename(fresh)).toBe(true);
      expect(find(row(), 'input')).toBeNull();
      expect(el.shadowRoot!.activeElement).toBe(renameBtn());
      // And moving on changes nothing.
      await userEvent.keyboard('{Tab}');
      await new Promise((r) => setTimeout(r, 300));
      await settle(el);
      expect(find(row(), 'input')).toBeNull();
      expect(await rename(fresh)).toBe(true);
    }
  });

  it('closes the delete confirmation on Escape, focus back on Delete', async () => {
    const { store, done } = await seeded();
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-run]').length === 3);
    const row = () => $(el, `tr[data-run="${done.id}"]`);
    const btn = (label: string) => $$<HTMLButtonElement>(row(), 'button').find((b) => b.textContent?.trim() === label);
    btn('Delete')!.click();
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe(btn('Keep'));
    await userEvent.keyboard('{Escape}');
    await settle(el);
    expect(btn('Keep')).toBeUndefined();
    expect(el.shadowRoot!.activeElement).toBe(btn('Delete'));
    expect(await store.getRun(done.id)).toBeDefined();
  });

  it('reads its lists again once per change to what it lists, and not for other changes', async () => {
    const { store, done } = await seeded();
    let reads = 0;
    const listRuns = store.listRuns.bind(store);
    store.listRuns = () => (reads++, listRuns());
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-run]').length === 3);
    // The seeding's last changes (held in the store's change window) are heard and read before counting.
    await store.changesDelivered();
    await el.refresh();
    const before = reads;
    // Evaluations and settings are not listed here: no read.
    await store.setSetting('unrelated', 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(reads).toBe(before);
    // A rename is one change: one read (not a second one after the action).
    const row = () => $(el, `tr[data-run="${done.id}"]`);
    $$<HTMLButtonElement>(row(), 'button')
      .find((b) => b.textContent?.trim() === 'Rename')!
      .click();
    await settle(el);
    const input = $<HTMLInputElement>(row(), 'input');
    input.value = 'Renamed once';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await waitFor(() => text(row()).includes('Renamed once'));
    await new Promise((r) => setTimeout(r, 400));
    expect(reads).toBe(before + 1);
  });

  it('opens an alignment in the playground', async () => {
    const { store, al } = await seeded();
    const appState = new AppState();
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState });
    await waitFor(() => $$(el, 'tr[data-alignment]').length === 1);
    $<HTMLButtonElement>($(el, `tr[data-alignment="${al.id}"]`), 'button.primary').click();
    expect(appState.value.playgroundAlignment?.systemPrompt).toBe(artifact().systemPrompt);
    expect(location.hash).toBe('#/playground');
  });

  it('downloads and links an alignment under its saved name, so an import elsewhere keeps it (also after a rename)', async () => {
    const store = await memStore();
    // Saved from a link that had no name: the record's name is the one the page gave it; then renamed.
    const al = await store.saveAlignment({
      name: 'Shared alignment for Tiny',
      artifact: artifact({ name: undefined }),
      source: 'link',
    });
    expect(al.artifact.name).toBeUndefined();
    await store.renameAlignment(al.id, 'My renamed one');
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    // The row is not there before the first read of the store ends: wait for it, then read it.
    await waitFor(() => $$(el, 'tr[data-alignment]').length === 1);
    expect(text($(el, `tr[data-alignment="${al.id}"]`))).toContain('My renamed one');
    const button = (label: string) =>
      $$<HTMLButtonElement>($(el, `tr[data-alignment="${al.id}"]`), 'button').find((b) => text(b) === label)!;
    const blobs = captureDownloads(() => button('Download').click());
    expect(blobs).toHaveLength(1);
    const json = await blobs[0]!.text();
    expect(JSON.parse(json).name).toBe('My renamed one');
    // Imported on another device: the same name, not the file's.
    const elsewhere = await memStore();
    expect((await elsewhere.importAlignmentFile(json, 'My-renamed-one.json')).name).toBe('My renamed one');
    // Back on this device, it is the alignment already saved, not a copy.
    const back = await store.importAlignmentFile(json, 'My-renamed-one.json');
    expect([back.existing, back.id]).toEqual([true, al.id]);
    expect(await store.listAlignments()).toHaveLength(1);
    // The share link carries the same name, and this device knows it too.
    button('Copy link').click();
    await waitFor(() => !!(el as unknown as { share: { offer: unknown } }).share.offer);
    const url = (el as unknown as { share: { offer: { url: string } } }).share.offer.url;
    const opened = await decodeAlignmentLink(url);
    expect(opened.ok && opened.artifact.name).toBe('My renamed one');
    if (opened.ok) expect((await store.findAlignment(opened.artifact))?.id).toBe(al.id);
  });

  it('copies a share link and says how long it is', async () => {
    const { store, al } = await seeded();
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    await waitFor(() => $$(el, 'tr[data-alignment]').length === 1);
    const toasts: string[] = [];
    el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent).detail.message));
    $$<HTMLButtonElement>($(el, `tr[data-alignment="${al.id}"]`), 'button')
      .find((b) => b.textContent?.trim() === 'Copy link')!
      .click();
    await waitFor(() => toasts.length === 1);
    // Headless clipboards may refuse; either way the user is told what happened.
    expect(toasts[0]).toMatch(/Share link copied\. The link is \d+ KB|Copying was blocked/);
  });

  it('imports an alignment file and refuses a broken one with the store’s message', async () => {
    const store = await memStore();
    const el = await mount<DrpoHistoryView>('drpo-history-view', { store, appState: new AppState() });
    const input = $<HTMLInputElement>(el, '#import');
    const pick = async (f: File) => {
      Object.defineProperty(input, 'files', { value: [f], configurable: true });
      input.dispatchEvent(new Event('change'));
      await waitFor(() => el.shadowRoot!.querySelector('[data-import]') !== null);
      await settle(el);
    };
    await pick(file('broken.json', '{"hello": '));
    expect($(el, '[data-import]').className).toBe('error');
    expect(text($(el, '[data-import]'))).toContain('broken.json cannot be imported: it is not JSON');
    // Said once: the file named once, no repeat of the problems in brackets.
    expect(text($(el, '[data-import]')).split('broken.json')).toHaveLength(2);
    expect(text($(el, '[data-import]'))).not.toMatch(/\(.*not JSON.*\)/);
    expect((await store.listAlignments()).length).toBe(0);
    await pick(file('good.json', JSON.stringify(artifact({ name: 'From file' }))));
    await waitFor(() => text($(el, '[data-import]')).includes('Imported alignment'));
    expect((await store.listAlignments()).length).toBe(1);
  });
});

describe('drpo-share-preview', () => {
  it('shows a shared alignment as inert text, then saves it and opens the playground', async () => {
    const evil = artifact({
      systemPrompt: XSS,
      icl: [{ query: '<img src=x onerror="window.__pwned=1">', answer: XSS }],
    });
    const { fragment } = await encodeAlignmentLink(evil);
    const store = await memStore();
    const appState = new AppState();
    const el = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}`, store, appState });
    await waitFor(() => el.shadowRoot!.querySelector('[data-state=ok]') !== null);
    await new Promise((r) => setTimeout(r, 50));
    expect(pwned()).toBe(false);
    expect($(el, '[data-prompt]').textContent).toBe(XSS);
    expect($$(el, 'script, img, svg').length).toBe(0);
    expect(text($(el, '[data-figure=path-mean]'))).toBe('4.25');
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.trim() === 'Save')!
      .click();
    await waitFor(() => $$<HTMLButtonElement>(el, 'button').some((b) => b.textContent?.trim() === 'Saved'));
    expect((await store.listAlignments())[0]?.artifact.systemPrompt).toBe(XSS);
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.trim() === 'Try it in the playground')!
      .click();
    expect(appState.value.playgroundAlignment?.systemPrompt).toBe(XSS);
    expect(location.hash).toBe('#/playground');
  });

  it('a link that is already saved says so when opened (Save held), and adds nothing', async () => {
    const { fragment } = await encodeAlignmentLink(artifact({ name: 'Shared once' }));
    const store = await memStore();
    const toasts: string[] = [];
    const open = async () => {
      const el = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}`, store });
      el.addEventListener('toast-requested', (e) =>
        toasts.push((e as CustomEvent<{ message: string }>).detail.message),
      );
      await waitFor(() => el.shadowRoot!.querySelector('[data-state=ok]') !== null);
      return el;
    };
    const first = await open();
    $$<HTMLButtonElement>(first, 'button')
      .find((b) => b.textContent?.trim() === 'Save')!
      .click();
    await waitFor(() => toasts.length === 1);
    await settle(first);
    expect(text($(first, '[data-saved]'))).toBe('Saved as “Shared once”. Show it in History');
    const again = await open();
    await waitFor(() => again.shadowRoot!.querySelector('[data-saved]') !== null);
    expect(text($(again, '[data-saved]'))).toBe('Already saved as “Shared once”. Show it in History');
    const save = $$<HTMLButtonElement>(again, 'button').find((b) => b.textContent?.trim() === 'Saved')!;
    save.click();
    await settle(again);
    expect(toasts).toEqual(['Saved “Shared once”']);
    expect(await store.listAlignments()).toHaveLength(1);
  });

  it('Save keeps the focus once saved (held as Saved, not disabled), and a second press saves nothing', async () => {
    const { fragment } = await encodeAlignmentLink(artifact({ name: 'Kept in focus' }));
    const store = await memStore();
    const toasts: string[] = [];
    const el = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: `#${fragment}`, store });
    el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
    await waitFor(() => el.shadowRoot!.querySelector('[data-state=ok]') !== null);
    const save = $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent?.trim() === 'Save')!;
    save.focus();
    save.click();
    await waitFor(() => save.textContent?.trim() === 'Saved');
    // After a rendering of the page: a disabled button would have lost the focus to <body> by then.
    await afterPaint();
    expect(el.shadowRoot!.activeElement).toBe(save);
    expect(save.getAttribute('aria-disabled')).toBe('true');
    save.click();
    await settle(el);
    expect(toasts).toEqual(['Saved “Kept in focus”']);
    expect(await store.listAlignments()).toHaveLength(1);
  });

  it('explains a damaged link and links back to the app', async () => {
    const el = await mount<DrpoSharePreview>('drpo-share-preview', { fragment: '#a=%%%not-base64' });
    await waitFor(() => el.shadowRoot!.querySelector('[data-state=invalid]') !== null);
    expect(text(el)).toMatch(/damaged|incomplete|cannot/i);
    expect($<HTMLAnchorElement>(el, 'a').getAttribute('href')).toBe('#/setup');
  });
});

describe('drpo-error-banner', () => {
  it('shows what happened / what to do, retries and dismisses', async () => {
    const appState = new AppState();
    const el = await mount<DrpoErrorBanner>('drpo-error-banner', { appState });
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();
    let retried = 0;
    setErrorRetry(() => retried++);
    appState.update({ error: { name: ErrorName.Network, message: 'fetch failed', context: 'Loading' } });
    await settle(el);
    expect(text(el)).toContain('Loading: Could not reach the server');
    $<HTMLButtonElement>(el, 'button.primary').click();
    expect(retried).toBe(1);
    expect(appState.value.error).toBeNull();
    appState.update({ error: { name: ErrorName.Auth, message: '401' } });
    await settle(el);
    expect(el.shadowRoot!.querySelector('button.primary')).toBeNull(); // nothing to retry
    $<HTMLButtonElement>(el, 'button').click();
    expect(appState.value.error).toBeNull();
  });

  it('gives the in-browser model’s advice once: in the hint, not again in the message', async () => {
    const appState = new AppState();
    const el = await mount<DrpoErrorBanner>('drpo-error-banner', { appState });
    // The worker's own error for a 16-bit model on a GPU without shader-f16, as it crosses to the page.
    const host = new WebLlmHost({
      probeGpu: async () => ({ available: true, shaderF16: false }),
      runtime: {
        modelList: [{ model_id: 'Tiny-q4f16_1-MLC', model: 'https://x.invalid/m', model_lib: 'https://x.invalid/w' }],
        createEngine: () => {
          throw new Error('not used');
        },
        hasModelInCache: async () => false,
        deleteModelAllInfoInCache: async () => undefined,
      },
    });
    const err = await host.load('Tiny-q4f16_1-MLC', 'cache').then(
      () => null,
      (e: unknown) => e,
    );
    appState.update({ error: { ...serializeError(err), context: 'Loading Tiny-q4f16_1-MLC' } });
    await settle(el);
    expect(text(el)).toContain('Loading Tiny-q4f16_1-MLC: This GPU lacks shader-f16');
    expect(text(el).match(/q4f32/g)).toHaveLength(1);
    appState.update({ error: null });
  });

  it('scrolls a new error into view and focuses it, once, and gives focus back on Dismiss', async () => {
    const appState = new AppState();
    const banner = await mount<DrpoErrorBanner>('drpo-error-banner', { appState });
    const spacer = mountEl(document.createElement('div'));
    spacer.style.height = '3000px';
    const button = mountEl(document.createElement('button'));
    button.textContent = 'Download & load';
    button.focus();
    window.scrollTo(0, document.body.scrollHeight);
    expect(banner.getBoundingClientRect().bottom).toBeLessThan(0);
    appState.update({ error: { name: ErrorName.Network, message: 'fetch failed', context: 'Loading' } });
    await settle(banner);
    const box = $(banner, '[role=alert]');
    expect(banner.shadowRoot!.activeElement).toBe(box);
    const r = box.getBoundingClientRect();
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(r.bottom).toBeLessThanOrEqual(window.innerHeight);
    // A re-render of the same error takes nothing back from where the user went.
    button.focus();
    appState.update({ decodeSpeed: null });
    await settle(banner);
    expect(document.activeElement).toBe(button);
    box.focus();
    $$<HTMLButtonElement>(banner, 'button')
      .find((b) => b.textContent?.trim() === 'Dismiss')!
      .click();
    await settle(banner);
    expect(document.activeElement).toBe(button);
    window.scrollTo(0, 0);
  });

  it('leaves someone typing in their field: the alert is read out, focus and scroll stay', async () => {
    const appState = new AppState();
    const banner = await mount<DrpoErrorBanner>('drpo-error-banner', { appState });
    const spacer = mountEl(document.createElement('div'));
    spacer.style.height = '3000px';
    const field = mountEl(document.createElement('textarea'));
    field.focus();
    window.scrollTo(0, document.body.scrollHeight);
    const scrolled = window.scrollY;
    expect(scrolled).toBeGreaterThan(0);
    appState.update({ error: { name: ErrorName.Network, message: 'fetch failed', context: 'Running' } });
    await settle(banner);
    expect(document.activeElement).toBe(field);
    // Not scrolled up to the banner (the browser may shift by the banner's height to keep the field in place).
    expect(window.scrollY).toBeGreaterThanOrEqual(scrolled);
    expect(banner.getBoundingClientRect().bottom).toBeLessThan(0);
    const r = field.getBoundingClientRect();
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(r.bottom).toBeLessThanOrEqual(window.innerHeight);
    expect($(banner, '[role=alert]')).not.toBeNull();
    window.scrollTo(0, 0);
  });

  it("offers Retry only for the error raised with one, never a previous error's", async () => {
    class Raiser extends DrpoViewBase {
      fail(err: unknown, retry?: () => void): void {
        this.raise(err, 'Doing it', retry);
      }
    }
    if (!customElements.get('test-raiser')) customElements.define('test-raiser', Raiser);
    const appState = new AppState();
    const banner = await mount<DrpoErrorBanner>('drpo-error-banner', { appState });
    const view = await mount<Raiser>('test-raiser', { appState });
    let retried = 0;
    view.fail({ name: ErrorName.Network, message: 'fetch failed' }, () => retried++);
    await settle(banner);
    $<HTMLButtonElement>(banner, 'button.primary').click();
    expect(retried).toBe(1);
    view.fail({ name: ErrorName.Network, message: 'fetch failed' }, () => retried++);
    // A second, retryable error raised without a retry replaces the first: its Retry must go.
    view.fail({ name: ErrorName.Network, message: 'saving failed' });
    await settle(banner);
    expect(text(banner)).toContain('saving failed');
    expect(banner.shadowRoot!.querySelector('button.primary')).toBeNull();
    expect(retried).toBe(1);
  });
});
