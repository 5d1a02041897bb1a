/** Captured stdout/stderr for running `drpo` subcommands in-process (shared by the CLI tests). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { CliIo } from '../../src/cli/drpo';
import { defaultResponder, startScriptedServer, type ScriptedServer } from '../fixtures/scripted-server';

export interface Captured extends CliIo {
  out: () => string;
  err: () => string;
}

export function captureIo(
  cwd: string,
  opts: {
    signal?: AbortSignal;
    onOut?: (s: string) => void;
    onErr?: (s: string) => void;
    env?: Record<string, string>;
  } = {},
): Captured {
  let out = '';
  let err = '';
  return {
    stdout: {
      write: (s: string) => {
        out += s;
        opts.onOut?.(s);
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        err += s;
        opts.onErr?.(s);
        return true;
      },
    },
    env: opts.env ?? {},
    cwd,
    signal: opts.signal,
    out: () => out,
    err: () => err,
  };
}

/**
 * Captured output of a `drpo eval` that gets Ctrl+C as soon as its progress line says an answer was written: a
 * stopped evaluation with a finished part, on any machine. (A Ctrl+C after a fixed time came, on a loaded machine,
 * before anything was finished: no partial report to check.)
 */
export function captureIoStoppedOnceAnswered(cwd: string): Captured {
  const ctrl = new AbortController();
  return captureIo(cwd, {
    signal: ctrl.signal,
    // As a real Ctrl+C does, the signal comes from outside the write, a moment later.
    onErr: (s) => void (/^answers: [1-9]\d*\/\d+ written/m.test(s) && setImmediate(() => ctrl.abort())),
  });
}

/**
 * The scripted endpoint and a fresh temp folder per test, for the CLI tests: the hooks are registered
 * here; read `fx.server` and `fx.dir` inside tests (they are set before each one).
 */
export function cliFixture(prefix: string): { readonly server: ScriptedServer; readonly dir: string } {
  const fx = {} as { server: ScriptedServer; dir: string };
  beforeAll(async () => {
    fx.server = await startScriptedServer();
  });
  afterAll(async () => {
    await fx.server.close();
  });
  beforeEach(() => {
    fx.server.reset();
    fx.server.setFaults(null);
    fx.server.setDelay(0);
    fx.dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  return fx;
}

/**
 * The server goes away (every request refused) at its `atCall`-th answer, once a job is under way, and comes
 * back `forMs` later (never, without it). Returns what cancels the comeback, for a test's `finally`.
 */
export function outageAt(server: ScriptedServer, atCall: number, forMs?: number): () => void {
  let back: ReturnType<typeof setTimeout> | undefined;
  server.setResponder((input) => {
    if (input.callIndex === atCall) {
      server.setFaults({ mode: 'down' });
      if (forMs !== undefined) back = setTimeout(() => server.setFaults(null), forMs);
    }
    return defaultResponder(input);
  });
  return () => clearTimeout(back);
}
