/**
 * One process per checkpoint (and per output file). `drpo optimize` holds `<checkpoint>.lock` (pid, host,
 * start time) while it runs; a second process on the same checkpoint stops with a clear message instead of both overwriting
 * it. A lock whose process is gone (kill -9, a crash, a reboot) is stale and taken over. On this machine that is
 * known from its pid; a lock from another machine (a shared folder, a CI runner, a container) is judged by its
 * heartbeat: the holder touches the file's mtime while it runs, so one that stopped being touched is left over.
 */
import { rmSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bad } from './args';
import { processAlive } from './files';
import { formatDuration } from '../core/words/durations';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: number;
  /** How often the holder touches the lock; absent in locks written before the heartbeat existed. */
  heartbeatMs?: number;
}

export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

export interface RunLockOptions {
  /** How the target is named in messages (default: its path). */
  shownAs?: string;
  /** What it is: a checkpoint, or the output file two runs with one `--out` would both write. */
  what?: string;
  /** Where one-line notices go (a stale lock taken over, ours taken over while we were suspended). */
  note?: (line: string) => void;
}

/** Locks this process holds (a lock with our own pid is ours only if listed here; else a reused pid's leftover). */
const heldHere = new Set<string>();

/** A lock file still being written by its owner may be empty for a moment; older than this, it is junk. */
const UNREADABLE_GRACE_MS = 5_000;

/**
 * The holder touches its lock this often. 30 s is one small write per half minute (nothing next to a
 * checkpoint's writes), yet lets a dead holder's lock be taken over within minutes.
 */
export const HEARTBEAT_MS = 30_000;

/**
 * A lock from another machine untouched for this long is stale: six missed heartbeats, so a busy disk, a
 * slow network share or a clock a minute or two off between the machines does not make a live run's lock look
 * dead, while a dead container's lock is freed in minutes rather than never.
 */
export const STALE_AFTER_MS = 3 * 60_000;

/**
 * Locks written before the heartbeat were never touched after their start, so their mtime says only when the
 * run began: such a lock from another machine is stale only when older than any run plausibly lasts.
 */
export const UNREFRESHED_STALE_AFTER_MS = 24 * 60 * 60_000;

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

/** Held: who holds it and what to do if that holder is gone. Stale: what was left over, in words. */
type Verdict = { held: true; who: string; ifGone: string } | { held: false; left: string };

const deleteIt = (file: string) => `delete "${path.basename(file)}" and try again`;
const ifNoSuchProcess = (file: string) => `If no such process (a killed run) is running any more, ${deleteIt(file)}.`;

function judge(lock: NonNullable<Awaited<ReturnType<typeof readLock>>>, file: string): Verdict {
  const { info, ageMs } = lock;
  const ifGone = ifNoSuchProcess(file);
  if (!info) {
    return ageMs < UNREADABLE_GRACE_MS
      ? { held: true, who: 'another drpo process', ifGone }
      : { held: false, left: 'an unreadable lock' };
  }
  const since = new Date(info.startedAt).toLocaleString();
  if (info.host !== os.hostname()) {
    const refreshed = Number(info.heartbeatMs) > 0;
    const limit = refreshed ? STALE_AFTER_MS : UNREFRESHED_STALE_AFTER_MS;
    const where = `a drpo process on ${info.host} (pid ${info.pid}, since ${since}`;
    if (ageMs >= limit) {
      return { held: false, left: `the lock of ${where}), untouched for ${formatDuration(ageMs)}` };
    }
    if (!refreshed) {
      return {
        held: true,
        who: `${where})`,
        ifGone:
          `If that machine is gone, ${deleteIt(file)} (an older drpo wrote this lock and does not refresh it, ` +
          `so it is taken over only after ${UNREFRESHED_STALE_AFTER_MS / 3_600_000} hours).`,
      };
    }
    return {
      held: true,
      who: `${where}, last refreshed ${formatDuration(ageMs)} ago)`,
      ifGone:
        `If that machine is gone, wait ${formatDuration(limit - ageMs)} (a lock not refreshed for ` +
        `${STALE_AFTER_MS / 60_000} minutes is taken over) or ${deleteIt(file)}.`,
    };
  }
  if (info.pid === process.pid) {
    return heldHere.has(file)
      ? { held: true, who: `this process (since ${since})`, ifGone }
      : { held: false, left: `the lock of an earlier process with this pid (${info.pid})` };
  }
  if (!processAlive(info.pid)) return { held: false, left: `the lock of pid ${info.pid}, no longer running` };
  return { held: true, who: `another drpo process (pid ${info.pid}, since ${since})`, ifGone };
}

/** Whether `<target>.lock` is held by a live run (a lock left by a killed one is not), without touching it. */
export async function lockHeld(target: string): Promise<boolean> {
  const file = `${target}.lock`;
  const found = await readLock(file);
  return found !== null && judge(found, file).held;
}

/** Locks `target` (`<target>.lock`) for this process, refreshing it until released. */
export async function acquireRunLock(target: string, opts: RunLockOptions = {}): Promise<RunLock> {
  const { shownAs = target, what = 'checkpoint', note = () => undefined } = opts;
  const file = `${target}.lock`;
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: Date.now(), heartbeatMs: HEARTBEAT_MS };
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
    const verdict = judge(found, file);
    if (verdict.held || tries >= 3) {
      const { who, ifGone } = verdict.held ? verdict : { who: 'another drpo process', ifGone: ifNoSuchProcess(file) };
      throw bad(
        `The ${what} "${shownAs}" is in use by ${who}. Wait for that run to finish or stop it: two ` +
          `processes on one ${what} would overwrite each other's work. ${ifGone}`,
      );
    }
    // Stale: remove it, unless someone replaced it since we read it.
    const again = await readLock(file);
    if (again?.text === found.text) {
      await rm(file, { force: true });
      note(`note: took over "${path.basename(file)}": ${verdict.left}.`);
    }
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
  let released = false;
  const refresh = async () => {
    let ours: boolean;
    try {
      // Read and touched through one handle: a lock replaced meanwhile is never touched for its new holder.
      const handle = await open(file, 'r');
      try {
        ours = (await handle.readFile('utf8')) === text;
        const now = new Date();
        if (ours && !released) await handle.utimes(now, now);
      } finally {
        await handle.close();
      }
    } catch (err) {
      // Gone: no longer ours. Any other failure (a network share's hiccup): try again at the next beat.
      if ((err as { code?: string }).code !== 'ENOENT') return;
      ours = false;
    }
    if (ours || released) return;
    // Removed, or taken over (this process was suspended longer than STALE_AFTER_MS): say so once and stop.
    clearInterval(heartbeat);
    note(
      `warning: "${path.basename(file)}" is no longer this run's lock (removed or taken over by another ` +
        `process): two runs may now write the same ${what}.`,
    );
  };
  // Unref'd: the heartbeat never keeps the process alive by itself.
  const heartbeat = setInterval(() => void refresh(), HEARTBEAT_MS);
  heartbeat.unref();
  return {
    file,
    async release() {
      released = true;
      clearInterval(heartbeat);
      process.off('exit', releaseSync);
      heldHere.delete(file);
      const current = await readLock(file);
      if (current?.text === text) await rm(file, { force: true });
    },
  };
}
