/**
 * Durations in words, one module for every place that shows one: the run's fault notes and the HTTP adapter's
 * errors (`formatWait`), the page and the CLI's sentences (`formatDuration`), the CLI's one-line progress
 * (`formatDurationCompact`).
 */

/** A wait in words, "0.4 s", "12 s", "1 min", "1.5 min" (short ones in tenths of a second): one form for every note. */
export function formatWait(ms: number): string {
  // Rounded first, then the unit picked: 9.96 s reads "10 s" and 59.95 s "1 min", never "10.0 s" or "60 s".
  const tenths = Math.round(ms / 100) / 10;
  if (tenths < 10) return `${tenths} s`;
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.round(ms / 6000) / 10} min`;
}

/** An elapsed time or an estimate in words, "45 s", "3 min 5 s", "2 h 4 min"; "—" when there is none. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The same, compact for a terminal's progress line: "45s", "3m05s", "2h04m". */
export function formatDurationCompact(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
