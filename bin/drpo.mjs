#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's ESM loader, so `npx drpo` works in the repo without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
