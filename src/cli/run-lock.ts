/**
 * One process per checkpoint (and per output file). `drpo optimize` holds `<checkpoint>.lock` (pid, host,
 * start time) while it runs; a second process on the same checkpoint stops with a clear message instead of both overwriting
 * it. A lock whose process is gone (kill -9, a crash, a reboot) is stale and taken over.
 */
import { rmSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bad } from './args';
import { processAlive } from './files';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: number;
}

export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Locks this process holds (a lock with our own pid is ours only if listed here; else a reused pid's leftover). */
const heldHere = new Set<string>();

/** A lock file still being written by its owner may be empty for a moment; older than this, it is junk. */
const UNREADABLE_GRACE_MS = 5_000;

async function readLock(file: string): Promise<{ info: LockInfo | null; text: string; ageMs: number } | null> {
  try {
    const [text, st] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    let info: LockInfo | null = null;
    try {
      const v = JSON.parse(text) as Partial<LockInfo>;
      if (Number.isInteger(v.pid) && typeof v.host === 'string') info = v as LockInfo;
    } catch {
      // unreadable: judged by age below
    }
    return { info, text, ageMs: Date.now() - st.mtimeMs };
  } catch {
    return null; // gone meanwhile
  }
}

/** Null when the lock is stale; otherwise why it is held, in words. */
function holder(lock: NonNullable<Awaited<ReturnType<typeof readLock>>>, file: string): string | null {
  const { info, ageMs } = lock;
  if (!info) return ageMs < UNREADABLE_GRACE_MS ? 'another drpo process' : null;
  const since = new Date(info.startedAt).toLocaleString();
  if (info.host !== os.hostname()) return `a drpo process on ${info.host} (pid ${info.pid}, since ${since})`;
  if (info.pid === process.pid) return heldHere.has(file) ? `this process (since ${since})` : null;
  if (!processAlive(info.pid)) return null;
  return `another drpo process (pid ${info.pid}, since ${since})`;
}

/**
 * Locks `target` (`<target>.lock`) for this process. `what` names it in the message: a checkpoint, or the
 * output file two runs with one `--out` would both write (the later would silently replace the other).
 */
export async function acquireRunLock(target: string, shownAs = target, what = 'checkpoint'): Promise<RunLock> {
  const file = `${target}.lock`;
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: Date.now() };
  const text = JSON.stringify(mine);
  for (let tries = 0; ; tries++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') {
        throw bad(`Cannot create the lock file "${file}" (${(err as { code?: string }).code ?? String(err)}).`);
      }
    }
    const found = await readLock(file);
    if (!found) continue;
    const who = holder(found, file);
    if (who || tries >= 3) {
      throw bad(
        `The ${what} "${shownAs}" is in use by ${who ?? 'another drpo process'}. Wait for that run to finish ` +
          `or stop it: two processes on one ${what} would overwrite each other's work. If no such process ` +
          `(a killed run, another container) ` +
          `is running any more, delete "${path.basename(file)}" and try again.`,
      );
    }
    // Stale: remove it, unless someone replaced it since we read it.
    const again = await readLock(file);
    if (again?.text === found.text) await rm(file, { force: true });
  }
  const releaseSync = () => {
    try {
      rmSync(file, { force: true });
    } catch {
      // the process is ending anyway
    }
  };
  heldHere.add(file);
  // A second Ctrl+C ends the process with process.exit: the lock must not outlive it.
  process.once('exit', releaseSync);
  return {
    file,
    async release() {
      process.off('exit', releaseSync);
      heldHere.delete(file);
      const current = await readLock(file);
      if (current?.text === text) await rm(file, { force: true });
    },
  };
}
