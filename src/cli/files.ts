/**
 * File helpers for the CLI: readable errors, size checks before reading, and atomic writes that are
 * flushed to disk before the rename (a crash or kill -9 never leaves half a file) and clean up the
 * temp files of writers that died mid-write.
 */
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { MAX_FILE_BYTES } from '../core/data/parse-queries';
import { formatBytes } from '../core/formats/bytes';
import { bad } from './args';

function why(err: unknown): string {
  const code = (err as { code?: string }).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EISDIR'
      ? 'it is a folder'
      : code === 'EACCES'
        ? 'permission denied'
        : String(code ?? err);
}

/**
 * Reads `file` relative to `cwd`; errors name the file as the user typed it. The size is checked
 * before a byte is read, so a huge file costs nothing (default limit: the 50 MB of data files).
 */
export function readInputFile(
  cwd: string,
  file: string,
  what: string,
  maxBytes: number = MAX_FILE_BYTES,
): Promise<Uint8Array> {
  return withInputFile(cwd, file, what, maxBytes, async (handle) => new Uint8Array(await handle.readFile()));
}

/** What `readInputFile` checks (there, readable, not a folder, within the limit), without reading it. */
export async function checkInputFile(cwd: string, file: string, what: string, maxBytes: number): Promise<void> {
  await withInputFile(cwd, file, what, maxBytes, async () => undefined);
}

async function withInputFile<T>(
  cwd: string,
  file: string,
  what: string,
  maxBytes: number,
  use: (handle: FileHandle) => Promise<T>,
): Promise<T> {
  const full = path.resolve(cwd, file);
  let handle;
  try {
    handle = await open(full, 'r');
  } catch (err) {
    throw bad(`Cannot read the ${what} "${file}": ${why(err)}.`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw bad(`Cannot read the ${what} "${file}": it is a folder.`);
    if (info.size > maxBytes) {
      throw bad(
        `The ${what} "${file}" is ${formatBytes(info.size)}; the limit is ${formatBytes(maxBytes)}. Split it into smaller files.`,
      );
    }
    return await use(handle);
  } catch (err) {
    if ((err as { name?: string }).name === 'InvalidInputError') throw err;
    throw bad(`Cannot read the ${what} "${file}": ${why(err)}.`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

const TEMP_MARK = '.tmp-';

/** Writes in flight in this process: two writes of one file in the same millisecond get their own temp files. */
let writeCounter = 0;

function tempName(file: string): string {
  return `${file}${TEMP_MARK}${process.pid}-${Date.now()}${++writeCounter}`;
}

/** Whether a process with this id runs on this machine (ours included). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** Targets whose stale temp files this process already swept (once per file is enough). */
const swept = new Set<string>();

/** Removes `<file>.tmp-<pid>-<time>` files left by writers that are no longer running. */
export async function removeStaleTemps(file: string): Promise<number> {
  swept.add(file);
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-\d+$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || processAlive(pid)) continue;
    await rm(path.join(dir, name), { force: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}

export async function writeAtomic(file: string, text: string): Promise<void> {
  if (!swept.has(file)) await removeStaleTemps(file);
  const tmp = tempName(file);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(text);
      // On disk before the rename: otherwise a crash can leave the new name pointing at an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    await syncDir(path.dirname(file));
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (err as { code?: string }).code;
    throw bad(`Cannot write "${file}" (${code ?? String(err)}).`);
  }
}

/** Makes the rename itself durable where the platform allows it (not on Windows; best effort). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be opened for sync everywhere; the file itself is already flushed.
  }
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
