/**
 * Small hand-made SVG charts for evaluation results: per-aspect means with CI whiskers, and
 * stacked win/tie/loss bars. Numbers are also in the table, so the charts are decorative-plus:
 * each carries an aria-label summary.
 *
 * Each chart is laid out for the width it is shown at (`width`, CSS px, measured by the element showing it), so
 * one SVG unit is one pixel and the labels keep the size the styles give them: a chart drawn for 640 units and
 * scaled to fit shrank its labels to 5–6 px on a phone and blew them up to 20 px on a wide screen. Where names
 * and bars do not fit side by side, each name goes above its bar.
 */
import { svg, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CandidateReport, MeanCI, PairwiseReport } from '../../core/eval/eval-types';
import { intervalNote } from '../../core/eval/report/report-table';

export const SERIES_COLORS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2'];

/** The width a chart is laid out for until its element has measured its own (the card's at about 700 px). */
export const CHART_WIDTH = 640;
/** Narrower than this, a name beside its bar would leave the bar too little room: names go above the bars. */
export const STACK_BELOW = 520;
/** About one character of the 11 px labels ("tick" style), to fit names to the room they have. */
const CHAR_PX = 6;
/** A group of the per-aspect chart needs this much for its aspect's name under it ("Helpfulness"). */
const MIN_GROUP_PX = 80;

const H = 240;
const PAD = { l: 32, r: 8, t: 12, b: 36 };

/** The width laid out for: a measured one, never so small that nothing fits. */
function chartWidth(width: number): number {
  return Math.max(200, Math.floor(width));
}

/** How many label characters fit in `px`. */
function charsIn(px: number): number {
  return Math.max(8, Math.floor(px / CHAR_PX));
}

function y(score: number): number {
  // Scores live on 1–5; the axis starts at 1 so a bar's height is its distance above "very poor".
  return PAD.t + (H - PAD.t - PAD.b) * (1 - (score - 1) / 4);
}

function groupStats(c: CandidateReport, aspect: string): MeanCI | undefined {
  return aspect === 'Overall' ? c.overall : c.aspects.find((a) => a.aspect === aspect);
}

/** A name cut to fit beside a bar (the full name is in the bar's tooltip, the chart's label and the table). */
function fitName(name: string, max: number): string {
  return name.length > max ? `${name.slice(0, max - 1).trimEnd()}…` : name;
}

function overallLabel(candidates: CandidateReport[]): string {
  return candidates
    .map((c) => `${c.label}: overall ${c.overall.mean === null ? 'not scored' : c.overall.mean.toFixed(2)}`)
    .join('; ');
}

/** The 1–5 scale across `x`, its numbers above `top` and its lines down to `bottom` (the horizontal charts). */
function scaleAcross(x: (score: number) => number, top: number, bottom: number) {
  return [1, 2, 3, 4, 5].map(
    (t) => svg`<line class="grid" x1=${x(t)} x2=${x(t)} y1=${top - 4} y2=${bottom}></line>
      <text class="tick" x=${x(t)} y=${top - 8} text-anchor=${t === 1 ? 'start' : t === 5 ? 'end' : 'middle'}>${t}</text>`,
  );
}

export function aspectChart(candidates: CandidateReport[], width = CHART_WIDTH): TemplateResult | typeof nothing {
  if (candidates.length === 0) return nothing;
  // More candidates than colours: the grouped bars would repeat colours (and be a few pixels wide), so no bar
  // could be told from another. One named bar each, of the overall mean, reads at any count.
  if (candidates.length > SERIES_COLORS.length) return overallChart(candidates, width);
  const aspects = [...new Set(candidates.flatMap((c) => c.aspects.map((a) => a.aspect))), 'Overall'];
  const W = chartWidth(width);
  const groupW = (W - PAD.l - PAD.r) / aspects.length;
  const chart =
    groupW >= MIN_GROUP_PX ? columnsChart(candidates, aspects, W, groupW) : rowsChart(candidates, aspects, W);
  return html`<figure class="chart">
    ${chart}
    <figcaption class="legend">
      ${candidates.map(
        (c, i) => html`<span><i style="background:${SERIES_COLORS[i % SERIES_COLORS.length]}"></i>${c.label}</span>`,
      )}
      <span class="muted small">Whiskers: 95% bootstrap interval.</span>
    </figcaption>
  </figure>`;
}

