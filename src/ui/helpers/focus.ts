/**
 * Keeping keyboard focus when the control that has it goes away. A button that is removed or disabled
 * while focused drops focus to the page's <body>: keyboard users are sent back to the top and screen
 * readers lose their place. One rule for every view: give focus to what replaced the control.
 */
import type { ReactiveElement } from 'lit';

/** The focused element, looked up through open shadow roots. */
export function deepActiveElement(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/**
 * Focus fell to the page: nothing, <body>, or a shadow host with nothing focused inside it. Or it is about to:
 * a control disabled while focused keeps the focus until the browser's next rendering moves it to <body>.
 */
export function focusDropped(): boolean {
  const a = deepActiveElement();
  return (
    !a ||
    a === document.body ||
    a === document.documentElement ||
    (!!a.shadowRoot && (a as HTMLElement).tabIndex < 0) ||
    a.matches(':disabled')
  );
}

type Target = Element | null | undefined;

/**
 * Call just before a change that removes or disables the focused control inside `host`. After the host's
 * next render, if focus fell to the page, `target()` (the control that replaced it, or a heading) takes it;
 * given a list, the first one that can (one removed or disabled meanwhile cannot). Focus the user moved
 * elsewhere, or that was never inside `host`, is left alone. `when` defers the check (e.g. until a store
 * refresh has re-rendered a list).
 */
export function keepFocus(
  host: ReactiveElement,
  target: () => Target | readonly Target[],
  when: Promise<unknown> = Promise.resolve(),
): void {
  if (!host.matches(':focus-within')) return;
  void when.then(async () => {
    await host.updateComplete;
    for (const t of [target()].flat()) {
      if (!focusDropped()) return;
      (t as HTMLElement | null | undefined)?.focus();
    }
  });
}

/**
 * For renders that swap controls (Send ↔ Stop, Pause → Resume): call from `willUpdate`. When the focused
 * element sits inside one of `groups` (a selector in `host`'s shadow root), its target takes focus if the
 * render drops it.
 */
export function keepFocusOnRender(
  host: ReactiveElement,
  groups: ReadonlyArray<readonly [selector: string, target: () => Element | null | undefined]>,
): void {
  const had = host.shadowRoot?.activeElement;
  const group = had && groups.find(([selector]) => had.closest(selector));
  if (group) keepFocus(host, group[1]);
}

/** A field the user types into (where taking focus away would take their next keystrokes). */
export function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || (el instanceof HTMLElement && el.isContentEditable)) return true;
  return (
    el instanceof HTMLInputElement &&
    !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(el.type)
  );
}
