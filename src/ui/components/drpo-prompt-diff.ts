/**
 * A prompt with a word-level diff against an earlier one (its parent, unless `against` names another).
 * Insertions are underlined and prefixed
 * with "+", deletions struck through and prefixed with "−", and both carry hidden words for
 * screen readers, so nothing relies on colour alone.
 */
import { LitElement, css, html } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import { diffStats, wordDiff } from '../helpers/word-diff';
import type { DiffSegment } from '../helpers/word-diff';

@customElement('drpo-prompt-diff')
export class DrpoPromptDiff extends LitElement {
  static override styles = [
    baseStyles,
    css`
      ins {
        text-decoration: underline;
        text-decoration-thickness: 2px;
        background: color-mix(in srgb, var(--drpo-ok) 18%, transparent);
        color: inherit;
      }
      del {
        text-decoration: line-through;
        background: color-mix(in srgb, var(--drpo-danger) 16%, transparent);
        color: inherit;
      }
      .sym {
        font-weight: 700;
      }
      ins .sym {
        color: var(--drpo-ok);
      }
      del .sym {
        color: var(--drpo-danger);
      }
      .bar {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        margin-bottom: 6px;
      }
    `,
  ];

  /** The prompt to compare with (the parent's by default); null for the root (nothing to compare). */
  @property({ attribute: false }) previous: string | null = null;
  /** What `previous` is, as the counts name it: "+6 words, −5 words vs. its parent". */
  @property() against = 'its parent';
  @property({ attribute: false }) prompt = '';
  /** Start in diff mode (true) or show the plain prompt. */
  @property({ type: Boolean, attribute: 'show-diff' }) showDiff = true;
  @state() private segments: DiffSegment[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('previous') || changed.has('prompt')) && this.previous !== null) {
      this.segments = wordDiff(this.previous, this.prompt);
    }
  }

  override render() {
    const hasParent = this.previous !== null;
    const unchanged = hasParent && this.previous === this.prompt;
    const st = hasParent ? diffStats(this.segments) : null;
    return html`<div class="bar">
        ${
          hasParent
            ? html`<button
                  aria-pressed=${this.showDiff ? 'true' : 'false'}
                  @click=${() => (this.showDiff = !this.showDiff)}
                >
                  ${this.showDiff ? 'Show plain prompt' : 'Show changes'}
                </button>
                <span class="small muted"
                  >${unchanged ? `Unchanged from ${this.against}` : `+${st!.inserted} words, −${st!.deleted} words vs. ${this.against}`}</span
                >`
            : html`<span class="small muted">Starting prompt</span>`
        }
      </div>
      <pre class="prompt" aria-label=${hasParent && this.showDiff ? 'Prompt with changes marked' : 'Prompt'}>
${hasParent && this.showDiff && !unchanged ? this.segments.map(renderSegment) : this.prompt}</pre>`;
  }
}

function renderSegment(s: DiffSegment) {
  if (s.op === 'equal') return s.text;
  if (s.op === 'insert') {
    return html`<ins
      ><span class="visually-hidden">[added: </span><span class="sym" aria-hidden="true">+</span>${s.text}<span
        class="visually-hidden"
        >]</span
      ></ins
    >`;
  }
  return html`<del
    ><span class="visually-hidden">[removed: </span><span class="sym" aria-hidden="true">−</span>${s.text}<span
      class="visually-hidden"
      >]</span
    ></del
  >`;
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-prompt-diff': DrpoPromptDiff;
  }
}
