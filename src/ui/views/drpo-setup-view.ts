/**
 * Setup: WebGPU status, engine per role (local WebLLM or an OpenAI-compatible endpoint), model
 * cards with download/load/unload/delete, cache backend, storage use, and a small chat to check
 * that the chosen model streams.
 */
import { html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { radio, textInput } from '../helpers/form-controls';
import { held } from '../helpers/held';
import { keepFocus } from '../helpers/focus';
import { AppError, ErrorName, serializeError } from '../../core/contracts/errors';
import type { StorageFacts } from '../../store/store';
import { downloadRefused, keptLine, persistenceAnswer, storageLine } from '../view-models/storage-words';
import { ROLE_LABELS } from '../view-models/role-labels';
import { ROLES } from '../../core/contracts/run-config';
import type { Role, RoleBinding } from '../../core/contracts/run-config';
import type { CacheBackend, ModelInfo } from '../../protocol/worker-api';
import {
  defaultModelId,
  downloadMB,
  friendlyName,
  isSoftwareAdapter,
  modelCards,
  prebuiltModels,
} from '../view-models/model-facts';
import { bindingKey } from '../view-models/eval-bindings';
import { unavailability, unavailableRolesMessage, unavailableSuffix } from '../view-models/role-availability';
import '../components/drpo-gpu-status';
import '../components/drpo-model-card';
import '../components/drpo-load-progress';
import '../components/drpo-endpoint-form';
import '../components/drpo-chat-pane';

type Engine = 'local' | 'endpoint';
function parseBindingKey(k: string): RoleBinding | undefined {
  const [engine, endpointId, ...rest] = k.split('|');
  const modelId = rest.join('|');
  if (!modelId || (engine !== 'webllm' && engine !== 'openai')) return undefined;
  return engine === 'openai' ? { engine, modelId, endpointId: endpointId || undefined } : { engine, modelId };
}

@customElement('drpo-setup-view')
export class DrpoSetupView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
        gap: 12px;
      }
      fieldset {
        border: 1px solid var(--drpo-border);
        border-radius: var(--drpo-radius);
        padding: 8px 12px;
        margin: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .choice {
        font-weight: normal;
        display: inline-flex;
        gap: 6px;
        align-items: center;
        margin-right: 16px;
      }
      .roles {
        display: grid;
        gap: 8px;
        grid-template-columns: minmax(140px, max-content) 1fr;
        align-items: center;
      }
      .roles select {
        width: 100%;
      }
      .steps {
        margin: 0;
        padding-left: 22px;
      }
      .steps li {
        margin: 2px 0;
      }
      #filter {
        min-width: 18em;
      }
      @media (max-width: 520px) {
        .roles {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @state() private engine: Engine | null = null;
  @state() private advanced = false;
  @state() private backend: CacheBackend = 'cache';
  @state() private models: ModelInfo[] | null = null;
  @state() private modelsError = '';
  @state() private filter = '';
  @state() private showAll = false;
  @state() private busyModel: string | null = null;
  @state() private storage: StorageFacts | null = null;
  @state() private listing = false;
  private requested = { storage: false, backend: false };

  override updated(): void {
    if (this.store && !this.requested.backend) {
      this.requested.backend = true;
      void this.store
        .getSetting<CacheBackend>('cacheBackend')
        .then((b) => {
          if (b && b !== this.backend) {
            this.backend = b;
            if (this.models) void this.refreshModels();
          }
        })
        .catch(() => undefined);
    }
    if (this.store && !this.requested.storage) {
      this.requested.storage = true;
      void this.refreshStorage();
    }
  }

  private get currentEngine(): Engine {
    if (this.engine) return this.engine;
    const policy = this.appState?.value.roles.policy;
    if (policy) return policy.engine === 'openai' ? 'endpoint' : 'local';
    return this.appState?.value.gpu?.available === false ? 'endpoint' : 'local';
  }

  private async refreshStorage(): Promise<void> {
    this.storage = (await this.store?.storageEstimate().catch(() => null)) ?? null;
  }

  /**
   * The full catalog (and what is downloaded) needs WebLLM's package in the worker, so it is listed only
   * on request or once a model was loaded; until then the suggested models are shown from page facts.
   */
  private async refreshModels(opts: { showAll?: boolean } = {}): Promise<void> {
    if (!this.client) return;
    this.listing = true;
    try {
      const models = await this.client.listModels(this.backend);
      // The button pressed (held while it listed) goes with the list's arrival: focus moves to the list's filter.
      keepFocus(this, () => this.renderRoot.querySelector('#filter'));
      this.models = models;
      if (opts.showAll) this.showAll = true;
      this.modelsError = '';
    } catch (err) {
      this.modelsError = err instanceof Error ? err.message : String(err);
    } finally {
      this.listing = false;
    }
  }

  /** The whole catalog, and what is downloaded, shown from now on (it is listed first if it was not yet). */
  private async showAllModels(): Promise<void> {
    if (!this.models) return this.refreshModels({ showAll: true });
    keepFocus(this, () => this.renderRoot.querySelector('#filter'));
    this.showAll = true;
  }

  /** Some role is bound to another model than the policy (so the roles are shown, whatever the box said). */
  private get split(): boolean {
    const roles = this.appState?.value.roles ?? {};
    return ROLES.some((r) => roles[r] !== undefined && bindingKey(roles[r]) !== bindingKey(roles.policy));
  }

  /** Unticked, one model plays every role again: the page says so, so the run must do so. */
  private setAdvanced(on: boolean): void {
    this.advanced = on;
    if (!on && this.split) this.bindAll(this.appState?.value.roles.policy ?? null, { everyRole: true });
  }

  /**
   * Binds the policy, and every role that followed it. A role bound elsewhere (a larger judge) keeps its model
   * whenever the roles are shown, ticked or not: the box is re-created with the view, and a judge chosen in an
   * earlier visit (or restored after a reload) must not silently fall back to the policy model.
   */
  private bindAll(binding: RoleBinding | null, opts: { everyRole?: boolean } = {}): void {
    if (!this.appState) return;
    const roles = { ...this.appState.value.roles };
    const keepOthers = !opts.everyRole && (this.advanced || this.split);
    // Compared with the policy as it was: the loop rebinds the policy first.
    const was = bindingKey(roles.policy);
    for (const r of ROLES) {
      if (!keepOthers || r === 'policy' || bindingKey(roles[r]) === was) {
        if (binding) roles[r] = binding;
        else delete roles[r];
      }
    }
    this.appState.update({ roles });
  }

  /**
   * A download is the moment a user chooses to store gigabytes: the browser is asked then (not on page load) to
   * keep this site's data; its answer is said once, and the storage line says it from then on. Asked once per
   * store (null: asked before), never for a memory store, which keeps runs only until the tab closes anyway.
   */
  private askToKeep(): void {
    if (!this.store?.persistent || this.storage?.persisted) return;
    void this.store
      .requestPersistence()
      .then((granted) => {
        if (granted === null) return;
        this.toast(persistenceAnswer(granted));
        void this.refreshStorage();
      })
      .catch(() => undefined);
  }

  private async load(modelId: string): Promise<void> {
    if (!this.client || this.busyModel) return;
    this.busyModel = modelId;
    const cached = await this.cachedNow(modelId);
    // Unknown (the worker could not list): it may download, but nothing of it is deleted on a full disk.
    const downloads = cached === false;
    if (cached !== true) this.askToKeep();
    try {
      const loaded = await this.client.loadModel(modelId, this.backend, (p) =>
        this.appState?.update({ loadProgress: p }),
      );
      this.appState?.update({ loaded: [loaded], loadProgress: null });
      this.bindAll({ engine: 'webllm', modelId: loaded.modelId });
      this.dispatchEvent(new CustomEvent('model-loaded', { detail: loaded, bubbles: true, composed: true }));
      this.toast(`${loaded.modelId} is loaded`);
    } catch (err) {
      this.appState?.update({ loadProgress: null });
      const quota = serializeError(err).name === ErrorName.Quota;
      this.raise(
        quota && downloads ? await this.downloadRefusedError(modelId, err) : err,
        `Loading ${modelId}`,
        () => void this.load(modelId),
      );
    } finally {
      this.busyModel = null;
      void this.refreshModels();
      void this.refreshStorage();
    }
  }

  /**
   * Whether a model's files are downloaded, before it loads: the suggested models shown before the catalog is
   * listed are page facts that know nothing of the cache, so the worker is asked (the load needs its WebLLM
   * package anyway). undefined when it could not tell.
   */
  private async cachedNow(modelId: string): Promise<boolean | undefined> {
    if (!this.models) {
      const listed = await this.client?.listModels(this.backend).catch(() => null);
      if (listed) this.models = listed;
    }
    return this.models?.find((m) => m.id === modelId)?.cached;
  }

  /**
   * The disk filled during a download this load started: the part already downloaded is deleted (it is of no use
   * and holds space the user must free), and the error names what the model needs and what fits now.
   */
  private async downloadRefusedError(modelId: string, err: unknown): Promise<AppError> {
    const deleted = await this.client?.deleteCachedModel(modelId, this.backend).then(
      () => true,
      () => false,
    );
    await this.refreshStorage();
    const mb = downloadMB(modelId);
    const message = downloadRefused(friendlyName(modelId), mb === null ? null : mb * 1e6, this.storage);
    const part = deleted
      ? 'The part already downloaded was deleted.'
      : 'The part already downloaded could not be deleted, so it still takes space.';
    return new AppError(ErrorName.Quota, `${message} ${part}`, {
      detail: serializeError(err).message,
    });
  }

  private async unload(): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.unloadModel();
      this.appState?.update({ loaded: [] });
      if (this.appState?.value.roles.policy?.engine === 'webllm') this.bindAll(null);
      this.dispatchEvent(new CustomEvent('model-unloaded', { bubbles: true, composed: true }));
    } catch (err) {
      this.raise(err, 'Unloading the model');
    }
  }

  private async deleteCached(modelId: string): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.deleteCachedModel(modelId, this.backend);
      this.toast(`Deleted the cached files of ${modelId}`);
    } catch (err) {
      this.raise(err, `Deleting ${modelId}`);
    }
    void this.refreshModels();
    void this.refreshStorage();
  }

  private setBackend(b: CacheBackend): void {
    this.backend = b;
    void this.store?.setSetting('cacheBackend', b).catch(() => undefined);
    if (this.models) void this.refreshModels();
  }

  private onEndpointConnected(e: CustomEvent<{ endpointId: string; modelId: string }>): void {
    const binding: RoleBinding = { engine: 'openai', endpointId: e.detail.endpointId, modelId: e.detail.modelId };
    this.bindAll(binding);
    this.toast(`Using ${e.detail.modelId}`);
  }

  /** Every model a role can be bound to now: the loaded local model and what each endpoint listed. */
  private bindingOptions(): { key: string; label: string }[] {
    const s = this.appState?.value;
    if (!s) return [];
    const out = s.loaded.map((m) => ({
      key: bindingKey({ engine: 'webllm', modelId: m.modelId }),
      label: `Local · ${m.modelId}`,
    }));
    for (const ep of s.endpoints) {
      for (const m of ep.models) {
        out.push({
          key: bindingKey({ engine: 'openai', endpointId: ep.id, modelId: m }),
          label: `${ep.baseUrl} · ${m}`,
        });
      }
    }
    return out;
  }

  /** A role's binding that is none of the options (its server no longer lists it, …), shown as it is. */
  private unavailableOption(b: RoleBinding | undefined): { key: string; label: string } | null {
    const s = this.appState?.value;
    const gone = s && b ? unavailability(s, b) : null;
    if (!b || !gone) return null;
    const where = b.engine === 'webllm' ? 'Local' : (gone.baseUrl ?? b.endpointId ?? 'endpoint');
    return { key: bindingKey(b), label: `${where} · ${b.modelId} ${unavailableSuffix(gone.why)}` };
  }

  private setRole(role: Role, key: string): void {
    if (!this.appState) return;
    const b = parseBindingKey(key);
    const roles = { ...this.appState.value.roles };
    if (b) roles[role] = b;
    else delete roles[role];
    this.appState.update({ roles });
  }

  override render() {
    const s = this.appState?.value;
    const engine = this.currentEngine;
    const policy = s?.roles.policy ?? null;
    return html`<div class="stack">
      <h2>Setup</h2>
      ${this.renderIntro()}
      <section class="card">
        <h3>Your GPU</h3>
        <drpo-gpu-status .appState=${this.appState} ?endpoint=${engine === 'endpoint'}></drpo-gpu-status>
      </section>
      <section class="card stack">
        <fieldset>
          <legend>Engine for the policy model</legend>
          ${radio('engine', 'Local (WebLLM, in this browser)', engine === 'local', () => (this.engine = 'local'))}
          ${radio('engine', 'OpenAI-compatible endpoint', engine === 'endpoint', () => (this.engine = 'endpoint'))}
        </fieldset>
        ${this.renderUnavailable()} ${this.renderStorage()}
        ${engine === 'local' ? this.renderLocal() : html`<drpo-endpoint-form .client=${this.client} .store=${this.store} .appState=${this.appState} @endpoint-connected=${this.onEndpointConnected}></drpo-endpoint-form>`}
      </section>
      <section class="card stack">
        <label class="choice"
          ><input
            type="checkbox"
            .checked=${this.advanced || this.split}
            @change=${(e: Event) => this.setAdvanced((e.target as HTMLInputElement).checked)}
          />
          Advanced: bind judge / optimizer / aspect selector to another model</label
        >
        ${
          this.advanced || this.split
            ? this.renderRoles()
            : html`<p class="small muted">One model plays every role (self-alignment).</p>`
        }
      </section>
      <section class="card">
        <h3>Check the model</h3>
        ${
          policy
            ? html`<drpo-chat-pane
                .client=${this.client}
                standalone
                .binding=${policy}
                .systemPrompt=${'You are a helpful assistant.'}
                max-tokens="256"
              ></drpo-chat-pane>`
            : html`<p class="muted">
                Load a model or connect an endpoint, then send a short message here to check that it answers.
              </p>`
        }
        ${policy ? html`<p class="small" style="margin-top:8px">Ready? Continue to <a href="#/data">Data</a>.</p>` : nothing}
      </section>
    </div>`;
  }

  /** What DRPO does and the four steps, in plain words, for a first visit. */
  private renderIntro() {
    return html`<section class="card intro" aria-labelledby="intro-h">
      <h3 id="intro-h">What this does</h3>
      <p>
        DRPO Studio finds better instructions for a small language model, using the model itself. The model answers
        practice questions; a judge picks what matters for each question and scores the answer; an optimizer rewrites
        the system prompt from that feedback, and the best prompts are kept. Nothing is trained: you get a prompt (and a
        few worked examples) to use with the model.
      </p>
      <ol class="steps">
        <li><strong>Choose a model</strong>: in this browser, or on a server you run (below).</li>
        <li><strong>Pick practice questions</strong>: the built-in set is ready (<a href="#/data">Data</a>).</li>
        <li><strong>Run the search</strong> and watch the prompts improve (<a href="#/run">Run</a>).</li>
        <li><strong>Check and use the result</strong>: compare it with the prompt you started from, then export it.</li>
      </ol>
    </section>`;
  }

  /** Roles bound to a model the server no longer lists (or not loaded): said where the model is chosen. */
  private renderUnavailable() {
    const s = this.appState?.value;
    const message = s ? unavailableRolesMessage(s) : null;
    return message ? html`<p class="warn-box" role="status" data-unavailable>${message}</p>` : nothing;
  }

  private renderRoles() {
    const opts = this.bindingOptions();
    const roles = this.appState?.value.roles ?? {};
    if (!opts.length && !Object.keys(roles).length)
      return html`<p class="small muted">Load a model or connect an endpoint first; then choose a model per role.</p>`;
    // Each menu shows the role's real binding: one the options lack is added as it is. `live` sets each option's
    // selectedness from the binding at every render: Lit reuses <option> elements when the list changes.
    return html`<div class="roles">
      ${ROLES.map((r) => {
        const current = bindingKey(roles[r]);
        const gone = this.unavailableOption(roles[r]);
        return html`<label for="role-${r}">${ROLE_LABELS[r]}</label>
          <select id="role-${r}" @change=${(e: Event) => this.setRole(r, (e.target as HTMLSelectElement).value)}>
            <option value="" .selected=${live(current === '')}>— not set —</option>
            ${gone ? html`<option value=${gone.key} .selected=${live(true)}>${gone.label}</option>` : nothing}
            ${opts.map((o) => html`<option value=${o.key} .selected=${live(o.key === current)}>${o.label}</option>`)}
          </select>`;
      })}
    </div>`;
  }

  /**
   * What this site stores and what more fits, and whether the browser keeps it. Shown whichever engine is chosen:
   * an endpoint user downloads no model, but keeps runs and alignments here, which the browser may clear.
   */
  private renderStorage() {
    if (!this.storage) return nothing;
    return html`<p class="small" data-storage>
      ${storageLine(this.storage)} ${keptLine(this.storage.persisted, this.store?.persistent ?? true)}
    </p>`;
  }

  private renderLocal() {
    const s = this.appState?.value;
    const gpu = s?.gpu;
    if (gpu && !gpu.available)
      return html`<p class="warn-box">
        Local models need WebGPU, which is not available here. Choose “OpenAI-compatible endpoint” above.
      </p>`;
    const loadedIds = new Set((s?.loaded ?? []).filter((m) => m.engine === 'webllm').map((m) => m.modelId));
    const noF16 = gpu ? !gpu.shaderF16 : false;
    // A model id typed before the full list is fetched is searched among all of web-llm's models (the page's
    // copy of that static list), not only the suggested ones; what is downloaded still needs the full list.
    const catalog = this.models ?? prebuiltModels();
    const preselect = defaultModelId(catalog, !noF16);
    const query = this.filter.trim();
    const list = modelCards(catalog, {
      shaderF16: !noF16,
      query,
      all: this.showAll,
      first: preselect,
      keep: loadedIds,
    });
    const suggestedShown = preselect !== null && list.some((m) => m.id === preselect);
    const count = query
      ? list.length
        ? `${list.length} ${list.length === 1 ? 'model matches' : 'models match'} “${query}”`
        : `No model matches “${query}”. Try part of a name, such as “llama” or “q4f32”.`
      : `${list.length} ${this.showAll ? 'models' : 'suggested models'}`;
    return html`<div class="stack">
      <div class="row">
        <label for="backend">Weights cache</label>
        <select
          id="backend"
          @change=${(e: Event) => this.setBackend((e.target as HTMLSelectElement).value as CacheBackend)}
        >
          <option value="cache" ?selected=${this.backend === 'cache'}>Cache API (default)</option>
          <option value="indexeddb" ?selected=${this.backend === 'indexeddb'}>IndexedDB</option>
          <option value="opfs" ?selected=${this.backend === 'opfs'}>OPFS</option>
        </select>
      </div>
      ${s?.loadProgress ? html`<drpo-load-progress .progress=${s.loadProgress}></drpo-load-progress>` : nothing}
      ${
        loadedIds.size
          ? html`<div class="row">
              <span class="badge ok">● ${[...loadedIds].join(', ')} loaded</span
              ><button @click=${this.unload}>Unload</button>
            </div>`
          : nothing
      }
      ${
        isSoftwareAdapter(gpu)
          ? html`<div class="warn-box" role="note" data-software-gpu>
              <strong>This browser runs WebGPU in software</strong> (no hardware GPU, e.g. SwiftShader): even the
              smallest model answers very slowly here, and a search takes hours. Use an OpenAI-compatible endpoint
              above, or open the page in a browser with GPU access.
            </div>`
          : nothing
      }
      ${this.modelsError ? html`<p class="error" role="alert">Could not list models: ${this.modelsError}</p>` : nothing}
      ${
        this.showAll
          ? html`<div class="row">
              <span class="small muted">Every model WebLLM offers; what is downloaded is marked.</span>
              <button @click=${() => (this.showAll = false)}>Show only the suggested models</button>
            </div>`
          : html`<div class="row">
              <span class="small muted"
                >${query && !this.models ? 'Searching every model; what is downloaded shows once all are listed.' : 'Suggested models for this GPU.'}</span
              >
              <button @click=${() => void this.showAllModels()} ?disabled=${!this.client} ${held(this.listing)}>
                ${this.listing ? 'Listing models…' : 'Show all models and what is downloaded'}
              </button>
              <span class="small muted" aria-live="polite"
                >${this.listing ? 'Starting the model engine (the first time takes a few seconds)…' : ''}</span
              >
            </div>`
      }
      <div class="row">
        <label for="filter" class="visually-hidden">Filter models</label>
        ${textInput('filter', this.filter, (v) => (this.filter = v), { placeholder: 'e.g. qwen or q4f32' })}
        <span class="small muted" role="status" data-model-count
          >${count}${suggestedShown ? html` · suggested: <strong>${friendlyName(preselect)}</strong>` : nothing}</span
        >
      </div>
      <div class="grid">
        ${list.map(
          (m) =>
            html`<drpo-model-card
              .model=${m}
              ?selected=${m.id === preselect}
              ?loaded=${loadedIds.has(m.id)}
              ?busy=${this.busyModel !== null}
              ?noF16=${noF16}
              .gpu=${gpu ?? null}
              .storage=${this.storage}
              .cachedKnown=${this.models !== null}
              @model-load-requested=${() => void this.load(m.id)}
              @model-unload-requested=${() => void this.unload()}
              @model-delete-requested=${() => void this.deleteCached(m.id)}
            ></drpo-model-card>`,
        )}
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-setup-view': DrpoSetupView;
  }
}
