// Bundles the `drpo` command (src/cli/drpo.ts and everything it imports) into one ES module,
// dist-cli/drpo.mjs, that Node runs directly: no TypeScript loader at start-up and no runtime
// dependencies to install. Runs at `npm run build`, `npm run build:cli` and `prepare` (so
// `npm install` / `npm ci` in a clone and `npm pack` always have a fresh bundle).
//   node scripts/build-cli.mjs [--quiet]
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTFILE = path.join(root, 'dist-cli', 'drpo.mjs');

/** Inputs the CLI must never pull in: the WebGPU engine and the page's own libraries. */
const FORBIDDEN = [
  /node_modules\/@mlc-ai\//,
  /node_modules\/(lit|lit-html|lit-element|@lit)\//,
  /^src\/(ui|worker|client|store)\//,
];

/** Builds the bundle; returns its size in bytes. Throws when a forbidden module is reachable. */
async function buildCli(outfile) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/drpo.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Unminified: stack traces from users stay readable, and minifying saves no start-up time.
    minify: false,
    legalComments: 'inline',
    // `drpo --version`: the version only, not package.json (it names the page's libraries, which the
    // bundle must not mention).
    define: { __DRPO_VERSION__: JSON.stringify(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version) },
    metafile: true,
    write: false,
    outfile,
    logLevel: 'warning',
  });
  const bad = Object.keys(result.metafile.inputs).filter((f) => FORBIDDEN.some((re) => re.test(f)));
  if (bad.length) throw new Error(`The CLI bundle must not include browser-only modules:\n  ${bad.join('\n  ')}`);
  const [file] = result.outputFiles;
  mkdirSync(path.dirname(outfile), { recursive: true });
  // Write then rename: a test or a `drpo` process reading the bundle never sees half a file.
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, outfile);
  return file.contents.length;
}

try {
  const bytes = await buildCli(OUTFILE);
  // stderr: `npm pack --json` runs this as `prepare` and keeps stdout for its JSON.
  if (!process.argv.includes('--quiet'))
    console.error(`CLI bundle: dist-cli/drpo.mjs (${(bytes / 1024).toFixed(0)} KB)`);
} catch (e) {
  // `npx drpo` in a clone before `npm install` installs the clone as a package, which runs `prepare`
  // without devDependencies. Failing there would leave a broken npx cache entry; skipping lets
  // bin/drpo.mjs say what to do instead.
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && process.env.npm_lifecycle_event === 'prepare') {
    console.error('build-cli: esbuild is not installed; the CLI is not built (run "npm install").');
  } else {
    console.error(`build-cli: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
