/**
 * While a run or an evaluation goes, what it is waiting for: a failed request's retry ("Waiting: the endpoint
 * answered HTTP 500; retry 2 of 3 in 4 s.", in describeRetry's words) or a long silence ("No reply for 12 s:
 * waiting for the model…"). The Live view's fault summary and the Evaluate view both show it through this
 * controller: the host puts `render()` where the note goes, and the controller re-renders the host once a
 * second while the job goes (a Playground answer too), so a retry's countdown, an outage's length and a long silence move on even when
 * nothing arrives (view-models/waiting.ts works out the wait from the clock at each render, less any sleep).
 */
import { html, nothing } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import { AnnounceThrottle } from '../helpers/announce-throttle';
import { Ticker } from './ticker';
import { WaitClock, currentWait, retrySent } from '../view-models/run/waiting';
import type { WaitState } from '../view-models/run/waiting';

export class WaitNote {
  /**
   * The note is shown as it changes (each retry, each second of silence); the status region beside it says
   * a new kind of wait at once and the rest at most every few seconds.
   */
  private readonly said = new AnnounceThrottle();
  /** What the status region says now. */
  private region = '';
  /** The wait's time leaves out sleep (the lid closed): the ticker below is its heartbeat. */
  private readonly clock = new WaitClock();

  constructor(
    host: ReactiveControllerHost,
    private readonly state: () => WaitState,
    /** What goes on once the endpoint answers again. */
    private readonly what: 'run' | 'evaluation' | 'answer',
  ) {
    new Ticker(host, () => this.state().running);
  }

  /**
   * The visible note (while there is one) and the status region that says it. The region stays the same
   * element throughout: a screen reader may not read a live region that is put in with its text. `quiet`: another
   * note beside it on the same endpoint says the same (the Playground's two panes), so this region stays empty.
   */
  render(opts: { quiet?: boolean } = {}) {
    const state = this.state();
    const at = this.clock.at(state, document.visibilityState === 'visible');
    const note = currentWait(state, at);
    // A retry that went out is no answer yet: the region keeps what it said until the endpoint answers.
    this.region = note
      ? this.said.say(note.kind, () => note.text)
      : retrySent(state, at)
        ? this.region
        : this.afterWait(state.running);
    const shown = note
      ? html`<p class="small ${note.kind === 'silent' ? 'muted' : ''}" data-waiting>${note.text}</p>`
      : nothing;
    return html`${shown}
      <div class="visually-hidden" role="status" data-wait-said>${opts.quiet ? '' : this.region}</div>`;
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
}
