// Finds a Chromium for browser tests: $CHROMIUM_PATH, then system browsers, then Playwright's own.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ['/usr/bin/chromium', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    if (name.startsWith('/')) {
      if (existsSync(name)) return name;
      continue;
    }
    try {
      const p = execSync(`command -v ${name}`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
      if (p) return p;
    } catch {
      /* not on PATH */
    }
  }
  return undefined;
}

export async function findPlaywrightChromium() {
  try {
    const { chromium } = await import('playwright');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

export async function requireChromium() {
  const found = findChromium() ?? (await findPlaywrightChromium());
  if (!found) {
    console.error(
      'No Chromium found for browser tests. Install one with `sudo apt-get install -y chromium` (Debian/Ubuntu) or `npx playwright install chromium`, or set CHROMIUM_PATH.',
    );
    process.exit(1);
  }
  return found;
}
