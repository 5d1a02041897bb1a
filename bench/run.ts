/**
 * `npm run bench [-- SECTION...]`: runs the benchmark sections (bench/sections.ts), prints tables, writes
 * bench/results.json. A section that fails is reported as failed; the others still run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { BENCH_USAGE, SECTIONS, SECTION_NAMES, parseBenchArgs } from './sections';
import type { BenchSection } from './types';
import { measureFrom, type SectionCost } from './section-cost';

const RESULTS = 'bench/results.json';
const order = (id: string) => SECTION_NAMES.indexOf(id);

function previousSections(): { id: string }[] {
  if (!existsSync(RESULTS)) return [];
  try {
    const prev = JSON.parse(readFileSync(RESULTS, 'utf8')) as { sections?: { id: string }[] };
    return Array.isArray(prev.sections) ? prev.sections.filter((s) => order(s.id) >= 0) : [];
  } catch {
    return [];
  }
}

function printTable(rows: Record<string, string | number>[]): void {
  if (!rows.length) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join(' │ ');
  console.log(line(cols));
  console.log(width.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c] ?? ''))));
}

const only = process.argv.slice(2);
const asked = parseBenchArgs(only);
if ('help' in asked) {
  console.log(BENCH_USAGE);
  process.exit(0);
}
if ('error' in asked) {
  console.error(asked.error);
  process.exit(2);
}
const results: (BenchSection & { id: string; error?: string; date?: string } & SectionCost)[] = [];
for (const [id, load] of SECTIONS) {
  if (!asked.sections.includes(id)) continue;
  const cost = measureFrom();
  try {
    const fn = await load();
    const s = await fn();
    results.push({ id, ...s, ...cost(), date: new Date().toISOString() });
  } catch (e) {
    results.push({ id, name: id, rows: [], targets: [], error: String((e as Error)?.stack ?? e), ...cost() });
  }
  const r = results[results.length - 1]!;
  console.log(
    `\n## ${r.name} (${r.seconds} s wall, ${r.cpuSeconds} s CPU in this process, ${r.machineCpuSeconds} s CPU on the machine, load ${r.load[0]} → ${r.load[1]})`,
  );
  if (r.error) console.log(`FAILED: ${r.error.split('\n')[0]}`);
  printTable(r.rows);
  for (const t of r.targets) console.log(`${t.ok ? '✔' : '✘'} ${t.label}: ${t.value}`);
}

const summary = results.flatMap((r) =>
  r.targets.map((t) => ({ section: r.name, target: t.label, value: t.value, met: t.ok ? 'yes' : 'NO' })),
);
console.log('\n## Targets');
printTable(summary);
// Running some sections only (`npx tsx bench/run.ts search-quality`) updates those sections and keeps the
// others as they were, so a partial run never throws away a full one.
const kept = only.length ? previousSections().filter((s) => !results.some((r) => r.id === s.id)) : [];
const out = {
  date: new Date().toISOString(),
  machine: {
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
  },
  sections: [...kept, ...results].sort((a, b) => order(a.id) - order(b.id)),
};
writeFileSync(RESULTS, JSON.stringify(out, null, 2) + '\n');
console.log(`\nWrote ${RESULTS}${kept.length ? ` (kept ${kept.length} other sections from the last run)` : ''}`);
const failed = results.filter((r) => r.error).length;
process.exitCode = failed ? 1 : 0;
