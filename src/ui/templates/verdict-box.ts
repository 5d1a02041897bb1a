/**
 * The verdict of a run, as the Result view and the share page show it: the heading in bold, the sentence
 * from core/words/verdict-text (one wording), and any caveat. Render inside a host with `verdictStyles`.
 * A sentence with a "±" has a line under it that says what it is (a standard error, not a 95% range as in
 * Evaluate): a tooltip alone left it to those who hover.
 */
import { css, html, nothing } from 'lit';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { PLUS_MINUS_LABEL, describeVerdict, saysPlusMinus } from '../../core/words/verdict-text';
import type { StoppedBy, VerdictAudience } from '../../core/words/verdict-text';

export const verdictStyles = css`
  .verdict {
    border-left: 4px solid var(--drpo-border);
    background: var(--drpo-surface-2);
    padding: 8px 12px;
    border-radius: 4px;
  }
  .verdict p {
    margin: 0;
  }
  .verdict-improved {
    border-left-color: var(--drpo-ok);
  }
  .verdict-no-improvement {
    border-left-color: var(--drpo-warn);
    background: var(--drpo-warn-bg);
  }
`;

export function verdictBox(a: AlignmentArtifact, audience: VerdictAudience = 'owner', stoppedBy?: StoppedBy) {
  const v = describeVerdict(a, audience, 'page', stoppedBy);
  const lead = v.lead;
  const examples =
    a.outcome && a.icl.length === 0 && a.examplesPerQuery === 0 && v.kind === 'improved'
      ? html`<p class="small muted">Ships without worked examples: they did not help on the held-out questions.</p>`
      : nothing;
  // The CLI's sentence may open with the lead itself ("No improvement found: …"): said once, in bold.
  const rest = v.sentence.startsWith(`${lead}:`) ? v.sentence.slice(lead.length + 1) : null;
  const body = rest !== null ? html`<strong>${lead}:</strong>${rest}` : html`<strong>${lead}.</strong> ${v.sentence}`;
  return html`<div class="verdict verdict-${v.kind}" data-outcome=${v.kind}>
    <p>${body}</p>
    ${saysPlusMinus(v.sentence) ? html`<p class="small muted" data-plus-minus>${PLUS_MINUS_LABEL}</p>` : nothing}
    ${v.caveat ? html`<p class="small muted verdict-caveat">${v.caveat}</p>` : nothing} ${examples}
  </div>`;
}
