import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { html, render } from 'lit';
import { held } from '../../../src/ui/helpers/held';
import { afterPaint, mountEl, unmountAll } from '../../support/dom';

afterEach(unmountAll);

describe('held()', () => {
  it('holds a submit button while busy: focus kept, clicks and implicit submission ignored; free again after', async () => {
    const host = mountEl(document.createElement('div'));
    let clicks = 0;
    let submits = 0;
    const draw = (busy: boolean) =>
      render(
        html`<form
          @submit=${(e: Event) => {
            e.preventDefault();
            submits++;
          }}
        >
          <input name="q" />
          <button type="submit" ${held(busy)} @click=${() => clicks++}>Go</button>
        </form>`,
        host,
      );
    draw(true);
    const button = host.querySelector('button')!;
    const field = host.querySelector('input')!;
    expect(button.getAttribute('aria-disabled')).toBe('true');
    button.focus();
    button.click();
    await afterPaint();
    expect(document.activeElement).toBe(button);
    // Enter in the field submits through the form's default button (a click on it): held, nothing is submitted.
    field.focus();
    await userEvent.keyboard('{Enter}');
    expect([clicks, submits]).toEqual([0, 0]);
    draw(false);
    expect(button.hasAttribute('aria-disabled')).toBe(false);
    button.click();
    field.focus();
    await userEvent.keyboard('{Enter}');
    expect([clicks, submits]).toEqual([2, 2]);
  });
});
