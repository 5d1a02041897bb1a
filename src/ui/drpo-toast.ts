/** Short, self-dismissing messages (copy feedback, saved, ...). Announced politely to screen readers. */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

interface ToastItem {
  id: number;
  message: string;
  kind: 'info' | 'error';
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

  show(message: string, kind: 'info' | 'error' = 'info'): void {
    const id = this.nextId++;
    this.items = [...this.items, { id, message, kind }].slice(-3);
    setTimeout(() => (this.items = this.items.filter((t) => t.id !== id)), this.duration);
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
