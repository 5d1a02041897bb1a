/**
 * Short, self-dismissing messages (copy feedback, saved, ...). Announced politely to screen readers.
 * Never over a field or the focused control: shown at the bottom of the window unless that covers an input, a
 * text area or a select (the Playground's message box sits there), or the control the keyboard is on (the Copy
 * button just pressed, low on a phone's screen), else where none is; re-placed while the page scrolls and as
 * focus moves.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { deepActiveElement } from '../helpers/focus';

interface ToastItem {
  id: number;
  message: string;
  kind: 'info' | 'error';
}

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
      window.addEventListener('focusin', this.replace, { passive: true });
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
    window.removeEventListener('focusin', this.replace);
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

  /**
   * At the bottom unless that covers a field (or the focused control); then at the top, or else just above or
   * below one, the first height where none is under the toast (it stays at the bottom if there is none).
   */
  private place(): void {
    this.style.top = '';
    this.style.bottom = '';
    const fields = fieldRects();
    // The focused control too: a keyboard user must see where they are (a field is in the list already).
    const focused = deepActiveElement();
    if (focused && focused !== document.body) {
      const r = focused.getBoundingClientRect();
      const visible = r.width > 1 && r.height > 1;
      // A visually hidden input (a file picker's: its label is the button the user sees) stands for its label.
      const seen = visible ? r : (focused as HTMLInputElement).labels?.[0]?.getBoundingClientRect();
      // A visible field is in the list already.
      if (seen && !(visible && focused.matches(FIELDS))) fields.push(seen);
    }
    const box = this.getBoundingClientRect();
    const h = box.height;
    const vh = window.innerHeight;
    const across = fields.filter((f) => box.left < f.right && f.left < box.right);
    const free = (y: number) => across.every((f) => !(y < f.bottom && f.top < y + h));
    const bottom = vh - 16 - h;
    const candidates = [bottom, 72, ...across.flatMap((f) => [f.top - h - 8, f.bottom + 8]).sort((a, b) => b - a)];
    const y = candidates.find((c) => c >= 8 && c + h <= vh - 8 && free(c));
    if (y === undefined || y === bottom) return;
    this.style.top = `${Math.round(y)}px`;
    this.style.bottom = 'auto';
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
