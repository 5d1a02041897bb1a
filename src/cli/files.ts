/** File helpers for the CLI: readable errors and atomic writes (a crash never leaves half a file). */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bad } from './args';

/** Reads `file` relative to `cwd`; errors name the file as the user typed it. */
export async function readInputFile(cwd: string, file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path.resolve(cwd, file)));
  } catch (err) {
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
