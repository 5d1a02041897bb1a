/** Model download/load progress: percent bar, elapsed, ETA and the engine's text. */
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import type { LoadProgress } from '../../protocol/worker-api';
import { progressBar } from '../templates/progress-bar';
import { formatDuration } from '../../core/words/durations';

@customElement('drpo-load-progress')
export class DrpoLoadProgress extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .track {
        height: 12px;
        background: var(--drpo-surface-2);
        border: 1px solid var(--drpo-border);
        border-radius: 999px;
        overflow: hidden;
      }
      .fill {
        height: 100%;
        background: var(--drpo-accent);
        transition: width 0.3s;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin-top: 4px;
      }
      .text {
        word-break: break-word;
      }
    `,
  ];

  @property({ attribute: false }) progress: LoadProgress | null = null;

  override render() {
    const p = this.progress;
    if (!p) return nothing;
    const pct = Math.round(Math.min(1, Math.max(0, p.progress)) * 100);
    return html`<div>
      <div class="row small" style="justify-content:space-between">
        <strong>Loading ${p.modelId}</strong><span>${pct}%</span>
      </div>
      ${progressBar(`Loading ${p.modelId}`, pct, `${pct}%`)}
      <div class="meta small muted">
        <span>Elapsed ${formatDuration(p.elapsedS * 1000)}</span
        ><span>ETA ${formatDuration(p.etaS === null ? null : p.etaS * 1000)}</span>
      </div>
      <div class="text small muted" aria-live="polite">${p.text}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-load-progress': DrpoLoadProgress;
  }
}
