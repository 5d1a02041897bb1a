/**
 * Reward over depth: best node reward per level (solid line, round markers) and the beam mean
 * (dashed line, square markers), so the two differ by more than colour. Numbers are available
 * in a table under the chart.
 *
 * The chart is laid out for the width it is shown at (one SVG unit a pixel), so its labels keep the 11 px the styles
 * give them: drawn for 600 units and scaled to fit, they were 6 px at a 400 px window.
 */
import { LitElement, css, html, svg, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatReward as fmt } from './drpo-beam-tree';
import { baseStyles } from '../../app/styles';
import { SizeController } from '../../controllers/size-controller';
import type { RewardPoint } from '../../view-models/run/run-view-model';

/** The width laid out for until the element has measured its own. */
const DEFAULT_W = 600;
/** Narrower than this, ten depth labels would not fit apart: the chart is drawn this wide and scaled down. */
const MIN_W = 200;
const VH = 220;
const M = { l: 44, r: 12, t: 12, b: 38 };

export function describeSeries(series: readonly RewardPoint[]): string {
  const best = series.filter((p) => p.best !== null);
  if (!best.length) return 'No rewards yet.';
  const first = best[0]!;
  const last = best[best.length - 1]!;
  const top = best.reduce((m, p) => (p.best! > m.best! ? p : m), first);
  return `Best score per level went from ${fmt(first.best)} at depth ${first.depth} to ${fmt(last.best)} at depth ${
    last.depth
  }; the highest was ${fmt(top.best)} at depth ${top.depth}.`;
}

@customElement('drpo-reward-chart')
export class DrpoRewardChart extends LitElement {
  static override styles = [
    baseStyles,
    css`
      svg {
        width: 100%;
        height: auto;
        display: block;
      }
      .axis line,
      .axis path {
        stroke: var(--drpo-muted);
      }
      .grid {
        stroke: var(--drpo-border);
        stroke-dasharray: 2 4;
      }
      .axis text,
      .axis-title {
        fill: var(--drpo-muted);
        font: 11px var(--drpo-font);
      }
      .best {
        stroke: var(--drpo-accent);
        stroke-width: 2.5;
        fill: none;
      }
      .mean {
        stroke: var(--drpo-ok);
        stroke-width: 2;
        stroke-dasharray: 6 4;
        fill: none;
      }
      .best-pt {
        fill: var(--drpo-accent);
      }
      .mean-pt {
        fill: var(--drpo-ok);
      }
      .legend {
        display: flex;
        gap: 16px;
        font-size: 0.85rem;
        flex-wrap: wrap;
      }
      .swatch {
        display: inline-block;
        width: 22px;
        height: 0;
        border-top: 3px solid var(--drpo-accent);
        vertical-align: middle;
        margin-right: 4px;
      }
      .swatch.mean {
        border-top: 3px dashed var(--drpo-ok);
      }
      table {
        border-collapse: collapse;
        font-size: 0.85rem;
      }
      td,
      th {
        padding: 2px 10px;
        text-align: right;
        border-bottom: 1px solid var(--drpo-border);
      }
    `,
  ];

  @property({ attribute: false }) series: readonly RewardPoint[] = [];
  /** Current maximum depth, so the x axis shows how far the search may still go. */
  @property({ type: Number }) maxDepth: number | null = null;
  /** Change counter from the view model (series is appended in place). */
  @property({ type: Number }) version = 0;
  /**
   * The chart's width, read from an empty line above it whose size the chart cannot change (the chart's own height
   * changes as it is laid out again, which would notify the observer again in the same frame: a "ResizeObserver
   * loop" error).
   */
  private readonly width = new SizeController(this, '.plot-width', 'width', DEFAULT_W);

  override render() {
    const s = this.series;
    const VW = Math.max(MIN_W, Math.floor(this.width.value));
    const xMax = Math.max(1, s.length - 1, this.maxDepth ?? 0);
    const x = (d: number) => M.l + (d / xMax) * (VW - M.l - M.r);
    const y = (r: number) => M.t + ((5 - r) / 4) * (VH - M.t - M.b);
    const line = (key: 'best' | 'beamMean') => {
      let d = '';
      let pen = false;
      for (const p of s) {
        const v = p[key];
        if (v === null) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${x(p.depth).toFixed(1)} ${y(v).toFixed(1)}`;
        pen = true;
      }
      return d;
    };
    const step = Math.max(1, Math.ceil(xMax / 10));
    const xticks: number[] = [];
    for (let d = 0; d <= xMax; d += step) xticks.push(d);
    const desc = describeSeries(s);
    return html`
      <div class="legend" aria-hidden="true">
        <span><span class="swatch"></span>Best score at the level (●)</span>
        <span><span class="swatch mean"></span>Beam mean (■)</span>
      </div>
      <p class="small muted" style="margin:4px 0">
        Each level asks new questions, so a level with harder questions scores lower even when the prompts improve.
      </p>
      <div class="plot-width" aria-hidden="true"></div>
      <svg viewBox="0 0 ${VW} ${VH}" width=${VW} role="img" aria-labelledby="t d">
        <title id="t">Reward over depth</title>
        <desc id="d">${desc}</desc>
        <g class="axis">
          ${[1, 2, 3, 4, 5].map(
            (r) =>
              svg`<line class="grid" x1=${M.l} x2=${VW - M.r} y1=${y(r)} y2=${y(r)}></line>
              <text x=${M.l - 8} y=${y(r) + 4} text-anchor="end">${r}</text>`,
          )}
          <line x1=${M.l} x2=${VW - M.r} y1=${VH - M.b} y2=${VH - M.b}></line>
          <line x1=${M.l} x2=${M.l} y1=${M.t} y2=${VH - M.b}></line>
          ${xticks.map((d) => svg`<text x=${x(d)} y=${VH - M.b + 16} text-anchor="middle">${d}</text>`)}
        </g>
        <text class="axis-title" x=${(VW + M.l) / 2} y=${VH - 4} text-anchor="middle">Depth (search level)</text>
        <text class="axis-title" transform="rotate(-90)" x=${-(VH - M.b + M.t) / 2} y="16" text-anchor="middle">
          Score (1–5)
        </text>
        <path class="mean" d=${line('beamMean')}></path>
        <path class="best" d=${line('best')}></path>
        ${s.map((p) =>
          p.best === null ? nothing : svg`<circle class="best-pt" cx=${x(p.depth)} cy=${y(p.best)} r="3.5"></circle>`,
        )}
        ${s.map((p) =>
          p.beamMean === null
            ? nothing
            : svg`<rect class="mean-pt" x=${x(p.depth) - 3} y=${y(p.beamMean) - 3} width="6" height="6"></rect>`,
        )}
      </svg>
      ${
        s.length
          ? html`<details>
              <summary class="small">Show the numbers</summary>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Depth</th>
                    <th scope="col">Best score</th>
                    <th scope="col">Beam mean</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.map(
                    (p) =>
                      html`<tr>
                        <td>${p.depth}</td>
                        <td>${fmt(p.best)}</td>
                        <td>${fmt(p.beamMean)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </details>`
          : html`<p class="muted small">The chart fills in as levels finish.</p>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-reward-chart': DrpoRewardChart;
  }
}
