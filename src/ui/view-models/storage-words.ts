/**
 * The browser's storage in words, for Setup's storage line, the model cards and a download the disk could not
 * take: what this site stores (downloaded models and saved runs), what more fits, and whether the browser keeps
 * it for sure. One place, so the line, the card's warning and the error name the same figures the same way.
 *
 * "Fits" is the browser's quota for this site (navigator.storage.estimate), not the disk: Chromium gives a site
 * a share of the disk, so what fits is what this site may still add.
 */
import { formatBytes } from '../../core/formats/bytes';
import type { StorageFacts } from '../../store/store';

/** What this site may still add (never below zero). */
export function freeBytes(s: StorageFacts): number {
  return Math.max(0, s.quota - s.usage);
}

/** "This site stores 1.2 GB (downloaded models and saved runs); about 8.8 GB more fits." */
export function storageLine(s: StorageFacts): string {
  return `This site stores ${formatBytes(s.usage)} (downloaded models and saved runs); about ${formatBytes(freeBytes(s))} more fits.`;
}

/**
 * Whether the browser keeps all of it, and what that means for the user when it may not. `persistent` false: the
 * page keeps runs and alignments in memory (private mode, or stored data it could not open), whatever the browser
 * would keep: downloaded models stay in the browser's cache, runs and alignments do not.
 */
export function keptLine(persisted: boolean, persistent: boolean): string {
  if (!persistent)
    return 'Downloaded models stay, but runs and alignments last only until this tab closes: export the results you want to keep.';
  return persisted
    ? 'The browser keeps them until you delete them.'
    : 'The browser may clear them when the disk runs short (best-effort storage): export the results you want to keep.';
}

/** The answer to asking the browser to keep this site's data, said once after a download or a save. */
export function persistenceAnswer(granted: boolean): string {
  return granted
    ? 'The browser will keep your downloaded models and saved runs.'
    : 'The browser did not promise to keep your downloaded models and saved runs: it may clear them when the disk runs short. Export the results you want to keep.';
}

/** A download larger than what fits, said on its card before it starts; null when it fits or is not known. */
export function tooBigWarning(downloadBytes: number | null, s: StorageFacts | null): string | null {
  if (downloadBytes === null || !s || s.quota <= 0) return null;
  const free = freeBytes(s);
  if (downloadBytes <= free) return null;
  return `Needs about ${formatBytes(downloadBytes)}, but only ${formatBytes(free)} more fits here. Delete a downloaded model or free disk space first.`;
}

/** A download the browser's storage refused: what it needed and what fits now (the hint says what to free). */
export function downloadRefused(name: string, downloadBytes: number | null, s: StorageFacts | null): string {
  const needs = downloadBytes === null ? '' : ` It needs about ${formatBytes(downloadBytes)}`;
  const fits =
    s && s.quota > 0 ? `${needs ? ';' : ' About'} ${formatBytes(freeBytes(s))} more fits.` : needs ? '.' : '';
  return `The browser has no room left for ${name}.${needs}${fits}`;
}
