/**
 * Throttled text for a polite live region. Screen readers queue every change of a live region, so
 * progress that changes each step (or a note that counts seconds) would be read out without end. The
 * visible text may change freely; the region is given the latest text only when its `key` (a status, a
 * phase, the kind of wait) changed, else at most every `everyMs`. A text held back is not lost: with
 * `onDue`, the host is asked to render again once the interval is up, so the region catches up with the
 * latest text even when nothing else happens after it (a long model call).
 */
export const ANNOUNCE_EVERY_MS = 8000;

export class AnnounceThrottle {
  private at = -Infinity;
  private key: string | null = null;
  private said = '';
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly everyMs = ANNOUNCE_EVERY_MS,
    /** Called once a held-back text is due (the host re-renders and calls `say` again). */
    private readonly onDue?: () => void,
  ) {}

  /** Whether `key` differs from the last one said (a status change is news at once). */
  isNew(key: string): boolean {
    return key !== this.key;
  }

  /** The region's text now: `text()` when due, else what it already says (no change, nothing read out). */
  say(key: string, text: () => string, now = Date.now()): string {
    if (this.isNew(key) || now - this.at >= this.everyMs) {
      this.stop();
      this.at = now;
      this.key = key;
      this.said = text();
    } else if (this.onDue && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.onDue?.();
        },
        this.everyMs - (now - this.at),
      );
    }
    return this.said;
  }

  /** Nothing to say for now: the region empties, and the next text still waits its turn. */
  clear(): string {
    this.stop();
    this.said = '';
    return '';
  }

  /** Another subject (the view shows another run): its first text is news at once, and nothing of before is kept. */
  forget(): void {
    this.stop();
    this.at = -Infinity;
    this.key = null;
    this.said = '';
  }

  /** No held-back text is asked for any more (the host left the page). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
