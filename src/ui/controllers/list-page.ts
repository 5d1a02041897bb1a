/**
 * A long list shown a page at a time, with a filter: History's runs and saved alignments, Evaluate's candidates
 * and stored evaluations. Hundreds of rows all drawn at once take seconds to show and thousands of Tab presses to
 * get past, so a list shows its newest `size` items, "Show N more" adds the next ones, and the filter keeps the
 * items whose name (or model) holds what is typed. One place for the words ("Showing 50 of 500 runs").
 *
 * The words are seen at once but said (a polite live region) only once typing settles: each key's count read out
 * in turn would queue "3 of 500 runs match “b”", "… “bi”" and so on behind the user's typing.
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
  /** The filter field's hint: what it matches. */
  placeholder?: string;
  /** Called when the filter's text changes (a host forgets what it pinned for the old filter). */
  onQuery?: () => void;
  /**
   * Who the items drawn anyway are, for `count` of them pinned for `why` (the `pinned` answer of view()): "the
   * one you chose", "the 2 you chose". Said after the count, "… is shown anyway".
   */
  anyway?: (why: string, count: number) => string;
}

export interface ListView<T> {
  shown: T[];
  /** Items the filter keeps (all without a filter). */
  matching: number;
  total: number;
  /** Why each item drawn only because it is pinned (not kept by the filter, or past the page) was drawn. */
  anyway: string[];
}

export const LIST_PAGE_SIZE = 50;
/** How long typing must pause before the count is said (one announcement per word typed, not per key). */
export const SAY_AFTER_MS = 500;

/** "a", "a and b", "a, b and c". */
function joinWords(parts: readonly string[]): string {
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export class ListPage implements ReactiveController {
  query = '';
  limit: number;
  private readonly size: number;
  /** What the live region says: the words as they were when typing last settled. */
  private said: string | null = null;
  private sayTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveElement,
    private readonly o: ListPageOptions,
  ) {
    this.size = o.size ?? LIST_PAGE_SIZE;
    this.limit = this.size;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.sayTimer);
    this.sayTimer = undefined;
  }

  /**
   * The items to draw: those the filter keeps, the first `limit` of them, in the given order. `pinned` ones (a
   * chosen candidate, the row a link pointed to) are drawn whatever the filter and the page, so what is chosen
   * never hides; its answer is why (a key for `anyway`), or false.
   */
  view<T>(
    items: readonly T[],
    text: (item: T) => readonly string[],
    pinned?: (item: T) => string | false | null | undefined,
  ): ListView<T> {
    // The words as typed, in one of the texts (a name, a model's id): "run 1" must not match a run on "Llama-3.1".
    const wanted = this.query.trim().replace(/\s+/g, ' ').toLowerCase();
    const matches = (item: T) =>
      !wanted || text(item).some((t) => t.replace(/\s+/g, ' ').toLowerCase().includes(wanted));
    const shown: T[] = [];
    const anyway: string[] = [];
    let matching = 0;
    for (const item of items) {
      const ok = matches(item);
      if (ok) matching++;
      if (ok && matching <= this.limit) shown.push(item);
      else {
        const why = pinned?.(item);
        if (why) {
          shown.push(item);
          anyway.push(why);
        }
      }
    }
    return { shown, matching, total: items.length, anyway };
  }

  /** The filter's text, as typed in its field. */
  setQuery(value: string): void {
    this.query = value;
    // A new filter starts at the first page again.
    this.limit = this.size;
    this.o.onQuery?.();
    // Said once typing settles (the visible count follows each key).
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(() => {
      this.sayTimer = undefined;
      this.host.requestUpdate();
    }, SAY_AFTER_MS);
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
        placeholder=${this.o.placeholder ?? 'Name or model'}
        .value=${this.query}
        @input=${(e: Event) => this.setQuery((e.target as HTMLInputElement).value)}
      />
    </div>`;
  }

  /**
   * What is shown of how many, as the filter narrows it, and what is drawn anyway: "No runs match “x”. The one you
   * chose is shown anyway. Clear the filter to see all 120."
   */
  words(view: ListView<unknown>): string {
    const [one, many] = this.o.noun;
    const n = formatWholeCount;
    const of = (k: number) => (k === 1 ? one : many);
    const drawn = Math.min(view.matching, this.limit);
    const left = view.matching - drawn;
    const filter = this.query.trim();
    const anyway = this.anywayWords(view.anyway);
    if (filter && view.matching === 0)
      return `No ${many} match “${filter}”.${anyway} Clear the filter to see all ${n(view.total)}.`;
    if (filter && left)
      return `Showing ${n(drawn)} of the ${n(view.matching)} ${of(view.matching)} that match “${filter}” (${n(view.total)} in all).${anyway}`;
    if (filter) return `${n(view.matching)} of ${n(view.total)} ${of(view.total)} match “${filter}”.${anyway}`;
    if (left) return `Showing ${n(drawn)} of ${n(view.total)} ${of(view.total)}.${anyway}`;
    return anyway.trim();
  }

  /** " The one you chose is shown anyway." (with a space before it), or ''. */
  private anywayWords(whys: readonly string[]): string {
    if (!whys.length) return '';
    const counts = new Map<string, number>();
    for (const w of whys) counts.set(w, (counts.get(w) ?? 0) + 1);
    const say = this.o.anyway ?? ((why: string, k: number) => `${formatWholeCount(k)} ${why}`);
    const who = joinWords([...counts].map(([why, k]) => say(why, k)));
    return ` ${who.charAt(0).toUpperCase()}${who.slice(1)} ${whys.length === 1 ? 'is' : 'are'} shown anyway.`;
  }

  /** The words, and Show more while there is more. The words are said only once typing settles. */
  renderMore(view: ListView<unknown>) {
    const n = formatWholeCount;
    const drawn = Math.min(view.matching, this.limit);
    const left = view.matching - drawn;
    const words = this.words(view);
    if (this.sayTimer === undefined) this.said = words;
    const more = Math.min(left, this.size);
    return html`<div class="row" data-more=${this.o.id}>
      <p class="small muted" style="margin:0" data-count>${words}</p>
      <span class="visually-hidden" role="status" data-count-said>${this.said ?? words}</span>
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
