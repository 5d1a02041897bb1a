/**
 * <drpo-eval-results>: shows an EvalReport — a warning in words when an alignment scored below what it
 * should beat, the per-aspect chart, the numbers table (interval under each mean so it fits the page),
 * pairwise rates ("no valid judgements" rather than an empty interval), a per-query drill-down (answers
 * as sanitized markdown, judge reasons) and JSON/CSV export.
 */
import { downloadJson, downloadText, safeFileName } from '../helpers/download';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { toCsv } from '../../core/eval/report/report-csv';
import type { CandidateReport, EvalReport, MeanCI, PairVerdict } from '../../core/eval/eval-types';
import { baseStyles } from '../app/styles';
import { aspectChart, CHART_WIDTH, winRateChart } from '../templates/eval-charts';
import { OverflowController, SizeController } from '../controllers/size-controller';
import { safeMarkdown } from '../templates/safe-markdown';
import { UNCHANGED_WORDS } from '../../core/eval/report/compare';
import {
  belowNotes,
  unchangedNotes,
  unconfirmedGainNotes,
  intervalNote,
  noIntervalNotes,
  otherScaleNote,
  queriesLine,
  scoresLegend,
  orderDisagreementNotes,
  sameAsNotes,
  scoredCell,
} from '../../core/eval/report/report-table';

/**
 * Mean over its interval (or why it has none, as `drpo eval` says it) on a second line: two short lines keep the
 * table within the page at 1440 px.
 */
function cell(m: MeanCI | undefined) {
  if (!m || m.mean === null) return html`<span class="muted" title="no valid judgements">—</span>`;
  return html`${m.mean.toFixed(2)}<span class="ci">${intervalNote(m)}</span>`;
}

/**
 * A row's name, with under it what else it is (no space around: the name reads exactly): the starting prompt
 * unchanged, and the row it is the same prompt as.
 */
