/**
 * The run lock across machines: a lock from another host is held while its holder keeps refreshing it and
 * taken over (with a note) once it stops; the refusal says who holds it and what to do if that machine is gone.
 * Ages are set with `utimes`, the heartbeat is driven with fake timers: nothing waits real minutes.
 */
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acquireRunLock, HEARTBEAT_MS } from '../../../src/cli/run-lock';

let dir: string;
let target: string;
let lockFile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drpo-lock-'));
  target = path.join(dir, 't.json');
  lockFile = `${target}.lock`;
});
afterEach(() => vi.useRealTimers());

const MIN = 60_000;
/** A lock written by a drpo on another machine, last touched `ageMs` ago. */
function foreignLock(ageMs: number, fields: Record<string, unknown> = { heartbeatMs: HEARTBEAT_MS }): string {
  const text = JSON.stringify({ pid: 4321, host: 'gone-box', startedAt: Date.now() - ageMs, ...fields });
  writeFileSync(lockFile, text);
  const t = new Date(Date.now() - ageMs);
  utimesSync(lockFile, t, t);
  return text;
}

describe('a lock from another machine', () => {
  it('while refreshed, is refused with its host, start and what to do if that machine is gone', async () => {
    const text = foreignLock(40_000);
    const err = await acquireRunLock(target, { shownAs: 't.json' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/The checkpoint "t\.json" is in use by a drpo process on gone-box \(pid 4321, since /);
    expect(message).toMatch(/last refreshed \d+ s ago\)/);
    expect(message).toMatch(
      /If that machine is gone, wait \d+ min \d+ s \(a lock not refreshed for 3 minutes is taken over\)/,
    );
    expect(message).toMatch(/or delete "t\.json\.lock" and try again\.$/);
    expect(readFileSync(lockFile, 'utf8')).toBe(text);
  });

  it('once not refreshed for 3 minutes, is taken over with a note, and released like ours', async () => {
    foreignLock(4 * MIN);
    const notes: string[] = [];
    const lock = await acquireRunLock(target, { note: (l) => notes.push(l) });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^note: took over "t\.json\.lock": the lock of a drpo process on gone-box \(pid 4321, since .*\), untouched for 4 min \d s\.$/,
    );
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, heartbeatMs: HEARTBEAT_MS });
    await lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('written by a drpo without the heartbeat, is judged by its mtime (its start) with a day’s margin', async () => {
    foreignLock(10 * MIN, {});
    const err = await acquireRunLock(target).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/in use by a drpo process on gone-box \(pid 4321, since [^)]*\)\./);
    expect((err as Error).message).toMatch(
      /If that machine is gone, delete "t\.json\.lock" and try again \(an older drpo .* taken over only after 24 hours\)\.$/,
    );
    foreignLock(25 * 60 * MIN, {});
    const notes: string[] = [];
    const lock = await acquireRunLock(target, { note: (l) => notes.push(l) });
    expect(notes[0]).toMatch(/took over "t\.json\.lock": .* on gone-box .*untouched for 25 h 0 min/);
    await lock.release();
  });
});

describe('the heartbeat', () => {
  it('keeps the lock fresh while held and stops on release', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const lock = await acquireRunLock(target);
    const old = new Date(Date.now() - 10 * MIN);
    utimesSync(lockFile, old, old);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await vi.waitFor(() => expect(statSync(lockFile).mtimeMs).toBeGreaterThan(old.getTime() + 5 * MIN));
    expect(vi.getTimerCount()).toBe(1);
    await lock.release();
    expect(vi.getTimerCount()).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('a lock taken over meanwhile is not refreshed for its new holder: a warning, then silence', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const notes: string[] = [];
    const lock = await acquireRunLock(target, { what: 'output file', note: (l) => notes.push(l) });
    const theirs = foreignLock(MIN);
    const touched = statSync(lockFile).mtimeMs;
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await vi.waitFor(() => expect(notes).toHaveLength(1));
    expect(notes[0]).toMatch(/^warning: "t\.json\.lock" is no longer this run's lock .* write the same output file\.$/);
    expect(vi.getTimerCount()).toBe(0);
    expect(statSync(lockFile).mtimeMs).toBe(touched);
    await lock.release();
    expect(readFileSync(lockFile, 'utf8')).toBe(theirs);
  });
});
