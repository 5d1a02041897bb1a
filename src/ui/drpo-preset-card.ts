/**
 * One preset as a pressable card: what it does, projected calls and generated tokens, and an
 * estimated time from the measured decode speed (or honest "depends on your GPU").
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from './drpo-styles';
import { formatCount, formatDuration } from './drpo-throughput';
import type { PresetDef } from '../core/presets';
import type { Projection } from '../core/types';

/** Generation dominates on a local GPU; prefill is fast by comparison, so it is left out. */
export function estimateMs(p: Projection | null, decodeTokensPerS: number | null | undefined): number | null {
  if (!p || !decodeTokensPerS || decodeTokensPerS <= 0) return null;
  return (p.generatedTokens / decodeTokensPerS) * 1000;
}

@customElement('drpo-preset-card')
export class DrpoPresetCard extends LitElement {
  static override styles = [
    baseStyles,
    css`
      button.card {
        display: flex;
        flex-direction: column;
        align-items: stretch;
        text-align: left;
        width: 100%;
        height: 100%;
        gap: 6px;
        padding: 14px;
        background: var(--drpo-surface);
      }
      button.card[aria-pressed='true'] {
        border: 2px solid var(--drpo-accent);
        background: var(--drpo-accent-soft);
      }
      .name {
        font-size: 1.1rem;
        font-weight: 700;
        display: flex;
        justify-content: space-between;
        gap: 8px;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px 10px;
        margin: 4px 0 0;
        font-size: 0.875rem;
      }
      dt {
        color: var(--drpo-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) preset: PresetDef | null = null;
  @property({ attribute: false }) projection: Projection | null = null;
  @property({ type: Number, attribute: 'decode-tokens-per-s' }) decodeTokensPerS: number | null = null;
  @property({ type: Boolean }) selected = false;

  override render() {
    const p = this.preset;
    if (!p) return html``;
    const est = estimateMs(this.projection, this.decodeTokensPerS);
    return html`<button class="card" aria-pressed=${this.selected ? 'true' : 'false'} @click=${this.choose}>
      <span class="name"
        ><span>${p.label}</span>${this.selected ? html`<span class="badge ok">✓ chosen</span>` : ''}</span
      >
      <span class="small">${p.description}</span>
      <dl>
        <dt>Model calls</dt>
        <dd>${this.projection ? `~${formatCount(this.projection.calls)}` : '—'}</dd>
        <dt>Generated tokens</dt>
        <dd>${this.projection ? `~${formatCount(this.projection.generatedTokens)}` : '—'}</dd>
        <dt>Time</dt>
        <dd>
          ${
            est !== null
              ? `~${formatDuration(est)} at ${this.decodeTokensPerS!.toFixed(0)} tok/s`
              : 'depends on your GPU'
          }
        </dd>
      </dl>
    </button>`;
  }

  private readonly choose = (): void => {
    if (!this.preset) return;
    this.dispatchEvent(
      new CustomEvent('preset-selected', { detail: { preset: this.preset.name }, bubbles: true, composed: true }),
    );
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-preset-card': DrpoPresetCard;
  }
}
