/**
 * One WebLLM model: id, size, context, cached badge, shader-f16 requirement. Load and Delete are
 * requests (events) — the setup view does the work. Delete asks for confirmation in place.
 */
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from './drpo-styles';
import type { ModelInfo } from '../worker/api';

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
      .id {
        font-family: var(--drpo-mono);
        font-size: 0.85rem;
        word-break: break-all;
        font-weight: 600;
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
  /** Another load is in progress: buttons are disabled. */
  @property({ type: Boolean }) busy = false;
  /** The GPU lacks shader-f16 (from the page's probe). */
  @property({ type: Boolean }) noF16 = false;
  @state() private confirming = false;

  private get disabledReason(): string | undefined {
    if (this.model.disabledReason) return this.model.disabledReason;
    if (this.noF16 && this.model.needsShaderF16)
      return 'Needs shader-f16, which this GPU lacks. Pick the q4f32 variant.';
    return undefined;
  }

  private emit(name: string): void {
    this.dispatchEvent(new CustomEvent(name, { detail: { modelId: this.model.id }, bubbles: true, composed: true }));
  }

  override render() {
    const m = this.model;
    if (!m) return nothing;
    const reason = this.disabledReason;
    return html`<article class="card" aria-label=${m.id}>
      <div class="id">${m.id}</div>
      <div class="facts small muted">
        <span>${m.vramMB ? `${Math.round(m.vramMB)} MB VRAM` : 'size unknown'}</span>
        <span>${m.contextWindow ? `${m.contextWindow.toLocaleString()} tokens context` : ''}</span>
      </div>
      <div class="row">
        ${m.cached ? html`<span class="badge ok">✓ cached</span>` : html`<span class="badge">not downloaded</span>`}
        ${this.loaded ? html`<span class="badge ok">● loaded</span>` : nothing}
        ${m.needsShaderF16 ? html`<span class="badge">needs shader-f16</span>` : nothing}
        ${m.lowResource ? html`<span class="badge">low resource</span>` : nothing}
        ${m.base ? html`<span class="badge warn">base model</span>` : nothing}
      </div>
      ${reason ? html`<p class="small" style="color:var(--drpo-warn)" data-reason>${reason}</p>` : nothing}
      <div class="row actions">
        ${
          this.loaded
            ? html`<button @click=${() => this.emit('model-unload-requested')} ?disabled=${this.busy}>Unload</button>`
            : html`<button
                class=${this.selected ? 'primary' : ''}
                ?disabled=${!!reason || this.busy}
                @click=${() => this.emit('model-load-requested')}
              >
                ${m.cached ? 'Load' : 'Download & load'}
              </button>`
        }
        ${
          m.cached && !this.confirming
            ? html`<button class="danger" ?disabled=${this.busy} @click=${() => (this.confirming = true)}>
                Delete cached
              </button>`
            : nothing
        }
        ${
          this.confirming
            ? html`<span class="small" role="alert">Delete the downloaded files?</span>
                <button
                  class="danger"
                  @click=${() => {
                    this.confirming = false;
                    this.emit('model-delete-requested');
                  }}
                >
                  Yes, delete
                </button>
                <button @click=${() => (this.confirming = false)}>Keep</button>`
            : nothing
        }
      </div>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-model-card': DrpoModelCard;
  }
}
