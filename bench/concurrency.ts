/**
 * Endpoint parallelism: `drpo optimize --preset quick` and `drpo eval --limit 100` against a scripted
 * server that emulates a serving engine (a fixed decode speed per request and 4 parallel slots), at
 * --concurrency 1, 4 and 8. Targets: at 4 on 4 slots ≤ 0.35 × the wall time at 1; at 8 no slower
 * than at 4 (within 5% timer noise); identical alignments at every concurrency.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli/drpo';
import type { CliIo } from '../src/cli/cli-io';
import { startScriptedServer } from '../test/fixtures/scripted-server';
import type { BenchSection } from './types';

const SLOTS = 4;
const TOKENS_PER_S = 400;
const LEVELS = [1, 4, 8] as const;

function quietIo(cwd: string): CliIo {
  return { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd };
}

interface Timed {
  wallS: number;
  cpuS: number;
  maxActive: number;
  output: string;
}

async function timed(argv: string[], outFile: string, cwd: string): Promise<Timed> {
  const server = await startScriptedServer({ slots: SLOTS, tokensPerSecond: TOKENS_PER_S });
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const code = await runCli([...argv.map((a) => a.replace('{url}', server.url))], quietIo(cwd));
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (code !== 0) throw new Error(`drpo ${argv[0]} exited ${code}`);
    const output = readFileSync(path.join(cwd, outFile), 'utf8');
    return { wallS, cpuS: (cpu.user + cpu.system) / 1e6, maxActive: server.maxActive, output };
  } finally {
    await server.close();
  }
}

/** An alignment file or eval report without its creation time (the only field a clock writes). */
const comparable = (json: string) => JSON.stringify({ ...(JSON.parse(json) as object), createdAt: '' });

export async function benchConcurrency(): Promise<BenchSection> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drpo-bench-conc-'));
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, Record<number, Timed>> = { optimize: {}, eval: {} };
  try {
    for (const c of LEVELS) {
      const load = os.loadavg()[0]!;
      const opt = await timed(
        [
          'optimize',
          '--base-url',
          '{url}',
          '--model',
          'scripted-small',
          '--preset',
          'quick',
          '--concurrency',
          String(c),
          '--out',
          `q${c}.json`,
        ],
        `q${c}.json`,
        dir,
      );
      const ev = await timed(
        [
          'eval',
          '--base-url',
          '{url}',
          '--model',
          'scripted-small',
          '--baseline',
          '--limit',
          '100',
          '--concurrency',
          String(c),
          '--out',
          `e${c}.json`,
        ],
        `e${c}.json`,
        dir,
      );
      results.optimize![c] = opt;
      results.eval![c] = ev;
      for (const [what, t] of [
        ['optimize --preset quick', opt],
        ['eval --limit 100', ev],
      ] as const) {
        rows.push({
          command: what,
          concurrency: c,
          wallS: +t.wallS.toFixed(2),
          cpuS: +t.cpuS.toFixed(2),
          serverMaxInFlight: t.maxActive,
          load1m: +load.toFixed(2),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const targets = [];
  for (const [cmd, r] of Object.entries(results)) {
    const one = r[1]!;
    const four = r[4]!;
    const eight = r[8]!;
    const ratio = four.wallS / one.wallS;
    targets.push({
      label: `${cmd}: wall time at 4 ≤ 0.35 × at 1 (4 slots)`,
      value: ratio.toFixed(2),
      ok: ratio <= 0.35,
    });
    const r8 = eight.wallS / four.wallS;
    targets.push({
      label: `${cmd}: at 8 no slower than at 4 (≤ 1.05×, timer noise)`,
      value: r8.toFixed(2),
      ok: r8 <= 1.05,
    });
    const identical = LEVELS.every((c) => comparable(r[c]!.output) === comparable(one.output));
    targets.push({
      label: `${cmd}: identical output at concurrency 1, 4 and 8`,
      value: identical ? 'yes' : 'NO',
      ok: identical,
    });
  }
  return {
    name: `Endpoint parallelism (scripted server: ${SLOTS} slots, ${TOKENS_PER_S} tokens/s per request)`,
    rows,
    targets,
  };
}
