/**
 * Root element: owns the AppState, the WorkerClient (its worker starts on first use) and the
 * Store, provides them as contexts, and routes on the URL hash. Views of other helpers
 * (run/live/result/eval) are loaded lazily through import.meta.glob so a missing or heavy view
 * never breaks the shell.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { appStateContext, clientContext, storeContext } from './contexts';
import { AppState } from './app-state';
import type { MeasuredSpeed } from './app-state';
import type { ChatFinishedDetail } from '../components/drpo-chat-pane';
import { speedKey } from '../view-models/run/measured-speed';
import { AppStateController } from '../controllers/app-state-controller';
import { createWorkerClient } from '../../client/worker-client';
import type { WorkerClient } from '../../client/worker-client';
import { openStore } from '../../store/store';
import type { Store } from '../../store/store';
import { serializeError } from '../../core/contracts/errors';
import { NAV_ITEMS, parseRoute, routeHref, viewLabel } from './route';
import type { Route } from './route';
import { baseStyles } from './styles';
import { listStatus, runSummary } from '../view-models/run/run-summary';
import { RunOwnersController, runOwners } from '../controllers/run-ownership';
import { onAnySession } from '../controllers/run-sessions';
import { StoredRuns } from '../controllers/stored-runs';
import type { LatestRuns } from '../controllers/stored-runs';
import { TitleProgress } from './title-progress';
import type { RunSummary } from '../view-models/run/run-summary';
import type { DrpoToast } from './drpo-toast';
import { builtinDataset } from '../view-models/dataset-choice';
import { droppedRolesMessage, keepSetup, restoreSetup } from '../controllers/endpoint-memory';
import './drpo-error-banner';
import './drpo-toast';
import '../views/drpo-setup-view';
import '../views/drpo-data-view';
import '../views/drpo-playground-view';
import '../views/drpo-history-view';
import '../views/drpo-share-preview';

/** Views owned by other parts of the studio, loaded on first visit. */
const LAZY_VIEWS = import.meta.glob([
  '../views/drpo-run-view.ts',
  '../views/drpo-live-view.ts',
  '../views/drpo-result-view.ts',
  '../views/drpo-eval-view.ts',
]);

