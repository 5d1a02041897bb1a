/**
 * The prompt a run started from, beside a result that differs from it (Result, the share page): a verdict
 * says "3.53 vs 3.19 for the starting prompt", and the reader must be able to see which prompt that was.
 * Open when short; folded when long, so a long prompt does not push the result's own actions away.
 */
import { html, nothing } from 'lit';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { isStartingPrompt, startingPrompt } from '../../core/words/verdict-text';
import { plural } from '../../core/words/list-words';

/** Longer than this many characters or lines, the starting prompt starts folded. */
const OPEN_CHARS = 280;
const OPEN_LINES = 5;

/** Nothing when the file does not say, or when the alignment is the starting prompt (shown already). */
export function startingPromptBlock(a: Pick<AlignmentArtifact, 'initialPrompt' | 'lineage' | 'systemPrompt'>) {
  const start = startingPrompt(a);
  if (start === undefined || isStartingPrompt(a)) return nothing;
  const long = start.length > OPEN_CHARS || start.split('\n').length > OPEN_LINES;
  const words = start.split(/\s+/).filter(Boolean).length;
  return html`<details class="starting-prompt" data-starting-prompt ?open=${!long}>
    <summary>
      <strong>Starting prompt</strong>
      <span class="muted small">what the run started from${long ? ` · ${plural(words, 'word')}` : ''}</span>
    </summary>
    <pre class="prompt">${start}</pre>
  </details>`;
}
