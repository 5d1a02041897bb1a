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
