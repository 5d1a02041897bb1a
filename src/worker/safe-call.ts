/**
 * Comlink callbacks return promises; a page that went away must not break the worker. The returned
 * promise settles when the page has handled the call (or after a short grace period): awaiting it
 * before resolving a request keeps the last batch ahead of the result, since proxied callbacks
 * travel on their own MessagePort and ordering across ports is not guaranteed.
 */
export function safeCall<A>(fn: ((arg: A) => unknown) | undefined, arg: A, graceMs = 1000): Promise<void> {
  if (!fn) return Promise.resolve();
  try {
    const delivered = Promise.resolve(fn(arg)).then(
      () => undefined,
      () => undefined,
    );
    let grace: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((r) => (grace = setTimeout(r, graceMs)));
    // A stream calls this per batch: a timer left behind each time would pile up for a second.
    void delivered.then(() => clearTimeout(grace));
    return Promise.race([delivered, late]);
  } catch {
    // the page's proxy is gone; nothing to tell
    return Promise.resolve();
  }
}
