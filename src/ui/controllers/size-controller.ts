/**
 * ReactiveController: keeps one rendered element's width or height (via ResizeObserver) and
 * re-renders the host when it changes by more than a pixel. Shared by the virtualised beam tree
 * and node list, which only need the viewport size to decide what to put in the DOM, and the
 * evaluation report, whose charts are laid out for its width.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class SizeController implements ReactiveController {
  private observer?: ResizeObserver;
  private observed: Element | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & { readonly renderRoot: ParentNode },
    private readonly selector: string,
    private readonly axis: 'width' | 'height',
    /** Last measured size (px); the initial value stands in until the first measurement. */
    public value: number,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver !== 'function') return;
    this.observer = new ResizeObserver((entries) => {
      const v = entries[0]?.contentRect[this.axis];
      if (v && Math.abs(v - this.value) > 1) {
        this.value = v;
        this.host.requestUpdate();
      }
    });
    // A reconnected host is not re-rendered, so observe what it already shows.
    this.hostUpdated();
  }

  /** Observe the element after each render: it may appear late or be replaced (e.g. empty state). */
  hostUpdated(): void {
    const el = this.host.renderRoot.querySelector(this.selector);
    if (el && el !== this.observed) {
      this.observed = el;
      this.observer?.observe(el);
    }
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    // Forget the element so a reconnected host observes it again with the new observer.
    this.observed = null;
  }
}

/** A scroll listener that reads the scroller's position at most once per animation frame (virtualised lists). */
export function frameScrollHandler(read: (scroller: HTMLElement) => void): (e: Event) => void {
  let queued = false;
  return (e) => {
    const el = e.currentTarget as HTMLElement;
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      read(el);
    });
  };
}

/**
 * ReactiveController: which of the host's scroll boxes (`selector`, each named by its `data-scroll` attribute) are
 * narrower than what they hold, so the host can say that the rest is a sideways scroll away. Observes each box and
 * what it holds: the box narrows with the window, the content widens with a re-render; re-renders the host only
 * when the set changes.
 */
export class OverflowController implements ReactiveController {
  private observer?: ResizeObserver;
  private readonly observed = new Set<Element>();
  /** The names of the boxes that overflow now. */
  public overflowing: ReadonlySet<string> = new Set();

  constructor(
    private readonly host: ReactiveControllerHost & { readonly renderRoot: ParentNode },
    private readonly selector: string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver !== 'function') return;
    this.observer = new ResizeObserver(() => this.measure());
    this.hostUpdated();
  }

  hostUpdated(): void {
    for (const el of this.observed)
      if (!el.isConnected) {
        this.observed.delete(el);
        this.observer?.unobserve(el);
      }
    for (const box of this.host.renderRoot.querySelectorAll(this.selector))
      for (const el of [box, box.firstElementChild])
        if (el && !this.observed.has(el)) {
          this.observed.add(el);
          this.observer?.observe(el);
        }
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.observed.clear();
  }

  private measure(): void {
    const now = new Set<string>();
    for (const box of this.host.renderRoot.querySelectorAll<HTMLElement>(this.selector))
      if (box.scrollWidth > box.clientWidth + 1) now.add(box.dataset.scroll ?? '');
    const same = now.size === this.overflowing.size && [...now].every((k) => this.overflowing.has(k));
    if (same) return;
    this.overflowing = now;
    this.host.requestUpdate();
  }
}
