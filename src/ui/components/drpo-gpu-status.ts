/**
 * WebGPU status, probed in the page (navigator.gpu) so the answer is instant and needs no worker.
 * No adapter → a page-level explanation; the endpoint path keeps working regardless.
 */
import { html, css } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { probeGpu } from '../../client/gpu';
import type { GpuProbe } from '../../client/gpu';

@customElement('drpo-gpu-status')
export class DrpoGpuStatus extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 12px;
        margin: 8px 0 0;
      }
      dt {
        color: var(--drpo-muted);
      }
      dd {
        margin: 0;
      }
      ul {
        margin: 4px 0 0;
        padding-left: 20px;
      }
    `,
  ];

  /** Set to skip probing (tests, or a probe done elsewhere). */
  @property({ attribute: false }) probe: GpuProbe | null = null;
  @state() private probing = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.probe) void this.run();
  }

  private async run(): Promise<void> {
    const known = this.appState?.value.gpu;
    if (known) {
      this.probe = known;
      return;
    }
    this.probing = true;
    const probe = await probeGpu();
    this.probing = false;
    this.probe = probe;
    this.appState?.update({ gpu: probe });
    this.dispatchEvent(new CustomEvent('gpu-probed', { detail: probe, bubbles: true, composed: true }));
  }

  override render() {
    const p = this.probe;
    if (!p) return html`<p class="muted" aria-live="polite">${this.probing ? 'Checking WebGPU…' : ''}</p>`;
    if (!p.available) {
      return html`<div class="warn-box" role="alert" data-state="unavailable">
        <strong>WebGPU is not available here, so models cannot run in this browser.</strong>
        <p class="small" style="margin:4px 0">${p.reason ?? ''}</p>
        <ul class="small">
          <li>Use Chrome or Edge 113 or newer on a supported GPU.</li>
          <li>
            Check <code>chrome://gpu</code> and
            <a href="https://webgpureport.org" target="_blank" rel="noopener">webgpureport.org</a>.
          </li>
          <li>
            Or use an <strong>OpenAI-compatible endpoint</strong> below (Ollama, llama.cpp, vLLM, …) — it works without
            WebGPU.
          </li>
        </ul>
      </div>`;
    }
    const a = p.adapter;
    return html`<div data-state="available">
      <span class="badge ok">✓ WebGPU available</span>
      <dl class="small">
        <dt>Vendor</dt>
        <dd>${a?.vendor || 'unknown'}</dd>
        <dt>Architecture</dt>
        <dd>${a?.architecture || 'unknown'}${a?.isFallbackAdapter ? ' (software fallback: slow)' : ''}</dd>
        <dt>shader-f16</dt>
        <dd data-f16=${p.shaderF16 ? 'yes' : 'no'}>
          ${p.shaderF16 ? 'yes' : 'no — choose q4f32 models (16-bit models are disabled)'}
        </dd>
      </dl>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-gpu-status': DrpoGpuStatus;
  }
}
