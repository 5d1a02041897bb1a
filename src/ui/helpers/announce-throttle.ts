/**
 * Throttled text for a polite live region. Screen readers queue every change of a live region, so
 * progress that changes each step (or a note that counts seconds) would be read out without end. The
 * visible text may change freely; the region is given the latest text only when its `key` (a status, a
 * phase, the kind of wait) changed, else at most every `everyMs`.
 */
export const ANNOUNCE_EVERY_MS = 8000;

export class AnnounceThrottle {
  private at = -Infinity;
  private key: string | null = null;
  private said = '';

  constructor(private readonly everyMs = ANNOUNCE_EVERY_MS) {}

  /** Whether `key` differs from the last one said (a status change is news at once). */
  isNew(key: string): boolean {
    return key !== this.key;
  }

  /** The region's text now: `text()` when due, else what it already says (no change, nothing read out). */
  say(key: string, text: () => string, now = Date.now()): string {
    if (this.isNew(key) || now - this.at >= this.everyMs) {
      this.at = now;
      this.key = key;
      this.said = text();
    }
    return this.said;
  }

  /** Nothing to say for now: the region empties, and the next text still waits its turn. */
  clear(): string {
    this.said = '';
    return '';
  }
}
