/**
 * Counts each parse failure once, however often a run is resumed. A resume replays the run from its
 * checkpoint's call cache, so every failure met before the checkpoint is met again; the ledger, saved
 * with the checkpoint, remembers how many of each failure were already counted. Failures are a multiset
 * keyed by what they are (scope, role, stage, message, raw reply), not by position, so the counts stay
 * right when calls finish in a different order (concurrent calls) or the same failure happens twice.
 */
import { hashKey } from '../data/random';
import type { ParseFailure } from '../contracts/search-node';

export class FailureLedger {
  private readonly saved: ReadonlyMap<string, number>;
  private readonly seen = new Map<string, number>();

  constructor(saved?: Record<string, number>) {
    this.saved = new Map(Object.entries(saved ?? {}).filter(([, n]) => Number.isInteger(n) && n > 0));
  }

  /** True when this failure is new (count and report it), false when it replays one already counted. */
  record(failure: ParseFailure, scope: string): boolean {
    const id = hashKey(JSON.stringify([scope, failure.role, failure.stage, failure.message, failure.raw]));
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    return n > (this.saved.get(id) ?? 0);
  }

  /** What the next checkpoint keeps: every failure counted so far, by this process or an earlier one. */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(this.saved);
    for (const [id, n] of this.seen) out[id] = Math.max(n, out[id] ?? 0);
    return out;
  }
}
