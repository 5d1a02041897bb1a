/**
 * Byte helpers shared by stream readers (share links, endpoint replies), and quantities in words: sizes
 * (`formatBytes`) and counts of calls or tokens (`formatCount`, `formatCountCompact`, `formatWholeCount`). Counts live here, beside
 * sizes, because they follow the same rule and core/formats is at the 15-files-per-folder cap.
 *
 * The one rule: round to what is shown first, then pick the unit, so a value that rounds up to a whole next unit
 * reads in that unit ("1 MB", not "1024 KB"; "1.0 M", not "1000.0 k").
 */

/** One array holding `parts` back to back. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/**
 * Bytes in binary units, one way everywhere (files, storage, downloads, reply limits): whole bytes, then one
 * decimal below 100 of a unit and whole from there ("12.5 KB", "100 MB", "1.3 GB").
 */
export function formatBytes(n: number): string {
  let v = Math.max(0, n || 0);
  for (let unit = 0; ; unit++) {
    const shown = unit === 0 || v >= 100 ? Math.round(v) : +v.toFixed(1);
    if (shown < 1024 || unit === BYTE_UNITS.length - 1) return `${shown} ${BYTE_UNITS[unit]}`;
    v /= 1024;
  }
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count said exactly at any size, its thousands separated: "20,000" (a limit, as a message states it). */
export function formatWholeCount(n: number): string {
  return GROUPED.format(Math.round(n || 0));
}

/** A count (calls, tokens) on the page: exact with separators below 10,000, then "12.3 k", "1.2 M". */
export function formatCount(n: number): string {
  const whole = Math.round(n || 0);
  if (Math.abs(whole) < 10_000) return formatWholeCount(whole);
  const k = Math.round(whole / 100) / 10;
  if (Math.abs(k) < 1000) return `${k.toFixed(1)} k`;
  return `${(Math.round(whole / 100_000) / 10).toFixed(1)} M`;
}

/** `v` of `unit` in at most four characters: tenths below 10 of it, whole from there. */
function compact(v: number, unit: string): string {
  const tenths = Math.round(v * 10) / 10;
  return Math.abs(tenths) < 10 ? `${tenths.toFixed(1)}${unit}` : `${Math.round(v)}${unit}`;
}

/**
 * The same count for the CLI's terminal output, "950", "1.5k", "45k", "1.2M": the progress line is rewritten in
 * place on one terminal row, so it keeps each figure short and writes it like the compact durations beside it
 * ("3m05s"); the projection printed just above that line uses the same form, so the two read alike.
 */
export function formatCountCompact(n: number): string {
  const whole = Math.round(n || 0);
  if (Math.abs(whole) < 1000) return String(whole);
  const k = whole / 1000;
  return Math.abs(Math.round(k)) < 1000 ? compact(k, 'k') : compact(whole / 1e6, 'M');
}

/**
 * A generation speed, said one way wherever it is shown (Setup's measurement, the Run page's estimate, the Live
 * view, a chat answer): "12.5 tokens/s" or "40 tokens/s" below 100, "2,647 tokens/s" from there (a decimal adds nothing).
 */
export function formatTokenSpeed(tokensPerS: number): string {
  return `${tokensPerS >= 100 ? formatWholeCount(tokensPerS) : String(Math.round(tokensPerS * 10) / 10)} tokens/s`;
}
