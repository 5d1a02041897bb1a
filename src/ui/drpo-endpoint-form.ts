/**
 * OpenAI-compatible endpoint: base URL, API key (+ remember on this device), connection settings
 * (request timeout, largest reply), Test connection → model list → model choice. Every failure is
 * explained in words under the form.
 */
import { html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from './drpo-view-base';
import { baseStyles } from './drpo-styles';
import { describeError } from './error-messages';
import type { ErrorWords } from './error-messages';
import { AppError, ErrorName } from '../core/errors';
import { DEFAULT_MAX_REPLY_BYTES } from '../llm/bounded-body';
import { HTTP_DEFAULTS } from '../llm/http';
import type { EndpointState } from './app-state';
import { DEFAULT_ENDPOINT_CONCURRENCY, MAX_ENDPOINT_CONCURRENCY } from '../core/parallel';

const MB = 2 ** 20;

/** The connection settings as typed ('' = the default); throws InvalidInput naming the bad field. */
export function connectionSettings(timeoutS: string, replyMb: string): { timeoutMs?: number; maxReplyBytes?: number } {
  const out: { timeoutMs?: number; maxReplyBytes?: number } = {};
  const num = (raw: string, what: string, min: number, max: number): number | undefined => {
    if (!raw.trim()) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new AppError(ErrorName.InvalidInput, `${what} must be a number from ${min} to ${max}.`);
    }
    return n;
  };
  const t = num(timeoutS, 'The request timeout (seconds)', 1, 3600);
  const r = num(replyMb, 'The largest reply (MB)', 1, 512);
  if (t !== undefined) out.timeoutMs = Math.round(t * 1000);
  if (r !== undefined) out.maxReplyBytes = Math.round(r * MB);
  return out;
}

const CORS_HINTS = [
  'Ollama: start it with OLLAMA_ORIGINS="*" ollama serve (or list this page’s origin), base URL http://localhost:11434/v1.',
  'llama.cpp llama-server: base URL http://localhost:8080/v1 (CORS is allowed by default; check host and port).',
  'A page served over https cannot call a plain http server on another machine (mixed content); use https or localhost.',
];

