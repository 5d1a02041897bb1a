/**
 * Node-side setup for the unit project: rebuilds the bundled `drpo` command (dist-cli/drpo.mjs) so
 * the tests that start bin/drpo.mjs as a subprocess, or pack it, always run the current source.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs', '--quiet'], { stdio: 'inherit' });
}
