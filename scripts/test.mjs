// `npm test`: typecheck (all, then core without DOM types), lint and format side by side, then Vitest (unit +
// browser), build, Playwright e2e — stops at the first failure. `npm test -- lint vitest` runs only those steps.
import { spawn } from 'node:child_process';
import { requireChromium } from './find-chromium.mjs';

const chromium = await requireChromium();
const env = { ...process.env, CHROMIUM_PATH: chromium };
/**
 * Steps in order; the checks of one group run at the same time (each waits mostly on one core, and together they
 * took 48 s one after the other), their output held back and printed whole, one step after the other.
 */
const groups = [
  [
    ['typecheck', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
    // core/ again without DOM types: it runs in the worker and in Node.
    ['typecheck', ['tsc', '-p', 'tsconfig.core.json', '--noEmit']],
    ['lint', ['eslint', '.']],
    ['format', ['prettier', '--check', 'src/**/*.ts', 'test/**/*.ts']],
  ],
  [['vitest', ['vitest', 'run']]],
  [['build', ['vite', 'build', '--logLevel', 'warn']]],
  [['e2e', ['playwright', 'test']]],
];

/** Runs one step; alone it prints as it goes, beside others its output is kept and printed when it ends. */
function run(name, args, alone) {
  const t0 = Date.now();
  if (alone) console.log(`\n=== ${name} ===`);
  return new Promise((resolve) => {
    const child = spawn('npx', args, { stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'], env });
    const out = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr?.on('data', (d) => out.push(d));
    child.on('close', (code) => {
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      const text = alone ? '' : `\n=== ${name} ===\n${Buffer.concat(out).toString()}`;
      resolve({ code: code ?? 1, report: `${text}=== ${name}: ${code === 0 ? 'ok' : 'FAILED'} (${seconds} s)` });
    });
  });
}

const only = process.argv.slice(2);
for (const group of groups) {
  const steps = group.filter(([name]) => !only.length || only.includes(name));
  const results = await Promise.all(steps.map(([name, args]) => run(name, args, steps.length === 1)));
  for (const r of results) console.log(r.report);
  const failed = results.find((r) => r.code !== 0);
  if (failed) process.exit(failed.code);
}