/** Per aspect, a group of upright bars (one per candidate), its name under it. */
function columnsChart(candidates: CandidateReport[], aspects: string[], W: number, groupW: number) {
  const barW = Math.max(4, Math.min(28, (groupW - 10) / candidates.length));
  const bars = aspects.flatMap((aspect, gi) =>
    candidates.map((c, ci) => {
      const s = groupStats(c, aspect);
      if (!s || s.mean === null) return nothing;
      const x = PAD.l + gi * groupW + (groupW - barW * candidates.length) / 2 + ci * barW;
      const color = SERIES_COLORS[ci % SERIES_COLORS.length];
      const cx = x + barW / 2;
      return svg`<g>
        <title>${c.label} — ${aspect}: ${s.mean.toFixed(2)} ${intervalNote(s)}</title>
        <rect x=${x} y=${y(s.mean)} width=${barW - 2} height=${Math.max(0, y(1) - y(s.mean))} fill=${color} opacity="0.85"></rect>
        ${
          s.ci
            ? svg`<line class="whisker" x1=${cx - 1} x2=${cx - 1} y1=${y(s.ci.lo)} y2=${y(s.ci.hi)}></line>
              <line class="whisker" x1=${cx - 4} x2=${cx + 2} y1=${y(s.ci.lo)} y2=${y(s.ci.lo)}></line>
              <line class="whisker" x1=${cx - 4} x2=${cx + 2} y1=${y(s.ci.hi)} y2=${y(s.ci.hi)}></line>`
            : nothing
        }
      </g>`;
    }),
  );
  return html`<svg
    viewBox="0 0 ${W} ${H}"
    width=${W}
    role="img"
    aria-label=${`Mean score per aspect with 95% intervals. ${overallLabel(candidates)}`}
  >
    ${[1, 2, 3, 4, 5].map(
      (t) => svg`<line class="grid" x1=${PAD.l} x2=${W - PAD.r} y1=${y(t)} y2=${y(t)}></line>
        <text class="tick" x=${PAD.l - 6} y=${y(t) + 4} text-anchor="end">${t}</text>`,
    )}
    ${bars}
    ${aspects.map(
      (a, gi) =>
        svg`<text class="tick" x=${PAD.l + gi * groupW + groupW / 2} y=${H - PAD.b + 16} text-anchor="middle">${fitName(a, charsIn(groupW))}</text>`,
    )}
  </svg>`;
}

/**
 * Per aspect, its name on a line and under it one bar across per candidate: too narrow for the aspects' names
 * side by side under upright bars (a phone), they would run into each other.
 */
