import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

@customElement('drpo-app')
export class DrpoApp extends LitElement {
  @state() private n = 1;
  override render() {
    return html`<button @click=${() => this.n++}>n=${this.n}</button>`;
  }
}
