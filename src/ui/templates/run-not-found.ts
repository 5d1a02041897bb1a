/**
 * The card a view shows for a run id no stored run has (Live and Result alike), so both say the same thing and
 * offer the same ways on.
 */
import { html } from 'lit';

export function runNotFound() {
  return html`<section class="card" role="alert">
    <h2>Run not found</h2>
    <p>There is no stored run with this id. It may have been deleted, or it was made in another browser.</p>
    <a class="button" href="#/run">Start a new run</a> <a href="#/history">See all runs</a>
  </section>`;
}
