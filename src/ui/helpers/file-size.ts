/** Files picked in the page are measured before they are read: a 1 GB drop must cost nothing. */
import { AppError, ErrorName } from '../../core/contracts/errors';
import { formatBytes } from '../../core/formats/bytes';

/** Throws InvalidInput naming the file, its size and the limit, without reading a byte of it. */
export function assertFileSize(file: Pick<File, 'name' | 'size'>, maxBytes: number, advice: string): void {
  if (file.size <= maxBytes) return;
  throw new AppError(
    ErrorName.InvalidInput,
    `“${file.name}” is ${formatBytes(file.size)}; files up to ${formatBytes(maxBytes)} can be read here. ${advice}`,
  );
}
