import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Libraries of the page and the worker: never in core or the CLI. */
const PAGE_LIBS = ['lit', 'lit/*', '@lit/*', 'idb', 'comlink', '@mlc-ai/*'];
const layers = (...names) => names.flatMap((n) => [`**/${n}/*`, `**/${n}/**`]);

/** `files` may not import `banned`; `typeOnly` only with `import type`; `globals` may not be used. */
function fence(files, banned, { typeOnly = [], globals: bannedGlobals = [] } = {}) {
  const patterns = [{ group: banned, message: 'This layer may not import that (see README, Architecture).' }];
  if (typeOnly.length) {
    patterns.push({ group: typeOnly, allowTypeImports: true, message: 'Only `import type` from this layer.' });
  }
  return {
    files: [files],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
      'no-restricted-globals': ['error', ...bannedGlobals],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layer fences (README, Architecture; test/unit/architecture.test.ts checks the same rules on the graph).
  fence('src/core/**/*.ts', [...layers('llm', 'worker', 'client', 'store', 'ui', 'cli', 'protocol'), ...PAGE_LIBS, 'node:*'], {
    // Pure TypeScript that runs in the worker and in Node: nothing of either.
    globals: ['process', 'Buffer', 'window', 'document', 'navigator'],
  }),
  fence('src/protocol/**/*.ts', [...layers('llm', 'worker', 'client', 'store', 'ui', 'cli'), ...PAGE_LIBS.filter((l) => l !== 'comlink')]),
  // Adapters implement core's contracts; what crosses the worker boundary is the worker's business, not theirs.
  fence('src/llm/**/*.ts', layers('protocol', 'worker', 'client', 'store', 'ui', 'cli')),
  fence('src/store/**/*.ts', layers('llm', 'worker', 'client', 'ui', 'cli'), { typeOnly: layers('protocol') }),
  fence('src/worker/**/*.ts', layers('client', 'ui', 'cli')),
  fence('src/client/**/*.ts', layers('llm', 'worker', 'store', 'ui', 'cli')),
  // The page talks to the worker only through the client; what crosses the boundary is typed in protocol/.
  fence('src/ui/**/*.ts', [...layers('llm', 'worker', 'cli'), '@mlc-ai/*'], { typeOnly: layers('protocol') }),
  fence('src/cli/**/*.ts', [...layers('worker', 'client', 'store', 'ui', 'protocol'), ...PAGE_LIBS]),
);
