/**
 * A labelled progress bar (0–100 %) with its value in words for screen readers; styled by the host's
 * `.track`/`.fill` (their fill under forced colours by baseStyles, which every host has).
 */
import { html } from 'lit';

export function progressBar(label: string, pct: number, valueText: string, fillClass = '') {
  return html`<div
    class="track"
    role="progressbar"
    aria-label=${label}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${pct}
    aria-valuetext=${valueText}
  >
    <div class="fill ${fillClass}" style="width:${pct}%"></div>
  </div>`;
}
