/** ReactiveController: re-renders its host whenever the AppState changes. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AppState } from '../app/app-state';

export class AppStateController implements ReactiveController {
  private unsubscribe?: () => void;
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getState: () => AppState | undefined,
  ) {
    host.addController(this);
  }
  hostConnected(): void {
    this.attach();
  }
  /** Call again when the context value arrives after connection. */
  attach(): void {
    this.unsubscribe?.();
    const s = this.getState();
    if (s) this.unsubscribe = s.subscribe(() => this.host.requestUpdate());
  }
  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
