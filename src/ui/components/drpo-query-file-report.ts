/**
 * What reading a query file kept and left out: "mine.jsonl: kept 3 of 4 queries; skipped 1 duplicate.", the
 * unreadable or empty records with where they were and why, and the warnings (cut queries, changed categories).
 * The Data view and the Evaluate view both read query files, so both show this one report (the CLI prints the same
 * words through skippedInWords). Actions for the file (Save on this device) go in the default slot.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import type { ParseReport } from '../../core/data/parse-queries';
import { skippedInWords } from '../../core/data/skipped-words';
import { formatWholeCount } from '../../core/formats/bytes';

/** Skipped records listed in full up to this many; the rest are counted. */
export const SKIPPED_SHOWN = 20;

@customElement('drpo-query-file-report')
export class DrpoQueryFileReport extends LitElement {
  static override styles = [baseStyles];

  /** The file's name as the user picked it. */
  @property() name = '';
  @property({ attribute: false }) report: ParseReport | null = null;

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const skipped = skippedInWords(r);
    return html`<div role="status" class="stack">
      <p style="margin:0">
        <strong>${this.name}</strong>: kept ${formatWholeCount(r.kept)} of ${formatWholeCount(r.total)}
        queries${skipped ? `; skipped ${skipped}` : ''}.
      </p>
      ${this.renderSkipped(r)}
      ${
        r.warnings.length
          ? html`<div class="warn-box small" data-warnings>
              <ul style="margin:0;padding-left:18px">
                ${r.warnings.map((w) => html`<li>${w}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      <slot></slot>
    </div>`;
  }

  /**
   * Where the unreadable and empty records were, and why: the rest of the file was read without them. Their counts
   * are in the line above, in the file's own unit: lines, or items of a JSON array.
   */
  private renderSkipped(r: ParseReport) {
    const list = r.skipped ?? [];
    if (!list.length) return nothing;
    const shown = list.slice(0, SKIPPED_SHOWN);
    // The report lists only the first skipped records; the counts hold them all.
    const all = Math.max(list.length, r.unreadable + r.emptySkipped);
    return html`<div class="warn-box small" data-skipped>
      <p style="margin:0 0 4px">
        <strong>Skipped ${all === 1 ? `this ${r.unit}` : `these ${r.unit}s`}</strong> (the rest of the file was read):
      </p>
      <ul style="margin:0;padding-left:18px">
        ${shown.map((x) => html`<li>${x.where}: ${x.reason}</li>`)}
      </ul>
      ${all > shown.length ? html`<p style="margin:4px 0 0">…and ${formatWholeCount(all - shown.length)} more.</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-query-file-report': DrpoQueryFileReport;
  }
}
