/**
 * The page's side of a run's awake time. The Live view moves Elapsed and Time left on from the run's last
 * measure (`clockAt`, the time of the event that brought it) until the next event; without this, a laptop that
 * slept an hour would show an hour more Elapsed, and no time left, until the run's next finished call corrects it.
 * The view's one-second ticker is the heartbeat (core/calls/awake-clock.ts, the rule the run itself follows).
 * Only while the page is visible: a hidden tab's timers are slowed to one a minute, which is no sleep.
 */
import { AwakeClock } from '../../../core/calls/awake-clock';

export class AwakeSince {
  /** The measure watched, when it was first rendered, and the awake time since then. */
  private from: { clockAt: number; renderedAt: number; clock: AwakeClock } | null = null;

  /** `now` is read at each call (never `Date.now` kept from construction), so a clock stubbed later is honoured. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /**
   * The time to move the run's figures on to (what liveElapsedMs and timeLeft take as `now`) for its measure
   * taken at `clockAt`: now, less any sleep seen since the measure was first rendered. Called on every render;
   * `visible`: the page is shown.
   */
  at(clockAt: number, visible: boolean): number {
    const now = this.now();
    if (!visible || this.from?.clockAt !== clockAt) {
      // A new measure, or a hidden page: the real time, and sleep is watched for from here on (when shown).
      this.from = visible ? { clockAt, renderedAt: now, clock: new AwakeClock(this.now) } : null;
      return now;
    }
    return this.from.renderedAt + this.from.clock.elapsedMs();
  }
}
