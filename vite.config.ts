import { defineConfig } from 'vite';

// `base: './'` makes dist/ work from any static host and any sub-path.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    sourcemap: true,
    // The worker chunk holds web-llm (~6.8 MB raw); that is expected and loaded on demand.
    chunkSizeWarningLimit: 8000,
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1' },
  optimizeDeps: { include: ['@mlc-ai/web-llm', 'comlink', 'lit', 'idb'] },
});