/** Checks the URL before anything goes over the network. Returns the normalised base URL. */
export function checkBaseUrl(raw: string): string {
  const s = raw.trim();
  if (!s) throw new AppError(ErrorName.InvalidUrl, 'Enter the server’s base URL, e.g. http://localhost:11434/v1.');
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new AppError(ErrorName.InvalidUrl, `“${s}” is not a URL. It must start with http:// or https://.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new AppError(ErrorName.InvalidUrl, `Only http:// and https:// URLs work (got ${u.protocol}).`);
  return s.replace(/\/+$/, '');
}

@customElement('drpo-endpoint-form')
export class DrpoEndpointForm extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        gap: 12px;
      }
      input[type='url'],
      input[type='password'],
      select,
      input[list] {
        width: 100%;
      }
      .check {
        font-weight: normal;
        display: flex;
        gap: 6px;
        align-items: center;
      }
      ul {
        margin: 4px 0 0;
        padding-left: 20px;
      }
    `,
  ];

  /** Which endpoint slot this form edits. */
  @property({ attribute: 'endpoint-id' }) endpointId = 'endpoint-1';
  @state() private baseUrl = '';
  @state() private apiKey = '';
  @state() private remember = false;
  /** Connection settings as typed; '' means the default. */
  @state() private timeoutS = '';
  @state() private replyMb = '';
  /** Requests sent to the server at once: its parallel slots. */
  @state() private concurrency = DEFAULT_ENDPOINT_CONCURRENCY;
  @state() private testing = false;
  @state() private models: string[] = [];
  @state() private modelId = '';
  @state() private error: (ErrorWords & { name: string }) | null = null;
  @state() private connected = false;
  private prefilled = false;

  override updated(): void {
    void this.prefill();
  }

  /** Fill in a remembered endpoint once the store arrives. */
  private async prefill(): Promise<void> {
    if (this.prefilled || !this.store) return;
    this.prefilled = true;
    try {
      const saved = (await this.store.listEndpoints()).find((e) => e.id === this.endpointId);
      if (saved && !this.baseUrl) {
        this.baseUrl = saved.baseUrl;
        this.apiKey = saved.apiKey ?? '';
        this.remember = saved.remember;
        this.timeoutS = saved.timeoutMs ? String(saved.timeoutMs / 1000) : '';
        this.replyMb = saved.maxReplyBytes ? String(saved.maxReplyBytes / MB) : '';
        if (saved.concurrency) this.concurrency = saved.concurrency;
      }
    } catch {
      // A missing remembered endpoint is not worth an error.
    }
  }

  private fail(err: unknown): void {
    const words = describeError(err);
    const name = typeof err === 'object' && err && 'name' in err ? String(err.name) : ErrorName.Unknown;
    this.error = { ...words, name };
  }

  private async test(e?: Event): Promise<void> {
    e?.preventDefault();
    this.error = null;
    this.connected = false;
    let baseUrl: string;
    let connection: ReturnType<typeof connectionSettings>;
    try {
      baseUrl = checkBaseUrl(this.baseUrl);
      connection = connectionSettings(this.timeoutS, this.replyMb);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!this.client) {
      this.fail(new AppError(ErrorName.Unknown, 'The background worker is not ready yet. Try again in a moment.'));
      return;
    }
    this.testing = true;
    try {
      const apiKey = this.apiKey.trim() || undefined;
      const concurrency = this.concurrency;
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_ENDPOINT_CONCURRENCY) {
        throw new AppError(
          ErrorName.InvalidInput,
          `Parallel requests must be a whole number from 1 to ${MAX_ENDPOINT_CONCURRENCY}.`,
        );
      }
      await this.client.setEndpoint({ id: this.endpointId, baseUrl, apiKey, concurrency, ...connection });
      const models = await this.client.listEndpointModels(this.endpointId);
      this.models = models;
      if (!models.length) {
        this.fail(new AppError(ErrorName.ModelNotListed, 'The server answered but lists no models.'));
        return;
      }
      if (!models.includes(this.modelId)) this.modelId = models[0]!;
      this.connected = true;
      await this.save(baseUrl, apiKey, connection);
    } catch (err) {
      this.fail(err);
    } finally {
      this.testing = false;
    }
  }

  private async save(
    baseUrl: string,
    apiKey: string | undefined,
    connection: ReturnType<typeof connectionSettings>,
  ): Promise<void> {
    const state: EndpointState = {
      id: this.endpointId,
      baseUrl,
      apiKey,
      remember: this.remember,
      models: this.models,
      ...connection,
      concurrency: this.concurrency,
    };
    if (this.appState) {
      const others = this.appState.value.endpoints.filter((x) => x.id !== this.endpointId);
      this.appState.update({ endpoints: [...others, state] });
    }
    // The key is written to disk only when the user asked for it.
    await this.store
      ?.saveEndpoint({
        id: this.endpointId,
        baseUrl,
        remember: this.remember,
        ...connection,
        concurrency: this.concurrency,
        ...(this.remember && apiKey ? { apiKey } : {}),
      })
      .catch((err: unknown) => console.warn('Could not remember the endpoint', err));
  }

  private use(): void {
    const id = this.modelId.trim();
    if (!this.models.includes(id)) {
      this.fail(
        new AppError(ErrorName.ModelNotListed, `The server does not list “${id}”.`, {
          detail: `Listed: ${this.models.slice(0, 8).join(', ')}${this.models.length > 8 ? ', …' : ''}`,
        }),
      );
      return;
    }
    this.error = null;
    this.dispatchEvent(
      new CustomEvent('endpoint-connected', {
        detail: { endpointId: this.endpointId, modelId: id },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private numberField(
    id: string,
    label: string,
    max: number,
    fallback: number,
    value: string,
    set: (v: string) => void,
  ) {
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="number"
        min="1"
        max=${max}
        inputmode="numeric"
        placeholder=${String(fallback)}
        .value=${value}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
      />
    </div>`;
  }

  override render() {
    const corsLike = this.error && (this.error.name === ErrorName.Cors || this.error.name === ErrorName.Network);
    return html`<form @submit=${this.test} novalidate>
      <div class="field">
        <label for="url">Base URL</label>
        <input
          id="url"
          type="url"
          placeholder="http://localhost:11434/v1"
          autocomplete="url"
          .value=${this.baseUrl}
          @input=${(e: Event) => (this.baseUrl = (e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="key">API key <span class="muted small">(optional)</span></label>
        <input
          id="key"
          type="password"
          autocomplete="off"
          .value=${this.apiKey}
          @input=${(e: Event) => (this.apiKey = (e.target as HTMLInputElement).value)}
        />
        <label class="check small"
          ><input
            type="checkbox"
            .checked=${this.remember}
            @change=${(e: Event) => (this.remember = (e.target as HTMLInputElement).checked)}
          />
          Remember the key on this device (stored unencrypted in this browser)</label
        >
      </div>
      <div class="field">
        <label for="parallel">Parallel requests</label>
        <input
          id="parallel"
          type="number"
          min="1"
          max=${MAX_ENDPOINT_CONCURRENCY}
          step="1"
          aria-describedby="parallel-hint"
          .value=${String(this.concurrency)}
          @input=${(e: Event) => (this.concurrency = Number((e.target as HTMLInputElement).value))}
        />
        <span id="parallel-hint" class="small muted"
          >How many requests the server answers at once (llama-server <code>--parallel N</code>,
          <code>OLLAMA_NUM_PARALLEL</code>, vLLM: many). Runs finish sooner; results are the same. A model running in
          this browser always answers one request at a time.</span
        >
      </div>
      <details>
        <summary class="small">Connection settings</summary>
        <div class="row" style="margin-top:8px">
          ${this.numberField('timeout', 'Request timeout (seconds)', 3600, HTTP_DEFAULTS.timeoutMs / 1000, this.timeoutS, (v) => (this.timeoutS = v))}
          ${this.numberField('reply', 'Largest reply (MB)', 512, DEFAULT_MAX_REPLY_BYTES / MB, this.replyMb, (v) => (this.replyMb = v))}
        </div>
        <p class="small muted" style="margin:4px 0 0">
          A request that takes longer is given up (and retried); a reply larger than the limit is not read.
        </p>
      </details>
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.testing}>
          ${this.testing ? 'Testing…' : 'Test connection'}
        </button>
        <span class="small" aria-live="polite"
          >${this.connected ? html`<span class="badge ok">✓ connected · ${this.models.length} models</span>` : nothing}</span
        >
      </div>
      ${
        this.models.length
          ? html`<div class="field">
              <label for="model">Model</label>
              <input
                id="model"
                type="text"
                list="models"
                .value=${this.modelId}
                @input=${(e: Event) => (this.modelId = (e.target as HTMLInputElement).value)}
              />
              <datalist id="models">${this.models.map((m) => html`<option value=${m}></option>`)}</datalist>
              <div class="row"><button type="button" class="primary" @click=${this.use}>Use this model</button></div>
            </div>`
          : nothing
      }
      ${
        this.error
          ? html`<div class="error" role="alert" data-error=${this.error.name}>
              <strong>${this.error.title}</strong>
              <p style="margin:4px 0">${this.error.message}</p>
              <p class="small" style="margin:0">${this.error.hint}</p>
              ${
                corsLike
                  ? html`<ul class="small">
                      ${CORS_HINTS.map((h) => html`<li>${h}</li>`)}
                    </ul>`
                  : nothing
              }
            </div>`
          : nothing
      }
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-endpoint-form': DrpoEndpointForm;
  }
}