@customElement('drpo-app')
export class DrpoApp extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        min-height: 100vh;
      }
      /* A run's name may be one long word (a file-like name): it wraps instead of pushing a phone page sideways. */
      .unfinished li > span {
        overflow-wrap: anywhere;
      }
      header {
        background: var(--drpo-surface);
        border-bottom: 1px solid var(--drpo-border);
        position: sticky;
        top: 0;
        z-index: 10;
      }
      .bar {
        max-width: var(--drpo-max-width);
        margin: 0 auto;
        padding: 8px 16px;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 24px;
      }
      .brand {
        font-weight: 700;
        font-size: 1.1rem;
        margin: 0;
        white-space: nowrap;
      }
      .brand a {
        color: var(--drpo-fg);
        text-decoration: none;
      }
      nav ol {
        list-style: none;
        display: flex;
        flex-wrap: wrap;
        gap: 2px;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-block;
        padding: 6px 10px;
        border-radius: 6px;
        color: var(--drpo-muted);
        text-decoration: none;
        font-size: 0.95rem;
      }
      nav a:hover {
        color: var(--drpo-fg);
        background: var(--drpo-surface-2);
      }
      nav a[aria-current='page'] {
        color: var(--drpo-accent);
        background: var(--drpo-accent-soft);
        font-weight: 600;
      }
      /* Forced colours drop the colour and background: the current step keeps a frame. */
      @media (forced-colors: active) {
        nav a[aria-current='page'] {
          border: 2px solid CanvasText;
        }
      }
      main {
        max-width: var(--drpo-max-width);
        margin: 0 auto;
        padding: 16px;
      }
      main:focus {
        outline: none;
      }
      .skip {
        position: absolute;
        left: 8px;
        top: -48px;
        z-index: 50;
        padding: 8px 12px;
        background: var(--drpo-surface);
        color: var(--drpo-accent);
        border: 2px solid var(--drpo-accent);
        border-radius: 6px;
      }
      .skip:focus {
        top: 8px;
      }
      .banners > * {
        margin-bottom: 12px;
      }
      /* A short window (200% zoom, a phone held sideways): a sticky header would take much of it. */
      @media (max-height: 560px) {
        header {
          position: static;
        }
      }
      @media (max-width: 480px) {
        header {
          position: static;
        }
        nav a {
          padding: 6px 7px;
          font-size: 0.9rem;
        }
        main {
          padding: 12px;
        }
      }
    `,
  ];

  // The built-in data is chosen from the start: Setup → Run works without a visit to Data.
  readonly appState = new AppState({ dataset: builtinDataset() });
  @state() private route: Route = parseRoute(location.hash);
  /** Unfinished runs in the store, whoever drives them; sorted into the two lists below by their owner. */
  @state() private stored: RunSummary[] = [];
  @state() private unfinishedDismissed = false;
  @state() private storageNoticeDismissed = false;
  @state() private lazyFailed = new Set<string>();

  @state() private storageReason = '';
  /** Newest stored runs, so Live and Result open one when none is selected (no dead end). */
  @state() private latest: LatestRuns | null = null;
  private unsubscribeStore?: () => void;
  private stopKeepingSetup?: () => void;
  /**
   * A run some tab drives is not unfinished business (no Resume for it), and a tab closing frees its runs
   * without a store write: the lists are read from `stored` and the owners at render, and re-rendered when
   * the owners change while the banner shows a run another tab drives.
   */
  protected readonly owners = new RunOwnersController(this, () => this.elsewhere.length > 0);
  private client: WorkerClient | undefined;
  private store: Store | undefined;
  protected readonly stateProvider = new ContextProvider(this, {
    context: appStateContext,
    initialValue: this.appState,
  });
  private readonly clientProvider = new ContextProvider(this, { context: clientContext });
  private readonly storeProvider = new ContextProvider(this, { context: storeContext });
  protected readonly stateCtl = new AppStateController(this, () => this.appState);

  /** Tests inject fakes; the page calls init() with the real ones. */
  provide(deps: { client?: WorkerClient; store?: Store }): void {
    if (deps.client) {
      this.client = deps.client;
      this.clientProvider.setValue(deps.client);
    }
    if (deps.store) {
      this.store = deps.store;
      this.storeProvider.setValue(deps.store);
      this.appState.update({ persistent: deps.store.persistent !== false });
      this.storageReason = deps.store.unavailableReason ?? '';
      this.unsubscribeStore?.();
      this.unsubscribeStore = undefined;
      if (this.isConnected) this.watchStore();
      void this.runLists.use(deps.store);
    }
  }

  /**
   * The stored runs the app shows (resume banner, latest run). Who drives a newly listed run is asked at once,
   * not at the next poll.
   */
  private readonly runLists = new StoredRuns(
    () => {
      this.stored = this.runLists.unfinished().map(runSummary);
      this.latest = this.runLists.latest();
    },
    () => runOwners.refresh(),
  );

  /**
   * Keeps the resume list current as runs finish, get deleted or are resumed elsewhere: a notice names one run,
   * and only that run's listing is read again (a running run writes several times a second).
   */
  private watchStore(): void {
    if (!this.store || this.unsubscribeStore) return;
    this.unsubscribeStore = this.store.onChange((c) => {
      if (c.kind === 'runs') void this.runLists.runChanged(c.runId);
    });
  }

  /** Starts the real client and store (the worker itself starts on first use). */
  async init(): Promise<void> {
    if (!this.client) this.provide({ client: createWorkerClient() });
    if (this.store) return;
    try {
      this.provide({ store: await openStore() });
    } catch (err) {
      this.appState.update({ persistent: false, error: { ...serializeError(err), context: 'Opening storage' } });
      return;
    }
    if (this.client && this.store) {
      // The models, preset and starting prompt of the last session: ready again without a new connection check.
      const { dropped } = await restoreSetup(this.appState, this.store, this.client).catch((err: unknown) => {
        console.warn('Could not restore the last setup', err);
        return { dropped: [] };
      });
      if (dropped.length) this.showToast(droppedRolesMessage(dropped), 'error');
      // Not if the element left the page meanwhile: its disconnectedCallback has run, and would never stop it.
      if (this.isConnected) this.stopKeepingSetup = keepSetup(this.appState, this.store);
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribeSessions = onAnySession((session) => this.tabTitle.update(session));
    window.addEventListener('hashchange', this.onHash);
    this.addEventListener('toast-requested', this.onToast as EventListener);
    this.addEventListener('chat-finished', this.onChatFinished as EventListener);
    this.watchStore();
    this.onHash();
    void this.updateComplete.then(() => {
      const header = this.renderRoot.querySelector('header');
      if (header && this.isConnected) this.headerSize.observe(header);
    });
    window.addEventListener('resize', this.fitScrollPadding);
  }

  /**
   * A control focused by Tab is scrolled to just below the sticky header, not under it: the page's
   * scroll padding follows the header's height (which grows when the navigation wraps, as at 200% zoom).
   * A short or narrow window gets a static header (the CSS decides): it covers nothing, so no padding.
   * The window's size decides that, so a resize fits the padding again as well as the header's own.
   */
  private readonly fitScrollPadding = (): void => {
    const header = this.renderRoot.querySelector('header');
    const sticky = header && this.isConnected && getComputedStyle(header).position === 'sticky';
    document.documentElement.style.scrollPaddingTop =
      sticky && header.offsetHeight ? `${header.offsetHeight + 8}px` : '';
  };
  private readonly headerSize = new ResizeObserver(this.fitScrollPadding);

  override disconnectedCallback(): void {
    this.headerSize.disconnect();
    window.removeEventListener('resize', this.fitScrollPadding);
    document.documentElement.style.scrollPaddingTop = '';
    this.unsubscribeSessions?.();
    window.removeEventListener('hashchange', this.onHash);
    this.unsubscribeStore?.();
    this.unsubscribeStore = undefined;
    this.stopKeepingSetup?.();
    this.stopKeepingSetup = undefined;
    this.removeEventListener('toast-requested', this.onToast as EventListener);
    this.removeEventListener('chat-finished', this.onChatFinished as EventListener);
    super.disconnectedCallback();
  }

  private readonly onHash = (): void => {
    const first = this.routedOnce === false;
    this.routedOnce = true;
    this.route = parseRoute(location.hash);
    const { runId } = this.route;
    if (runId && this.appState.value.activeRunId !== runId) {
      this.appState.update({ activeRunId: runId });
      void this.forgetIfMissing(runId);
    }
    this.tabTitle.viewChanged(viewLabel(this.route.name));
    void this.ensureView(this.route).then(() => {
      // Not on the first load (the user starts at the top); after a view change, focus its heading.
      if (!first) void this.focusView();
    });
  };

  private routedOnce = false;

  /** A link to a run this browser does not have must not make Live and Result point at it from now on. */
  private async forgetIfMissing(runId: string): Promise<void> {
    const record = await this.store?.getRun(runId).catch(() => null);
    if (this.store && !record && this.appState.value.activeRunId === runId) this.appState.update({ activeRunId: null });
  }
  private readonly tabTitle = new TitleProgress();
  private unsubscribeSessions?: () => void;

  /** The skip link: straight to the view's heading, past the 9 navigation stops (the hash route stays). */
  private readonly skipToContent = (e: Event): void => {
    e.preventDefault();
    void this.focusView(true);
  };

  /**
   * Moves focus to the current view's heading (made focusable), so keyboard and screen-reader users land
   * on the new content. A view still loading gets a few frames; else <main> takes focus. Focus the user
   * already placed inside the view is never taken away.
   */
  private async focusView(always = false): Promise<void> {
    await this.updateComplete;
    const main = this.renderRoot.querySelector<HTMLElement>('main');
    if (!main) return;
    for (let i = 0; i < 30; i++) {
      const active = (this.renderRoot as ShadowRoot).activeElement;
      if (!always && active && main.contains(active) && active !== main) return;
      const heading = this.viewHeading();
      if (heading) {
        heading.focus({ preventScroll: false });
        return;
      }
      await new Promise((r) => requestAnimationFrame(r));
    }
    main.focus();
  }

  /** The current view's heading, made focusable; null while the view is still loading. */
  private viewHeading(): HTMLElement | null {
    const view = this.renderRoot.querySelector('main')?.querySelector(':scope > :not(.banners)');
    const heading = (view?.shadowRoot ?? view)?.querySelector<HTMLElement>('h2') ?? null;
    if (heading) heading.tabIndex = -1;
    return heading;
  }

  /** Where the error banner's Dismiss sends focus when the control that had it is gone or disabled. */
  private readonly errorFocusFallback = (): HTMLElement | null =>
    this.viewHeading() ?? this.renderRoot.querySelector<HTMLElement>('main');

  private readonly onToast = (e: CustomEvent<{ message: string; kind?: 'info' | 'error' }>): void =>
    this.showToast(e.detail.message, e.detail.kind);

  private showToast(message: string, kind?: 'info' | 'error'): void {
    this.renderRoot.querySelector<DrpoToast>('drpo-toast')?.show(message, kind);
  }

  /**
   * A measured speed (any chat reply, or the endpoint's connection check) lets the Run view estimate time per
   * preset: kept as that model's on the server its endpoint points at now (the reply has just come from there).
   */
  private readonly onChatFinished = (e: CustomEvent<ChatFinishedDetail>): void => {
    const { binding, tokensPerS, perCallMs } = e.detail;
    const endpoints = this.appState.value.endpoints;
    const key = speedKey(binding, (id) => endpoints.find((ep) => ep.id === id)?.baseUrl);
    if (key && typeof tokensPerS === 'number' && tokensPerS > 0) {
      const speed: MeasuredSpeed = { key, tokensPerS };
      if (typeof perCallMs === 'number' && perCallMs >= 0) speed.perCallMs = perCallMs;
      this.appState.update({ decodeSpeed: speed });
    }
  };

  private async ensureView(route: Route): Promise<void> {
    const tag = lazyTag(route);
    if (!tag || customElements.get(tag)) return;
    const loader = LAZY_VIEWS[`../views/${tag}.ts`];
    try {
      if (!loader) throw new Error(`${tag} is not part of this build`);
      await loader();
    } catch (err) {
      console.warn(`Could not load <${tag}>`, err);
      this.lazyFailed = new Set([...this.lazyFailed, tag]);
    }
  }

  /** The run Live or Result shows without an id in the URL: the selected one, else the newest. */
  private runFor(name: 'live' | 'result'): string | null | undefined {
    const active = this.appState.value.activeRunId;
    if (active) return active;
    if (!this.latest) return this.store ? undefined : null;
    return name === 'result' ? (this.latest.finished ?? this.latest.any) : this.latest.any;
  }

  /** Unfinished runs nobody drives: offered for resuming (one stored as "running" was interrupted). */
  private get unfinished(): RunSummary[] {
    return this.stored.filter((r) => runOwners.ownerOf(r.id) === 'none');
  }

  /** Unfinished runs another tab drives: shown to follow, never to resume. */
  private get elsewhere(): RunSummary[] {
    return this.stored.filter((r) => runOwners.ownerOf(r.id) === 'elsewhere');
  }

  override render(): TemplateResult {
    const active = this.appState.value.activeRunId;
    return html`
      <a class="skip" href="#content" @click=${this.skipToContent}>Skip to content</a>
      <header>
        <div class="bar">
          <h1 class="brand"><a href="#/setup">DRPO Studio</a></h1>
          <nav aria-label="Steps">
            <ol>
              ${NAV_ITEMS.map(
                (item) =>
                  html`<li>
                    <a
                      href=${routeHref(item.name, active)}
                      aria-current=${this.route.name === item.name ? 'page' : nothing}
                      >${item.label}</a
                    >
                  </li>`,
              )}
            </ol>
          </nav>
        </div>
      </header>
      <main id="content" tabindex="-1">
        <div class="banners">
          <drpo-error-banner .focusFallback=${this.errorFocusFallback}></drpo-error-banner>
          ${this.renderStorageNotice()} ${this.renderUnfinished()}
        </div>
        ${this.renderRoute()}
      </main>
      <drpo-toast></drpo-toast>
    `;
  }

  private renderStorageNotice(): TemplateResult | typeof nothing {
    if (this.appState.value.persistent || this.storageNoticeDismissed) return nothing;
    return html`<div class="warn-box row" role="status">
      <span style="flex:1"
        ><strong>Storage is unavailable</strong> (private window or blocked IndexedDB): everything works, but results
        won’t be kept after you close this tab. Download what you want to keep.
        ${this.storageReason ? html`<span class="small muted">${this.storageReason}</span>` : nothing}</span
      >
      <button @click=${() => (this.storageNoticeDismissed = true)}>Dismiss</button>
    </div>`;
  }

  private renderUnfinished(): TemplateResult | typeof nothing {
    const { unfinished, elsewhere } = this;
    const some = unfinished.length + elsewhere.length > 0;
    if (!some || this.unfinishedDismissed || this.route.name === 'live') return nothing;
    return html`<section class="card unfinished" aria-label="Unfinished runs">
      ${
        unfinished.length
          ? html`<p>
              <strong>${unfinished.length} unfinished run${unfinished.length > 1 ? 's' : ''}</strong> — resume from the
              last checkpoint:
            </p>`
          : nothing
      }
      <ul class="stack" style="list-style:none;padding:0;margin:0">
        ${unfinished.map(
          (r) =>
            html`<li class="row">
              <span style="flex:1"
                >${r.name} <span class="muted small">· ${r.model} · ${listStatus(r, false)}</span></span
              >
              <a class="button primary" href=${routeHref('live', r.id, true)}>Resume</a>
            </li>`,
        )}
        ${elsewhere.map(
          (r) =>
            html`<li class="row" data-owner="elsewhere">
              <span style="flex:1"
                >${r.name} <span class="muted small">· ${r.model} · Running in another tab</span></span
              >
              <a class="button" href=${routeHref('live', r.id)}>Follow</a>
            </li>`,
        )}
      </ul>
      <div class="row" style="margin-top:8px">
        <button @click=${() => (this.unfinishedDismissed = true)}>Not now</button>
        <a href="#/history">See all runs</a>
      </div>
    </section>`;
  }

  private renderRoute(): TemplateResult {
    const r = this.route;
    const tag = lazyTag(r);
    if (tag && this.lazyFailed.has(tag)) return unavailable(tag);
    const plain = PLAIN_VIEWS[r.name];
    if (plain) return plain();
    switch (r.name) {
      case 'live': {
        const id = r.runId ?? this.runFor('live');
        if (id === undefined) return loadingRuns();
        if (!id) return noRun('Live');
        return html`<drpo-live-view run-id=${id} ?resume=${r.resume === true}></drpo-live-view>`;
      }
      case 'result': {
        const id = r.runId ?? this.runFor('result');
        if (id === undefined) return loadingRuns();
        if (!id) return noRun('Result');
        return html`<drpo-result-view run-id=${id} ?show-closest=${r.closest === true}></drpo-result-view>`;
      }
      case 'history':
        return html`<drpo-history-view .shownAlignment=${r.alignmentId ?? ''}></drpo-history-view>`;
      case 'share':
        return html`<drpo-share-preview .fragment=${r.fragment ?? ''}></drpo-share-preview>`;
      default:
        return html`<section class="card" data-view="not-found">
          <h2>Page not found</h2>
          <p>There is no page at “${r.path ?? ''}”.</p>
          <a href="#/setup">Go to Setup</a>
        </section>`;
    }
  }
}

/** Views that need nothing from the route. */
const PLAIN_VIEWS: Partial<Record<Route['name'], () => TemplateResult>> = {
  setup: () => html`<drpo-setup-view></drpo-setup-view>`,
  data: () => html`<drpo-data-view></drpo-data-view>`,
  run: () => html`<drpo-run-view></drpo-run-view>`,
  playground: () => html`<drpo-playground-view></drpo-playground-view>`,
  evaluate: () => html`<drpo-eval-view></drpo-eval-view>`,
};

function lazyTag(r: Route): string | null {
  if (r.name === 'run') return 'drpo-run-view';
  if (r.name === 'live') return 'drpo-live-view';
  if (r.name === 'result') return 'drpo-result-view';
  if (r.name === 'evaluate') return 'drpo-eval-view';
  return null;
}

function noRun(label: string): TemplateResult {
  return html`<section class="card" data-view="no-run">
    <h2>${label}</h2>
    <p>
      No runs yet. Start one on the <a href="#/run">Run</a> page; finished and unfinished runs are kept in
      <a href="#/history">History</a>.
    </p>
  </section>`;
}

function loadingRuns(): TemplateResult {
  return html`<section class="card" aria-busy="true"><p>Finding your latest run…</p></section>`;
}

function unavailable(tag: string): TemplateResult {
  return html`<section class="card" data-view="unavailable">
    <h2>This view could not be loaded</h2>
    <p>&lt;${tag}&gt; is not available in this build. Try reloading the page.</p>
  </section>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-app': DrpoApp;
  }
}
