/**
 * Independent model calls run concurrently against endpoints that serve several requests at once,
 * but a run must not depend on which call happens to finish first. `mapOrdered` runs jobs with at
 * most `limit` in flight and hands each result to `commit` strictly in job order, as soon as every
 * earlier job has committed. Everything with an effect (node ids, events, failure counts,
 * checkpoints) happens in `commit`, so it is identical at any concurrency. With limit 1 it is a plain
 * sequential loop: each job commits before the next starts.
 */

/**
 * On a failure no new job starts, the jobs in flight are awaited (their calls are cached and counted,
 * nothing is left running), and the error of the earliest failed job is thrown. Results of jobs
 * before it are still committed, in order.
 */
export async function mapOrdered<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
  commit?: (result: R, item: T, index: number) => void | Promise<void>,
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

  const worker = async () => {
    while (next < n && errors.size === 0 && !commitError) {
      const i = next++;
      try {
        results[i] = await run(items[i]!, i);
      } catch (error) {
        errors.set(i, error);
      }
      settled[i] = true;
      drain();
      // One at a time, a job's effects land before the next job starts (exactly a sequential loop).
      if (width === 1) await commitChain;
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
