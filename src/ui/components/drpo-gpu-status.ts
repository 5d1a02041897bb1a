/**
 * WebGPU status, probed in the page (navigator.gpu) so the answer is instant and needs no worker.
 * No adapter → a page-level explanation; the endpoint path keeps working regardless, so while an endpoint is the
 * engine chosen the same words are a quiet note: an alert there would sit above the endpoint's own errors.
 */
import { html, css } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { probeGpu } from '../../client/gpu';
import type { GpuProbe } from '../../client/gpu';
import { SHADER_F16_ADVICE, WEBGPU_ADVICE, WEBGPU_REPORT_URL } from '../../core/contracts/webgpu';

/** A step of the advice, its report address a link. */
function step(text: string) {
  const [before, after] = text.split(WEBGPU_REPORT_URL);
  if (after === undefined) return text;
  return html`${before}<a href=${WEBGPU_REPORT_URL} target="_blank" rel="noopener">${WEBGPU_REPORT_URL}</a>${after}`;
}

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
  /** The engine chosen is an endpoint, which needs no WebGPU: its absence is said, not alerted. */
  @property({ type: Boolean }) endpoint = false;
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
    if (!p.available && this.endpoint) {
      return html`<div class="small" data-state="unavailable">
        <p style="margin:0">
          <strong>WebGPU is not available here</strong>, so models cannot run in this browser. An OpenAI-compatible
          endpoint does not need it.
        </p>
        <p class="muted" style="margin:4px 0">${p.reason ?? ''}</p>
        <ul class="muted">
          ${WEBGPU_ADVICE.map((s) => html`<li>${step(s)}</li>`)}
        </ul>
      </div>`;
    }
    if (!p.available) {
      return html`<div class="warn-box" role="alert" data-state="unavailable">
        <strong>WebGPU is not available here, so models cannot run in this browser.</strong>
        <p class="small" style="margin:4px 0">${p.reason ?? ''}</p>
        <ul class="small">
          ${WEBGPU_ADVICE.map((s) => html`<li>${step(s)}</li>`)}
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
          ${p.shaderF16 ? 'yes' : `no: models that need it are disabled. ${SHADER_F16_ADVICE}`}
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
