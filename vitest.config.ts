import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const chromium = process.env.CHROMIUM_PATH;
const baseArgs = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export default defineConfig({
  optimizeDeps: { include: ['@mlc-ai/web-llm', 'comlink', 'lit', 'idb', 'lit/decorators.js', 'lit/directives/unsafe-html.js', 'dompurify', '@lit/context', 'jsonrepair', 'diff'] },
  worker: { format: 'es' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          globalSetup: ['test/unit/global-setup.ts'],
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          globalSetup: ['test/browser/global-setup.ts'],
          include: ['test/browser/**/*.test.ts'],
          exclude: ['test/browser/**/*.nogpu.test.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: chromium, args: [...baseArgs, '--enable-unsafe-webgpu'] } }),
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser-nogpu',
          globalSetup: ['test/browser/global-setup.ts'],
          include: ['test/browser/**/*.nogpu.test.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: chromium, args: baseArgs } }),
          },
        },
      },
    ],
  },
});
