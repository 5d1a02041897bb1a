/**
 * While a run or an evaluation goes, what it is waiting for: a failed request's retry ("Waiting: the endpoint
 * answered HTTP 500; retry 2 of 3 in 4 s.", in describeRetry's words) or a long silence ("No reply for 12 s:
 * waiting for the model…"). The Live view's fault summary and the Evaluate view both show it through this
 * controller: the host puts `render()` where the note goes, and the controller re-renders the host once a
 * second while the job goes, so a long silence is noticed even when nothing arrives.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AnnounceThrottle } from '../helpers/announce-throttle';
import { formatDuration } from '../../core/formats/durations';

/** A silence this long is said out loud. */
export const WAIT_NOTE_MS = 10_000;

/** What the note is drawn from, read from the host at each render. */
export interface WaitState {
  /** The job goes (here or in another tab): waiting notes apply. */
  running: boolean;
  /** A failed request waiting for its retry, in describeRetry's words; null when none waits. */
  retry: string | null;
  /** When the job was last heard from (ms since the epoch); null: not yet. */
  heardAt: number | null;
}

export class WaitNote implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null;
  /**
   * The note is shown as it changes (each retry, each second of silence); the status region beside it says
   * a new kind of wait at once and the rest at most every few seconds.
   */
  private readonly said = new AnnounceThrottle();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly state: () => WaitState,
    /** What goes on once the endpoint answers again. */
    private readonly what: 'run' | 'evaluation',
  ) {
    host.addController(this);
  }

  /** Lit may still update a host that has left the page (an update already pending): no timer is started then. */
  private connected = false;

  hostConnected(): void {
    this.connected = true;
  }

  hostUpdated(): void {
    const running = this.state().running && this.connected;
    if (running && !this.timer) this.timer = setInterval(() => this.host.requestUpdate(), 1000);
    if (!running && this.timer) this.stopTimer();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * The visible note (while there is one) and the status region that says it. The region stays the same
   * element throughout: a screen reader may not read a live region that is put in with its text.
   */
  render() {
    const state = this.state();
    const note = this.note(state);
    const said = note ? this.said.say(note.kind, () => note.text) : this.afterWait(state.running);
    const shown = note
      ? html`<p class="small ${note.kind === 'silent' ? 'muted' : ''}" data-waiting>${note.text}</p>`
      : nothing;
    return html`${shown}
      <div class="visually-hidden" role="status" data-said data-wait-said>${said}</div>`;
  }

  /**
   * A wait for the endpoint that ended while the job goes on is said once: the visible note just goes away,
   * which a screen-reader user would not notice, and would be left waiting. It stays in the region (unchanged,
   * so not read again) until the next wait or the job's end: the job's next step re-renders at once, and a
   * region emptied that soon may go unread. (It is also a new key, so the next wait is news at once.)
   */
  private afterWait(running: boolean): string {
    if (running && (!this.said.isNew('retry') || !this.said.isNew('back'))) {
      return this.said.say('back', () => `The endpoint answered again; the ${this.what} goes on.`);
    }
    return this.said.clear();
  }

  private note(s: WaitState): { kind: 'retry' | 'silent'; text: string } | null {
    if (!s.running) return null;
    if (s.retry) return { kind: 'retry', text: `Waiting: ${s.retry}.` };
    const silent = s.heardAt === null ? 0 : Date.now() - s.heardAt;
    if (silent < WAIT_NOTE_MS) return null;
    return { kind: 'silent', text: `No reply for ${formatDuration(silent)}: waiting for the model…` };
  }
}
