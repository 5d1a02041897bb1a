/**
 * Hostile endpoints and two tabs (issue 11), measured on the real thing:
 *  - `drpo optimize` (a subprocess through bin/drpo.mjs) against an endpoint answering 1 GB: exit code,
 *    time to exit, peak resident memory (VmHWM) and CPU time, beside a clean short run for scale;
 *  - the same against an endpoint that never answers, with --timeout-ms 2000: time to exit and the
 *    progress lines printed while waiting;
 *  - the same run driven from two tabs of one browser profile vs one tab: chat requests the endpoint
 *    saw (test/e2e/two-tabs.spec.ts measures it on the built page).
 * Machine load is reported beside, so a slow figure can be told from a busy machine.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startScriptedServer } from '../test/fixtures/scripted-server';
import type { FaultPlan } from '../test/fixtures/scripted-server';
import type { BenchSection } from './types';

const BIN = path.resolve('bin/drpo.mjs');
const TICK_S = 1 / 100; // USER_HZ on Linux

interface CliRun {
  code: number | null;
  wallMs: number;
  peakRssMB: number;
  cpuMs: number;
  stderr: string;
}

/** Peak RSS and CPU of a live process from /proc (Linux); null once it is gone. */
function sample(pid: number): { hwmKB: number; cpuMs: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const hwmKB = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_S * 1000;
    return { hwmKB, cpuMs };
  } catch {
    return null;
  }
}

async function runCli(args: string[], faults: FaultPlan | null): Promise<CliRun> {
  const server = await startScriptedServer({ faults });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drpo-bench-robust-'));
  try {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [BIN, 'optimize', '--base-url', server.url, '--model', 'scripted-small', ...args],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = { hwmKB: 0, cpuMs: 0 };
    const poll = setInterval(() => {
      const s = sample(child.pid!);
      if (s) peak = { hwmKB: Math.max(peak.hwmKB, s.hwmKB), cpuMs: Math.max(peak.cpuMs, s.cpuMs) };
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearInterval(poll);
    return { code, wallMs: performance.now() - t0, peakRssMB: peak.hwmKB / 1024, cpuMs: peak.cpuMs, stderr };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the two-tab e2e test, which writes its request counts to DRPO_BENCH_OUT. */
function twoTabs(): { single: number; twoTabs: number; ratio: number } {
  if (!existsSync('dist/index.html')) spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'drpo-bench-tabs-')), 'tabs.json');
  const r = spawnSync('npx', ['playwright', 'test', 'test/e2e/two-tabs.spec.ts', '-g', 'second tab'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DRPO_BENCH_OUT: out },
  });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`the two-tab e2e test failed (exit ${r.status})`);
  return JSON.parse(readFileSync(out, 'utf8')) as { single: number; twoTabs: number; ratio: number };
}

const mb = (x: number) => +x.toFixed(0);
const s = (ms: number) => +(ms / 1000).toFixed(2);

export async function benchRobustness(): Promise<BenchSection> {
  // The runs below start the built command: build it from the source as it is now.
  execFileSync(process.execPath, ['scripts/build-cli.mjs', '--quiet'], { stdio: 'inherit' });
  const load = os.loadavg()[0]!;
  const clean = await runCli(['--preset', 'quick', '--max-calls', '10'], null);
  const huge = await runCli(['--preset', 'quick'], { mode: 'huge', paths: ['/chat/completions'] });
  const hung = await runCli(['--preset', 'quick', '--timeout-ms', '2000'], {
    mode: 'timeout',
    paths: ['/chat/completions'],
  });
  const waitLines = hung.stderr.split('\n').filter((l) => /retry \d+ of \d+|waiting for the endpoint/.test(l));
  const tabs = twoTabs();
  const cli = (label: string, r: CliRun) => ({
    case: label,
    exit: r.code ?? 'signal',
    'wall (s)': s(r.wallMs),
    'CPU (s)': s(r.cpuMs),
    'peak RSS (MB)': mb(r.peakRssMB),
  });
  return {
    name: 'Robustness: hostile endpoints, two tabs',
    rows: [
      cli('CLI, clean endpoint, 10 calls (for scale)', clean),
      cli('CLI, endpoint answers 1 GB', huge),
      cli('CLI, hung endpoint, --timeout-ms 2000', hung),
      { case: 'hung endpoint: progress lines while waiting', value: waitLines.length },
      { case: 'chat requests, run driven from one tab', value: tabs.single },
      { case: 'chat requests, same run with a second tab open on it', value: tabs.twoTabs },
      { case: 'machine load average (1 min) / CPUs', value: `${load.toFixed(1)} / ${os.cpus().length}` },
    ],
    targets: [
      {
        label: '1 GB reply: exit 2 within 10 s, peak memory < 300 MB',
        value: `exit ${huge.code}, ${s(huge.wallMs)} s, ${mb(huge.peakRssMB)} MB`,
        ok: huge.code === 2 && huge.wallMs < 10_000 && huge.peakRssMB < 300,
      },
      {
        label: 'hung endpoint, --timeout-ms 2000: exit 2 in < 20 s with progress lines',
        value: `exit ${hung.code}, ${s(hung.wallMs)} s, ${waitLines.length} lines`,
        ok: hung.code === 2 && hung.wallMs < 20_000 && waitLines.length > 0,
      },
      {
        label: 'two tabs: requests ≤ 1.05 × one tab',
        value: `${tabs.twoTabs} / ${tabs.single} = ${tabs.ratio.toFixed(3)}`,
        ok: tabs.ratio <= 1.05,
      },
    ],
  };
}
