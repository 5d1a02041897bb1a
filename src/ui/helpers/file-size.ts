/** Files picked in the page are measured before they are read: a 1 GB drop must cost nothing. */
import { AppError, ErrorName } from '../../core/contracts/errors';

const mb = (n: number) => `${Math.round((n / 2 ** 20) * 10) / 10} MB`;

/** Throws InvalidInput naming the file, its size and the limit, without reading a byte of it. */
export function assertFileSize(file: Pick<File, 'name' | 'size'>, maxBytes: number, advice: string): void {
  if (file.size <= maxBytes) return;
  throw new AppError(
    ErrorName.InvalidInput,
    `“${file.name}” is ${mb(file.size)}; files up to ${mb(maxBytes)} can be read here. ${advice}`,
  );
}