function rowsChart(candidates: CandidateReport[], aspects: string[], W: number) {
  const barH = 10;
  const nameH = 16;
  const top = 18;
  const groupH = nameH + candidates.length * barH + 8;
  const h = top + aspects.length * groupH;
  const x = (score: number) => 4 + (W - 12) * ((score - 1) / 4);
  return html`<svg
    viewBox="0 0 ${W} ${h}"
    width=${W}
    role="img"
    aria-label=${`Mean score per aspect with 95% intervals. ${overallLabel(candidates)}`}
  >
    ${scaleAcross(x, top, h - 4)}
    ${aspects.map((aspect, gi) => {
      const y0 = top + gi * groupH;
      return svg`<g>
        <text class="tick name" x=${x(1)} y=${y0 + 12}>${fitName(aspect, charsIn(W))}</text>
        ${candidates.map((c, ci) => {
          const s = groupStats(c, aspect);
          if (!s || s.mean === null) return nothing;
          const by = y0 + nameH + ci * barH;
          return svg`<g>
            <title>${c.label} — ${aspect}: ${s.mean.toFixed(2)} ${intervalNote(s)}</title>
            <rect x=${x(1)} y=${by} width=${Math.max(0, x(s.mean) - x(1))} height=${barH - 2} fill=${SERIES_COLORS[ci % SERIES_COLORS.length]} opacity="0.85"></rect>
            ${
              s.ci
                ? svg`<line class="whisker" x1=${x(s.ci.lo)} x2=${x(s.ci.hi)} y1=${by + (barH - 2) / 2} y2=${by + (barH - 2) / 2}></line>`
                : nothing
            }
          </g>`;
        })}
      </g>`;
    })}
  </svg>`;
}

