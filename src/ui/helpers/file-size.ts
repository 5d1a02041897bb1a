/** Files picked in the page are measured before they are read: a 1 GB drop must cost nothing. */
import { AppError, ErrorName } from '../../core/contracts/errors';
import { formatBytes } from '../../core/formats/bytes';
import { MAX_FILE_BYTES, parseQueryFile, type ParsedQueries } from '../../core/data/parse-queries';

/** Throws InvalidInput naming the file, its size and the limit, without reading a byte of it. */
export function assertFileSize(file: Pick<File, 'name' | 'size'>, maxBytes: number, advice: string): void {
  if (file.size <= maxBytes) return;
  throw new AppError(
    ErrorName.InvalidInput,
    `“${file.name}” is ${formatBytes(file.size)}; files up to ${formatBytes(maxBytes)} can be read here. ${advice}`,
  );
}

/**
 * A query file picked in the page (Data or Evaluate), measured first and then parsed: the queries and the report
 * of what was kept and left out. Throws InvalidInput (too big, unreadable) with a message naming the file.
 * The parse runs on this thread (a 100k-line file takes a fraction of a second; the worker is kept for the
 * model), so the caller shows "Reading <file>…" first and the parse waits for that to be painted.
 */
export async function readQueryFile(file: File): Promise<ParsedQueries> {
  assertFileSize(file, MAX_FILE_BYTES, 'Split it into smaller files.');
  const bytes = new Uint8Array(await file.arrayBuffer());
  await afterNextPaint();
  return parseQueryFile(file.name, bytes);
}

/**
 * What a picked file that could not be used adds to its error (Data and Evaluate): that it was not used, and which
 * set stays selected — beside the old set's name, the error alone reads as if the file had been taken.
 * `stillSelected`: that set's name, if any.
 */
export function fileNotUsed(fileName: string, stillSelected?: string): string {
  return `“${fileName}” was not used${stillSelected ? `: ${stillSelected} is still selected` : ''}.`;
}

/** Resolves once a frame has been painted; a hidden tab paints none, so 100 ms at most. */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const late = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(late);
        resolve();
      }),
    );
  });
}
