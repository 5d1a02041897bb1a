import { afterEach, describe, expect, it, vi } from 'vitest';
import { LitElement, html } from 'lit';
import { WaitNote } from '../../../src/ui/controllers/wait-note';

/** A host of its own: the Live and Evaluate views are larger than what this needs. */
class WaitHost extends LitElement {
  running = true;
  readonly note = new WaitNote(this, () => ({ running: this.running, retry: null, heardAt: Date.now() }), 'evaluation');
  override render() {
    return html`${this.note.render()}`;
  }
}
customElements.define('test-wait-host', WaitHost);

afterEach(() => vi.restoreAllMocks());

describe('WaitNote', () => {
  it('ticks while its job runs on the page, and starts no timer for a host that has left it', async () => {
    const started = vi.spyOn(window, 'setInterval');
    const el = document.createElement('test-wait-host') as WaitHost;
    document.body.append(el);
    await el.updateComplete;
    expect(started).toHaveBeenCalledTimes(1);
    el.remove();
    // Lit still updates a removed element whose update was asked for (an evaluation's progress, say).
    el.requestUpdate();
    await el.updateComplete;
    expect(started).toHaveBeenCalledTimes(1);
    // Back on the page, it ticks again.
    document.body.append(el);
    el.requestUpdate();
    await el.updateComplete;
    expect(started).toHaveBeenCalledTimes(2);
    el.remove();
  });
});
