import { defineConfig } from '@playwright/test';
import { e2eWorkers, scriptedPort } from './test/e2e/workers';

const args = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const executablePath = process.env.CHROMIUM_PATH || undefined;
const WORKERS = e2eWorkers();

export default defineConfig({
  testDir: 'test/e2e',
  // Two workers on two cores: each has its own shared scripted endpoint (test/e2e/helpers.ts SCRIPTED), and every
  // test its own browser context (storage, locks); `E2E_WORKERS=1` runs them one at a time. Set the count there, not
  // with --workers: the endpoints are started for E2E_WORKERS (test/e2e/helpers.ts refuses a worker past them).
  workers: WORKERS,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: { baseURL: 'http://127.0.0.1:4173', trace: 'off' },
  webServer: [
    {
      command: 'npx vite preview --port 4173 --strictPort --host 127.0.0.1',
      url: 'http://127.0.0.1:4173',
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    // The scripted OpenAI-compatible endpoints (test/fixtures), one per worker: deterministic answers, steerable faults.
    ...Array.from({ length: WORKERS }, (_, i) => ({
      command: `npx tsx test/fixtures/serve-scripted.ts --port ${scriptedPort(i, WORKERS)} --delay-ms 15`,
      url: `http://127.0.0.1:${scriptedPort(i, WORKERS)}/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    })),
  ],
  projects: [
    { name: 'webgpu', testIgnore: /\.nogpu\.spec\.ts$/, use: { launchOptions: { executablePath, args: [...args, '--enable-unsafe-webgpu'] } } },
    { name: 'no-webgpu', testMatch: /\.nogpu\.spec\.ts$/, use: { launchOptions: { executablePath, args } } },
  ],
});
