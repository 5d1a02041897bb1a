import { defineConfig } from '@playwright/test';

const args = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const executablePath = process.env.CHROMIUM_PATH || undefined;

export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
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
    {
      // The scripted OpenAI-compatible endpoint (test/fixtures): deterministic answers, steerable faults.
      command: 'npx tsx test/fixtures/serve-scripted.ts --port 4174 --delay-ms 15',
      url: 'http://127.0.0.1:4174/health',
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
  projects: [
    { name: 'webgpu', testIgnore: /\.nogpu\.spec\.ts$/, use: { launchOptions: { executablePath, args: [...args, '--enable-unsafe-webgpu'] } } },
    { name: 'no-webgpu', testMatch: /\.nogpu\.spec\.ts$/, use: { launchOptions: { executablePath, args } } },
  ],
});
