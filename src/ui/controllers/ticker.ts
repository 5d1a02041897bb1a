/**
 * Re-renders its host once a second while `active()` says something on it counts time (a wait, the elapsed
 * time of a run), and only while the host is on the page: a clock that counts nothing costs nothing.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const TICK_MS = 1000;

export class Ticker implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Lit may still update a host that has left the page (an update already pending): no timer is started then. */
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly active: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
  }

  hostUpdated(): void {
    const on = this.connected && this.active();
    if (on && !this.timer) this.timer = setInterval(() => this.host.requestUpdate(), TICK_MS);
    if (!on) this.stop();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
