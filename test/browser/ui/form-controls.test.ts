import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'lit';
import { NOT_A_NUMBER, textInput } from '../../../src/ui/helpers/form-controls';
import { mountEl, typeNumberText, unmountAll } from '../../support/dom';

afterEach(unmountAll);

describe('textInput() as a number box', () => {
  it('commits each change once, also the ones between empty and "1e" that fire no change event', async () => {
    const host = mountEl(document.createElement('div'));
    const told: string[] = [];
    // Like the settings panel: a committed time is shown again in the view's own form ("10.004" as "10").
    const draw = (value: string) =>
      render(
        textInput('n', value, () => undefined, {
          type: 'number',
          onChange: (v) => {
            told.push(v);
            if (v === '10.004') draw('10');
          },
        }),
        host,
      );
    draw('');
    const box = host.querySelector('input')!;
    await typeNumberText(box, '1e'); // '' → "1e": the browser reads '' both times
    await typeNumberText(box, ''); // "1e" → '': likewise
    await typeNumberText(box, ''); // left as it was: nothing to tell
    await typeNumberText(box, '5');
    box.focus();
    await userEvent.keyboard('e{Tab}'); // "5" → "5e": the change event tells it, leaving does not again
    await typeNumberText(box, '10.004');
    expect(box.value).toBe('10');
    expect(told).toEqual([NOT_A_NUMBER, '', '5', NOT_A_NUMBER, '10.004']);
  });
});
