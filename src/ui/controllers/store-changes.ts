/**
 * A view that lists what the store holds re-reads it when the store changes: this controller listens
 * to the host's current `store` (the context may hand it over after the first render), calls `reload`
 * once for each store it starts listening to and again for each change `wanted` accepts, and stops
 * listening when the host leaves the page. One place for what History, Evaluate and the Playground
 * each wrote out by hand.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Store, StoreChange } from '../../store/store';

export class StoreChanges implements ReactiveController {
  private listeningTo: Store | undefined;
  private off: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { store?: Store | undefined },
    private readonly wanted: (change: StoreChange) => boolean,
    /** `change`: the notice that asks for it; none when a store is new (read everything). */
    private readonly reload: (change?: StoreChange) => void,
  ) {
    host.addController(this);
  }

  /** Back on the page (a view kept while the router showed another): listen again at the next update. */
  hostConnected(): void {
    if (this.host.store && !this.listeningTo) this.host.requestUpdate();
  }

  hostUpdate(): void {
    const store = this.host.store;
    if (!store || store === this.listeningTo) return;
    this.off?.();
    this.listeningTo = store;
    this.off = store.onChange?.((c) => {
      if (this.wanted(c)) this.reload(c);
    });
    this.reload();
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = undefined;
    this.listeningTo = undefined;
  }
}
