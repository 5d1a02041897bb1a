/**
 * Sizes in words, one way everywhere (files, storage, model downloads); and files picked in the page are
 * measured before they are read: a 1 GB drop must cost nothing.
 */
import { AppError, ErrorName } from '../../core/contracts/errors';

const UNITS = ['KB', 'MB', 'GB', 'TB'];

/** Bytes in binary units: one decimal below 100 of a unit, whole from there ("12.5 KB", "100 MB", "1.3 GB"). */
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

/** Throws InvalidInput naming the file, its size and the limit, without reading a byte of it. */
export function assertFileSize(file: Pick<File, 'name' | 'size'>, maxBytes: number, advice: string): void {
  if (file.size <= maxBytes) return;
  throw new AppError(
    ErrorName.InvalidInput,
    `“${file.name}” is ${formatBytes(file.size)}; files up to ${formatBytes(maxBytes)} can be read here. ${advice}`,
  );
}
