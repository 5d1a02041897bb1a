/**
 * Independent model calls run concurrently against endpoints that serve several requests at once,
 * but a run must not depend on which call happens to finish first. `mapOrdered` runs jobs with at
 * most `limit` in flight and hands each result to `commit` strictly in job order, as soon as every
 * earlier job has committed. Everything with an effect (node ids, events, failure counts,
 * checkpoints) happens in `commit`, so it is identical at any concurrency. With limit 1 it is a plain
 * sequential loop: each job commits before the next starts.
 */
import type { Admission } from './budget-gate';

/**
 * With `admit` (a run under a call or token budget, see BudgetGate), a job starts only once its reservation
 * fits beside the jobs in flight; one that never fits runs alone, after every earlier job has committed.
 *
 * On a failure no new job starts, the jobs in flight are awaited (their calls are cached and counted,
 * nothing is left running), and the error of the earliest failed job is thrown. Results of jobs
 * before it are still committed, in order.
 */
export async function mapOrdered<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
  commit?: (result: R, item: T, index: number) => void | Promise<void>,
  admit?: Admission<T>,
): Promise<R[]> {
  const n = items.length;
  const results = new Array<R>(n);
  const settled = new Array<boolean>(n).fill(false);
  const errors = new Map<number, unknown>();
  let next = 0;
  let committed = 0;
  let commitChain: Promise<void> = Promise.resolve();
  let commitError: { error: unknown } | null = null;
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, n));

  const drain = () => {
    // Commit the ready prefix, one at a time (commit may be async).
    commitChain = commitChain.then(async () => {
      while (committed < n && settled[committed] && !errors.has(committed) && !commitError) {
        const i = committed++;
        try {
          await commit?.(results[i]!, items[i]!, i);
        } catch (error) {
          commitError = { error };
        }
      }
    });
  };

  const going = () => errors.size === 0 && !commitError;
  // Near a budget (see BudgetGate): a job that does not fit holds the turn, so no later job starts before it.
  let turn: Promise<void> | null = null;
  let inFlight = 0;
  let onSettled: (() => void)[] = [];
  const nextSettled = () => new Promise<void>((resolve) => onSettled.push(resolve));
  const takeTurn = (): (() => void) => {
    let open!: () => void;
    turn = new Promise<void>((resolve) => (open = resolve));
    return () => {
      turn = null;
      open();
    };
  };

  interface Ticket {
    release: () => void;
    /** Runs alone: it keeps the turn (`done` gives it back) until it has committed. */
    solo?: { done: () => void };
  }
  const free: Ticket = { release: () => undefined };

  /** Job i starts with its reservation, or alone once nothing is in flight and every earlier job committed. */
  const admitJob = async (i: number, admit: Admission<T>): Promise<Ticket | null> => {
    const reserve = () => admit.reserve(items[i]!, i);
    let release = reserve();
    if (release) return { release };
    const done = takeTurn();
    // Every job taken counts as in flight from the start (this one too): a job in its admission's await is one.
    while (!release && inFlight > 1 && going()) {
      await nextSettled();
      release = reserve();
    }
    if (release) {
      done();
      return { release };
    }
    drain();
    await commitChain;
    if (going()) return { release: () => undefined, solo: { done } };
    done();
    return null;
  };

  const worker = async () => {
    for (;;) {
      while (turn) await turn;
      if (next >= n || !going()) return;
      const i = next++;
      inFlight++;
      const ticket = admit ? await admitJob(i, admit) : free;
      // A job failed while this one waited for room: it does not start.
      if (!ticket || !going()) {
        ticket?.release();
        ticket?.solo?.done();
        inFlight--;
        return;
      }
      try {
        results[i] = await (ticket.solo ? admit!.alone(() => run(items[i]!, i)) : run(items[i]!, i));
      } catch (error) {
        errors.set(i, error);
      } finally {
        ticket.release();
      }
      inFlight--;
      settled[i] = true;
      drain();
      const waiting = onSettled;
      onSettled = [];
      for (const wake of waiting) wake();
      // One at a time, a job's effects land before the next job starts (exactly a sequential loop).
      if (width === 1 || ticket.solo) await commitChain;
      ticket.solo?.done();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  drain();
  await commitChain;
  if (commitError) throw (commitError as { error: unknown }).error;
  if (errors.size > 0) throw errors.get(Math.min(...errors.keys()));
  return results;
}

/**
 * Both results, like `Promise.all`, but on a failure the other call is awaited before the error is thrown:
 * a call left running would finish after the run (counted too late, or not at all). The first argument's
 * error wins, so which error is thrown does not depend on which call finished first.
 */
export async function settleBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === 'rejected') throw x.reason;
  if (y.status === 'rejected') throw y.reason;
  return [x.value, y.value];
}
