/** A labelled progress bar (0–100 %) with its value in words for screen readers; styled by the host's `.track`/`.fill`. */
import { css, html } from 'lit';

/**
 * For every host of a bar: forced colours replace the fill's background with the page's, so the bar would
 * look empty at any value. The fill keeps a system colour of its own.
 */
export const progressBarForcedColors = css`
  @media (forced-colors: active) {
    /* Also over a component's own state colour (a budget bar near its limit: '.fill.high'). */
    .track > .fill[class] {
      forced-color-adjust: none;
      background: Highlight;
    }
  }
`;

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
