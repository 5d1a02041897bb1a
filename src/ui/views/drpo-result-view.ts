/**
 * The result of a run (#/result/<runId>): the final alignment (prompt + examples), its scores, the
 * starting prompt it was compared with, the lineage from it (each step with its reward and a toggle), and the
 * actions Copy prompt / Download JSON / Copy share link / Open in playground / Evaluate on more
 * questions, each with inline feedback announced politely. The run saved the result as an
 * alignment when it ended; the view says under which name and offers Rename (Save if it is not stored).
 */
import { copyText, downloadJson } from '../helpers/download';
import { css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { describeError, errorLine } from '../helpers/error-messages';
import { keepFocusOnRender } from '../helpers/focus';
import { formatReward } from '../components/run/drpo-beam-tree';
import { getRunSession } from '../controllers/run-controller';
import { STATUS_WORDS } from '../view-models/run/run-view-model';
import { ShareLinkController } from '../controllers/share-link';
import { stripSecrets } from '../../core/formats/alignment-file';
import { runAlignmentName } from '../../core/formats/alignment-facts';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import type { AlignmentRecord, Saved, Store } from '../../store/store';
import { savedArtifact } from '../../store/store';
import { closestExamplesOnly, keptBackQueries, uncheckedBecause } from '../../core/words/verdict-text';
import { finalistsWords } from '../../core/words/finalists-words';
import type { SearchNode } from '../../core/contracts/search-node';
import type { StoppedBy } from '../../core/words/verdict-text';
import { takenNameWords } from '../../core/words/list-words';
import { shownFigures } from '../view-models/glossary';
import { verdictBox, verdictStyles } from '../templates/verdict-box';
import { startingPromptBlock } from '../templates/starting-prompt';
import { workedExamples, workedExamplesStyles } from '../templates/worked-examples';
import { runNotFound } from '../templates/run-not-found';
import { alignmentHref, routeHref } from '../app/route';
import '../components/drpo-prompt-diff';
import '../components/drpo-closest-candidate';
import type { CandidateRequest } from '../components/drpo-closest-candidate';
import '../components/drpo-use-it';
import '../components/drpo-info';
import { modelWords } from '../../core/formats/model-names';

/** `missing`: the run has no alignment (yet); `no-run`: there is no stored run with this id. */
type Load =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'no-run' }
  | { state: 'error'; message: string }
  | { state: 'ready' };

export function fileNameFor(artifact: AlignmentArtifact): string {
  const base = (artifact.name || `drpo-alignment-${artifact.model.id || 'model'}`)
    .replace(/[^\w.-]+/g, '-')
    .slice(0, 80);
  return `${base}.json`;
}

