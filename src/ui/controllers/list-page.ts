/**
 * A long list shown a page at a time, with a filter: History's runs and saved alignments, Evaluate's candidates
 * and stored evaluations. Hundreds of rows all drawn at once take seconds to show and thousands of Tab presses to
 * get past, so a list shows its newest `size` items, "Show N more" adds the next ones, and the filter keeps the
 * items whose name (or model) holds what is typed. One place for the words ("Showing 50 of 500 runs").
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveElement } from 'lit';
import { formatWholeCount } from '../../core/formats/bytes';
import { keepFocus } from '../helpers/focus';

export interface ListPageOptions {
  /** Prefix of the filter field's id (unique in the host's shadow root). */
  id: string;
  /** What the list holds, singular and plural: ['run', 'runs']. */
  noun: readonly [string, string];
  /** Items drawn at first and added by each Show more. */
  size?: number;
  /** The filter is offered from this many items on (a short list needs none). */
  filterFrom?: number;
  /** The first control of the item drawn at `index` (of those shown): focus goes there when Show more goes. */
  itemAt?: (index: number) => Element | null | undefined;
}

export interface ListView<T> {
  shown: T[];
  /** Items the filter keeps (all without a filter). */
  matching: number;
  total: number;
}

export const LIST_PAGE_SIZE = 50;

export class ListPage implements ReactiveController {
  query = '';
  limit: number;
  private readonly size: number;

  constructor(
    private readonly host: ReactiveElement,
    private readonly o: ListPageOptions,
  ) {
    this.size = o.size ?? LIST_PAGE_SIZE;
    this.limit = this.size;
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * The items to draw: those the filter keeps, the first `limit` of them, in the given order. `pinned` ones (a
   * chosen candidate, the row a link pointed to) are drawn whatever the filter and the page, so what is chosen
   * never hides.
   */
  view<T>(items: readonly T[], text: (item: T) => readonly string[], pinned?: (item: T) => boolean): ListView<T> {
    // The words as typed, in one of the texts (a name, a model's id): "run 1" must not match a run on "Llama-3.1".
    const wanted = this.query.trim().replace(/\s+/g, ' ').toLowerCase();
    const matches = (item: T) =>
      !wanted || text(item).some((t) => t.replace(/\s+/g, ' ').toLowerCase().includes(wanted));
    const shown: T[] = [];
    let matching = 0;
    for (const item of items) {
      const ok = matches(item);
      if (ok) matching++;
      if ((ok && matching <= this.limit) || pinned?.(item)) shown.push(item);
    }
    return { shown, matching, total: items.length };
  }

  /** Draws enough pages to hold the item at `index` of the unfiltered list, and clears the filter. */
  reveal(index: number): void {
    this.query = '';
    if (index >= this.limit) this.limit = Math.ceil((index + 1) / this.size) * this.size;
    this.host.requestUpdate();
  }

  private setQuery(value: string): void {
    this.query = value;
    // A new filter starts at the first page again.
    this.limit = this.size;
    this.host.requestUpdate();
  }

  /** The filter field, for a list long enough to need one. */
  renderFilter(view: ListView<unknown>, label: string) {
    if (view.total < (this.o.filterFrom ?? 10) && !this.query) return nothing;
    const id = `${this.o.id}-filter`;
    return html`<div class="field" data-filter=${this.o.id}>
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="search"
        autocomplete="off"
        placeholder="Name or model"
        .value=${this.query}
        @input=${(e: Event) => this.setQuery((e.target as HTMLInputElement).value)}
      />
    </div>`;
  }

  /** What is shown of how many (said as the filter narrows it), and Show more while there is more. */
  renderMore(view: ListView<unknown>) {
    const [one, many] = this.o.noun;
    const n = formatWholeCount;
    const of = (k: number) => (k === 1 ? one : many);
    const drawn = Math.min(view.matching, this.limit);
    const left = view.matching - drawn;
    const filter = this.query.trim();
    let words = '';
    if (filter && view.matching === 0)
      words = `No ${many} match “${filter}”. Clear the filter to see all ${n(view.total)}.`;
    else if (filter && left)
      words = `Showing ${n(drawn)} of the ${n(view.matching)} ${of(view.matching)} that match “${filter}” (${n(view.total)} in all).`;
    else if (filter) words = `${n(view.matching)} of ${n(view.total)} ${of(view.total)} match “${filter}”.`;
    else if (left) words = `Showing ${n(drawn)} of ${n(view.total)} ${of(view.total)}.`;
    const more = Math.min(left, this.size);
    return html`<div class="row" data-more=${this.o.id}>
      <p class="small muted" role="status" style="margin:0">${words}</p>
      ${more ? html`<button @click=${() => this.showMore(drawn, left)}>Show ${n(more)} more</button>` : nothing}
    </div>`;
  }

  private showMore(drawn: number, left: number): void {
    // The last page: the button goes, and focus goes to the first item it added, not to the page.
    if (left <= this.size && this.o.itemAt) keepFocus(this.host, () => this.o.itemAt!(drawn));
    this.limit += this.size;
    this.host.requestUpdate();
  }
}
