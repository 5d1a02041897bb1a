/**
 * Rate limits for callbacks that cross the worker boundary: each postMessage costs a structured
 * clone and a page re-render, so progress and stream tokens reach the page at most ~10 times a second.
 */

/** Calls `fn` with the latest value at most once per `intervalMs`; `flush()` sends a pending value now. */
export function throttle<T>(
  fn: (value: T) => void,
  intervalMs = 100,
  now: () => number = Date.now,
): { push(value: T): void; flush(): void; cancel(): void } {
  let last = -Infinity;
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const send = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    last = now();
    fn(value);
  };
  return {
    push(value) {
      pending = { value };
      const wait = last + intervalMs - now();
      if (wait <= 0) send();
      else if (!timer) timer = setTimeout(send, wait);
    },
    flush: send,
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}

/** Collects items and delivers them in batches, at most once per `intervalMs`; `flush()` delivers the rest. */
export function batcher<T>(
  deliver: (items: T[]) => void,
  intervalMs = 100,
  now: () => number = Date.now,
): { add(item: T): void; flush(): void; cancel(): void } {
  let items: T[] = [];
  const t = throttle<null>(
    () => {
      const out = items;
      items = [];
      if (out.length > 0) deliver(out);
    },
    intervalMs,
    now,
  );
  return {
    add(item) {
      items.push(item);
      t.push(null);
    },
    flush() {
      t.cancel();
      const out = items;
      items = [];
      if (out.length > 0) deliver(out);
    },
    cancel() {
      t.cancel();
      items = [];
    },
  };
}
