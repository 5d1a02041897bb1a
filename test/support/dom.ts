/** Mounting elements in the test page and reading their (shadow) DOM: shared by the browser tests. */
import { vi } from 'vitest';

const mounted: HTMLElement[] = [];

export async function mount<T extends HTMLElement>(tag: string, props: Record<string, unknown> = {}): Promise<T> {
  const el = document.createElement(tag) as T;
  Object.assign(el, props);
  mountEl(el);
  await settle(el);
  return el;
}

/** Puts an element the test made itself into the page, to be removed by unmountAll(). */
export function mountEl<T extends HTMLElement>(el: T): T {
  document.body.append(el);
  mounted.push(el);
  return el;
}

export function unmountAll(): void {
  for (const el of mounted.splice(0)) el.remove();
}

/** Waits for Lit updates (including ones triggered by async work in `updated`). */
export async function settle(el: HTMLElement, rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await (el as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
    await new Promise((r) => setTimeout(r, 0));
  }
}

/**
 * Waits past the browser's next rendering: a focused control that became disabled loses its focus only then,
 * so a check of where focus is must come after it.
 */
export function afterPaint(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
}

export function $<T extends Element = HTMLElement>(el: Element, selector: string): T {
  const root = el.shadowRoot ?? el;
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found in <${el.tagName.toLowerCase()}>`);
  return found;
}

/** The first match in the element's (shadow) DOM, or null. */
export function find<T extends Element = HTMLElement>(el: Element, selector: string): T | null {
  return (el.shadowRoot ?? el).querySelector<T>(selector);
}

export function $$<T extends Element = HTMLElement>(el: Element, selector: string): T[] {
  return [...(el.shadowRoot ?? el).querySelectorAll<T>(selector)];
}

export function text(el: Element): string {
  return (el.shadowRoot ?? el).textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/**
 * Polls `check` every 10 ms until it holds; throws after `timeoutMs`. A check that throws (`$` of an element not
 * drawn yet) has not held yet: it is asked again, and its last error is the one thrown at the end.
 */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  for (;;) {
    let failure: unknown = null;
    try {
      if (check()) return;
    } catch (err) {
      failure = err;
    }
    if (Date.now() - start > timeoutMs) throw failure ?? new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Types into a number input with real key presses, replacing what it held, then leaves it (Tab); '' only clears
 * it. Text such as "1e" then reads as '' with validity.badInput, as in a user's browser; setting `value` cannot
 * make that state.
 */
export async function typeNumberText(input: HTMLInputElement, keys: string): Promise<void> {
  // Imported here: unit tests (Node) use this file too, and vitest/browser loads only in a browser.
  const { userEvent } = await import('vitest/browser');
  input.focus();
  await userEvent.keyboard('{Control>}a{/Control}{Backspace}');
  if (keys) await userEvent.keyboard(keys); // keyboard('') throws
  await userEvent.keyboard('{Tab}');
}

/**
 * Holds every file read (`File.arrayBuffer`) until the test releases it, so a view is seen mid-read: `pending[i]()`
 * lets the i-th read finish. `restore()` in a `finally`.
 */
export function holdFileReads(): { pending: (() => void)[]; restore: () => void } {
  const realRead = File.prototype.arrayBuffer;
  const pending: (() => void)[] = [];
  const spy = vi.spyOn(File.prototype, 'arrayBuffer').mockImplementation(function (this: File) {
    return new Promise<ArrayBuffer>((resolve) => pending.push(() => resolve(realRead.call(this))));
  });
  return { pending, restore: () => spy.mockRestore() };
}

/** The files `download` hands to the browser (downloadJson's blobs), with no file saved and no navigation. */
export function captureDownloads(download: () => void): Blob[] {
  const blobs: Blob[] = [];
  const made = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    blobs.push(b as Blob);
    return 'blob:test';
  });
  const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  try {
    download();
  } finally {
    made.mockRestore();
    clicked.mockRestore();
  }
  return blobs;
}
