#!/usr/bin/env node
// The `drpo` command: runs the bundled CLI that `npm install` / `npm run build` builds into
// dist-cli/ (see scripts/build-cli.mjs). Plain JavaScript, so Node starts it without a loader.
let cli;
try {
  cli = await import('../dist-cli/drpo.mjs');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist-cli')) throw err;
  process.stderr.write(
    'drpo: the command is not built yet (dist-cli/drpo.mjs is missing).\n' +
      '  In a clone of the repository, run "npm install" (or "npm run build:cli") first.\n',
  );
  process.exit(1);
}
await cli.main();
