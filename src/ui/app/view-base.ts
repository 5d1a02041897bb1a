/**
 * Base for views that read the AppState / WorkerClient / Store contexts.
 * Each can also be set directly as a property (tests do this), because an unanswered
 * context request leaves the property as it was.
 */
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { PropertyValues } from 'lit';
import { appStateContext, clientContext, storeContext } from './contexts';
import { AppStateController } from '../controllers/app-state-controller';
import type { AppState } from './app-state';
import type { WorkerClient } from '../../client/worker-client';
import type { Store } from '../../store/store';
import { serializeError } from '../../core/contracts/errors';

let retryAction: (() => void) | null = null;

/** Register what Retry does for the error currently shown (cleared on dismiss/retry and by the next raise). */
export function setErrorRetry(action: (() => void) | null): void {
  retryAction = action;
}

export function errorRetry(): (() => void) | null {
  return retryAction;
}

export class DrpoViewBase extends LitElement {
  @consume({ context: appStateContext, subscribe: true })
  @property({ attribute: false })
  appState?: AppState;

  @consume({ context: clientContext, subscribe: true })
  @property({ attribute: false })
  client?: WorkerClient;

  @consume({ context: storeContext, subscribe: true })
  @property({ attribute: false })
  store?: Store;

  private readonly stateCtl = new AppStateController(this, () => this.appState);

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('appState')) this.stateCtl.attach();
  }

  /** Ask the root to show a short message (copy feedback etc.). */
  protected toast(message: string, kind: 'info' | 'error' = 'info'): void {
    this.dispatchEvent(
      new CustomEvent('toast-requested', { detail: { message, kind }, bubbles: true, composed: true }),
    );
  }

  /**
   * Raise a page-level error banner (for errors that are not tied to one form). `retry` is what the
   * banner's Retry does; without it the banner offers none (a previous error's retry never carries over).
   */
  protected raise(err: unknown, context?: string, retry?: () => void): void {
    setErrorRetry(retry ?? null);
    if (this.appState) this.appState.update({ error: { ...serializeError(err), context } });
    else this.toast(serializeError(err).message, 'error');
  }
}
