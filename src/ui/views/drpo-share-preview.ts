/**
 * Preview of a shared alignment (`#a=...`): the verdict, the prompt first with Copy / Try / Save and the
 * starting prompt it was compared with, then details (the figures named as on Result), the examples folded
 * (answers as sanitized markdown) and the "Use it" exports. Nothing from the link is ever executed or
 * rendered as live HTML. Invalid links get a clear message and a way back.
 */
import { html, css, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { formatDate, formatScore } from '../view-models/run/run-summary';
import { decodeAlignmentLink } from '../../core/formats/link-codec';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { alignmentDisplayName } from '../../core/formats/alignment-facts';
import { copyText } from '../helpers/download';
import { safeMarkdown } from '../templates/safe-markdown';
import { held } from '../helpers/held';
import { alignmentHref } from '../app/route';
import { verdictBox, verdictStyles } from '../templates/verdict-box';
import { startingPromptBlock } from '../templates/starting-prompt';
import { shownFigures } from '../view-models/glossary';
import '../components/drpo-use-it';
import { modelWords } from '../../core/formats/model-names';
import { takenNameWords } from '../../core/words/list-words';

/**
 * The figures a link carries, named as on Result: the verdict's two when the file has them, and the path
 * mean on training questions, which an imported file that was never scored says it lacks.
 */
function figureRows(a: AlignmentArtifact) {
  return shownFigures(a).map(
    (f) =>
      html`<dt>${f.label}</dt>
        <dd data-figure=${f.key}>${f.value === undefined ? 'not scored' : formatScore(f.value)}</dd>`,
  );
}

@customElement('drpo-share-preview')
export class DrpoSharePreview extends DrpoViewBase {
  static override styles = [
    baseStyles,
    verdictStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 4px 16px;
        margin: 0;
      }
      dt {
        color: var(--drpo-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .ex {
        border-left: 3px solid var(--drpo-border);
        padding-left: 10px;
        margin-bottom: 12px;
        overflow-wrap: anywhere;
      }
      .ex .t {
        white-space: pre-wrap;
      }
      details > summary {
        cursor: pointer;
        padding: 4px 0;
      }
      details[open] > summary {
        margin-bottom: 8px;
      }
    `,
  ];

  /** The URL fragment: `#a=…`, or `#/share?a=…`. */
  @property() fragment = '';
  @state() private artifact: AlignmentArtifact | null = null;
  @state() private error = '';
  @state() private decoding = false;
  /** The saved alignment this link is (saved now, or found saved already), and whether it was found. */
  @state() private saved: { id: string; name: string; existing: boolean; why?: string } | null = null;
  @state() private copyStatus = '';
  private decodeSeq = 0;
  /** The opened alignment the store was asked about (once per link). */
  private checkedFor: AlignmentArtifact | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('fragment')) void this.decode();
    if (this.artifact && this.store && this.checkedFor !== this.artifact) void this.findSaved(this.artifact);
  }

  /** The link opened an alignment saved here already (from this link, its file or its run): said at once. */
  private async findSaved(artifact: AlignmentArtifact): Promise<void> {
    this.checkedFor = artifact;
    try {
      const rec = await this.store?.findAlignment(artifact);
      if (rec && this.artifact === artifact && !this.saved) this.saved = { id: rec.id, name: rec.name, existing: true };
    } catch {
      // Not knowing only means Save is offered; saving finds the stored one anyway.
    }
  }

  private async decode(): Promise<void> {
    const seq = ++this.decodeSeq;
    this.decoding = true;
    this.artifact = null;
    this.error = '';
    this.saved = null;
    let result: Awaited<ReturnType<typeof decodeAlignmentLink>>;
    try {
      result = await decodeAlignmentLink(this.fragment);
    } catch {
      result = { ok: false, error: 'This share link could not be read.' };
    }
    if (seq !== this.decodeSeq) return;
    this.decoding = false;
    if (result.ok) this.artifact = result.artifact;
    else this.error = result.error;
    this.dispatchEvent(new CustomEvent('share-decoded', { detail: { ok: result.ok }, bubbles: true, composed: true }));
  }

  private tryIt(): void {
    if (!this.artifact) return;
    this.appState?.update({ playgroundAlignment: this.artifact });
    location.hash = '#/playground';
  }

  private async save(): Promise<void> {
    if (!this.artifact || !this.store) return;
    const name = alignmentDisplayName(this.artifact);
    try {
      const rec = await this.store.saveAlignment({ name, artifact: this.artifact, source: 'link' });
      // The store found it among the saved ones (saved before from this link, its file or its run): say so,
      // as the Data view does for a file saved twice, and where it is.
      // Another saved alignment (or a run) has the link's name: this one is numbered (the store's rule), said why.
      const why = rec.nameTaken ? takenNameWords(rec.nameTaken) : undefined;
      this.saved = { id: rec.id, name: rec.name, existing: rec.existing === true, ...(why ? { why } : {}) };
      this.toast(
        rec.existing
          ? `Already saved as “${rec.name}”`
          : why
            ? `Saved as “${rec.name}”: ${why}`
            : `Saved “${rec.name}”`,
      );
    } catch (err) {
      this.raise(err, 'Saving the shared alignment');
    }
  }

  private async copyPrompt(): Promise<void> {
    if (!this.artifact) return;
    const ok = await copyText(this.artifact.systemPrompt);
    this.copyStatus = ok ? 'Prompt copied.' : 'Copying was blocked by the browser: select the prompt and copy it.';
  }

  override render() {
    if (this.decoding) return html`<p class="muted" aria-live="polite">Opening the shared alignment…</p>`;
    if (this.error)
      return html`<section class="card stack" data-state="invalid">
        <h2>This link cannot be opened</h2>
        <p class="error" role="alert">${this.error}</p>
        <p><a href="#/setup">Go to DRPO Studio</a></p>
      </section>`;
    const a = this.artifact;
    if (!a) return nothing;
    // The prompt and what to do with it come first; details and the (long) examples follow, folded.
    return html`<div class="stack" data-state="ok">
      <h2>Shared alignment${a.name ? html`: ${a.name}` : nothing}</h2>
      <p class="muted small">
        ${
          a.outcome === 'no-improvement'
            ? 'Someone shared a DRPO run that found no improvement: the prompt below is the one it started from.'
            : 'Someone shared a system prompt optimized with DRPO.'
        }
        It runs only if you try it.
      </p>
      ${a.outcome ? verdictBox(a, 'recipient') : nothing}
      <section class="card stack" aria-labelledby="share-prompt-h">
        <h3 id="share-prompt-h">System prompt</h3>
        <pre class="prompt" data-prompt>${a.systemPrompt}</pre>
        <div class="row">
          <button class="primary" @click=${() => void this.copyPrompt()}>Copy prompt</button>
          <button @click=${this.tryIt}>Try it in the playground</button>
          <!-- Saved is held, not disabled: the button just pressed keeps focus. -->
          <button @click=${this.save} ?disabled=${!this.store} ${held(!!this.saved)}>
            ${this.saved ? 'Saved' : 'Save'}
          </button>
          <span class="small" role="status" aria-live="polite">${this.copyStatus}</span>
        </div>
        ${startingPromptBlock(a)}
        ${
          this.saved
            ? html`<p class="small" data-saved>
                ${this.saved.existing ? 'Already saved as' : 'Saved as'}
                “${this.saved.name}”${this.saved.why ? `: ${this.saved.why}` : ''}.
                <a href=${alignmentHref(this.saved.id)}>Show it in History</a>
              </p>`
            : nothing
        }
      </section>
      <section class="card">
        <dl>
          <dt>Model</dt>
          <dd>${modelWords(a.model)} <span class="muted small">(${a.model.engine})</span></dd>
          <dt>Judge</dt>
          <dd>${a.judge.id} <span class="muted small">(${a.judge.engine})</span></dd>
          ${figureRows(a)}
          <dt>Preset</dt>
          <dd>${a.preset}</dd>
          <dt>Created</dt>
          <dd>${formatDate(a.createdAt)}</dd>
          <dt>Search depth</dt>
          <dd>${a.lineage.length ? a.lineage[a.lineage.length - 1]!.depth : 0}</dd>
        </dl>
      </section>
      ${
        a.icl.length
          ? html`<section class="card">
              <details data-examples>
                <summary><strong>Examples (${a.icl.length})</strong></summary>
                ${a.icl.map(
                  (ex) =>
                    html`<div class="ex">
                      <div><strong>Query:</strong> <span class="t">${ex.query}</span></div>
                      <div class="md"><strong>Answer:</strong> ${safeMarkdown(ex.answer)}</div>
                    </div>`,
                )}
              </details>
            </section>`
          : nothing
      }
      <section class="card"><drpo-use-it .artifact=${a}></drpo-use-it></section>
      <p><a href="#/setup">Open DRPO Studio</a></p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-share-preview': DrpoSharePreview;
  }
}
