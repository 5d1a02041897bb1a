/**
 * Small hand-made SVG charts for evaluation results: per-aspect means with CI whiskers, and
 * stacked win/tie/loss bars. Numbers are also in the table, so the charts are decorative-plus:
 * each carries an aria-label summary.
 */
import { svg, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CandidateReport, MeanCI, PairwiseReport } from '../../core/eval/eval-types';
import { intervalNote } from '../../core/eval/report/report-table';

export const SERIES_COLORS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2'];

const W = 640;
const H = 240;
const PAD = { l: 32, r: 8, t: 12, b: 36 };

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

export function aspectChart(candidates: CandidateReport[]): TemplateResult | typeof nothing {
  if (candidates.length === 0) return nothing;
  // More candidates than colours: the grouped bars would repeat colours (and be a few pixels wide), so no bar
  // could be told from another. One named bar each, of the overall mean, reads at any count.
  if (candidates.length > SERIES_COLORS.length) return overallChart(candidates);
  const aspects = [...new Set(candidates.flatMap((c) => c.aspects.map((a) => a.aspect))), 'Overall'];
  const groupW = (W - PAD.l - PAD.r) / aspects.length;
  const barW = Math.max(4, Math.min(28, (groupW - 10) / candidates.length));
  const label = candidates
    .map((c) => `${c.label}: overall ${c.overall.mean === null ? 'not scored' : c.overall.mean.toFixed(2)}`)
    .join('; ');
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
  return html`<figure class="chart">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${`Mean score per aspect with 95% intervals. ${label}`}>
      ${[1, 2, 3, 4, 5].map(
        (t) => svg`<line class="grid" x1=${PAD.l} x2=${W - PAD.r} y1=${y(t)} y2=${y(t)}></line>
          <text class="tick" x=${PAD.l - 6} y=${y(t) + 4} text-anchor="end">${t}</text>`,
      )}
      ${bars}
      ${aspects.map(
        (a, gi) =>
          svg`<text class="tick" x=${PAD.l + gi * groupW + groupW / 2} y=${H - PAD.b + 16} text-anchor="middle">${a}</text>`,
      )}
    </svg>
    <figcaption class="legend">
      ${candidates.map(
        (c, i) => html`<span><i style="background:${SERIES_COLORS[i % SERIES_COLORS.length]}"></i>${c.label}</span>`,
      )}
      <span class="muted small">Whiskers: 95% bootstrap interval.</span>
    </figcaption>
  </figure>`;
}

/** The overall mean of each candidate as a named horizontal bar with its interval, for many candidates. */
function overallChart(candidates: CandidateReport[]): TemplateResult {
  const rowH = 22;
  const left = 260;
  const top = 18;
  const h = top + candidates.length * rowH + 6;
  // 1–5 across the width right of the names.
  const x = (score: number) => left + (W - left - PAD.r) * ((score - 1) / 4);
  const label = candidates
    .map((c) => `${c.label}: overall ${c.overall.mean === null ? 'not scored' : c.overall.mean.toFixed(2)}`)
    .join('; ');
  return html`<figure class="chart" data-overall-chart>
    <svg viewBox="0 0 ${W} ${h}" role="img" aria-label=${`Overall mean score with 95% intervals. ${label}`}>
      ${[1, 2, 3, 4, 5].map(
        (t) => svg`<line class="grid" x1=${x(t)} x2=${x(t)} y1=${top - 4} y2=${h - 4}></line>
          <text class="tick" x=${x(t)} y=${top - 8} text-anchor="middle">${t}</text>`,
      )}
      ${candidates.map((c, i) => {
        const y0 = top + i * rowH;
        const s = c.overall;
        return svg`<g>
          <title>${c.label} — Overall: ${s.mean === null ? 'not scored' : `${s.mean.toFixed(2)} ${intervalNote(s)}`}</title>
          <text class="tick" x=${left - 8} y=${y0 + 14} text-anchor="end">${fitName(c.label, 42)}</text>
          ${
            s.mean === null
              ? svg`<text class="tick" x=${left + 4} y=${y0 + 14}>not scored</text>`
              : svg`<rect x=${left} y=${y0 + 3} width=${Math.max(0, x(s.mean) - left)} height=${rowH - 8} fill=${SERIES_COLORS[0]} opacity="0.85"></rect>`
          }
          ${
            s.ci
              ? svg`<line class="whisker" x1=${x(s.ci.lo)} x2=${x(s.ci.hi)} y1=${y0 + rowH / 2} y2=${y0 + rowH / 2}></line>`
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

/** Room left of a win-rate bar: about 32 characters at the ticks' size (long names ran off the chart). */
const PAIR_CHARS = 32;

/**
 * A pair's name as it fits left of its bar (the full names are in its tooltip and the chart's label). Each side is
 * cut on its own, in the middle: cutting "a vs b" as one kept only the start of a long first name, so a round robin
 * of "Careful answers for the support desk (v1)", "(v2)" and "(v3)" showed three identical rows. A short side
 * leaves its room to the other.
 */
export function pairName(a: string, b: string): string {
  const room = PAIR_CHARS - ' vs '.length;
  const half = Math.floor(room / 2);
  return `${fitMiddle(a, Math.max(half, room - b.length))} vs ${fitMiddle(b, Math.max(half, room - a.length))}`;
}

export function winRateChart(pairs: PairwiseReport[]): TemplateResult | typeof nothing {
  if (pairs.length === 0) return nothing;
  const rowH = 28;
  const left = 200;
  const width = W - left - 8;
  const h = pairs.length * rowH + 8;
  return html`<figure class="chart">
    <svg
      viewBox="0 0 ${W} ${h}"
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
        const top = 4 + i * rowH;
        if (p.rates.n === 0) {
          return svg`<g>
            <title>${p.a} vs ${p.b}</title>
            <text class="tick" x=${left - 8} y=${top + 15} text-anchor="end">${pairName(p.a, p.b)}</text>
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
          <text class="tick" x=${left - 8} y=${top + 15} text-anchor="end">${pairName(p.a, p.b)}</text>
          ${segs.map(([name, r, color]) => {
            const w = r * width;
            const seg = svg`<rect x=${x} y=${top} width=${w} height=${rowH - 8} fill=${color}><title>${name} ${pct(r)}</title></rect>
              ${w > 30 ? svg`<text class="seg" x=${x + w / 2} y=${top + 14} text-anchor="middle">${pct(r)}</text>` : nothing}`;
            x += w;
            return seg;
          })}
          ${
            p.rates.n > 0
              ? svg`<line class="whisker" x1=${left + p.rates.win.ci.lo * width} x2=${left + p.rates.win.ci.hi * width} y1=${top + rowH - 6} y2=${top + rowH - 6}></line>`
              : nothing
          }
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
