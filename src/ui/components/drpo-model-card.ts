/**
 * One WebLLM model: a friendly name (the exact id below it), approximate download, GPU memory, context,
 * an honest speed hint, cached badge and shader-f16 requirement. Load and Delete are requests (events)
 * — the setup view does the work. Delete asks for confirmation in place.
 */
import { LitElement, html, css, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import type { GpuProbe, ModelInfo } from '../../protocol/worker-api';
import { SHADER_F16_REASON } from '../../core/contracts/webgpu';
import { downloadMB, friendlyName, quantLabel, speedHint } from '../view-models/model-facts';
import { formatBytes } from '../../core/formats/bytes';
import { keepFocus, keepFocusOnRender } from '../helpers/focus';
import { tooBigWarning } from '../view-models/storage-words';
import type { StorageFacts } from '../../store/store';
import { held } from '../helpers/held';

@customElement('drpo-model-card')
export class DrpoModelCard extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .card {
        padding: 12px;
        height: 100%;
        display: flex;
        flex-direction: column;
        gap: 6px;
      }
      :host([selected]) .card {
        border-color: var(--drpo-accent);
        box-shadow: 0 0 0 2px var(--drpo-accent-soft);
      }
      /* Forced colours override the border's colour and drop the shadow: the suggested card keeps a frame. */
      @media (forced-colors: active) {
        :host([selected]) .card {
          outline: 2px solid Highlight;
          outline-offset: 2px;
        }
      }
      .name {
        font-size: 1rem;
        font-weight: 700;
        margin: 0;
      }
      .id {
        font-family: var(--drpo-mono);
        font-size: 0.78rem;
        word-break: break-all;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0 10px;
        margin: 0;
      }
      dt {
        color: var(--drpo-muted);
      }
      dd {
        margin: 0;
      }
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
      }
      .actions {
        margin-top: auto;
      }
    `,
  ];

  @property({ attribute: false }) model!: ModelInfo;
  @property({ type: Boolean, reflect: true }) selected = false;
  @property({ type: Boolean }) loaded = false;
  /**
   * Another load is in progress: buttons are held (helpers/held), not disabled, so the Download & load
   * button pressed keeps focus while it works instead of dropping it to the page.
   */
  @property({ type: Boolean }) busy = false;
  /** The GPU lacks shader-f16 (from the page's probe). */
  @property({ type: Boolean }) noF16 = false;
  /** The page's WebGPU probe, for the speed hint. */
  @property({ attribute: false }) gpu: GpuProbe | null = null;
  /** This site's storage figures (Setup's), to warn before a download that will not fit; null when unknown. */
  @property({ attribute: false }) storage: StorageFacts | null = null;
  /**
   * Whether `model.cached` is known: the suggested models Setup shows before the catalog is listed are page facts
   * that say "not downloaded" of every model, so a downloaded one would be warned as too big to fit.
   */
  @property({ attribute: false }) cachedKnown = true;
  @state() private confirming = false;

  private get disabledReason(): string | undefined {
    if (this.model.disabledReason) return this.model.disabledReason;
    if (this.noF16 && this.model.needsShaderF16) return SHADER_F16_REASON;
    return undefined;
  }

  protected override willUpdate(): void {
    // Download & load becomes Unload once loaded (and back): focus stays on the card's first action.
    keepFocusOnRender(this, [['.actions', () => this.renderRoot.querySelector('.actions button')]]);
  }

  /** The delete question takes focus on its safe answer when it opens, as History's does. */
  protected override updated(changed: PropertyValues): void {
    if (changed.has('confirming') && this.confirming)
      this.renderRoot.querySelector<HTMLButtonElement>('.actions button[data-keep]')?.focus();
  }

  /** Kept (Keep, or Escape as in a dialog): focus goes back to the Delete cached button the question replaced. */
  private keep(): void {
    keepFocus(this, () => this.renderRoot.querySelector('.actions button[data-delete]'));
    this.confirming = false;
  }

  private readonly escKeeps = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') this.keep();
  };

  private emit(name: string): void {
    this.dispatchEvent(new CustomEvent(name, { detail: { modelId: this.model.id }, bubbles: true, composed: true }));
  }

  override render() {
    const m = this.model;
    if (!m) return nothing;
    const reason = this.disabledReason;
    const name = friendlyName(m.id);
    const download = downloadMB(m.id);
    // Every card has this button: its name says which model (the visible words come first, as they are read).
    const quant = quantLabel(m.id);
    // Not known to be downloaded or not (Setup lists the cache only on request): the button loads, which
    // downloads only what is missing, so it does not claim a download that may not happen.
    const unknown = !m.cached && !this.cachedKnown;
    const action = m.cached || unknown ? 'Load' : 'Download & load';
    // Before a download, not after half of it: one that will not fit says so (the button still tries, as the
    // browser's figure is an estimate).
    const tooBig =
      m.cached || unknown || this.loaded
        ? null
        : tooBigWarning(download === null ? null : download * 1e6, this.storage);
    return html`<article class="card" aria-label="${name} (${m.id})">
      <h4 class="name">${name}</h4>
      <div class="id muted">${m.id}</div>
      <dl class="small">
        <dt>Download</dt>
        <dd>
          ${
            download === null
              ? 'size not stated'
              : `≈ ${formatBytes(download * 1e6)}${unknown ? ', unless already downloaded' : ''} (once; kept by the browser)`
          }
        </dd>
        <dt>GPU memory</dt>
        <dd>${m.vramMB ? formatBytes(m.vramMB * 2 ** 20) : 'not stated'}</dd>
        <dt>Weights</dt>
        <dd>${quant || '—'}${m.contextWindow ? `, ${m.contextWindow.toLocaleString()}-token context` : ''}</dd>
      </dl>
      <p class="small" data-speed>${speedHint(m.id, this.gpu)}</p>
      <div class="row">
        ${m.cached ? html`<span class="badge ok">✓ downloaded</span>` : nothing}
        ${this.loaded ? html`<span class="badge ok">● loaded</span>` : nothing}
        ${m.needsShaderF16 ? html`<span class="badge">needs shader-f16</span>` : nothing}
        ${m.base ? html`<span class="badge warn">base model</span>` : nothing}
      </div>
      ${reason ? html`<p class="small" style="color:var(--drpo-warn)" data-reason>${reason}</p>` : nothing}
      ${tooBig ? html`<p class="small" style="color:var(--drpo-warn)" role="note" data-too-big>${tooBig}</p>` : nothing}
      <div class="row actions">
        ${
          this.loaded
            ? html`<button ${held(this.busy)} @click=${() => this.emit('model-unload-requested')}>Unload</button>`
            : html`<button
                class=${this.selected ? 'primary' : ''}
                aria-label="${action} ${name}${quant ? ` (${quant})` : ''}"
                ?disabled=${!!reason}
                ${held(this.busy)}
                @click=${() => this.emit('model-load-requested')}
              >
                ${action}
              </button>`
        }
        ${
          m.cached && !this.confirming
            ? html`<button class="danger" data-delete ${held(this.busy)} @click=${() => (this.confirming = true)}>
                Delete cached
              </button>`
            : nothing
        }
        ${
          this.confirming
            ? html`<span class="small" role="alert" data-delete-question>${deleteQuestion(download, this.loaded)}</span>
                <button
                  class="danger"
                  ${held(this.busy)}
                  @keydown=${this.escKeeps}
                  @click=${() => {
                    this.confirming = false;
                    this.emit('model-delete-requested');
                  }}
                >
                  Yes, delete
                </button>
                <button data-keep @keydown=${this.escKeeps} @click=${() => this.keep()}>Keep</button>`
            : nothing
        }
      </div>
    </article>`;
  }
}

/**
 * What a delete frees and what it does not do: a loaded model stays in GPU memory (a run using it goes on),
 * and the next load downloads the files again, so the user knows the cost before saying yes.
 */
function deleteQuestion(downloadMB: number | null, loaded: boolean): string {
  const size = downloadMB === null ? '' : ` (≈ ${formatBytes(downloadMB * 1e6)})`;
  const after = loaded
    ? 'The model stays loaded until you unload it or close the tab; loading it again downloads it again.'
    : 'Loading it again downloads it again.';
  return `Delete the downloaded files${size}? ${after}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-model-card': DrpoModelCard;
  }
}
