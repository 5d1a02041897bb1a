/** The faults of a run or an evaluation, as a note: one line per kind of fault, then what to do about them. */
import { html, nothing } from 'lit';
import type { FaultSummary } from '../../core/calls/fault-summary';

export function faultNote(f: FaultSummary, what: 'run' | 'evaluation') {
  if (f.lines.length === 0) return nothing;
  return html`<div class="warn-box small" role="note" data-faults>
    <strong>Faults during the ${what}</strong>
    <ul>
      ${f.lines.map((l) => html`<li>${l}</li>`)}
    </ul>
    ${f.hints.map((h) => html`<p><strong>Hint:</strong> ${h}</p>`)}
  </div>`;
}
