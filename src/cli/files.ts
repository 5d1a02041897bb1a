/** File helpers for the CLI: readable errors and atomic writes (a crash never leaves half a file). */
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorName, isNamed } from '../core/errors';
import { bad } from './args';

/** Reads `file` relative to `cwd`; errors name the file as the user typed it. */
export async function readInputFile(cwd: string, file: string, what: string, maxBytes?: number): Promise<Uint8Array> {
  try {
    const full = path.resolve(cwd, file);
    if (maxBytes !== undefined) {
      // Check the size before reading, so a wrong (huge) file costs no memory.
      const { size } = await stat(full);
      if (size > maxBytes) {
        throw bad(
          `The ${what} "${file}" is ${(size / 1024).toFixed(0)} KB; the limit is ${(maxBytes / 1024).toFixed(0)} KB.`,
        );
      }
    }
    return new Uint8Array(await readFile(full));
  } catch (err) {
    if (isNamed(err, ErrorName.InvalidInput)) throw err;
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : String(code ?? err);
    throw bad(`Cannot read the ${what} "${file}": ${why}.`);
  }
}

export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (err as { code?: string }).code;
    throw bad(`Cannot write "${file}" (${code ?? String(err)}).`);
  }
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