@customElement('drpo-result-view')
export class DrpoResultView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    verdictStyles,
    workedExamplesStyles,
    css`
      /* The name it was saved under may be one long word: it wraps (as the heading does) in a narrow window. */
      [data-saved] strong {
        overflow-wrap: anywhere;
      }
      .scores {
        display: flex;
        gap: 24px;
        flex-wrap: wrap;
      }
      .score {
        font-size: 1.6rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      ol.lineage {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ol.lineage > li {
        border-left: 3px solid var(--drpo-accent);
        padding: 4px 0 8px 12px;
        margin-bottom: 4px;
      }
      .status {
        min-height: 1.5em;
      }
    `,
  ];

  @property({ attribute: 'run-id' }) runId = '';
  /** Opened from a link to its closest candidate (closestCandidateHref): that disclosure starts open. */
  @property({ type: Boolean, attribute: 'show-closest' }) showClosest = false;
  /** Set directly (tests, or a caller that already holds the artifact). */
  @property({ attribute: false }) artifact: AlignmentArtifact | null = null;

  @state() private load: Load = { state: 'loading' };
  @state() private runStatus = '';
  /**
   * How the run ended, as a reason an unchecked result was not checked (its budget, a cancel, an error, or no
   * held-out questions): said instead of guessing (verdict-text). Unknown for an artifact given directly.
   */
  @state() private unchecked: StoppedBy | undefined = undefined;
  /**
   * The run's scored prompts, read only when the result needs them: after "no improvement" with the starting
   * prompt plus examples as the closest candidate, their race scores say what became of the search's own
   * (finalistsWords). None for an artifact given directly.
   */
  @state() private nodes: readonly SearchNode[] = [];
  @state() private status = '';
  @state() private statusError = false;
  @state() private openSteps = new Set<number>();
  /** The stored alignment holding this result (saved when the run ended), once known. */
  @state() private saved: Saved<AlignmentRecord> | null = null;
  @state() private renaming: string | null = null;
  /** Why the rename form's name was not saved, said beside its field (aria-describedby), not in the status line. */
  @state() private renameProblem = '';
  private savedFor: AlignmentArtifact | null = null;
  private readonly share = new ShareLinkController(
    this,
    (message, error) => this.feedback(message, error),
    () => this.renderRoot.querySelector('[data-copy-link]'),
  );

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Save goes once saved, and the rename form closes (Save name, Cancel, Escape): focus goes to Rename.
    const q = (selector: string) => this.renderRoot.querySelector(selector);
    keepFocusOnRender(this, [['[data-use], form', () => q('[data-saved] button') ?? q('[data-use] button')]]);
    if (changed.has('artifact') && this.artifact) this.load = { state: 'ready' };
    if ((changed.has('runId') || changed.has('store')) && this.runId && !this.artifact) void this.fetch();
    if (this.artifact && this.store && this.savedFor !== this.artifact) void this.findSaved(this.artifact);
  }

  protected override updated(changed: PropertyValues): void {
    // Dialog-like inline editor: focus its field when it opens.
    if (changed.has('renaming') && this.renaming !== null && changed.get('renaming') === null) {
      this.renderRoot.querySelector<HTMLInputElement>('#rename-alignment')?.focus();
    }
  }

  /** Finds the alignment saved for this result (by content), so the view says where it is kept. */
  private async findSaved(artifact: AlignmentArtifact): Promise<void> {
    this.savedFor = artifact;
    const fromSession = this.runId ? getRunSession(this.runId).savedAlignment : null;
    try {
      // The record saved as the run ended, as it is now: renamed or deleted since (here or in History), the
      // session's copy would bring back its old name, or say it is kept when it is not.
      const stored = fromSession ? await this.store?.getAlignment(fromSession.id) : undefined;
      // Numbered as it was saved (a saved alignment had the run's name): why, in the words the other saves use,
      // while it keeps that name (renamed since, the user chose it).
      const current =
        stored && fromSession?.nameTaken && stored.name === fromSession.name
          ? { ...stored, nameTaken: fromSession.nameTaken }
          : stored;
      const found = current ?? (await this.store?.findAlignment(artifact)) ?? null;
      // Saved from this result's link: without the run's settings and whole path, which Evaluate and the
      // Playground read. Saving the result gives the row what it lacks and keeps its id and name.
      const rec =
        found && 'lacksDetails' in found && this.savedFor === artifact ? await this.saveFromRun(artifact) : found;
      if (this.savedFor === artifact) this.saved = rec;
    } catch {
      // Not knowing only means Save is offered; saving finds the stored copy anyway.
    }
  }

  private async fetch(): Promise<void> {
    const id = this.runId;
    const session = getRunSession(id).vm;
    const fromSession = session.artifact;
    this.unchecked = fromSession ? uncheckedBecause(session.status) : undefined;
    this.nodes = fromSession && closestExamplesOnly(fromSession) > 0 ? [...session.nodes.values()] : [];
    if (fromSession) {
      // Called from willUpdate, after its `artifact` check: set the load state here too, or it stays "loading".
      this.artifact = fromSession;
      this.load = { state: 'ready' };
      return;
    }
    if (!this.store) return;
    this.load = { state: 'loading' };
    try {
      const record = await this.store.getRun(id);
      if (id !== this.runId) return;
      if (!record) {
        this.load = { state: 'no-run' };
        return;
      }
      this.runStatus = STATUS_WORDS[record.status] ?? record.status;
      this.unchecked = uncheckedBecause(record.status);
      let artifact = record.artifact ?? null;
      if (!artifact) {
        const events = await this.store.getEvents(id);
        for (let i = events.length - 1; i >= 0 && !artifact; i--) {
          const e = events[i]!;
          if (e.type === 'run-finished') artifact = e.artifact;
        }
      }
      if (artifact) this.artifact = artifact;
      else this.load = { state: 'missing' };
      if (artifact && closestExamplesOnly(artifact) > 0) void this.readNodes(this.store, id);
    } catch (err) {
      this.load = { state: 'error', message: describeError(err).message };
    }
  }

  /** The run's nodes, for finalistsWords; not read, the Result only says less (the verdict stands without). */
  private async readNodes(store: Pick<Store, 'getNodes'>, id: string): Promise<void> {
    try {
      const nodes = await store.getNodes(id);
      if (id === this.runId) this.nodes = nodes;
    } catch {
      // Saying nothing about the search's own prompts is what a file or a link says too.
    }
  }

  override render() {
    if (this.load.state === 'loading')
      return html`<section class="card" aria-busy="true"><p>Loading the result…</p></section>`;
    if (this.load.state === 'error') {
      return html`<section class="card error" role="alert">
        <p><strong>The result could not be loaded.</strong> ${this.load.message}</p>
        <button @click=${() => void this.fetch()}>Try again</button>
      </section>`;
    }
    if (this.load.state === 'no-run') {
      return runNotFound();
    }
    const a = this.named();
    if (this.load.state === 'missing' || !a) {
      return html`<section class="card">
        <h2>No alignment yet</h2>
        <p>
          ${this.runStatus ? html`This run is <strong>${this.runStatus.toLowerCase()}</strong> and` : 'This run'} has
          not produced an alignment. Finished runs end with one; a paused or interrupted run can be resumed.
        </p>
        ${this.runId ? html`<a class="button primary" href="#/live/${encodeURIComponent(this.runId)}">Open the run</a>` : nothing}
      </section>`;
    }
    // The figures are named as everywhere else (glossary: which part of the final check they come from); the
    // verdict's help says whether questions were kept back from the race for it. One the result lacks (never
    // checked) is left out: the verdict says why.
    const facts = { keptBackQueries: keptBackQueries(a) };
    return html`<section class="card stack">
        <h2>${a.name || 'Your alignment'}</h2>
        <p class="muted small">Model ${modelWords(a.model)} · judged by ${a.judge.id} · preset ${a.preset}</p>
        ${verdictBox(a, 'owner', this.unchecked)} ${this.renderFinalists(a)}
        <drpo-closest-candidate
          .artifact=${a}
          .canSave=${!!this.store}
          .open=${this.showClosest}
          @candidate-requested=${this.onCandidate}
        ></drpo-closest-candidate>
        <div class="scores">
          ${shownFigures(a).map(
            (f) =>
              html`<div data-figure=${f.key}>
                <div class="muted small">
                  ${f.label} ${f.term ? html`<drpo-info term=${f.term} .settings=${facts}></drpo-info>` : nothing}
                </div>
                <div class="score">${formatReward(f.value)}</div>
              </div>`,
          )}
        </div>
        <h3>System prompt</h3>
        <pre class="prompt">${a.systemPrompt}</pre>
        <div class="row" role="group" aria-label="Use this alignment" data-use>
          <button class="primary" @click=${this.copyPrompt}>Copy prompt</button>
          <button @click=${this.download}>Download JSON</button>
          <button data-copy-link @click=${() => void (a && this.share.copy(a))}>Copy share link</button>
          ${this.saved ? nothing : html`<button @click=${this.save} ?disabled=${!this.store}>Save</button>`}
          <button @click=${this.openPlayground}>Open in playground</button>
          <button @click=${() => void this.evaluate(this.ensureSaved())} ?disabled=${!this.store}>
            Evaluate on more questions
          </button>
        </div>
        ${this.renderSaved()} ${startingPromptBlock(a)}
        <p class="status small ${this.statusError ? 'error' : ''}" role="status" aria-live="polite">${this.status}</p>
        ${this.share.render(this.download)}
      </section>
      <section class="card" style="margin-top:16px"><drpo-use-it .artifact=${a}></drpo-use-it></section>
      ${a.icl.length ? html`<section class="card" style="margin-top:16px">${workedExamples(a)}</section>` : nothing}
      <section class="card" style="margin-top:16px">
        <h3>How the prompt got here</h3>
        ${
          a.lineage.length
            ? html`<ol class="lineage">
                ${a.lineage.map((step, i) => {
                  const open = this.openSteps.has(i);
                  // The first step has nothing to compare with: its toggle shows the prompt itself.
                  const what = i > 0 ? 'changes' : 'prompt';
                  return html`<li>
                    <div class="row">
                      <span class="badge">depth ${step.depth}</span>
                      <span>score <strong>${formatReward(step.reward)}</strong></span>
                      ${step.depth === 0 ? html`<span class="muted small">starting prompt</span>` : nothing}
                      <button aria-expanded=${open ? 'true' : 'false'} @click=${() => this.toggleStep(i)}>
                        ${open ? `Hide ${what}` : `Show ${what}`}
                      </button>
                    </div>
                    ${
                      open
                        ? html`<drpo-prompt-diff
                            .previous=${i > 0 ? a.lineage[i - 1]!.prompt : null}
                            .prompt=${step.prompt}
                          ></drpo-prompt-diff>`
                        : nothing
                    }
                  </li>`;
                })}
              </ol>`
            : html`<p class="muted">No lineage recorded.</p>`
        }
      </section>`;
  }

  /** What became of the search's own prompts, when the starting prompt with examples came closest. */
  private renderFinalists(a: AlignmentArtifact) {
    const words = finalistsWords(a, this.nodes);
    if (!words) return nothing;
    return html`<p class="small" data-finalists>${words} <drpo-info term="race"></drpo-info></p>`;
  }

  /** Where the result is kept, with Rename (the run saved it under its own name). */
  private renderSaved() {
    const rec = this.saved;
    if (!rec) return nothing;
    if (this.renaming !== null) {
      return html`<form class="row" @submit=${this.commitRename}>
        <label for="rename-alignment" class="small">New name</label>
        <input
          id="rename-alignment"
          type="text"
          .value=${this.renaming}
          aria-invalid=${this.renameProblem ? 'true' : 'false'}
          aria-describedby=${this.renameProblem ? 'rename-problem' : nothing}
          @input=${(e: Event) => {
            // The problem was the name as it stood: typing a new one takes it away (it is asked again on save).
            this.renaming = (e.target as HTMLInputElement).value;
            this.renameProblem = '';
          }}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Escape') this.cancelRename();
          }}
        />
        <button type="submit" class="primary">Save name</button>
        <button type="button" @click=${this.cancelRename}>Cancel</button>
        ${
          this.renameProblem
            ? html`<p id="rename-problem" class="small error" role="alert" style="flex-basis:100%;margin:0">
                ${this.renameProblem}
              </p>`
            : nothing
        }
      </form>`;
    }
    // Each place it is kept in is a link there, with this alignment chosen (as Open in playground and
    // Evaluate on more questions choose it); a click with a modifier opens the page in a new tab as it is.
    const plain = (e: MouseEvent) => !(e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0);
    return html`<p class="small row" data-saved>
      <span
        >Saved as <strong>“${rec.name}”</strong> in your alignments (<a href=${alignmentHref(rec.id)}>History</a>,
        <a href=${routeHref('playground')} @click=${(e: MouseEvent) => plain(e) && this.openPlayground()}>Playground</a
        >,
        <a
          href=${routeHref('evaluate')}
          @click=${(e: MouseEvent) => plain(e) && this.appState?.update({ evalPreselect: { alignmentId: rec.id } })}
          >Evaluate</a
        >)${rec.nameTaken ? `: ${takenNameWords(rec.nameTaken)}` : ''}.</span
      >
      <button @click=${() => (this.renaming = rec.name)}>Rename</button>
    </p>`;
  }

  /** Left without a new name: the form's problem ("Enter a name…") goes with it; the status line is not its. */
  private readonly cancelRename = (): void => {
    this.renaming = null;
    this.renameProblem = '';
  };

  private readonly commitRename = async (e: Event): Promise<void> => {
    e.preventDefault();
    const rec = this.saved;
    const name = this.renaming?.trim() ?? '';
    if (!rec || !this.store) return;
    if (!name) {
      this.renameProblem = 'Enter a name, or press Cancel.';
      return;
    }
    try {
      this.saved = await this.store.renameAlignment(rec.id, name);
      this.renaming = null;
      this.renameProblem = '';
      this.feedback(`Renamed to “${this.saved.name}”.`);
    } catch (err) {
      this.renameProblem = `Not renamed: ${errorLine(err)}`;
    }
  };

  /**
   * The result under the name it is saved as: renamed here or in History, the heading, Download and the share
   * link follow the name History lists, downloads and links it under (savedArtifact), not the run's.
   */
  private named(): AlignmentArtifact | null {
    const { artifact, saved } = this;
    if (!artifact || !saved || saved.name === artifact.name) return artifact;
    // One object per name, so the parts given it (examples, snippets) are not drawn again at every keystroke.
    if (this.namedCache?.from !== artifact || this.namedCache.name !== saved.name) {
      this.namedCache = { from: artifact, name: saved.name, named: savedArtifact({ name: saved.name, artifact }) };
    }
    return this.namedCache.named;
  }
  private namedCache: { from: AlignmentArtifact; name: string; named: AlignmentArtifact } | null = null;

  /** Saved (or found) record for this result; saving identical content returns the stored one. */
  private async ensureSaved(): Promise<Saved<AlignmentRecord> | null> {
    if (this.saved) return this.saved;
    if (!this.artifact) return null;
    this.saved = await this.saveFromRun(this.artifact);
    return this.saved;
  }

  /** Stores an alignment of this run: its result, or the closest candidate as an alignment of its own. */
  private async saveFromRun(a: AlignmentArtifact): Promise<Saved<AlignmentRecord> | null> {
    if (!this.store) return null;
    return this.store.saveAlignment({
      name: runAlignmentName(a),
      artifact: a,
      source: 'run',
      ...(this.runId ? { runId: this.runId } : {}),
    });
  }

  private openInPlayground(a: AlignmentArtifact): void {
    this.appState?.update({ playgroundAlignment: a, playgroundRun: { artifact: a, runId: this.runId } });
    location.hash = '#/playground';
  }

  /** Copies a prompt, saying so (or that the browser blocked it) in the status line and a toast. */
  private async copyPromptText(text: string, what: string): Promise<void> {
    const ok = await copyText(text);
    this.feedback(ok ? `${what} copied.` : 'Copying was blocked by the browser. Select the prompt and copy it.', !ok);
    if (ok) this.toast(`${what} copied`);
  }

  private readonly onCandidate = (e: CustomEvent<CandidateRequest>): void => {
    const { candidate, action } = e.detail;
    if (action === 'try') this.openInPlayground(candidate);
    else if (action === 'evaluate') void this.evaluate(this.saveCandidate(candidate));
    else void this.copyPromptText(candidate.systemPrompt, 'Candidate prompt');
  };

  /** The closest candidate, stored so Evaluate can open it: a new row in History, said in a toast. */
  private async saveCandidate(candidate: AlignmentArtifact): Promise<AlignmentRecord | null> {
    const rec = await this.saveFromRun(candidate);
    const why = rec?.nameTaken ? `: ${takenNameWords(rec.nameTaken)}` : '';
    if (rec) this.toast(`${rec.existing ? 'Already in History' : 'Saved to History'} as “${rec.name}”${why}`);
    return rec;
  }

  /** Opens Evaluate with a stored alignment and its starting prompt chosen, ready to run on more questions. */
  private async evaluate(saving: Promise<AlignmentRecord | null>): Promise<void> {
    try {
      const rec = await saving;
      if (!rec) return;
      this.appState?.update({ evalPreselect: { alignmentId: rec.id } });
      location.hash = '#/evaluate';
    } catch (err) {
      const w = describeError(err);
      this.feedback(`Could not open Evaluate: ${w.title}. ${w.hint}`, true);
    }
  }

  private toggleStep(i: number): void {
    const next = new Set(this.openSteps);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    this.openSteps = next;
  }

  private feedback(message: string, error = false): void {
    this.status = message;
    this.statusError = error;
  }

  private readonly copyPrompt = async (): Promise<void> => {
    if (this.artifact) await this.copyPromptText(this.artifact.systemPrompt, 'Prompt');
  };

  private readonly download = (): void => {
    const a = this.named();
    if (!a) return;
    try {
      const name = fileNameFor(a);
      downloadJson(stripSecrets(a), name);
      this.feedback(`Downloading ${name}.`);
    } catch (err) {
      this.feedback(`The download failed: ${describeError(err).message}`, true);
    }
  };

  private readonly save = async (): Promise<void> => {
    if (!this.artifact || !this.store) return;
    try {
      const rec = await this.ensureSaved();
      if (!rec) return;
      // Found saved already (since this view looked: from another tab, its file or its share link): said so.
      this.feedback(`${rec.existing ? 'Already saved' : 'Saved'} as “${rec.name}”. Find it under History.`);
      this.toast(rec.existing ? `Already saved as “${rec.name}”` : 'Alignment saved');
    } catch (err) {
      const w = describeError(err);
      this.feedback(`Not saved: ${w.title}. ${w.hint}`, true);
    }
  };

  private readonly openPlayground = (): void => {
    if (this.artifact) this.openInPlayground(this.artifact);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-result-view': DrpoResultView;
  }
}
