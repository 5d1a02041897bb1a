/**
 * Page-level error from AppState.error: what happened, what to do, Retry (when a retry action was
 * registered and the error is retryable) and Dismiss. It sits at the top of the page while the control
 * that failed may be far below: a new error is scrolled into view and takes focus, which goes back to
 * where it was when the banner closes (or, if that control is gone or disabled, to the host's fallback).
 */
import { html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DrpoViewBase, errorRetry, setErrorRetry } from './view-base';
import { baseStyles } from './styles';
import { describeError } from '../helpers/error-messages';
import { deepActiveElement, isTextEntry, keepFocus } from '../helpers/focus';

export { setErrorRetry };

@customElement('drpo-error-banner')
export class DrpoErrorBanner extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .banner {
        display: flex;
        gap: 12px;
        align-items: flex-start;
        flex-wrap: wrap;
      }
      .text {
        flex: 1 1 260px;
      }
      .detail {
        font-size: 0.875rem;
        word-break: break-word;
      }
    `,
  ];

  /** Where focus goes on Dismiss when the control that had it is gone or disabled (the app: the view's heading). */
  @property({ attribute: false }) focusFallback: (() => Element | null) | null = null;
  /** The error on show, so only a new one takes focus (not every re-render). */
  private shown: unknown = null;
  /** What had focus when the banner took it: it gets it back on Dismiss or Retry. */
  private returnTo: HTMLElement | null = null;

  protected override updated(): void {
    const err = this.appState?.value.error ?? null;
    if (err && err !== this.shown) {
      const box = this.renderRoot.querySelector<HTMLElement>('.banner');
      const active = deepActiveElement();
      // Someone typing keeps their field (and their place on the page): the alert is still read out, and an
      // error from something running in the background must not take their keystrokes.
      if (!isTextEntry(active)) {
        if (active !== box) this.returnTo = active instanceof HTMLElement && active !== document.body ? active : null;
        // Centred: a sticky header would hide it at the very top.
        box?.scrollIntoView({ block: 'center' });
        box?.focus({ preventScroll: true });
      }
    }
    this.shown = err;
  }

  override render() {
    const err = this.appState?.value.error;
    if (!err) return nothing;
    const words = describeError(err);
    const canRetry = errorRetry() !== null && words.retryable;
    return html`<div class="error banner" role="alert" tabindex="-1">
      <div class="text">
        <strong>${err.context ? `${err.context}: ` : ''}${words.title}</strong>
        <p style="margin:4px 0">${words.hint}</p>
        ${words.message ? html`<div class="detail">${words.message}</div>` : nothing}
      </div>
      <div class="row">
        ${canRetry ? html`<button class="primary" @click=${this.retry}>Retry</button>` : nothing}
        <button @click=${this.dismiss}>Dismiss</button>
      </div>
    </div>`;
  }

  private readonly retry = (): void => {
    const action = errorRetry();
    this.dismiss();
    action?.();
  };

  private readonly dismiss = (): void => {
    const back = this.returnTo;
    this.returnTo = null;
    keepFocus(this, () => [back, this.focusFallback?.()]);
    setErrorRetry(null);
    this.appState?.update({ error: null });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-error-banner': DrpoErrorBanner;
  }
}
