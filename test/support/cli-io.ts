/** Captured stdout/stderr for running `drpo` subcommands in-process (shared by the CLI tests). */
import type { CliIo } from '../../src/cli/drpo';

export interface Captured extends CliIo {
  out: () => string;
  err: () => string;
}

export function captureIo(
  cwd: string,
  opts: { signal?: AbortSignal; onOut?: (s: string) => void; env?: Record<string, string> } = {},
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
    stderr: { write: (s: string) => ((err += s), true) },
    env: opts.env ?? {},
    cwd,
    signal: opts.signal,
    out: () => out,
    err: () => err,
  };
}
