/**
 * The checkpoints a new run offers to resume, in one order on every machine: newest first, those of one moment
 * by name, descending (a run's tag starts with its start time). A folder's read order differs by file system
 * (sorted here, a hash order on others), so it is rotated here to stand for one that is neither way sorted.
 */
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as FsPromises from 'node:fs/promises';

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const rotated = (names: string[]) => [...names.slice(2), ...names.slice(0, 2)];
  return { ...fs, readdir: async (dir: string) => rotated(await fs.readdir(dir)) };
});
const { resumableCheckpoints } = await import('../../../src/cli/earlier-work');

describe('the checkpoints a run could resume', () => {
  it('are listed newest first, and those of one moment by name, later-started first, whatever order the folder gives', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'drpo-order-'));
    const tied = ['c', 'a', 'd', 'b'].map((t) => `out.json.cli-${t}.checkpoint.json`);
    const names = [...tied, 'out.json.cli-z.checkpoint.json'];
    for (const [i, name] of names.entries()) {
      const f = path.join(dir, name);
      writeFileSync(f, '{}');
      const t = new Date(i < tied.length ? 1_700_000_000_000 : 1_700_000_005_000);
      utimesSync(f, t, t);
    }
    const listed = (await resumableCheckpoints(path.join(dir, 'out.json'))).map((f) => path.basename(f));
    expect(listed).toEqual(['out.json.cli-z.checkpoint.json', ...[...tied].sort().reverse()]);
  });
});
