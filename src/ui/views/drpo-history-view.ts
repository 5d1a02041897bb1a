/**
 * History: stored runs and saved alignments, with open / resume / rename / export / delete, and
 * import of alignment files (ours or the official DRPO format) and run exports.
 */
import { ARTIFACT_LIMITS } from '../../core/formats/alignment-file';
import { html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PropertyValues } from 'lit';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { filePicker, isSubmitEnter } from '../helpers/form-controls';
import { describeError, errorLine } from '../helpers/error-messages';
import { AppError, ErrorName } from '../../core/contracts/errors';
import { formatDate, formatScore, listStatus, runSummary } from '../view-models/run/run-summary';
import { RunOwnersController, runOwners, type Owner } from '../controllers/run-ownership';
import { StoreChanges } from '../controllers/store-changes';
import type { RunSummary } from '../view-models/run/run-summary';
import { routeHref } from '../app/route';
import { downloadJson, safeFileName } from '../helpers/download';
import { ShareLinkController } from '../controllers/share-link';
import { stripSecrets } from '../../core/formats/alignment-file';
import type { AlignmentRecord, ListedResult, Saved } from '../../store/store';
import { savedArtifact } from '../../store/store';
import { isResumable } from '../../core/contracts/run-status';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { trainScore, verdictSummary } from '../../core/words/verdict-text';
import { takenNameWords } from '../../core/words/list-words';
import { BEST_SO_FAR_MARK, PATH_MEAN_LABEL, RUN_PATH_MEAN_COLUMN } from '../view-models/glossary';
import { RUN_IMPORT_LIMITS } from '../../store/run-export';
import { assertFileSize } from '../helpers/file-size';
import { decodeUtf8 } from '../../core/data/parse-queries';
import { keepFocus } from '../helpers/focus';
import { ListPage } from '../controllers/list-page';
import { Reread } from '../controllers/reread';
import { formatWholeCount } from '../../core/formats/bytes';
import { modelWords } from '../../core/formats/model-names';

/** A name being edited; `problem`: why the name typed was refused (said beside the field, which stays open). */
type Editing = { kind: 'run' | 'alignment'; id: string; value: string; problem?: string } | null;
/** What an import said; `alignmentId`: the saved alignment it found (offered as Show it). */
type ImportMessage = { ok: boolean; text: string; alignmentId?: string };
type Confirming = { kind: 'run' | 'alignment'; id: string } | null;
type ListKind = 'runs' | 'alignments';

/**
 * The verdict column's header and cell, in the Result's words (verdict-text): "improved: 3.53 vs 3.19" (this
 * alignment's verdict score vs the starting prompt's), "no improvement", "no better: …", "not verified".
 */
const VERDICT_COLUMN = 'Verdict (vs starting prompt)';
function verdictCell(a: ListedResult | null) {
  if (!a) return html`<td class="n" data-label=${VERDICT_COLUMN}><span class="muted">—</span></td>`;
  const v = verdictSummary(a);
  return html`<td class="n verdict-${v.kind}" data-label=${VERDICT_COLUMN} data-outcome=${v.kind}>${v.words}</td>`;
}

/**
 * What importing an alignment file did: imported it, or found it saved already (and then whether the saved
 * one, from the alignment's share link, took what the link left out).
 */
function importedWords(fileName: string, rec: Saved<AlignmentRecord>): string {
  // Another saved alignment (or a run) has the file's name: this one is numbered (the store's rule), said why.
  if (!rec.existing)
    return `Imported alignment “${rec.name}”${rec.nameTaken ? `: ${takenNameWords(rec.nameTaken)}` : ''}.`;
  const added = rec.detailsAdded
    ? // What that is differs (a run's settings and whole path, or only a closest candidate's prompt): not listed.
      ': it was saved from a share link, and now has what the link left out'
    : ', so nothing was added';
  return `${fileName} holds an alignment you already have (“${rec.name}”)${added}.`;
}

