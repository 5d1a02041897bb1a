/**
 * One way to hold a button while its work is under way: `<button ${held(busy)} @click=…>`. A held button
 * says so (aria-disabled="true", styled as disabled) but stays focusable, so the button just pressed keeps
 * the keyboard focus instead of dropping it to the page's <body> as `disabled` would; and its clicks (a
 * mouse, Enter or Space, a form's implicit submission) are ignored, here, before any handler of the button
 * runs. `disabled` stays for buttons that cannot be used at all (nothing to run, a value to fix first).
 */
import { nothing } from 'lit';
import { Directive, PartType, directive } from 'lit/directive.js';
import type { ElementPart, PartInfo } from 'lit/directive.js';

/** The one guard: at the target, capture listeners run before the button's own (Lit's @click) listeners. */
function ignoreWhileHeld(e: Event): void {
  if ((e.currentTarget as Element).getAttribute('aria-disabled') !== 'true') return;
  e.preventDefault(); // no form submission from a held submit button
  e.stopImmediatePropagation();
}

class HeldDirective extends Directive {
  private guarded: Element | null = null;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT)
      throw new Error('held() goes on an element (a button), as an attribute-less binding');
  }

  render(_busy: boolean): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [busy]: [boolean]): typeof nothing {
    const el = part.element;
    if (this.guarded !== el) {
      el.addEventListener('click', ignoreWhileHeld, { capture: true });
      this.guarded = el;
    }
    if (busy) el.setAttribute('aria-disabled', 'true');
    else el.removeAttribute('aria-disabled');
    return nothing;
  }
}

/** Holds the button while `busy`: aria-disabled, focus kept, clicks ignored. */
export const held = directive(HeldDirective);
