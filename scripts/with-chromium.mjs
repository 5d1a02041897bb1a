// Runs a command with CHROMIUM_PATH set to a Chromium found on this machine.
import { spawnSync } from 'node:child_process';
import { requireChromium } from './find-chromium.mjs';

const chromium = await requireChromium();
const [cmd, ...args] = process.argv.slice(2);
const r = spawnSync('npx', [cmd, ...args], { stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium } });
process.exit(r.status ?? 1);
