/**
 * What the app keeps of the stored runs: the unfinished ones (the resume banner) and the newest ones (the run
 * Live and Result open when none is selected). A running run announces a change several times a second, and
 * History may hold hundreds of runs: so a notice that names one run re-reads that run's listing only, and a
 * reading of every listing (at the start, or when the newest run went away) runs one at a time, with at most
 * one more after it however many notices came in meanwhile.
 */
import { listedBefore, type ListedRun, type Store } from '../../store/store';
import { Reread } from './reread';

export interface LatestRuns {
  any: string | null;
  /** Newest run that ended with an alignment. */
  finished: string | null;
}

type ListingStore = Pick<Store, 'listRuns' | 'getRunListing'>;

// A notice's reading must rank runs as a full reading does (listedBefore), or Live and Result would open one
// run, then another after the next full reading.
const newer = listedBefore;

export class StoredRuns {
  private store: ListingStore | undefined;
  private unfinishedById = new Map<string, ListedRun>();
  private any: ListedRun | null = null;
  private finished: ListedRun | null = null;
  /** Null until the first reading (lists unknown yet); the fallback after a failed one. */
  private latestIds: LatestRuns | null = null;
  private readonly rereads = new Reread(() => this.readOnce());
  /** Per run, the last listing read asked for: an older answer arriving late is dropped. */
  private readonly asked = new Map<string, number>();
  private asks = 0;

  /**
   * `changed`: the lists changed (read them again with unfinished() and latest()). `newlyListed`: asked when a
   * reading lists an unfinished run (the app asks who drives it now, not at the next poll).
   */
  constructor(
    private readonly changed: () => void,
    private readonly newlyListed: () => Promise<unknown> = () => Promise.resolve(),
  ) {}

  /** Unfinished runs, newest first. */
  unfinished(): ListedRun[] {
    return [...this.unfinishedById.values()].sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0));
  }

  latest(): LatestRuns | null {
    return this.latestIds;
  }

  /** Reads every listing of a (new) store. */
  use(store: ListingStore): Promise<void> {
    this.store = store;
    this.asked.clear();
    return this.readAll();
  }

  /** A store notice named this run (written, or deleted). */
  async runChanged(id: string): Promise<void> {
    const store = this.store;
    // A full reading on its way may have started before this write: read them all once more after it.
    if (!store || this.rereads.busy || !this.latestIds) return this.readAll();
    const ask = ++this.asks;
    this.asked.set(id, ask);
    let r: ListedRun | undefined;
    try {
      r = await store.getRunListing(id);
    } catch (err) {
      console.warn('Could not read a run', err);
      return;
    }
    if (this.asked.get(id) !== ask || store !== this.store) return;
    this.asked.delete(id);
    if (!r) {
      const was = this.unfinishedById.delete(id);
      // The newest run went: which is newest now takes a reading of them all.
      if (this.any?.id === id || this.finished?.id === id) return this.readAll();
      if (was) this.changed();
      return;
    }
    const newly = r.resumable && !this.unfinishedById.has(id);
    if (r.resumable) this.unfinishedById.set(id, r);
    else this.unfinishedById.delete(id);
    if (!this.any || this.any.id === id || newer(r, this.any)) this.any = r;
    if (r.result && (!this.finished || this.finished.id === id || newer(r, this.finished))) {
      this.finished = r;
    } else if (!r.result && this.finished?.id === id) return this.readAll();
    this.setLatest();
    if (newly) await this.newlyListed().catch(() => undefined);
    this.changed();
  }

  private readAll(): Promise<void> {
    return this.rereads.run();
  }

  private async readOnce(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const [runs] = await Promise.all([store.listRuns(), this.newlyListed().catch(() => undefined)]);
      if (store !== this.store) return;
      this.unfinishedById = new Map(runs.filter((r) => r.resumable).map((r) => [r.id, r]));
      this.any = runs[0] ?? null;
      this.finished = runs.find((r) => r.result) ?? null;
      this.setLatest();
    } catch (err) {
      console.warn('Could not list runs', err);
      this.latestIds = { any: null, finished: null };
    }
    this.changed();
  }

  private setLatest(): void {
    this.latestIds = { any: this.any?.id ?? null, finished: this.finished?.id ?? null };
  }
}
