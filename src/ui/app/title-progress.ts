/**
 * The tab title names the view ("History · DRPO Studio"), so tabs, history and screen readers tell pages
 * apart. A run going in this page takes it over ("42% · DRPO Studio"), so progress shows from another
 * tab or a minimised window, as does a run this page follows while another tab drives it; it says how the run
 * ended, and gives way to the view's title on the next view.
 * Throttled: a title change is cheap but pointless more than once a second.
 */
import type { SessionNotice } from '../controllers/run-sessions';

export const BASE_TITLE = 'DRPO Studio';
const EVERY_MS = 1000;

/** The run goes: in this page, or in another tab this page follows. */
const going = (s: Pick<SessionNotice, 'running' | 'heldElsewhere'>): boolean => s.running || !!s.heldElsewhere;

export function titleFor(s: Pick<SessionNotice, 'running' | 'heldElsewhere' | 'percentDone' | 'statusWords'>): string {
  if (going(s)) {
    const pct = s.percentDone();
    return `${pct === null ? 'Starting' : `${pct}%`} · ${BASE_TITLE}`;
  }
  return `${s.statusWords()} · ${BASE_TITLE}`;
}

export class TitleProgress {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: SessionNotice | null = null;
  /** The session whose state the title shows (null: the plain title). */
  private shown: SessionNotice | null = null;

  constructor(private readonly doc: Pick<Document, 'title'> = document) {}

  update(s: SessionNotice): void {
    // Only runs going (here, or followed from another tab); loading a stored run for viewing changes nothing.
    if (!going(s) && this.shown !== s) return;
    this.pending = s;
    const wait = EVERY_MS - (Date.now() - this.last);
    // Status changes (finished, paused) show at once; progress at most once a second.
    if (wait <= 0 || !going(s)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** A new view (`label`, e.g. "History"): a finished run's last word goes, a running one stays. */
  viewChanged(label = ''): void {
    if (this.shown?.running) return;
    this.shown = null;
    this.doc.title = label ? `${label} · ${BASE_TITLE}` : BASE_TITLE;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.pending;
    if (!s) return;
    this.last = Date.now();
    this.shown = s;
    this.doc.title = titleFor(s);
  }
}
