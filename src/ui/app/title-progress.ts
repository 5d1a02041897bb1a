/**
 * The tab title follows a run going in this page ("42% · DRPO Studio"), so progress shows from another
 * tab or a minimised window; it says how the run ended, and returns to the plain title on the next view.
 * Throttled: a title change is cheap but pointless more than once a second.
 */
import { STATUS_WORDS, remainingCalls } from '../view-models/run-view-model';
import type { RunSession } from '../controllers/run-controller';

export const BASE_TITLE = 'DRPO Studio';
const EVERY_MS = 1000;

/** Percent of the run's model calls done, from what is measured so far (null before anything is known). */
export function runPercent(s: Pick<RunSession, 'vm' | 'record'>): number | null {
  const calls = s.vm.stats?.calls ?? 0;
  const config = s.record?.config;
  if (!config || calls === 0) return null;
  const left = remainingCalls(s.vm, config).likely;
  return Math.min(99, Math.floor((100 * calls) / (calls + left)));
}

export function titleFor(s: Pick<RunSession, 'vm' | 'record' | 'running'>): string {
  if (s.running) {
    const pct = runPercent(s);
    return `${pct === null ? 'Starting' : `${pct}%`} · ${BASE_TITLE}`;
  }
  return `${STATUS_WORDS[s.vm.status]} · ${BASE_TITLE}`;
}

export class TitleProgress {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: RunSession | null = null;
  /** The session whose state the title shows (null: the plain title). */
  private shown: RunSession | null = null;

  constructor(private readonly doc: Pick<Document, 'title'> = document) {}

  update(s: RunSession): void {
    // Only runs this page started or resumed; loading a stored run for viewing changes nothing.
    if (!s.running && this.shown !== s) return;
    this.pending = s;
    const wait = EVERY_MS - (Date.now() - this.last);
    // Status changes (finished, paused) show at once; progress at most once a second.
    if (wait <= 0 || !s.running) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** A new view: a finished run's last word goes, a running one stays. */
  viewChanged(): void {
    if (this.shown && !this.shown.running) {
      this.shown = null;
      this.doc.title = BASE_TITLE;
    }
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