function rowName(c: CandidateReport) {
  return html`${c.label}${c.unchanged ? html`<span class="ci">${UNCHANGED_WORDS}</span>` : nothing}${
    c.sameAs === undefined ? nothing : html`<span class="ci">the same prompt as ${c.sameAs}</span>`
  }`;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A table's header row: one column header per name. */
function headerRow(names: readonly string[]) {
  return html`<tr>
    ${names.map((n) => html`<th scope="col">${n}</th>`)}
  </tr>`;
}

@customElement('drpo-eval-results')
export class DrpoEvalResults extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .report {
        position: relative;
      }
      .report-width {
        position: absolute;
        top: 0;
        left: 0;
        right: 0;
        height: 0;
      }
      /*
       * A table wider than the report (a phone) scrolls sideways inside its box, its first column (the names) stays
       * in place, and a shadow at the right edge shows there is more until the end is reached (the shadow is fixed
       * to the box, the cover that hides it moves with the table: the usual scroll-shadow pair of backgrounds).
       */
      .table-wrap {
        overflow-x: auto;
        background:
          linear-gradient(to left, var(--drpo-surface) 40%, transparent) right center / 32px 100% no-repeat local,
          radial-gradient(farthest-side at 100% 50%, color-mix(in srgb, var(--drpo-fg) 25%, transparent), transparent)
            right center / 14px 100% no-repeat scroll;
      }
      th:first-child {
        position: sticky;
        left: 0;
        z-index: 1;
        background: var(--drpo-surface);
      }
      .table-wrap[data-overflows] th:first-child {
        box-shadow: 4px 0 4px -3px color-mix(in srgb, var(--drpo-fg) 30%, transparent);
      }
      .scroll-hint {
        margin-bottom: -4px;
      }
      .ci {
        display: block;
        font-size: 0.78rem;
        color: var(--drpo-muted);
      }
      thead th {
        white-space: normal;
        vertical-align: bottom;
      }
      table {
        /* Separate borders: a collapsed border belongs to the table, and stays behind when its sticky cell sticks. */
        border-collapse: separate;
        border-spacing: 0;
        width: 100%;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        text-align: right;
        padding: 6px 8px;
        border-bottom: 1px solid var(--drpo-border);
        white-space: nowrap;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      /* A candidate's name wraps: long names on one line pushed the last columns behind a sideways scroll. */
      tbody th {
        white-space: normal;
        min-width: 14ch;
        overflow-wrap: anywhere;
      }
      .chart svg {
        width: 100%;
        height: auto;
      }
      .chart {
        margin: 0;
      }
      .grid {
        stroke: var(--drpo-border);
      }
      .whisker {
        stroke: var(--drpo-fg);
        stroke-width: 1.5;
      }
      .tick {
        fill: var(--drpo-muted);
        font-size: 11px;
      }
      .seg {
        fill: #fff;
        font-size: 11px;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        font-size: 0.875rem;
      }
      .legend i {
        display: inline-block;
        width: 10px;
        height: 10px;
        margin-right: 4px;
        border-radius: 2px;
      }
      .answers {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
        gap: 12px;
      }
      .answer {
        border: 1px solid var(--drpo-border);
        border-radius: 6px;
        padding: 12px;
        overflow-wrap: anywhere;
      }
      .answer ul.scores {
        padding-left: 18px;
        margin: 8px 0 0;
      }
    `,
  ];

  @property({ attribute: false }) report: EvalReport | null = null;
  /** The stored evaluation's name, for the exported files' names ("drpo-eval" without one). */
  @property({ attribute: false }) fileName = '';

  /** An older report opened from Saved evaluations exports under its own name, not over the newest's file. */
  private exportName(ext: 'json' | 'csv'): string {
    return this.fileName ? safeFileName(this.fileName, ext) : `drpo-eval.${ext}`;
  }
  @state() private queryId = '';
  /**
   * The report's width: the charts are laid out for it, so their labels keep their size on a phone. Read from an
   * empty line across the report, whose size the charts cannot change (the report's own height changes with each
   * layout, which would notify the observer again in the same frame: a "ResizeObserver loop" error).
   */
  private readonly width = new SizeController(this, '.report-width', 'width', CHART_WIDTH);
  /** The tables wider than the report: each says it scrolls sideways. */
  private readonly overflow = new OverflowController(this, '.table-wrap');

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const aspects = [...new Set(r.candidates.flatMap((c) => c.aspects.map((a) => a.aspect)))];
    const otherScale = otherScaleNote(r);
    return html`<section class="stack report" aria-label="Evaluation results">
      <div class="row">
        <h3>Results</h3>
        <span class="muted small" data-queries
          >${queriesLine(r)} · policy ${r.policy.id} · judge ${r.judge.id} · answers up to ${r.settings.maxTokens}
          tokens · ${new Date(r.createdAt).toLocaleString()}</span
        >
        ${r.complete ? nothing : html`<span class="badge warn">stopped early: partial results</span>`}
      </div>
      ${this.renderWarnings(r)} ${aspectChart(r.candidates, this.width.value)}
      <p class="muted small" style="margin:0" data-scores-legend>${scoresLegend(r)}</p>
      ${this.scrollBox(
        'scores',
        'Scores per aspect',
        html`<table class="scores">
          <caption class="visually-hidden">
            Mean score 1–5 per aspect with 95% bootstrap interval
          </caption>
          <thead>
            ${headerRow(['Candidate', ...aspects, 'Overall', 'Scored', 'Parse failures'])}
          </thead>
          <tbody>
            ${r.candidates.map(
              (c) =>
                html`<tr>
                  <th scope="row">${rowName(c)}</th>
                  ${aspects.map((a) => html`<td>${cell(c.aspects.find((x) => x.aspect === a))}</td>`)}
                  <td><strong>${cell(c.overall)}</strong></td>
                  <td class=${c.rows.length === 0 ? 'muted' : ''}>${scoredCell(r, c)}</td>
                  <td>${c.counts.parseFailures}</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
      ${this.renderNotes(noIntervalNotes(r), 'data-no-interval')} ${this.renderNotes(sameAsNotes(r), 'data-same-as')}
      ${this.renderNotes(otherScale ? [otherScale] : [], 'data-other-scale')} ${this.renderPairwise(r)}
      ${this.renderDrill(r)}
      <div class="row">
        <button @click=${() => downloadJson(r, this.exportName('json'))}>Export JSON</button>
        <button @click=${() => downloadText(toCsv(r), this.exportName('csv'), 'text/csv')}>Export CSV</button>
      </div>
      <div class="report-width" aria-hidden="true"></div>
    </section>`;
  }

  /**
   * A table in a region that scrolls sideways when wider than the report (a phone), its row names sticky;
   * then a hint above says its other columns are a scroll away. Focusable so a keyboard can scroll it.
   */
  private scrollBox(key: 'scores' | 'pairwise', label: string, table: TemplateResult) {
    const overflows = this.overflow.overflowing.has(key);
    return html`${
        overflows
          ? html`<p class="muted small scroll-hint" data-scroll-hint=${key}>
              Scroll the table sideways for its other columns →
            </p>`
          : nothing
      }
      <div
        class="table-wrap"
        data-scroll=${key}
        ?data-overflows=${overflows}
        role="region"
        aria-label=${label}
        tabindex="0"
      >
        ${table}
      </div>`;
  }

  /**
   * In words: an alignment that is its starting prompt unchanged scores as that prompt, not as a gain of its run;
   * one that scored below its starting prompt (or the baseline) is not an improvement here, and one that scored
   * above it by a gap that may be noise is not a confirmed one (the Result sends users here for that).
   */
  private renderWarnings(r: EvalReport) {
    const below = belowNotes(r);
    const unconfirmed = unconfirmedGainNotes(r);
    const unchanged = unchangedNotes(r);
    // First: a row that is the starting prompt unchanged, before any comparison could be read as the run's gain.
    return html`${
      unchanged.length
        ? html`<div class="warn-box" role="note" data-unchanged>
            ${unchanged.map((b) => html`<p style="margin:0">${b}</p>`)}
          </div>`
        : nothing
    }${
      below.length
        ? html`<div class="warn-box" role="note" data-below>
            ${below.map((b) => html`<p style="margin:0">${b}</p>`)}
          </div>`
        : nothing
    }${
      unconfirmed.length
        ? html`<div class="warn-box" role="note" data-unconfirmed>
            ${unconfirmed.map((b) => html`<p style="margin:0">${b}</p>`)}
          </div>`
        : nothing
    }`;
  }

  /**
   * A block of notes under the table, marked by `attr` (tests and styles find each kind by it): what "(n = 1)" and
   * "(no spread)" mean (data-no-interval), and rows that are the same prompt as another, why their numbers match
   * and why they are not compared (data-same-as), and why a starting prompt's score is not the Result's
   * (data-other-scale).
   */
  private renderNotes(
    notes: readonly string[],
    attr: 'data-no-interval' | 'data-same-as' | 'data-other-scale' | 'data-order-disagreements',
  ) {
    if (!notes.length) return nothing;
    return html`<div
      class="muted small"
      role="note"
      ?data-no-interval=${attr === 'data-no-interval'}
      ?data-same-as=${attr === 'data-same-as'}
      ?data-other-scale=${attr === 'data-other-scale'}
      ?data-order-disagreements=${attr === 'data-order-disagreements'}
    >
      ${notes.map((n) => html`<p style="margin:0">${n}</p>`)}
    </div>`;
  }

  private renderPairwise(r: EvalReport) {
    if (r.pairwise.length === 0) return nothing;
    return html`<h3>Pairwise</h3>
      <p class="muted small">Each pair judged twice with the answers swapped; a disagreement counts as a tie.</p>
      ${this.scrollBox(
        'pairwise',
        'Pairwise win rates',
        html`<table class="pairwise">
          <caption class="visually-hidden">
            Win, tie and loss rates of each pair (the first named against the second), the win rate with its 95%
            interval
          </caption>
          <thead>
            ${headerRow(['Pair', 'Win [95% CI]', 'Tie', 'Loss', 'n', 'Parse failures'])}
          </thead>
          <tbody>
            ${r.pairwise.map(
              (p) =>
                html`<tr>
                  <th scope="row">${p.a} vs ${p.b}</th>
                  ${
                    p.rates.n === 0
                      ? html`<td colspan="3" class="muted" data-no-judgements>
                          no valid judgements (every verdict failed to parse)
                        </td>`
                      : html`<td>
                            ${pct(p.rates.win.rate)}
                            <span class="ci">[${pct(p.rates.win.ci.lo)}–${pct(p.rates.win.ci.hi)}]</span>
                          </td>
                          <td>${pct(p.rates.tie.rate)}</td>
                          <td>${pct(p.rates.loss.rate)}</td>`
                  }
                  <td>${p.rates.n}</td>
                  <td>${p.parseFailures}</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
      ${this.renderNotes(orderDisagreementNotes(r), 'data-order-disagreements')}
      ${winRateChart(r.pairwise, this.width.value)}`;
  }

  private renderDrill(r: EvalReport) {
    const first = r.candidates[0]?.rows ?? [];
    if (first.length === 0) return nothing;
    const id = first.some((row) => row.queryId === this.queryId) ? this.queryId : first[0].queryId;
    const query = first.find((row) => row.queryId === id);
    const pairRows = r.pairwise.flatMap((p) => p.rows.filter((x) => x.queryId === id).map((x) => ({ p, x })));
    return html`<h3>Per query</h3>
      <div class="field">
        <label for="query-pick">Query</label>
        <select id="query-pick" @change=${(e: Event) => (this.queryId = (e.target as HTMLSelectElement).value)}>
          ${first.map(
            (row, i) =>
              html`<option value=${row.queryId} ?selected=${row.queryId === id}>
                ${i + 1}. ${row.query.slice(0, 90)}${row.kind === 'unsafe' ? ' (unsafe)' : ''}
              </option>`,
          )}
        </select>
      </div>
      <p><strong>Query:</strong> ${query?.query}</p>
      <div class="answers">
        ${r.candidates.map((c) => {
          const row = c.rows.find((x) => x.queryId === id);
          if (!row) return nothing;
          return html`<article class="answer" aria-label=${`Answer of ${c.label}`}>
            <h4>
              ${c.label}
              <span class="badge">${row.mean === null ? 'not scored' : row.mean.toFixed(2)}</span>
              ${row.finishReason === 'length' ? html`<span class="badge warn">cut off</span>` : nothing}
            </h4>
            <div class="md">${safeMarkdown(row.answer)}</div>
            ${
              row.parseError
                ? html`<p class="error small">Judge output not usable: ${row.parseError}</p>`
                : html`<ul class="scores small">
                    ${row.scores.map((s) => html`<li><strong>${s.aspect} ${s.score}</strong> — ${s.rationale}</li>`)}
                  </ul>`
            }
          </article>`;
        })}
      </div>
      ${pairRows.map(
        ({ p, x }) =>
          html`<p class="small">
            <strong>${p.a} vs ${p.b}:</strong> ${x.outcome ?? 'not judged'} (judged
            ${judgedSide(x.verdicts[0], p.a, p.b)}, then ${judgedSide(x.verdicts[1], p.b, p.a)} with the answers
            swapped) — ${x.rationales[0]}
          </p>`,
      )}`;
  }
}

/**
 * One pairwise judgement in the candidates' names: the judge's `A` is the answer it was shown first (`first`),
 * `B` the other. The raw letters read wrongly: `A / A` is a disagreement (a tie), `B / A` a consistent preference.
 */
function judgedSide(verdict: PairVerdict | null, first: string, second: string): string {
  if (verdict === null) return 'unreadable';
  if (verdict === 'tie') return 'a tie';
  return `“${verdict === 'A' ? first : second}” better`;
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-eval-results': DrpoEvalResults;
  }
}
