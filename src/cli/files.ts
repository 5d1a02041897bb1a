/**
 * File helpers for the CLI: readable errors, size checks before reading, and atomic writes that are
 * flushed to disk before the rename (a crash or kill -9 never leaves half a file) and clean up the
 * temp files of writers that died mid-write.
 */
import { constants } from 'node:fs';
import { access, chmod, lstat, open, readdir, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError, ErrorName, isNamed } from '../core/contracts/errors';
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
  tooBig = 'Is it the right file?',
): Promise<Uint8Array> {
  return withInputFile(cwd, file, what, maxBytes, tooBig, async (handle) => new Uint8Array(await handle.readFile()));
}

/** What to do about a query file over the limit (queries can be spread over files; a prompt cannot). */
export const SPLIT_IT = 'Split it into smaller files.';

/** What `readInputFile` checks (there, readable, not a folder, within the limit), without reading it. */
export async function checkInputFile(cwd: string, file: string, what: string, maxBytes: number): Promise<void> {
  await withInputFile(cwd, file, what, maxBytes, 'Is it the right file?', async () => undefined);
}

async function withInputFile<T>(
  cwd: string,
  file: string,
  what: string,
  maxBytes: number,
  tooBig: string,
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
      throw bad(`The ${what} "${file}" is ${formatBytes(info.size)}; the limit is ${formatBytes(maxBytes)}. ${tooBig}`);
    }
    return await use(handle);
  } catch (err) {
    if (isNamed(err, ErrorName.InvalidInput)) throw err;
    throw bad(`Cannot read the ${what} "${file}": ${why(err)}.`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A file the command reads, named by its flag, so an output that would replace it is refused by name. */
export interface InputFile {
  flag: string;
  file: string | undefined;
  /** How the message names it, when not "your --<flag> file". */
  label?: string;
}

/**
 * The real path (symlinks followed) of a file, or of the folder of one that does not exist yet: `link/a.json`
 * and `real/a.json` are one file (one lock, one input check). A broken link stays itself (refused later).
 */
export async function realOrResolved(full: string): Promise<string> {
  return realpath(full).catch(async () => {
    if (
      await lstat(full).then(
        (i) => i.isSymbolicLink(),
        () => false,
      )
    )
      return full;
    const dir = await realpath(path.dirname(full)).catch(() => path.dirname(full));
    return path.join(dir, path.basename(full));
  });
}

/**
 * Checks an output file before any work is done and returns the path to write: the target itself when
 * `file` is a symlink (an atomic write replaces the name it renames onto, which would turn the link into a
 * copy). Refused, each with its own message: an empty name, a folder or a device, a missing or unwritable
 * folder, a read-only file, and a file the command also reads (writing there would replace the input).
 */
export async function checkOutputFile(
  cwd: string,
  file: string | undefined,
  flag: string,
  fallback: string,
  inputs: readonly InputFile[] = [],
  opts: { what?: string; suffixChars?: number } = {},
): Promise<string> {
  if (file !== undefined && !file.trim()) throw bad(`--${flag} needs a file name.`);
  const shown = file ?? fallback;
  const what = opts.what ?? `--${flag} "${shown}"`;
  const target = await realOrResolved(path.resolve(cwd, shown));
  for (const input of inputs) {
    if (input.file === undefined) continue;
    if ((await realOrResolved(path.resolve(cwd, input.file))) === target) {
      const name = input.label ?? `your --${input.flag} file`;
      throw bad(`${what} is also ${name}; writing there would replace it. Choose another file.`);
    }
  }
  // Files named after this one (checkpoint, lock, temp files) must fit the file system's name limit too.
  if (Buffer.byteLength(path.basename(target)) + (opts.suffixChars ?? TEMP_SUFFIX_CHARS) > MAX_NAME_BYTES) {
    throw bad(`${what}: the file name is too long (with the files written beside it); choose a shorter one.`);
  }
  const info = await lstat(target).catch(() => null);
  if (info?.isDirectory()) throw bad(`${what} is a folder; name a file in it instead.`);
  if (info?.isSymbolicLink()) throw bad(`${what} is a link to a file that does not exist; name the file itself.`);
  if (info && !info.isFile()) throw bad(`${what} is not a regular file (a device, pipe or socket).`);
  const dir = path.dirname(target);
  const dirInfo = await stat(dir).catch(() => null);
  if (!dirInfo?.isDirectory()) throw bad(`Cannot write ${what}: the folder "${dir}" does not exist.`);
  if (info && !(await writable(target))) throw bad(`Cannot write ${what}: the file is read-only.`);
  // Always the folder too: the write goes to a temp file there and is renamed over the target.
  if (!(await writable(dir))) throw bad(`Cannot write ${what}: permission denied in the folder "${dir}".`);
  return target;
}

/**
 * A name beside `file` with `tag` before its extension: `a.json` → `a<tag>.json`, `a` → `a<tag>` (a dot in a
 * folder's name is no extension).
 */
export function nameBeside(file: string, tag: string): string {
  return file.replace(/(\.[^./\\]*)?$/, (ext) => `${tag}${ext}`);
}

/** The longest file name most file systems take (bytes). */
const MAX_NAME_BYTES = 255;
/** What a temp file adds to its target's name: `.tmp-<pid>-<ms><n>`. */
const TEMP_SUFFIX_CHARS = 32;

async function writable(p: string): Promise<boolean> {
  return access(p, constants.W_OK).then(
    () => true,
    () => false,
  );
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
    // The file keeps its permissions: the rename puts a new file in its place.
    const mode = await stat(file).then(
      (i) => (i.isFile() ? i.mode & 0o7777 : undefined),
      () => undefined,
    );
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, file);
    await syncDir(path.dirname(file));
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (err as { code?: string }).code;
    // Not bad input: the work is done and only its writing failed (a full disk, a folder gone), so no
    // "see --help" follows it (cli-io `inputHint`).
    throw new AppError(ErrorName.StorageUnavailable, `Cannot write "${file}" (${code ?? String(err)}).`);
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
