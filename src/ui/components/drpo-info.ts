/**
 * A small "?" button that explains one term of the reward vocabulary (glossary.ts) in a popover.
 * Keyboard: Enter/Space opens, Escape closes and returns focus; the text is linked as the button's
 * description so screen readers hear it without opening.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import { TERM_LABELS, explain } from '../view-models/glossary';
import type { GlossaryFacts, Term } from '../view-models/glossary';

let nextId = 0;

@customElement('drpo-info')
export class DrpoInfo extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
        position: relative;
        vertical-align: middle;
      }
      button {
        min-height: 24px;
        min-width: 24px;
        padding: 0 6px;
        border-radius: 12px;
        font-size: 0.8rem;
        line-height: 1;
      }
      .pop {
        position: absolute;
        z-index: 20;
        top: calc(100% + 4px);
        left: 0;
        width: min(300px, calc(100vw - 2rem));
        background: var(--drpo-surface);
        color: var(--drpo-fg);
        border: 1px solid var(--drpo-border);
        border-radius: 6px;
        box-shadow: var(--drpo-shadow);
        padding: 8px 10px;
        font-size: 0.85rem;
        font-weight: normal;
        text-align: left;
        white-space: normal;
      }
    `,
  ];

  @property() term: Term = 'score';
  @property({ attribute: false }) settings: GlossaryFacts | undefined = undefined;
  @state() private open = false;
  private readonly tipId = `info-${++nextId}`;

  override render() {
    const text = explain(this.term, this.settings);
    return html`<button
        type="button"
        aria-label="What is “${TERM_LABELS[this.term]}”?"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-describedby=${this.tipId}
        @click=${() => (this.open = !this.open)}
        @keydown=${this.onKey}
        @blur=${() => (this.open = false)}
      >
        ?
      </button>
      <span id=${this.tipId} class=${this.open ? 'pop' : 'visually-hidden'} role=${this.open ? 'tooltip' : nothing}
        >${text}</span
      >`;
  }

  /** Opened near the right edge (a phone), the popover is moved left so all of it stays on screen. */
  protected override updated(changed: PropertyValues): void {
    const pop = changed.has('open') && this.open ? this.renderRoot.querySelector<HTMLElement>('.pop') : null;
    if (!pop) return;
    pop.style.left = '0px';
    const margin = 8;
    const r = pop.getBoundingClientRect();
    const over = r.right - (document.documentElement.clientWidth - margin);
    if (over > 0) pop.style.left = `${-Math.min(over, r.left - margin)}px`;
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.open) {
      e.stopPropagation();
      this.open = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-info': DrpoInfo;
  }
}
