/**
 * `npm run bench -- <sections>`: the arguments are read before anything runs. An unknown name ran nothing,
 * said nothing and still rewrote bench/results.json with a new date. No section is run here.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_USAGE, SECTION_NAMES, parseBenchArgs } from '../../../bench/sections';

describe('npm run bench arguments', () => {
  it('runs every section for none named, and the named ones in their usual order', () => {
    expect(parseBenchArgs([])).toEqual({ sections: [...SECTION_NAMES] });
    expect(parseBenchArgs(['cli', 'search-quality'])).toEqual({ sections: ['search-quality', 'cli'] });
  });

  it('refuses an unknown name, listing the valid ones (and the closest)', () => {
    const all = SECTION_NAMES.join(', ');
    expect(parseBenchArgs(['serch-quality', 'cli'])).toEqual({
      error: `Unknown bench section: "serch-quality" (did you mean "search-quality"?). The sections are: ${all} (none named runs them all).`,
    });
    expect(parseBenchArgs(['nope', 'zzz'])).toEqual({
      error: `Unknown bench sections: "nope", "zzz". The sections are: ${all} (none named runs them all).`,
    });
  });

  it('--help lists the sections', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ help: true });
    expect(parseBenchArgs(['cli', '-h'])).toEqual({ help: true });
    for (const name of SECTION_NAMES) expect(BENCH_USAGE).toContain(name);
  });

  it('the script exits 2 on an unknown name before it writes bench/results.json', () => {
    const before = readFileSync('bench/results.json', 'utf8');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'no-such-section'], {
      encoding: 'utf8',
    });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('Unknown bench section: "no-such-section"');
    expect(readFileSync('bench/results.json', 'utf8')).toBe(before);
  });
});
