/**
 * Short, self-dismissing messages (copy feedback, saved, ...). Announced politely to screen readers.
 * Never over a field: shown at the bottom of the window unless that covers an input, a text area or a
 * select (the Playground's message box sits there), then at the top; re-placed while the page scrolls.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

interface ToastItem {
  id: number;
  message: string;
  kind: 'info' | 'error';
}

type Placement = 'bottom' | 'top';

const FIELDS = 'input:not([type=hidden]), textarea, select';

/** Every visible form field, through open shadow roots (the views are components). */
export function fieldRects(root: Document | ShadowRoot = document, out: DOMRect[] = []): DOMRect[] {
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (el.matches(FIELDS)) {
      const r = el.getBoundingClientRect();
      if (r.width > 1 && r.height > 1) out.push(r);
    }
    if (el.shadowRoot) fieldRects(el.shadowRoot, out);
  }
  return out;
}

function overlaps(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

@customElement('drpo-toast')
export class DrpoToast extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      bottom: 16px;
      left: 50%;
      transform: translateX(-50%);
      z-index: 100;
      display: flex;
      flex-direction: column;
      gap: 8px;
      align-items: center;
      pointer-events: none;
      width: max-content;
      max-width: calc(100vw - 32px);
    }
    :host([placement='top']) {
      bottom: auto;
      top: 72px;
    }
    .toast {
      pointer-events: auto;
      background: var(--drpo-fg);
      color: var(--drpo-bg);
      padding: 8px 16px;
      border-radius: 6px;
      box-shadow: var(--drpo-shadow);
      font-family: var(--drpo-font);
      font-size: 0.95rem;
    }
    .toast.error {
      background: var(--drpo-danger);
      color: #fff;
    }
  `;

  /** How long a message stays (ms). */
  duration = 3500;
  @property({ reflect: true }) placement: Placement = 'bottom';
  @state() private items: ToastItem[] = [];
  private nextId = 1;
  private listening = false;

  show(message: string, kind: 'info' | 'error' = 'info'): void {
    const id = this.nextId++;
    this.items = [...this.items, { id, message, kind }].slice(-3);
    setTimeout(() => {
      this.items = this.items.filter((t) => t.id !== id);
      if (!this.items.length) this.stopListening();
    }, this.duration);
    if (!this.listening) {
      this.listening = true;
      window.addEventListener('scroll', this.replace, { passive: true, capture: true });
      window.addEventListener('resize', this.replace, { passive: true });
    }
    void this.updateComplete.then(() => this.place());
  }

  override disconnectedCallback(): void {
    this.stopListening();
    super.disconnectedCallback();
  }

  private stopListening(): void {
    if (!this.listening) return;
    this.listening = false;
    window.removeEventListener('scroll', this.replace, { capture: true });
    window.removeEventListener('resize', this.replace);
  }

  private frame = 0;

  /** At most once a frame while the page scrolls (the field scan walks the whole page). */
  private readonly replace = (): void => {
    if (!this.items.length || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.place();
    });
  };

  /** The first placement that covers no field (bottom preferred), else the one covering fewer. */
  private place(): void {
    const fields = fieldRects();
    const covered = (p: Placement): number => {
      this.placement = p;
      // Reflect now so the rect below is measured at this placement.
      this.setAttribute('placement', p);
      const box = this.getBoundingClientRect();
      return fields.filter((f) => overlaps(box, f)).length;
    };
    const bottom = covered('bottom');
    if (bottom === 0) return;
    const top = covered('top');
    if (top > bottom) covered('bottom');
  }

  override render() {
    return html`<div role="status" aria-live="polite">
      ${this.items.map((t) => html`<div class="toast ${t.kind}">${t.message}</div>`)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-toast': DrpoToast;
  }
}
