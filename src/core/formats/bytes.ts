/** Byte helpers shared by stream readers (share links, endpoint replies), and sizes in words. */

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

const UNITS = ['KB', 'MB', 'GB', 'TB'];

/**
 * Bytes in binary units, one way everywhere (files, storage, downloads, reply limits): one decimal below
 * 100 of a unit, whole from there ("12.5 KB", "100 MB", "1.3 GB").
 */
export function formatBytes(n: number): string {
  if (!(n >= 1024)) return `${Math.max(0, Math.round(n || 0))} B`;
  let v = n;
  let unit = -1;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${v >= 100 ? Math.round(v) : +v.toFixed(1)} ${UNITS[unit]}`;
}
