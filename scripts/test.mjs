// `npm test`: typecheck (all, then core without DOM types), lint, Vitest (unit + browser), build, Playwright e2e — stops at the first failure.
import { spawnSync } from 'node:child_process';
import { requireChromium } from './find-chromium.mjs';

const chromium = await requireChromium();
const env = { ...process.env, CHROMIUM_PATH: chromium };
const steps = [
  ['typecheck', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  // core/ again without DOM types: it runs in the worker and in Node.
  ['typecheck', ['tsc', '-p', 'tsconfig.core.json', '--noEmit']],
  ['lint', ['eslint', '.']],
  ['format', ['prettier', '--check', 'src/**/*.ts', 'test/**/*.ts']],
  ['vitest', ['vitest', 'run']],
  ['build', ['vite', 'build', '--logLevel', 'warn']],
  ['e2e', ['playwright', 'test']],
];
const only = process.argv.slice(2);
for (const [name, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync('npx', args, { stdio: 'inherit', env });
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
