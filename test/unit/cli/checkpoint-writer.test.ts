import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunCheckpoint } from '../../../src/core/contracts/run-api';
import { CheckpointWriter, FILE_WRITE_EVERY_MS } from '../../../src/cli/checkpoint-file';
import { OPTIMIZE_USAGE } from '../../../src/cli/commands/optimize-command';
import { CHECKPOINT_EVERY_MS } from '../../../src/core/drpo/run';

/** A stand-in checkpoint: `n` tells which one is on disk. */
const cp = (n: number, work = true) =>
  ({ n, calls: work ? { [`c${n}`]: 1 } : {}, nodes: [] }) as unknown as RunCheckpoint;

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'drpo-cpw-'));
  const file = path.join(dir, 'run.checkpoint.json');
  const onDisk = () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { n: number }).n : null);
  return { dir, file, onDisk };
}

describe('CheckpointWriter', () => {
  it('writes the first checkpoint at once, then at most once per interval, the newest held back landing when it is up', async () => {
    const { file, onDisk } = setup();
    // The clock stands still, so the offers after the first are held back however slow the machine (with a real
    // clock, 60 ms gone by before the second offer made it write at once: "expected 3 to be 1" on a busy machine).
    // The held-back one still lands by the writer's real timer.
    const writer = new CheckpointWriter(file, 60, () => 0);
    await writer.offer(cp(1));
    expect(onDisk()).toBe(1);
    expect(writer.saved).toBe(true);
    await writer.offer(cp(2));
    await writer.offer(cp(3));
    expect(onDisk()).toBe(1);
    await vi.waitFor(() => expect(onDisk()).toBe(3), { timeout: 5_000, interval: 10 });
  });

  it('flush writes the one held back at once; a checkpoint holding no work is never written', async () => {
    const { file, onDisk } = setup();
    const writer = new CheckpointWriter(file, 60_000);
    await writer.offer(cp(1, false));
    await writer.flush();
    expect(onDisk()).toBe(null);
    expect(writer.saved).toBe(false);
    await writer.offer(cp(2));
    await writer.offer(cp(3));
    expect(onDisk()).toBe(2);
    await writer.flush();
    expect(onDisk()).toBe(3);
    await writer.flush(); // nothing left: no timer, no write
    expect(onDisk()).toBe(3);
  });

  it('a delayed write that fails stops the run at its next checkpoint, and is tried again by flush', async () => {
    const { dir, file } = setup();
    // The clock stands still, so every offer after the first is held back for the timer, however slow the
    // machine (with a real clock, 30 ms gone by before the second offer made it write, and fail, at once).
    const writer = new CheckpointWriter(file, 30, () => 0);
    await writer.offer(cp(1));
    rmSync(dir, { recursive: true });
    await writer.offer(cp(2));
    // Offers before the delayed write has failed are held back as usual; the first one after it fails.
    await vi.waitFor(() => expect(writer.offer(cp(3))).rejects.toThrow(/Cannot write/), {
      timeout: 5_000,
      interval: 10,
    });
    await expect(writer.flush()).rejects.toThrow(/Cannot write/);
  });
});

describe('what the help and README say about checkpoint timing', () => {
  it("names the run's pace and the file's cap as the code sets them", () => {
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const help = flat(OPTIMIZE_USAGE);
    expect(help).toContain(
      `after every scored prompt and, while calls finish, at least every ${CHECKPOINT_EVERY_MS / 1000} s`,
    );
    expect(help).toContain(
      `the file is rewritten at most every ${FILE_WRITE_EVERY_MS / 1000} s, and always when the run stops`,
    );
    const readme = flat(readFileSync(path.resolve(process.cwd(), 'README.md'), 'utf8'));
    expect(readme).toContain(`while calls finish, at least every ${CHECKPOINT_EVERY_MS / 1000} seconds`);
    expect(FILE_WRITE_EVERY_MS).toBe(1000); // README: "at most once a second"
    expect(readme).toContain('rewrites its checkpoint file at most once a second, and always when the run stops');
  });
});
