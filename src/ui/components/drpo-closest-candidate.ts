/**
 * Under a "no improvement" verdict: the candidate that came closest, what it changed (its prompt, and its
 * worked examples folded), how close it came, and what a user can do with it (try it side by side, evaluate
 * it on more questions, copy it). The result itself stays the starting prompt; this only hands the near miss
 * over. Properties down, events up (`candidate-requested`): the Result view owns the playground hand-over,
 * the store and the clipboard.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import { closestCandidate } from '../../core/formats/closest-candidate';
import {
  describeVerdict,
  examplesPhrase,
  inferenceExamples,
  isStartingPrompt,
  startingPrompt,
} from '../../core/words/verdict-text';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { workedExamples, workedExamplesStyles } from '../templates/worked-examples';
import './drpo-prompt-diff';

/** `candidate-requested`: what the user wants done with the candidate (as an alignment of its own). */
export interface CandidateRequest {
  action: 'try' | 'evaluate' | 'copy';
  candidate: AlignmentArtifact;
}

@customElement('drpo-closest-candidate')
export class DrpoClosestCandidate extends LitElement {
  static override styles = [
    baseStyles,
    workedExamplesStyles,
    css`
      summary {
        cursor: pointer;
      }
      details[open] > summary {
        margin-bottom: 8px;
      }
    `,
  ];

  /** The run's result (a "no-improvement" alignment); renders nothing unless it names a candidate. */
  @property({ attribute: false }) artifact: AlignmentArtifact | null = null;
  /** Whether the page can store it (Evaluate needs a stored alignment). */
  @property({ attribute: false }) canSave = false;
  /**
   * Starts open, with focus on "Evaluate it against your prompt" (else on the summary) once it is drawn: a link
   * that leads to that button (Evaluate's note) must not leave it folded away.
   */
  @property({ attribute: false }) open = false;
  /** The open request was met (focus given once: a later render must not take focus back). */
  private opened = false;

  protected override updated(): void {
    if (!this.open || this.opened) return;
    const details = this.renderRoot.querySelector('details');
    if (!details) return;
    this.opened = true;
    const evaluate = this.renderRoot.querySelector<HTMLButtonElement>('[data-evaluate]');
    (evaluate && !evaluate.disabled ? evaluate : details.querySelector('summary'))?.focus();
  }

  private request(action: CandidateRequest['action'], candidate: AlignmentArtifact): void {
    this.dispatchEvent(
      new CustomEvent<CandidateRequest>('candidate-requested', {
        detail: { action, candidate },
        bubbles: true,
        composed: true,
      }),
    );
  }

  override render() {
    const c = this.artifact ? closestCandidate(this.artifact) : null;
    if (!c) return nothing;
    const start = startingPrompt(c) ?? null;
    const k = inferenceExamples(c);
    const withExamples = k > 0 ? `, with ${examplesPhrase(k)}` : '';
    const same = isStartingPrompt(c);
    return html`<details class="closest" ?open=${this.open}>
      <summary>
        <strong>The closest candidate</strong>
        <span class="muted small">${same ? 'your prompt' : 'a rewrite'}${withExamples}</span>
      </summary>
      <div class="stack">
        <p class="small">${describeVerdict(c).sentence}</p>
        ${
          same
            ? html`<pre class="prompt">${c.systemPrompt}</pre>`
            : html`<drpo-prompt-diff
                .previous=${start}
                .prompt=${c.systemPrompt}
                against="your starting prompt"
              ></drpo-prompt-diff>`
        }
        ${workedExamples(c)}
        <div class="row" role="group" aria-label="Use the closest candidate">
          <button @click=${() => this.request('try', c)}>Try it in the playground</button>
          <button data-evaluate ?disabled=${!this.canSave} @click=${() => this.request('evaluate', c)}>
            Evaluate it against your prompt
          </button>
          ${same ? nothing : html`<button @click=${() => this.request('copy', c)}>Copy its prompt</button>`}
        </div>
        <!-- Evaluate needs a stored alignment: said before the press, so a new row in History is no surprise. -->
        ${
          this.canSave
            ? html`<p class="small muted" data-saves>
                Evaluate saves it to your alignments (History, Playground, Evaluate) as “${c.name}”.
              </p>`
            : nothing
        }
      </div>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-closest-candidate': DrpoClosestCandidate;
  }
}
