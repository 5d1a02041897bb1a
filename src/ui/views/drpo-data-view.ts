/**
 * Data: the built-in training set by category, or the user's own file (JSONL / CSV / TXT) with
 * its validation report, or a saved dataset; plus the held-out validation split. The choice is
 * written to AppState.dataset as soon as it changes.
 */
import { html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import { keepFocus } from '../helpers/focus';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { fieldError, filePicker, radio, textInput } from '../helpers/form-controls';
import { describeError } from '../helpers/error-messages';
import { BUILTIN_TRAIN } from '../../core/data/builtin-train';
import { BUILTIN_NAME, datasetChoice, datasetSplit, heldOutCount, heldOutWarning } from '../view-models/dataset-choice';
import { fileNotUsed, readQueryFile } from '../helpers/file-size';
import type { ParseReport } from '../../core/data/parse-queries';
import '../components/drpo-query-file-report';
import type { Query } from '../../core/contracts/run-config';
import { listInWords, plural } from '../../core/words/list-words';
import { formatWholeCount } from '../../core/formats/bytes';
import { NUMBER_SETTINGS, rangeProblem } from '../../core/plan/settings-schema';
import { heldOutUsedNote } from '../view-models/setting-words';
import type { DatasetRecord } from '../../store/store';
import type { DatasetChoice } from '../app/app-state';

const PREVIEW = 3;

/** The held-out count's name, range and meaning: the settings' own (Advanced settings shows the same field). */
const HELD_OUT = NUMBER_SETTINGS.find((f) => f.key === 'validationSize')!;

export function byCategory(queries: readonly Query[]): Map<string, Query[]> {
  const out = new Map<string, Query[]>();
  for (const q of queries) {
    const c = q.category || 'uncategorised';
    const group = out.get(c);
    if (group) group.push(q);
    else out.set(c, [q]);
  }
  return out;
}

type Source = DatasetChoice['source'];

@customElement('drpo-data-view')
export class DrpoDataView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .drop {
        border: 2px dashed var(--drpo-border);
        border-radius: var(--drpo-radius);
        padding: 24px;
        text-align: center;
      }
      .drop.over {
        border-color: var(--drpo-accent);
        background: var(--drpo-accent-soft);
      }
      /* Forced colours drop the accent and the tint: a file held over the zone turns its dashes solid. */
      @media (forced-colors: active) {
        .drop.over {
          border-style: solid;
        }
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 4px 8px;
        border-bottom: 1px solid var(--drpo-border);
        vertical-align: top;
      }
      td.n {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      details ul {
        margin: 4px 0;
        padding-left: 18px;
      }
      .choice {
        font-weight: normal;
        margin-right: 16px;
        display: inline-flex;
        gap: 6px;
        align-items: center;
      }
      input[type='number'] {
        width: 6em;
      }
      .saved-list {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      .saved-list li {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        padding: 4px 0;
      }
    `,
  ];

  @state() private source: Source = 'builtin';
  @state() private upload: { name: string; queries: Query[]; report: ParseReport } | null = null;
  /** A file that could not be read: why, and that it was not used (`kept`: the selection that stays, in words). */
  @state() private uploadError: { title: string; message: string; kept: string } | null = null;
  /** The file being read, shown as "Reading …" (the upload control is off meanwhile); null when none is. */
  @state() private reading: string | null = null;
  /**
   * Files turned away, named until the next file is read: one dropped while another was read, or all the files of a
   * drop of several. None of several is read: the first in the drop's order (often alphabetical) is no choice of
   * the user's, and a training and a held-out file dropped together would train on the held-out one.
   */
  @state() private turnedAway: { names: string[]; whileReading: boolean } | null = null;
  @state() private saved: DatasetRecord[] = [];
  @state() private savedId = '';
  @state() private dragOver = false;
  /** The saved dataset whose Delete is being asked about (inline, as History does for alignments). */
  @state() private confirmingDelete: string | null = null;
  /** Why the held-out count typed was refused ('' when it was taken); the count in use stays. */
  @state() private valError = '';
  private listedSaved = false;

  override connectedCallback(): void {
    super.connectedCallback();
    const d = this.appState?.value.dataset;
    if (d) this.source = d.source;
    // Back on the view: the saved set in use is the one selected (and the one a Delete must know is in use).
    if (d?.source === 'saved' && d.savedId) this.savedId = d.savedId;
    // The file in use shows its report again, with Save on this device (the view is made anew on each visit).
    if (d?.source === 'upload' && d.report) this.upload = { name: d.name, queries: d.queries, report: d.report };
  }

  override updated(changed: PropertyValues): void {
    // The question takes focus when it opens, on its safe answer (Keep), as in History.
    if (changed.has('confirmingDelete') && changed.get('confirmingDelete') === null && this.confirmingDelete)
      this.renderRoot.querySelector<HTMLButtonElement>('button[data-keep]')?.focus();
    if (this.store && !this.listedSaved) {
      this.listedSaved = true;
      void this.store
        .listDatasets()
        .then((all) => (this.saved = all.filter((d) => d.kind === 'train')))
        .catch(() => undefined);
    }
    if (this.appState && !this.appState.value.dataset && BUILTIN_TRAIN.length) this.apply();
  }

  /**
   * Held-out queries: stored as a setting of the run (the settings panel shows it too), but a choice about the
   * data that a preset switch keeps (presetSwitch in drpo-run-view.ts).
   */
  private get valSize(): number {
    return this.appState ? heldOutCount(this.appState.value) : 0;
  }

  /**
   * The held-out count as committed: an empty box is 0 (no final check, as the hint says, and the box shows 0);
   * a number the settings refuse (the schema's range, as Advanced settings checks it) keeps the count in use.
   */
  private commitValSize(raw: string): void {
    // Each commit renders, even one that changes no state (the same refused number typed twice): the box then
    // shows the count in use again (`live` compares with what it holds), as it did the first time.
    this.requestUpdate();
    if (raw.trim() === '') {
      this.valError = '';
      this.setValSize(0);
      return;
    }
    const n = Number(raw); // NOT_A_NUMBER is NaN: refused as no number
    const bad = rangeProblem(n, HELD_OUT);
    this.valError = bad ? `${bad} It stays at ${this.valSize}.` : '';
    if (!bad) this.setValSize(n);
  }

  private setValSize(n: number): void {
    if (!this.appState) return;
    const so = this.appState.value.settingsOverride;
    this.appState.update({ settingsOverride: { ...so, validationSize: n } });
  }

  private current(): { name: string; queries: readonly Query[] } | null {
    if (this.source === 'builtin') return { name: BUILTIN_NAME, queries: BUILTIN_TRAIN };
    if (this.source === 'upload') return this.upload;
    const rec = this.saved.find((d) => d.id === this.savedId);
    return rec ? { name: rec.name, queries: rec.queries } : null;
  }

  private apply(): void {
    const cur = this.current();
    if (!this.appState || !cur || !cur.queries.length) return;
    const report = this.source === 'upload' ? this.upload?.report : undefined;
    this.appState.update({ dataset: datasetChoice(this.source, cur.name, cur.queries, this.savedId, report) });
  }

  private setSource(s: Source): void {
    this.source = s;
    // Saved: the newest saved set, unless one is chosen already (else the run would keep the previous choice).
    if (s === 'saved' && !this.saved.some((d) => d.id === this.savedId)) this.savedId = this.saved[0]?.id ?? '';
    this.apply();
  }

  async readFile(file: File): Promise<void> {
    // One file at a time: the picker is disabled while one is read, and a drop meanwhile is turned away here.
    if (this.reading !== null) {
      this.turnedAway = { names: [file.name], whileReading: true };
      return;
    }
    this.turnedAway = null;
    this.uploadError = null;
    this.upload = null;
    // Show the upload panel (with the report or the error); the previous choice stays until a file parses.
    this.source = 'upload';
    this.reading = file.name;
    try {
      const parsed = await readQueryFile(file);
      this.upload = { name: file.name, ...parsed };
      this.apply();
    } catch (err) {
      const w = describeError(err);
      // The Upload choice is shown (with this error) while the run keeps what it had: the words say which, since
      // "Selected: …" below alone reads as if the file had been taken.
      this.uploadError = {
        title: w.title,
        message: w.message,
        kept: fileNotUsed(file.name, this.appState?.value.dataset?.name),
      };
    } finally {
      this.reading = null;
    }
  }

  /** The upload's status line: the file being read, and the files turned away (a drop meanwhile, a drop of several). */
  private readingWords(): string {
    return [this.reading !== null ? `Reading “${this.reading}”…` : '', this.turnedAwayWords()]
      .filter(Boolean)
      .join(' ');
  }

  private turnedAwayWords(): string {
    const away = this.turnedAway;
    if (!away) return '';
    const several = away.names.length > 1;
    // A status region is read out whole: a drop of a folder's 300 files names three and counts the rest.
    const shown = away.names.slice(0, 3).map((n) => `“${n}”`);
    const more = away.names.length - shown.length;
    const names = more > 0 ? `${shown.join(', ')} and ${plural(more, 'more file')}` : listInWords(shown);
    const notRead = `${names} ${several ? 'were' : 'was'} not read`;
    // Several files: dropping them again would fail again, so the words say what a dataset is instead.
    if (several) {
      return (
        `${notRead}${away.whileReading ? ' (another file was being read)' : ''}. Drop one file holding all the ` +
        `queries: its held-out questions are set aside from it (${HELD_OUT.label} below).`
      );
    }
    return this.reading !== null
      ? `${notRead}: drop it again once this one is done.`
      : `${notRead} (another file was being read): drop it again.`;
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void this.readFile(file);
    input.value = '';
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragOver = false;
    // Several files dropped at once (a training and a held-out file, say): none is read, all are named.
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 1) this.turnedAway = { names: files.map((f) => f.name), whileReading: this.reading !== null };
    else if (files[0]) void this.readFile(files[0]);
  }

  private async saveUpload(): Promise<void> {
    const upload = this.upload;
    if (!upload || !this.store) return;
    try {
      const rec = await this.store.saveDataset({
        name: upload.name,
        kind: 'train',
        queries: upload.queries,
        report: upload.report,
      });
      // The file in use is now this saved set: Saved then selects it, not one chosen there before the upload
      // (which would change the run's data under the user's hand).
      if (this.upload === upload) this.savedId = rec.id;
      if (rec.existing) {
        this.toast(`These queries are already saved as “${rec.name}”`);
        return;
      }
      this.saved = [rec, ...this.saved];
      // Another saved dataset has the file's name: this one is numbered (the store's rule), and the toast says why.
      const renamed = rec.name !== upload.name.trim();
      this.toast(
        renamed
          ? `Saved as “${rec.name}” on this device: “${upload.name.trim()}” already names other saved queries`
          : `Saved “${rec.name}” on this device`,
      );
    } catch (err) {
      this.raise(err, 'Saving the dataset');
    }
  }

  /** Kept: focus goes back to the Delete button the question replaced. */
  private keepDataset(id: string): void {
    keepFocus(this, () => this.renderRoot.querySelector(`li[data-dataset="${CSS.escape(id)}"] button[data-delete]`));
    this.confirmingDelete = null;
  }

  /** The saved dataset the run would train on now, if it is one. */
  private isSelected(id: string): boolean {
    return this.source === 'saved' && this.savedId === id && this.appState?.value.dataset?.source === 'saved';
  }

  /**
   * Deletes one saved dataset; the others stay. Deleting the one selected for the run selects the built-in set
   * instead (the question says so first): the page never offers a selection that is no longer on the device.
   * Stored runs are not touched; each keeps the queries it ran with.
   */
  private async deleteDataset(id: string): Promise<void> {
    const store = this.store;
    this.confirmingDelete = null;
    if (!store) return;
    const selected = this.isSelected(id);
    // The row goes: focus goes to the list's heading, or, with the last one gone, to the data source chosen.
    keepFocus(this, () => [
      this.renderRoot.querySelector('h3[data-saved-list]'),
      this.renderRoot.querySelector('input[name="src"]:checked'),
    ]);
    try {
      await store.deleteDataset(id);
      const gone = this.saved.find((d) => d.id === id);
      this.saved = this.saved.filter((d) => d.id !== id);
      if (this.savedId === id) this.savedId = '';
      if (selected) this.setSource('builtin');
      // The Saved choice goes with the last one: show the source of the selection in effect.
      else if (!this.saved.length && this.source === 'saved')
        this.source = this.appState?.value.dataset?.source ?? 'builtin';
      this.toast(`Deleted “${gone?.name ?? 'the dataset'}” from this device`);
    } catch (err) {
      this.raise(err, 'Deleting the dataset');
    }
  }

  override render() {
    const chosen = this.appState?.value.dataset;
    const split = this.appState ? datasetSplit(this.appState.value) : null;
    const warning = this.appState ? heldOutWarning(this.appState.value, 'data') : null;
    return html`<div class="stack">
      <h2>Training data</h2>
      <p class="muted">
        DRPO improves the system prompt on these queries; a few are held out to pick the final prompt fairly.
      </p>
      <section class="card">
        <fieldset style="border:0;padding:0;margin:0">
          <legend class="visually-hidden">Data source</legend>
          ${radio(
            'src',
            `Built-in (${plural(BUILTIN_TRAIN.length, 'query', 'queries')})`,
            this.source === 'builtin',
            () => this.setSource('builtin'),
          )}
          ${radio('src', 'Upload your own', this.source === 'upload', () => this.setSource('upload'))}
          ${
            this.saved.length
              ? radio('src', `Saved (${this.saved.length})`, this.source === 'saved', () => this.setSource('saved'))
              : nothing
          }
        </fieldset>
      </section>
      ${this.source === 'builtin' ? this.renderBuiltin() : nothing}
      ${this.source === 'upload' ? this.renderUpload() : nothing}
      ${this.source === 'saved' ? this.renderSaved() : nothing}
      <section class="card stack">
        <div class="row">
          <label for="val">${HELD_OUT.label}</label>
          ${textInput('val', String(this.valSize), () => undefined, {
            type: 'number',
            min: HELD_OUT.min,
            max: HELD_OUT.max,
            step: HELD_OUT.step,
            // Emptied, the box shows the 0 it now means (Lit would not write a value it rendered last).
            live: true,
            invalid: !!this.valError,
            describedBy: 'val-hint val-err',
            onChange: (v) => this.commitValSize(v),
          })}
          <span class="small muted" id="val-hint">${HELD_OUT.help}</span>
          ${fieldError('val-err', this.valError)}
        </div>
        ${this.heldOutNote(split?.validation.length, !!warning)}
        <p aria-live="polite" data-chosen>
          ${
            chosen && split
              ? html`Selected: <strong>${chosen.name}</strong> —
                  ${plural(split.train.length, 'training query', 'training queries')},
                  ${plural(split.validation.length, 'held-out question')}. <a href="#/run">Continue to Run →</a>`
              : html`<span class="muted">No dataset selected yet.</span>`
          }
        </p>
        <!-- Live, so the check going off (0 typed or the box emptied) is said as it is shown. -->
        <div aria-live="polite">
          ${warning ? html`<p class="warn-box small" role="note" data-held-out-warning>${warning}</p>` : nothing}
        </div>
      </section>
    </div>`;
  }

  /**
   * What the count means for the run, when it is not simply the number in the box: none held out (the check is
   * off: said in words, whether 0 was typed or the box emptied), or fewer than asked (at most half are held out).
   * With data chosen, the warning below says the check is off (`warned`): said once, in its words.
   */
  private heldOutNote(used: number | undefined, warned: boolean) {
    const total = this.appState?.value.dataset?.queries.length;
    const note =
      this.valSize === 0 && warned
        ? ''
        : this.valSize === 0
          ? 'None held out: the run skips the final check, so its result is not compared with your starting prompt (it is “Not verified”).'
          : used !== undefined && total !== undefined
            ? heldOutUsedNote(this.valSize, total, used)
            : '';
    return html`<p class="small" role="status" data-val-note>${note}</p>`;
  }

  private renderBuiltin() {
    const groups = [...byCategory(BUILTIN_TRAIN)];
    if (!groups.length)
      return html`<p class="warn-box">The built-in set is empty in this build. Upload your own queries.</p>`;
    return html`<section class="card">
      <table>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col" style="text-align:right">Queries</th>
            <th scope="col">Examples</th>
          </tr>
        </thead>
        <tbody>
          ${groups.map(
            ([cat, qs]) =>
              html`<tr>
                <td>${cat}</td>
                <td class="n">${qs.length}</td>
                <td>
                  <details>
                    <summary class="small">
                      ${qs[0]?.text.slice(0, 70)}${(qs[0]?.text.length ?? 0) > 70 ? '…' : ''}
                    </summary>
                    <ul class="small">
                      ${qs.slice(0, PREVIEW).map((q) => html`<li>${q.text}</li>`)}
                    </ul>
                  </details>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  private renderUpload() {
    return html`<section class="card stack">
      <div
        class="drop ${this.dragOver ? 'over' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragOver = true;
        }}
        @dragleave=${() => (this.dragOver = false)}
        @drop=${this.onDrop}
      >
        <p>Drop a file here, or</p>
        ${filePicker(
          'file',
          '.jsonl,.json,.csv,.txt,text/plain,application/json,text/csv',
          'Choose a file…',
          this.onPick,
          'button primary',
          this.reading !== null,
        )}
        <p class="small muted" style="margin-top:8px">
          JSONL (one {"query": …} per line), JSON array, CSV with a query column, or plain text with one query per line.
        </p>
        <!-- Always there, so the words are announced when they appear. -->
        <p class="small" role="status" data-reading style="margin:4px 0 0">${this.readingWords()}</p>
      </div>
      ${
        this.uploadError
          ? html`<div class="error" role="alert" data-upload-error>
              <strong>${this.uploadError.title}</strong>
              <p style="margin:4px 0 0">${this.uploadError.message}</p>
              <p style="margin:4px 0 0" data-upload-kept>${this.uploadError.kept}</p>
            </div>`
          : nothing
      }
      ${
        this.upload
          ? html`<drpo-query-file-report data-report .name=${this.upload.name} .report=${this.upload.report}>
              <div class="row">
                <button @click=${this.saveUpload} ?disabled=${!this.store}>Save on this device</button>
              </div>
            </drpo-query-file-report>`
          : nothing
      }
    </section>`;
  }

  private renderSaved() {
    return html`<section class="card">
      <label for="saved">Saved dataset</label>
      <select
        id="saved"
        @change=${(e: Event) => {
          this.savedId = (e.target as HTMLSelectElement).value;
          this.apply();
        }}
      >
        <option value="">— choose —</option>
        ${this.saved.map((d) => html`<option value=${d.id} ?selected=${d.id === this.savedId}>${d.name} (${formatWholeCount(d.queries.length)})</option>`)}
      </select>
      <h3 data-saved-list tabindex="-1">On this device</h3>
      <ul class="saved-list">
        ${this.saved.map(
          (d) =>
            html`<li data-dataset=${d.id}>
              <span>${d.name} (${plural(d.queries.length, 'query', 'queries')})</span> ${this.datasetActions(d)}
            </li>`,
        )}
      </ul>
    </section>`;
  }

  private datasetActions(d: DatasetRecord) {
    if (this.confirmingDelete !== d.id)
      return html`<button class="danger" data-delete @click=${() => (this.confirmingDelete = d.id)}>
        Delete<span class="visually-hidden"> “${d.name}”</span>
      </button>`;
    // Escape answers Keep, as in a dialog.
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && this.keepDataset(d.id);
    const selected = this.isSelected(d.id);
    return html`<span class="small" role="alert"
        >Delete “${d.name}” from this
        device?${selected ? ' It is the one selected for the run; the built-in set will be selected instead.' : ''}</span
      >
      <button class="danger" @keydown=${esc} @click=${() => void this.deleteDataset(d.id)}>Yes, delete</button>
      <button data-keep @keydown=${esc} @click=${() => this.keepDataset(d.id)}>Keep</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-data-view': DrpoDataView;
  }
}