/** Why a run cannot be deleted now, or null: the tab driving it would keep calling the model into nothing. */
function drivenWhy(owner: Owner): string | null {
  if (owner === 'elsewhere') return 'it is running in another tab; stop it there first.';
  if (owner === 'here') return 'it is running in this tab; cancel it first.';
  return null;
}

@customElement('drpo-history-view')
export class DrpoHistoryView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .table-wrap {
        overflow-x: auto;
      }
      /* What an import did names the file, maybe one long word: the line may shrink to the card and wrap it. */
      [data-import] {
        min-width: 0;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        min-width: 640px;
      }
      th,
      td {
        text-align: left;
        padding: 6px 8px;
        border-bottom: 1px solid var(--drpo-border);
        vertical-align: middle;
      }
      td.n {
        font-variant-numeric: tabular-nums;
      }
      td.verdict-improved {
        color: var(--drpo-ok);
        font-weight: 600;
      }
      td .row {
        flex-wrap: wrap;
        gap: 4px;
      }
      td button,
      td .button {
        min-height: 30px;
        padding: 2px 10px;
        font-size: 0.85rem;
      }
      /* The alignment a link or an import pointed to. */
      tr[data-shown] {
        background: var(--drpo-accent-soft);
      }
      tr[data-shown]:focus {
        outline: 2px solid var(--drpo-focus);
        outline-offset: -2px;
      }
      /* Phones: each row becomes a small card with labelled fields instead of a table to scroll sideways. */
      @media (max-width: 640px) {
        table {
          min-width: 0;
        }
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        tr,
        td {
          display: block;
        }
        tr {
          border-bottom: 1px solid var(--drpo-border);
          padding: 6px 0;
        }
        /* A name (or model) that is one long word wraps: else it widens the card, cutting off its words and
           pushing Rename and Delete out of sight. */
        td {
          border-bottom: none;
          padding: 2px 0;
          overflow-wrap: anywhere;
        }
        td[data-label]::before {
          content: attr(data-label) ': ';
          color: var(--drpo-muted);
          font-weight: 500;
        }
      }
    `,
  ];

  @state() private runs: RunSummary[] | null = null;
  @state() private alignments: AlignmentRecord[] | null = null;
  @state() private loadError = '';
  @state() private importMessage: ImportMessage | null = null;
  /**
   * The file being imported, said as "Importing …" (the picker is off meanwhile): a large run export takes seconds,
   * with nothing else to show that anything happens.
   */
  @state() private importing: string | null = null;
  /**
   * A saved alignment to show (the route's `#/history?alignment=<id>`, from the pages that save one): its row
   * is marked, scrolled to and focused once the list is read.
   */
  @property({ attribute: false }) shownAlignment = '';
  /** The row marked as shown; `focusShown`: it is still to be scrolled to and focused (once it is listed). */
  @state() private shown = '';
  private focusShown = false;
  @state() private editing: Editing = null;
  /**
   * The item renamed last: drawn even when its new name leaves the filter (focus stays on its Rename, and the
   * user sees where it went), until the filter's text changes.
   */
  @state() private renamed: { kind: 'run' | 'alignment'; id: string } | null = null;
  @state() private confirming: Confirming = null;
  /** Rows being deleted (`run:<id>`, `alignment:<id>`): gone from the list at once, back if the delete fails. */
  @state() private removing = new Set<string>();
  /** Each list a page at a time, with a filter on names and models. */
  private readonly runPage = new ListPage(this, {
    id: 'runs',
    noun: ['run', 'runs'],
    itemAt: (i) => this.renderRoot.querySelectorAll('tr[data-run]')[i]?.querySelector('a, button'),
    onQuery: () => this.forgetRenamed('run'),
    anyway: () => 'the run you just renamed',
  });
  private readonly alignmentPage = new ListPage(this, {
    id: 'alignments',
    noun: ['saved alignment', 'saved alignments'],
    itemAt: (i) => this.renderRoot.querySelectorAll('tr[data-alignment]')[i]?.querySelector('button'),
    onQuery: () => this.forgetRenamed('alignment'),
    anyway: (why) => (why === 'pointed' ? 'the alignment you were pointed to' : 'the one you just renamed'),
  });
  /**
   * Only what this view lists (evaluations, datasets and settings change without touching it), and only the list
   * a notice names: a run's notices (several a second while it runs) never re-read every saved alignment.
   */
  protected readonly changes = new StoreChanges(
    this,
    (c) => c.kind === 'runs' || c.kind === 'alignments',
    (c) => void this.refresh(c?.kind === 'runs' || c?.kind === 'alignments' ? c.kind : undefined),
  );
  private readonly reads: Record<ListKind, Reread> = {
    runs: new Reread(() => this.readRuns()),
    alignments: new Reread(() => this.readAlignments()),
  };
  /**
   * Who drives each run ("running", "running in another tab" or "interrupted") changes without a store
   * write; asked only while a listed run is driven by some tab (taking an interrupted one writes to it).
   */
  protected readonly owners = new RunOwnersController(
    this,
    () => !!this.runs?.some((r) => runOwners.ownerOf(r.id) !== 'none'),
  );
  /** A link too long to share is not copied: the choice shows in its alignment's row. */
  private readonly share = new ShareLinkController(
    this,
    (message, error) => this.toast(message, error ? 'error' : 'info'),
    (id) => this.renderRoot.querySelector(`${this.row('alignment', id)} button[data-copy-link]`),
  );

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // `#/history` after `#/history?alignment=…` reuses this element: nothing is pointed to any more.
    if (changed.has('shownAlignment')) {
      if (this.shownAlignment) this.show(this.shownAlignment);
      else this.shown = '';
    }
  }

  /** Marks an alignment's row and brings it into view (focus and all) as soon as it is rendered. */
  private show(id: string): void {
    this.shown = id;
    this.focusShown = true;
    this.requestUpdate();
  }

  override updated(changed: PropertyValues): void {
    if (this.focusShown && this.alignments) {
      this.focusShown = false;
      const row = this.renderRoot.querySelector<HTMLElement>(this.row('alignment', this.shown));
      row?.scrollIntoView({ block: 'center' });
      row?.focus({ preventScroll: true });
    }
    // Inline dialogs take focus when they open: Rename its field, Delete its safe answer.
    const was = (k: string) => changed.has(k) && changed.get(k) === null;
    // Not when it opens again with a refused name: the user may have gone on elsewhere (commitRename).
    if (was('editing') && this.editing && !this.editing.problem)
      this.renderRoot.querySelector<HTMLInputElement>('input[aria-label="New name"]')?.focus();
    if (was('confirming') && this.confirming)
      this.renderRoot.querySelector<HTMLButtonElement>('button[data-keep]')?.focus();
  }

  private renameButton(item: { kind: string; id: string }): Element | null {
    return this.renderRoot.querySelector(`${this.row(item.kind, item.id)} button[data-rename]`);
  }

  private forgetRenamed(kind: 'run' | 'alignment'): void {
    if (this.renamed?.kind === kind) this.renamed = null;
  }

  /** Resolves when the next reading of the list has been rendered. */
  private nextRefresh(kind: ListKind): Promise<void> {
    return new Promise((resolve) => this.refreshWaiters[kind].push(resolve));
  }
  private readonly refreshWaiters: Record<ListKind, (() => void)[]> = { runs: [], alignments: [] };

  /** Reads the list named (both without one) again. */
  async refresh(kind?: ListKind): Promise<void> {
    if (!this.store) return;
    if (kind) return this.reads[kind].run();
    await Promise.all([this.reads.runs.run(), this.reads.alignments.run()]);
  }

  private async readRuns(): Promise<void> {
    await this.readList('runs', async (store) => {
      // Who drives a newly listed run is asked now, not at the next poll.
      const [runs] = await Promise.all([store.listRuns(), runOwners.refresh()]);
      // Resume is offered only where the store has a checkpoint to resume from (the listing's `resumable`).
      this.runs = runs.map(runSummary);
    });
  }

  private async readAlignments(): Promise<void> {
    await this.readList('alignments', async (store) => {
      this.alignments = await store.listAlignments();
    });
  }

  private async readList(kind: ListKind, read: (store: NonNullable<this['store']>) => Promise<void>): Promise<void> {
    const store = this.store;
    if (!store) return;
    const waiters = this.refreshWaiters[kind].splice(0);
    try {
      await read(store);
      this.loadError = '';
    } catch (err) {
      this.loadError = describeError(err).message;
    }
    await this.updateComplete;
    for (const w of waiters) w();
  }

  /** A change the action makes is announced by the store, which refreshes the lists; a failure is read again. */
  private async act(what: string, fn: () => Promise<unknown>, done?: string): Promise<void> {
    try {
      await fn();
      if (done) this.toast(done);
    } catch (err) {
      this.toast(`${what}: ${errorLine(err)}`, 'error');
      await this.refresh();
    }
  }

  /** `keepOpen`: Enter on an empty name says what to do instead of silently keeping the old one. */
  private async commitRename(keepOpen = false): Promise<void> {
    const e = this.editing;
    if (keepOpen && e && !e.value.trim()) {
      this.toast('Enter a name, or press Escape to keep the old one.', 'error');
      return;
    }
    // From the keyboard (Enter), focus goes back to Rename when the field closes. Closed by Tab or a click
    // elsewhere, it stays where it went.
    if (keepOpen && e) keepFocus(this, () => this.renameButton(e));
    this.editing = null;
    if (!e || !this.store || !e.value.trim()) return;
    const store = this.store;
    // Drawn even if its new name leaves the filter: the row does not vanish under the user's focus.
    this.renamed = { kind: e.kind, id: e.id };
    // A renamed item moves to the top when the list is read again (on the store's notice of the rename, or
    // after a failure), and a moved button loses focus.
    if (keepOpen)
      keepFocus(this, () => this.renameButton(e), this.nextRefresh(e.kind === 'run' ? 'runs' : 'alignments'));
    try {
      await (e.kind === 'run' ? store.renameRun(e.id, e.value.trim()) : store.renameAlignment(e.id, e.value.trim()));
    } catch (err) {
      // A name refused (another run or alignment has it): the field opens again with what was typed and why beside
      // it, to be mended, as on the Result page; focus goes back to it from Enter (not when the user went
      // elsewhere). Unless another field was opened meanwhile: then a toast, as for any other failure.
      if (err instanceof AppError && err.name === ErrorName.InvalidInput && this.editing === null) {
        this.editing = { ...e, problem: `Not renamed: ${errorLine(err)}` };
        if (keepOpen) {
          await this.updateComplete;
          this.renameField()?.focus();
        }
        return;
      }
      this.toast(`Rename: ${errorLine(err)}`, 'error');
      await this.refresh();
    }
  }

  private renameField(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>('input[aria-label="New name"]');
  }

  private row(kind: string, id: string): string {
    return `tr[data-${kind}="${CSS.escape(id)}"]`;
  }

  /** Kept: focus goes back to the Delete button the question replaced. */
  private keep(kind: 'run' | 'alignment', id: string): void {
    keepFocus(this, () => this.renderRoot.querySelector(`${this.row(kind, id)} button[data-delete]`));
    this.confirming = null;
  }

  /**
   * The row leaves at once (the store's notice and the lists read again may take a while with hundreds of
   * records); if the delete fails it comes back, and the error is said.
   */
  private async deleteItem(kind: 'run' | 'alignment', id: string, name: string): Promise<void> {
    // The row goes: focus goes to the Delete of the row that takes its place (or the one above, for the
    // last row), so deleting several is a Tab away; else to the list's heading, not to the page's body.
    const rows = [...this.renderRoot.querySelectorAll(`tr[data-${kind}]`)];
    const at = rows.findIndex((r) => r.getAttribute(`data-${kind}`) === id);
    const near = [rows[at + 1], rows[at - 1]].map((r) => r?.querySelector('button[data-delete]'));
    keepFocus(this, () => [...near, this.renderRoot.querySelector(`h3[data-list=${kind}]`)]);
    this.confirming = null;
    const store = this.store;
    if (!store) return;
    const key = `${kind}:${id}`;
    this.removing = new Set(this.removing).add(key);
    // The user deletes the row they were pointed to: "no longer saved on this device" would tell them what they
    // just did as if it had happened to them. Unmarked first; marked again if the delete fails.
    const wasShown = kind === 'alignment' && this.shown === id;
    if (wasShown) this.shown = '';
    try {
      if (kind === 'run') {
        // Asked again at the moment of deleting: the run may have been started since the row was drawn.
        await runOwners.refresh();
        const busy = drivenWhy(runOwners.ownerOf(id));
        if (busy) throw new Error(busy);
        await store.deleteRun(id);
        this.runs = this.runs?.filter((r) => r.id !== id) ?? null;
      } else {
        await store.deleteAlignment(id);
        this.alignments = this.alignments?.filter((a) => a.id !== id) ?? null;
      }
      this.toast(`Deleted “${name}”.`);
    } catch (err) {
      if (wasShown) this.shown = id;
      this.toast(`Not deleted “${name}”: ${errorLine(err)}`, 'error');
    } finally {
      const next = new Set(this.removing);
      next.delete(key);
      this.removing = next;
    }
  }

  /** "Go to" a list: its heading takes focus (the lists may be hundreds of Tab presses apart). */
  private jump(e: Event, kind: 'run' | 'alignment'): void {
    e.preventDefault();
    const h = this.renderRoot.querySelector<HTMLElement>(`h3[data-list=${kind}]`);
    h?.scrollIntoView({ block: 'start' });
    h?.focus({ preventScroll: true });
  }

  private async exportRun(r: RunSummary): Promise<void> {
    const store = this.store;
    if (!store) return;
    await this.act('Export', async () =>
      downloadJson(await store.exportRun(r.id), safeFileName(`${r.name}-run`, 'json')),
    );
  }

  private openInPlayground(a: AlignmentRecord): void {
    // The record's name: a rename in History renames it here too (the artifact keeps the name it came with).
    this.appState?.update({ playgroundAlignment: { ...a.artifact, name: a.name } });
    location.hash = '#/playground';
  }

  private download(a: AlignmentRecord): void {
    downloadJson(stripSecrets(savedArtifact(a)), safeFileName(a.name, 'json'));
  }

  private async onImport(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || !this.store || this.importing !== null) return;
    this.importMessage = null;
    this.importing = file.name;
    try {
      assertFileSize(
        file,
        RUN_IMPORT_LIMITS.fileChars,
        'Only DRPO Studio alignment files and run exports can be imported.',
      );
      // Strict, as `drpo eval --alignment` and query files are: Latin-1 "Café" would be stored as "Caf�".
      const text = decodeUtf8(file.name, new Uint8Array(await file.arrayBuffer()), 'JSON');
      let isRun = false;
      try {
        isRun = (JSON.parse(text) as { format?: unknown })?.format === 'drpo-run-export';
      } catch {
        // Not JSON: the alignment importer explains what is wrong.
      }
      if (isRun) {
        const run = await this.store.importRun(text);
        this.importMessage = {
          ok: true,
          text: run.existing
            ? `${file.name} holds a run you already have (“${run.name}”), so nothing was added.`
            : // Another run (or a saved alignment) has the file's name: numbered (the store's rule), said why.
              `Imported run “${run.name}”${run.nameTaken ? `: ${takenNameWords(run.nameTaken)}` : ''}.`,
        };
      } else {
        const rec = await this.store.importAlignmentFile(text, file.name);
        this.importMessage = { ok: true, text: importedWords(file.name, rec), alignmentId: rec.id };
      }
    } catch (err) {
      // An alignment's message names the file already; a run export's says "This run file".
      const text = errorLine(err);
      this.importMessage = { ok: false, text: text.includes(file.name) ? text : `${file.name}: ${text}` };
    } finally {
      this.importing = null;
    }
    // An import that added something was announced by the store, which refreshes the lists.
  }

  private nameCell(kind: 'run' | 'alignment', id: string, name: string) {
    if (this.editing?.kind === kind && this.editing.id === id) {
      const problem = this.editing.problem;
      return html`<input
          type="text"
          aria-label="New name"
          maxlength=${ARTIFACT_LIMITS.label}
          aria-invalid=${problem ? 'true' : 'false'}
          aria-describedby=${problem ? 'rename-problem' : nothing}
          .value=${this.editing.value}
          @input=${(e: Event) => {
            // The problem was the name as it stood: typing a new one takes it away (it is asked again on save).
            const item = this.editing;
            if (item) this.editing = { kind: item.kind, id: item.id, value: (e.target as HTMLInputElement).value };
          }}
          @keydown=${(e: KeyboardEvent) => {
            if (isSubmitEnter(e)) {
              // Focus moves to Rename before this key's keypress: without this the same Enter would press
              // that button and open the field again with the old name (which a blur would then save back).
              e.preventDefault();
              void this.commitRename(true);
            }
            if (e.key === 'Escape') {
              const item = this.editing;
              if (item) keepFocus(this, () => this.renameButton(item));
              this.editing = null;
            }
          }}
          @blur=${() => void this.commitRename()}
        />${
          problem
            ? html`<p id="rename-problem" class="small error" role="alert" style="margin:0">${problem}</p>`
            : nothing
        }`;
    }
    return html`${name}`;
  }

  /** `busy`: why Delete is held (a run some tab drives would go on calling the model into nothing). */
  private actions(kind: 'run' | 'alignment', id: string, name: string, busy: string | null = null) {
    if (this.confirming?.kind === kind && this.confirming.id === id) {
      // Escape answers Keep, as in a dialog.
      const esc = (e: KeyboardEvent) => e.key === 'Escape' && this.keep(kind, id);
      return html`<span class="small" role="alert">Delete “${name}”?</span>
        <button class="danger" @keydown=${esc} @click=${() => void this.deleteItem(kind, id, name)}>Yes, delete</button>
        <button data-keep @keydown=${esc} @click=${() => this.keep(kind, id)}>Keep</button>`;
    }
    return html`<button data-rename @click=${() => (this.editing = { kind, id, value: name })}>Rename</button>
      <button
        class="danger"
        data-delete
        ?disabled=${busy !== null}
        title=${busy ?? nothing}
        aria-description=${busy ?? nothing}
        @click=${() => (this.confirming = { kind, id })}
      >
        Delete
      </button>
      ${
        // A disabled button takes no focus, and a title shows only under a mouse: the reason in words too
        // (hidden from screen readers, which hear it as the button's description).
        busy
          ? html`<span class="small muted" data-delete-why aria-hidden="true">Cannot delete now: ${busy}</span>`
          : nothing
      }`;
  }

  override render() {
    if (!this.store)
      return html`<h2>History</h2>
        <p class="warn-box">Storage is not available, so there is no history to show.</p>`;
    return html`<div class="stack">
      <h2>History</h2>
      ${this.loadError ? html`<p class="error" role="alert">Could not read the history: ${this.loadError}</p>` : nothing}
      <nav class="row small" aria-label="Lists on this page" data-jumps>
        <span class="muted">Go to:</span>
        <a href="#/history" data-jump="run" @click=${(e: Event) => this.jump(e, 'run')}>Runs${count(this.runs)}</a>
        <a href="#/history" data-jump="alignment" @click=${(e: Event) => this.jump(e, 'alignment')}
          >Saved alignments${count(this.alignments)}</a
        >
      </nav>
      <section class="card stack">
        <h3>Import</h3>
        <div class="row">
          ${filePicker(
            'import',
            '.json,application/json',
            'Import a file…',
            this.onImport,
            'button',
            this.importing !== null,
          )}
          <span class="small muted">An alignment (DRPO Studio JSON or the official DRPO format) or a run export.</span>
          <!-- Always there, so the words are announced when they appear; in the row, so it adds no gap when empty. -->
          <span class="small" role="status" data-importing
            >${this.importing !== null ? `Importing “${this.importing}”…` : ''}</span
          >
        </div>
        ${this.importMessage ? this.renderImportMessage(this.importMessage) : nothing}
      </section>
      <section class="card stack" aria-labelledby="runs-heading">
        <h3 id="runs-heading" data-list="run" tabindex="-1">Runs</h3>
        ${this.renderRuns()}
      </section>
      <section class="card stack" aria-labelledby="alignments-heading">
        <h3 id="alignments-heading" data-list="alignment" tabindex="-1">Saved alignments</h3>
        ${this.renderAlignments()}
      </section>
    </div>`;
  }

  /** What the last import did; one that found or added an alignment offers to show its row. */
  private renderImportMessage(m: ImportMessage) {
    const shown = m.alignmentId;
    return html`<div class="row">
      <p class=${m.ok ? 'small' : 'error'} role=${m.ok ? 'status' : 'alert'} data-import>${m.text}</p>
      ${shown ? html`<button data-show @click=${() => this.show(shown)}>Show it</button>` : nothing}
    </div>`;
  }

  /** Resume only a run nobody drives; a run another tab drives can be followed, never resumed twice. */
  private resumeOrFollow(r: { id: string; unfinished: boolean }, owner: Owner) {
    if (owner === 'elsewhere') return html`<a class="button" href=${routeHref('live', r.id)}>Follow</a>`;
    if (!r.unfinished || owner === 'here') return nothing;
    return html`<a class="button primary" href=${routeHref('live', r.id, true)}>Resume</a>`;
  }

  private renderRuns() {
    if (!this.runs) return html`<p class="muted">Loading…</p>`;
    const runs = this.runs.filter((r) => !this.removing.has(`run:${r.id}`));
    if (!runs.length) return html`<p class="muted" data-empty="runs">No runs yet. <a href="#/run">Start one</a>.</p>`;
    const renamed = this.renamed;
    const view = this.runPage.view(
      runs,
      (r) => [r.name, r.model],
      (r) => renamed?.kind === 'run' && renamed.id === r.id && 'renamed',
    );
    return html`${this.runPage.renderFilter(view, 'Filter runs')}
    ${view.shown.length ? this.renderRunRows(view.shown) : nothing} ${this.runPage.renderMore(view)}`;
  }

  private renderRunRows(runs: RunSummary[]) {
    return table(
      ['Name', 'Model', 'Preset', VERDICT_COLUMN, RUN_PATH_MEAN_COLUMN, 'Date', 'Status', 'Actions'],
      // Keyed: a renamed run moves to the top, and its row (with the focused button) moves with it.
      repeat(
        runs,
        (r) => r.id,
        (r) => {
          const owner = runOwners.ownerOf(r.id);
          return html`<tr data-run=${r.id}>
            <td data-label="Name">${this.nameCell('run', r.id, r.name)}</td>
            <td class="small" data-label="Model">${r.model}</td>
            <td data-label="Preset">${r.preset}</td>
            ${verdictCell(r.result)}
            <td class="n" data-label=${RUN_PATH_MEAN_COLUMN} data-path-mean>
              ${
                isResumable(r.status) && r.best !== null
                  ? html`${formatScore(r.best)} <span class="small muted">${BEST_SO_FAR_MARK}</span>`
                  : formatScore(r.best)
              }
            </td>
            <td class="small" data-label="Date">${formatDate(r.updatedAt)}</td>
            <td class="status" data-label="Status" data-owner=${owner}>
              ${owner === 'elsewhere' ? 'Running in another tab' : listStatus(r, owner === 'here')}
            </td>
            <td>
              <div class="row">
                ${this.resumeOrFollow(r, owner)}
                <a
                  class="button"
                  href=${routeHref(r.status === 'completed' || r.status === 'budget-exhausted' || r.status === 'cancelled' ? 'result' : 'live', r.id)}
                  >Open</a
                >
                <button @click=${() => void this.exportRun(r)}>Export</button>
                ${this.actions('run', r.id, r.name, drivenWhy(owner))}
              </div>
            </td>
          </tr>`;
        },
      ),
    );
  }

  private trainCell(a: AlignmentArtifact) {
    const train = trainScore(a);
    return train === undefined ? html`<span class="muted" data-unscored>not scored</span>` : formatScore(train);
  }

  private renderAlignments() {
    if (!this.alignments) return html`<p class="muted">Loading…</p>`;
    const gone =
      this.shown && !this.alignments.some((a) => a.id === this.shown)
        ? html`<p class="muted" role="status" data-shown-gone>
            The alignment you were pointed to is no longer saved on this device.
          </p>`
        : nothing;
    const alignments = this.alignments.filter((a) => !this.removing.has(`alignment:${a.id}`));
    if (!alignments.length)
      return html`${gone}
        <p class="muted" data-empty="alignments">No saved alignments yet. Finish a run or import a file.</p>`;
    // The row a link pointed to, and the one just renamed, are drawn whatever the filter and the page.
    const renamed = this.renamed;
    const view = this.alignmentPage.view(
      alignments,
      (a) => [a.name, modelWords(a.artifact.model)],
      (a) => (a.id === this.shown && 'pointed') || (renamed?.kind === 'alignment' && renamed.id === a.id && 'renamed'),
    );
    return html`${gone}${this.alignmentPage.renderFilter(view, 'Filter saved alignments')}
    ${view.shown.length ? this.renderAlignmentRows(view.shown) : nothing} ${this.alignmentPage.renderMore(view)}`;
  }

  private renderAlignmentRows(alignments: AlignmentRecord[]) {
    return table(
      ['Name', 'Model', VERDICT_COLUMN, PATH_MEAN_LABEL, 'Saved', 'Actions'],
      repeat(
        alignments,
        (a) => a.id,
        (a) =>
          html`<tr
            data-alignment=${a.id}
            ?data-shown=${a.id === this.shown}
            tabindex=${a.id === this.shown ? '-1' : nothing}
          >
            <td data-label="Name">${this.nameCell('alignment', a.id, a.name)}</td>
            <td class="small" data-label="Model">${modelWords(a.artifact.model)}</td>
            ${verdictCell(a.artifact)}
            <td class="n" data-label=${PATH_MEAN_LABEL}>${this.trainCell(a.artifact)}</td>
            <td class="small" data-label="Saved">${formatDate(a.savedAt)}</td>
            <td>
              <div class="row">
                <button class="primary" @click=${() => this.openInPlayground(a)}>Try in playground</button>
                <button @click=${() => this.download(a)}>Download</button>
                <button data-copy-link @click=${() => void this.share.copy(savedArtifact(a), a.id)}>Copy link</button>
                ${this.actions('alignment', a.id, a.name)}
              </div>
              ${this.share.offer?.key === a.id ? this.share.render(() => this.download(a), false) : nothing}
            </td>
          </tr>`,
      ),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-history-view': DrpoHistoryView;
  }
}

/** A list's size beside its name in "Go to", once it is read. */
function count(list: readonly unknown[] | null): string {
  return list ? ` (${formatWholeCount(list.length)})` : '';
}

/** The one table layout both lists share: scoped column headers, rows given by the caller. */
function table(columns: readonly string[], rows: unknown) {
  return html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col">${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
