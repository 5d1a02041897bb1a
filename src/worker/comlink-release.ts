/**
 * Each callback the page passes is a Comlink proxy backed by its own MessagePort. Release it once the
 * call that received it has settled, or every chat and run would leak a port on both sides.
 */
import * as Comlink from 'comlink';

type Released = { [Comlink.releaseProxy]?: () => void };

function release(arg: unknown): void {
  if (typeof arg !== 'function') return;
  try {
    (arg as Released)[Comlink.releaseProxy]?.();
  } catch {
    // already released or the page is gone
  }
}

/** Wraps every method so proxied callback arguments are released when its promise settles. */
export function releasingCallbacks<T extends object>(api: T): T {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api)) {
    if (typeof fn !== 'function') continue;
    out[name] = (...args: unknown[]): unknown => {
      const result: unknown = (fn as (...a: unknown[]) => unknown).apply(api, args);
      if (!args.some((a) => typeof a === 'function')) return result;
      return Promise.resolve(result).finally(() => args.forEach(release));
    };
  }
  return out as T;
}
