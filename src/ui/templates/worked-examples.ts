/**
 * An alignment's worked examples, folded, as the Result view shows them for its result and for the closest
 * candidate of a run that found no improvement: a reader who is told "with 2 worked examples per question"
 * must be able to read them. Render inside a host with `workedExamplesStyles`.
 */
import { css, html, nothing } from 'lit';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { inferenceExamples } from '../../core/words/verdict-text';

export const workedExamplesStyles = css`
  .examples li {
    margin-bottom: 8px;
  }
  .examples pre.prompt {
    max-height: 200px;
  }
`;

/** Nothing when the alignment has no examples. */
export function workedExamples(a: Pick<AlignmentArtifact, 'icl' | 'examplesPerQuery' | 'settings'>) {
  if (!a.icl.length) return nothing;
  return html`<details data-examples>
    <summary>
      <strong>Worked examples (${a.icl.length})</strong>
      <span class="muted small">· ${inferenceExamples(a)} retrieved per question</span>
    </summary>
    <ol class="examples">
      ${a.icl.map(
        // A long answer scrolls in its box: focusable, so a keyboard can scroll it too.
        (e, i) =>
          html`<li>
            <strong>${e.query}</strong>
            <pre class="prompt" tabindex="0" aria-label="Answer to example ${i + 1}">${e.answer}</pre>
          </li>`,
      )}
    </ol>
  </details>`;
}
