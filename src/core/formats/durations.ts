/** Durations in words, for every message that names a wait: the run's fault notes and the HTTP adapter's errors. */

/** A wait in words, "0.4 s", "12 s", "1 min", "1.5 min" (short ones in tenths of a second): one form for every note. */
export function formatWait(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 6000) / 10} min`;
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 100) / 10} s`;
}