/** The overall mean of each candidate as a named horizontal bar with its interval, for many candidates. */
function overallChart(candidates: CandidateReport[], width: number): TemplateResult {
  const W = chartWidth(width);
  const stacked = W < STACK_BELOW;
  // Beside its bar, a name has up to 260 px (42 characters); above it, the whole width.
  const left = stacked ? 4 : Math.min(260, Math.round(W * 0.45));
  const nameH = stacked ? 16 : 0;
  const rowH = 22 + nameH;
  const top = 18;
  const h = top + candidates.length * rowH + 6;
  // 1–5 across the width right of the names (under them when stacked).
  const x = (score: number) => left + (W - left - PAD.r) * ((score - 1) / 4);
  const chars = charsIn(stacked ? W - 8 : left - 8);
  return html`<figure class="chart" data-overall-chart>
    <svg
      viewBox="0 0 ${W} ${h}"
      width=${W}
      role="img"
      aria-label=${`Overall mean score with 95% intervals. ${overallLabel(candidates)}`}
    >
      ${scaleAcross(x, top, h - 4)}
      ${candidates.map((c, i) => {
        const y0 = top + i * rowH;
        const barY = y0 + nameH;
        const s = c.overall;
        return svg`<g>
          <title>${c.label} — Overall: ${s.mean === null ? 'not scored' : `${s.mean.toFixed(2)} ${intervalNote(s)}`}</title>
          ${
            stacked
              ? svg`<text class="tick name" x=${left} y=${y0 + 12}>${fitName(c.label, chars)}</text>`
              : svg`<text class="tick name" x=${left - 8} y=${y0 + 14} text-anchor="end">${fitName(c.label, chars)}</text>`
          }
          ${
            s.mean === null
              ? svg`<text class="tick" x=${left + 4} y=${barY + 14}>not scored</text>`
              : svg`<rect x=${left} y=${barY + 3} width=${Math.max(0, x(s.mean) - left)} height=${22 - 8} fill=${SERIES_COLORS[0]} opacity="0.85"></rect>`
          }
          ${
            s.ci
              ? svg`<line class="whisker" x1=${x(s.ci.lo)} x2=${x(s.ci.hi)} y1=${barY + 11} y2=${barY + 11}></line>`
              : nothing
          }
        </g>`;
      })}
    </svg>
    <figcaption class="legend">
      <span class="muted small"
        >Overall mean per candidate (the table below has each aspect). Line across a bar: 95% bootstrap interval.</span
      >
    </figcaption>
  </figure>`;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A name cut in the middle to `max` characters: both its start and its end are kept. */
function fitMiddle(name: string, max: number): string {
  if (name.length <= max) return name;
  const head = Math.floor((max - 1) / 2);
  return `${name.slice(0, head).trimEnd()}…${name.slice(name.length - (max - 1 - head)).trimStart()}`;
}

/** Room left of a win-rate bar at the chart's first width: about 32 characters at the ticks' size. */
const PAIR_CHARS = 32;

/**
 * A pair's name as it fits in `chars` characters beside or above its bar (the full names are in its tooltip and the
 * chart's label). Each side is cut on its own, in the middle: cutting "a vs b" as one kept only the start of a long
 * first name, so a round robin of "Careful answers for the support desk (v1)", "(v2)" and "(v3)" showed three
 * identical rows. A short side leaves its room to the other.
 */
export function pairName(a: string, b: string, chars = PAIR_CHARS): string {
  const room = chars - ' vs '.length;
  const half = Math.floor(room / 2);
  return `${fitMiddle(a, Math.max(half, room - b.length))} vs ${fitMiddle(b, Math.max(half, room - a.length))}`;
}

export function winRateChart(pairs: PairwiseReport[], width = CHART_WIDTH): TemplateResult | typeof nothing {
  if (pairs.length === 0) return nothing;
  const W = chartWidth(width);
  const stacked = W < STACK_BELOW;
  // Beside its bar, a pair's name has 200 px (32 characters) and up to 320 on a wide screen; above it, the width.
  const left = stacked ? 0 : Math.max(200, Math.min(320, Math.round(W * 0.3)));
  const nameH = stacked ? 16 : 0;
  const barH = 20;
  const rowH = nameH + barH + 8;
  const barW = W - left - 8;
  const h = pairs.length * rowH + 8;
  const chars = charsIn(stacked ? W - 8 : left - 8);
  return html`<figure class="chart" data-win-rate-chart>
    <svg
      viewBox="0 0 ${W} ${h}"
      width=${W}
      role="img"
      aria-label=${pairs
        .map((p) =>
          p.rates.n === 0
            ? `${p.a} vs ${p.b}: no valid judgements`
            : `${p.a} vs ${p.b}: win ${pct(p.rates.win.rate)}, tie ${pct(p.rates.tie.rate)}, loss ${pct(p.rates.loss.rate)}`,
        )
        .join('; ')}
    >
      ${pairs.map((p, i) => {
        const y0 = 4 + i * rowH;
        const top = y0 + nameH;
        const name = stacked
          ? svg`<text class="tick name" x=${left} y=${y0 + 11}>${pairName(p.a, p.b, chars)}</text>`
          : svg`<text class="tick name" x=${left - 8} y=${top + 15} text-anchor="end">${pairName(p.a, p.b, chars)}</text>`;
        if (p.rates.n === 0) {
          return svg`<g>
            <title>${p.a} vs ${p.b}</title>
            ${name}
            <text class="tick" x=${left} y=${top + 15}>no valid judgements</text>
          </g>`;
        }
        const segs: [string, number, string][] = [
          ['win', p.rates.win.rate, '#059669'],
          ['tie', p.rates.tie.rate, '#9ca3af'],
          ['loss', p.rates.loss.rate, '#dc2626'],
        ];
        let x = left;
        return svg`<g>
          <title>${p.a} vs ${p.b}</title>
          ${name}
          ${segs.map(([seg, r, color]) => {
            const w = r * barW;
            const rect = svg`<rect x=${x} y=${top} width=${w} height=${barH} fill=${color}><title>${seg} ${pct(r)}</title></rect>
              ${w > 30 ? svg`<text class="seg" x=${x + w / 2} y=${top + 14} text-anchor="middle">${pct(r)}</text>` : nothing}`;
            x += w;
            return rect;
          })}
          <line class="whisker" x1=${left + p.rates.win.ci.lo * barW} x2=${left + p.rates.win.ci.hi * barW} y1=${top + barH + 2} y2=${top + barH + 2}></line>
        </g>`;
      })}
    </svg>
    <figcaption class="legend">
      <span><i style="background:#059669"></i>win</span><span><i style="background:#9ca3af"></i>tie</span>
      <span><i style="background:#dc2626"></i>loss</span>
      <span class="muted small">Line under a bar: 95% interval of the win rate.</span>
    </figcaption>
  </figure>`;
}
