/**
 * How many Playwright workers run the e2e specs, from E2E_WORKERS: a whole number ≥ 1 (a fraction is cut to its
 * whole part; 0, a negative number or anything else is the default, 2 for two cores). One source for the config,
 * which starts one scripted endpoint per worker, and for the helpers, which pick theirs by worker index.
 */
export function e2eWorkers(value = process.env.E2E_WORKERS): number {
  const n = Math.floor(Number(value));
  return Number.isSafeInteger(n) && n >= 1 ? n : 2;
}

/**
 * The port of worker `index`'s scripted endpoint (4174, 4175, …). `--workers=3` runs a third worker the config
 * started no endpoint for: its specs would fail on a refused connection that says nothing of why, so it is said here.
 */
export function scriptedPort(index: number, workers: number): number {
  if (index >= workers)
    throw new Error(
      `Playwright worker ${index + 1} has no scripted endpoint: the config starts ${workers} (E2E_WORKERS). ` +
        `Set E2E_WORKERS=${index + 1} (or more) rather than --workers.`,
    );
  return 4174 + index;
}
