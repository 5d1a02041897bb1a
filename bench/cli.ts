/**
 * The installed `drpo` command: packs the repository, installs the tarball into a temporary global
 * prefix and measures `drpo --help` (CPU = user + sys of the child, median of several runs, via
 * bash's `time`), beside the repository launcher and the old way (TypeScript through tsx). Sizes:
 * tarball, installed package, and the dependencies it pulls. Targets: ≤ 0.3 s CPU; ≤ 10 MB installed.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packAndInstallCli } from '../test/fixtures/install-cli';
import type { BenchSection } from './types';

const CPU_TARGET_S = 0.3;
const SIZE_TARGET_MB = 10;

interface Timing {
  cpu: number;
  wall: number;
}

/** One run of `cmd --help` under bash's `time` keyword: real, user and sys of the child, in seconds. */
function timeOnce(cmd: string[]): Timing {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%3R %3U %3S"; time "$@" >/dev/null', 'bash', ...cmd, '--help'], {
    encoding: 'utf8',
  });
  const line = r.stderr.trim().split('\n').pop() ?? '';
  const [real, user, sys] = line.split(' ').map(Number);
  if (r.status !== 0 || real === undefined || user === undefined || sys === undefined || Number.isNaN(sys)) {
    throw new Error(`${cmd.join(' ')} --help failed (${r.status}): ${r.stderr.slice(0, 300)}`);
  }
  return { cpu: user + sys, wall: real };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(cmd: string[], runs: number): Timing & { runs: number } {
  timeOnce(cmd); // warm the file-system cache
  const ts = Array.from({ length: runs }, () => timeOnce(cmd));
  return { cpu: median(ts.map((t) => t.cpu)), wall: median(ts.map((t) => t.wall)), runs };
}

/** Bytes of every file under `dir` (symlinks counted as links, not followed). */
function treeBytes(dir: string): number {
  let sum = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    sum += e.isDirectory() ? treeBytes(p) : lstatSync(p).size;
  }
  return sum;
}

export async function benchCli(): Promise<BenchSection> {
  const loadBefore = os.loadavg()[0]!;
  const t0 = performance.now();
  const cli = packAndInstallCli();
  const packInstallS = (performance.now() - t0) / 1000;
  try {
    const installed = measure([cli.bin], 7);
    const repo = measure([process.execPath, 'bin/drpo.mjs'], 7);
    const tsx = measure([process.execPath, 'node_modules/tsx/dist/cli.mjs', 'src/cli/drpo.ts'], 3);
    const loadAfter = os.loadavg()[0]!;
    const packageBytes = treeBytes(cli.packageDir);
    const depsDir = path.join(cli.packageDir, 'node_modules');
    const depsBytes = readdirSync(cli.packageDir).includes('node_modules') ? treeBytes(depsDir) : 0;
    const mb = (b: number) => +(b / 2 ** 20).toFixed(2);
    const timing = (how: string, t: Timing & { runs: number }) => [
      { metric: `${how}: CPU s (median of ${t.runs})`, value: +t.cpu.toFixed(3) },
      { metric: `${how}: wall s (median of ${t.runs})`, value: +t.wall.toFixed(3) },
    ];
    return {
      name: 'CLI start-up and package size',
      rows: [
        ...timing('`drpo --help`, installed global bin', installed),
        ...timing('`node bin/drpo.mjs --help` in the repository', repo),
        ...timing('before: `tsx src/cli/drpo.ts --help`', tsx),
        { metric: 'npm pack + npm install -g, wall s', value: +packInstallS.toFixed(1) },
        { metric: 'tarball (MB)', value: mb(cli.tarballBytes) },
        { metric: 'installed package incl. dependencies (MB)', value: mb(packageBytes) },
        { metric: 'of which dependencies (MB)', value: mb(depsBytes) },
        {
          metric: 'machine load average (1 min) before / after / CPUs',
          value: `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} / ${os.cpus().length}`,
        },
      ],
      targets: [
        {
          label: `installed \`drpo --help\` ≤ ${CPU_TARGET_S} s CPU`,
          value: `${installed.cpu.toFixed(3)} s CPU (wall ${installed.wall.toFixed(3)} s, load ${loadAfter.toFixed(2)})`,
          ok: installed.cpu <= CPU_TARGET_S,
        },
        {
          label: `installed package with its dependencies ≤ ${SIZE_TARGET_MB} MB`,
          value: `${mb(packageBytes)} MB (dependencies ${mb(depsBytes)} MB)`,
          ok: packageBytes <= SIZE_TARGET_MB * 2 ** 20,
        },
      ],
    };
  } finally {
    rmSync(cli.dir, { recursive: true, force: true });
  }
}
