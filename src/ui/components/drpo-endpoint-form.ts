/**
 * OpenAI-compatible endpoint: base URL, API key (+ remember on this device), connection settings
 * (request timeout, largest reply, outage wait), optional prices per million tokens, Test connection → model list →
 * model choice, then a short streamed request that measures the model's speed (for the time estimates).
 * URL, model, settings and prices are remembered on this device; the key only when asked. Every failure
 * is explained in words under the form.
 */
import { normalizeBaseUrl, sameServer } from '../../core/formats/base-url';
import { html, css, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { checkbox, textInput } from '../helpers/form-controls';
import { STARTING_MESSAGE, describeError } from '../helpers/error-messages';
import { held } from '../helpers/held';
import { deepActiveElement, focusDropped, isTextEntry } from '../helpers/focus';
import type { ErrorWords } from '../helpers/error-messages';
import { AppError, ENDPOINT_ERROR_NAMES, ErrorName } from '../../core/contracts/errors';
import { DEFAULT_MAX_REPLY_BYTES, MAX_OUTAGE_GRACE_MS } from '../../core/calls/endpoint-limits';
import { HTTP_DEFAULTS } from '../../core/calls/endpoint-limits';
import type { EndpointState } from '../app/app-state';
import type { ChatFinishedDetail } from './drpo-chat-pane';
import type { EndpointConfig } from '../../protocol/worker-api';
import { endpointConfigOf } from '../../core/contracts/endpoint-config';
import {
  DEFAULT_ENDPOINT_CONCURRENCY,
  MAX_ENDPOINT_CONCURRENCY,
  concurrencyProblem,
} from '../../core/calls/endpoint-limits';
import { isPrice } from '../../core/plan/cost';
import type { TokenPrice } from '../../core/plan/cost';
import { formatTokenSpeed } from '../../core/formats/bytes';

/** What the speed check asks: short, and the same for every model so measurements compare. */
const SPEED_PROMPT = 'Count from 1 to 30, separated by spaces.';
const SPEED_MAX_TOKENS = 64;

type Speed =
  { state: 'measuring' } | { state: 'done'; tokensPerS: number; perCallMs?: number } | { state: 'failed'; why: string };

const MB = 2 ** 20;

type ConnectionSettings = Pick<EndpointConfig, 'timeoutMs' | 'maxReplyBytes' | 'outageGraceMs'>;
/** The connection settings' fields (their ids in the form). */
type ConnectionField = 'timeout' | 'reply' | 'outage';

/** A connection setting out of range: the error, and the field the form marks (never shown as text). */
class ConnectionSettingError extends AppError {
  constructor(
    message: string,
    readonly field: ConnectionField,
  ) {
    super(ErrorName.InvalidInput, message);
  }
}

/** The connection settings as typed ('' = the default); throws InvalidInput naming the bad field. */
export function connectionSettings(timeoutS: string, replyMb: string, outageS = ''): ConnectionSettings {
  const out: ConnectionSettings = {};
  const num = (raw: string, field: ConnectionField, what: string, min: number, max: number): number | undefined => {
    if (!raw.trim()) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new ConnectionSettingError(`${what} must be a number from ${min} to ${max}.`, field);
    }
    return n;
  };
  const t = num(timeoutS, 'timeout', 'The request timeout (seconds)', 1, 3600);
  const r = num(replyMb, 'reply', 'The largest reply (MB)', 1, 512);
  const o = num(outageS, 'outage', 'The outage wait (seconds)', 0, MAX_OUTAGE_GRACE_MS / 1000);
  if (t !== undefined) out.timeoutMs = Math.round(t * 1000);
  if (r !== undefined) out.maxReplyBytes = Math.round(r * MB);
  if (o !== undefined) out.outageGraceMs = Math.round(o * 1000);
  return out;
}

/**
 * Checks the URL before anything goes over the network, by the rules the endpoint adapter applies (one
 * source: a missing http:// is answered with "Did you mean http://…?"). Returns it as typed, trimmed.
 */
export function checkBaseUrl(raw: string): string {
  normalizeBaseUrl(raw);
  return raw.trim().replace(/\/+$/, '');
}

/** What is wrong with the parallel requests as typed, in words ('' when nothing): no number is asked for as such. */
export function parallelProblem(text: string): string {
  const n = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n)) return `Parallel requests: enter a whole number from 1 to ${MAX_ENDPOINT_CONCURRENCY}`;
  return concurrencyProblem(n);
}

/** A price as typed: a decimal comma is a decimal point ("0,15" is 0.15), as many keyboards type it. */
function priceNumber(v: string): number {
  return Number(v.trim().replace(',', '.'));
}

/** Typed, and not a number of 0 or more (blank is no price, not a bad one). */
function badPrice(v: string): boolean {
  const n = priceNumber(v);
  return v.trim() !== '' && !(n >= 0 && Number.isFinite(n));
}

@customElement('drpo-endpoint-form')
export class DrpoEndpointForm extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      form {
        display: grid;
        /* One column no wider than the form: an error quoting a long address wraps instead of widening it. */
        grid-template-columns: minmax(0, 1fr);
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
      fieldset.price {
        border: 1px solid var(--drpo-border);
        border-radius: 6px;
        padding: 6px 10px 8px;
        margin: 0;
      }
      fieldset.price input {
        width: 7em;
      }
    `,
  ];

  /** Which endpoint slot this form edits. */
  @property({ attribute: 'endpoint-id' }) endpointId = 'endpoint-1';
  @state() private baseUrl = '';
  @state() private apiKey = '';
  @state() private remember = false;
  /** The remembered endpoint was used with a key that was not remembered: say it must be typed again. */
  @state() private keyWanted = false;
  /** Connection settings as typed; '' means the default. */
  @state() private timeoutS = '';
  @state() private replyMb = '';
  @state() private outageS = '';
  /** Requests sent to the server at once: its parallel slots. */
  /** The field's text as typed (a number input would turn a cleared field into "0" and "0" into "00"). */
  @state() private parallelText = String(DEFAULT_ENDPOINT_CONCURRENCY);
  @state() private testing = false;
  @state() private models: string[] = [];
  @state() private modelId = '';
  /** The failure shown, its name, and the connection setting it is about (if one). */
  @state() private error: (ErrorWords & { name: string; field?: ConnectionField }) | null = null;
  @state() private connected = false;
  /**
   * Settings that listed their models while the roles use this endpoint on another server: they replace the
   * ones in use only when the user chooses a model of theirs (Use this model). A test never moves a bound role.
   */
  @state() private pending: EndpointConfig | null = null;
  @state() private priceIn = '';
  @state() private priceOut = '';
  @state() private speed: Speed | null = null;
  private prefilled = false;

  override updated(changed: PropertyValues): void {
    // A failure after a press (Test connection, Use this model) takes focus to its words, as the page's error banner
    // does: focus left on the button says nothing of what went wrong. Someone who pressed Enter in a field keeps
    // it: the field is marked invalid and described by the error, which is read out (role="alert") anyway.
    if (changed.has('error') && this.error && (this.matches(':focus-within') || focusDropped())) {
      if (!isTextEntry(deepActiveElement())) this.renderRoot.querySelector<HTMLElement>('#endpoint-error')?.focus();
    }
    void this.prefill();
    // An endpoint restored from the last session (or connected elsewhere): show its model, ready to use.
    const known = this.appState?.value.endpoints.find((e) => e.id === this.endpointId);
    if (known && !this.models.length && known.models.length) {
      this.models = known.models;
      const bound = this.appState?.value.roles.policy;
      this.modelId = bound?.endpointId === this.endpointId ? bound.modelId : known.models[0]!;
      if (!this.baseUrl) this.baseUrl = known.baseUrl;
    }
  }

  /** Fill in a remembered endpoint once the store arrives. */
  private async prefill(): Promise<void> {
    if (this.prefilled || !this.store) return;
    this.prefilled = true;
    try {
      const saved = (await this.store.listEndpoints()).find((e) => e.id === this.endpointId);
      // Each field only where the user (or a restored endpoint) has not filled it already.
      if (saved && (!this.baseUrl || this.baseUrl === saved.baseUrl)) {
        this.baseUrl = saved.baseUrl;
        this.apiKey ||= saved.apiKey ?? '';
        this.keyWanted = !!saved.keyNotRemembered && !this.apiKey;
        this.remember ||= saved.remember;
        this.timeoutS ||= saved.timeoutMs ? String(saved.timeoutMs / 1000) : '';
        this.replyMb ||= saved.maxReplyBytes ? String(saved.maxReplyBytes / MB) : '';
        this.outageS ||= saved.outageGraceMs !== undefined ? String(saved.outageGraceMs / 1000) : '';
        if (saved.concurrency) {
          this.parallelText = String(saved.concurrency);
        }
        this.modelId ||= saved.modelId ?? '';
        if (!this.priceIn && saved.pricePerMInput !== undefined) this.priceIn = String(saved.pricePerMInput);
        if (!this.priceOut && saved.pricePerMOutput !== undefined) this.priceOut = String(saved.pricePerMOutput);
      }
    } catch {
      // A missing remembered endpoint is not worth an error.
    }
  }

  private fail(err: unknown): void {
    const words = describeError(err);
    const name = typeof err === 'object' && err && 'name' in err ? String(err.name) : ErrorName.Unknown;
    this.error = { ...words, name, ...(err instanceof ConnectionSettingError ? { field: err.field } : {}) };
  }

  /** This endpoint as the app uses it (the worker has these settings): the last settings tested and kept. */
  private get inUse(): EndpointState | undefined {
    return this.appState?.value.endpoints.find((x) => x.id === this.endpointId);
  }

  /** The model a role uses on this endpoint (the policy's first), when any role does. */
  private get boundModel(): string | undefined {
    const roles = this.appState?.value.roles ?? {};
    const here = [roles.policy, ...Object.values(roles)].find(
      (b) => b?.engine === 'openai' && b.endpointId === this.endpointId,
    );
    return here?.modelId;
  }

  /**
   * Lists the models of the settings typed without touching the endpoint in use: a failed test leaves the roles,
   * the worker and what is remembered as they were. Settings that work are kept at once, unless the roles use
   * this endpoint on another server: then they wait for a model of theirs to be chosen (`pending`).
   */
  private async test(e?: Event): Promise<void> {
    e?.preventDefault();
    this.error = null;
    this.connected = false;
    this.pending = null;
    let config: EndpointConfig;
    try {
      const parallel = parallelProblem(this.parallelText);
      if (parallel) throw new AppError(ErrorName.InvalidInput, `${parallel}.`);
      config = endpointConfigOf({
        id: this.endpointId,
        baseUrl: checkBaseUrl(this.baseUrl),
        apiKey: this.apiKey.trim(),
        concurrency: Number(this.parallelText),
        ...connectionSettings(this.timeoutS, this.replyMb, this.outageS),
      });
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!this.client) {
      this.fail(new AppError(ErrorName.Starting, STARTING_MESSAGE));
      return;
    }
    this.testing = true;
    try {
      // The worker checks the settings by the rules it uses them by (one rule, one message) and lists the models.
      const models = await this.client.testEndpoint(config);
      if (!models.length)
        throw new AppError(ErrorName.NoModelsListed, 'The server answered, but its list of models is empty.');
      this.models = models;
      if (!models.includes(this.modelId)) this.modelId = models[0]!;
      const inUse = this.inUse;
      if (this.boundModel !== undefined && inUse && !sameServer(inUse.baseUrl, config.baseUrl)) {
        this.pending = config;
        this.connected = true;
        return;
      }
      await this.commit(config, this.modelId);
      // Only once the worker took the settings: a commit that fails shows its error, never beside "connected".
      this.connected = true;
    } catch (err) {
      // The list shown is the one of the endpoint in use again: the settings that failed list nothing.
      this.models = this.inUse?.models ?? [];
      this.fail(err);
    } finally {
      this.testing = false;
    }
  }

  /** The settings tested become the endpoint's: the worker's, the page's and (but the key) this device's. */
  private async commit(config: EndpointConfig, modelId: string): Promise<void> {
    await this.client?.setEndpoint(config);
    this.pending = null;
    this.keyWanted = false;
    await this.save(config, this.models, modelId, false);
  }

  /** The prices typed in, when both parse as usable numbers (blank = no price). */
  private get price(): TokenPrice | null {
    const num = (v: string) => (v.trim() === '' ? 0 : priceNumber(v));
    const p = { inputPerM: num(this.priceIn), outputPerM: num(this.priceOut) };
    return isPrice(p) ? p : null;
  }

  private get priceError(): string {
    return badPrice(this.priceIn) || badPrice(this.priceOut)
      ? 'Prices must be numbers of 0 or more (or left empty).'
      : '';
  }

  /** `needsKey`: the endpoint still waits for a key that was not remembered (kept until a test succeeds). */
  private async save(
    config: EndpointConfig,
    models: string[],
    modelId: string | undefined,
    needsKey: boolean | undefined,
  ): Promise<void> {
    const price = this.price;
    const { apiKey, ...settings } = config;
    const state: EndpointState = {
      ...config,
      remember: this.remember,
      models,
      ...(needsKey ? { needsKey } : {}),
      ...(price ? { price } : {}),
    };
    if (this.appState) {
      const others = this.appState.value.endpoints.filter((x) => x.id !== this.endpointId);
      this.appState.update({ endpoints: [...others, state] });
    }
    // The store writes the key to disk only when the user asked for it (else only that one was used); URL,
    // model and prices always.
    await this.store
      ?.saveEndpoint({
        ...settings,
        remember: this.remember,
        ...(apiKey ? { apiKey } : {}),
        ...(needsKey ? { keyNotRemembered: true } : {}),
        ...(modelId ? { modelId } : {}),
        // What the server listed, so after a reload every role can be bound without a new check (bounded: a
        // server may list thousands).
        ...(models.length ? { models: models.filter((m) => m.length <= 256).slice(0, 2000) } : {}),
        ...(price ? { pricePerMInput: price.inputPerM, pricePerMOutput: price.outputPerM } : {}),
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
    if (this.priceError) {
      this.fail(new AppError(ErrorName.InvalidInput, this.priceError));
      return;
    }
    this.error = null;
    const pending = this.pending;
    if (pending) {
      void this.switchTo(pending, id);
      return;
    }
    this.resave(id);
    this.chosen(id);
  }

  /** The server tested while the roles used another one becomes the endpoint's, with the model chosen. */
  private async switchTo(config: EndpointConfig, modelId: string): Promise<void> {
    try {
      await this.commit(config, modelId);
    } catch (err) {
      // The settings listed their models but were not taken: not "connected" beside the error.
      this.connected = false;
      this.fail(err);
      return;
    }
    this.chosen(modelId);
  }

  private chosen(modelId: string): void {
    this.dispatchEvent(
      new CustomEvent('endpoint-connected', {
        detail: { endpointId: this.endpointId, modelId },
        bubbles: true,
        composed: true,
      }),
    );
    void this.measureSpeed(modelId);
  }

  /**
   * The box takes effect at once: unticked, a stored key is deleted now (not at the next connection test);
   * ticked on a connected endpoint, its key is stored now. Before any connection there is nothing to save.
   */
  private async setRemember(on: boolean): Promise<void> {
    this.remember = on;
    if (this.inUse) {
      this.resave(this.modelId);
      return;
    }
    const store = this.store;
    if (!store) return;
    try {
      const saved = (await store.listEndpoints()).find((e) => e.id === this.endpointId);
      // The store keeps the key only when ticked; unticked, it keeps only that one was used.
      if (saved) await store.saveEndpoint({ ...saved, remember: on });
    } catch (err) {
      console.warn('Could not update the remembered endpoint', err);
    }
  }

  /**
   * Saves the endpoint in use again (the chosen model, the remember box, changed prices) with the settings it
   * was tested with, not what is typed since: those are used only once a test of them succeeds.
   */
  private resave(modelId?: string): void {
    const inUse = this.inUse;
    if (!inUse) return;
    const listed = modelId !== undefined && inUse.models.includes(modelId) ? modelId : undefined;
    void this.save(endpointConfigOf(inUse), inUse.models, listed, inUse.needsKey);
  }

  /** Prices can change after connecting: the cards and the live view follow at once. */
  private readonly onPriceChange = (): void => {
    if (this.priceError || !this.inUse) return;
    this.resave(this.modelId);
  };

  /** One short streamed request: the wait for the first token and the decode rate feed the time estimates. */
  private async measureSpeed(modelId: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.speed = { state: 'measuring' };
    try {
      const binding = { engine: 'openai' as const, endpointId: this.endpointId, modelId };
      const req = {
        messages: [{ role: 'user' as const, content: SPEED_PROMPT }],
        max_tokens: SPEED_MAX_TOKENS,
        temperature: 0,
      };
      const { usage } = await client.chat(client.newJobId(), binding, req, () => undefined);
      const tokensPerS = usage.decode_tokens_per_s;
      if (!tokensPerS || !(tokensPerS > 0)) throw new Error('the server reported no tokens');
      const perCallMs = usage.time_to_first_token_s === undefined ? undefined : usage.time_to_first_token_s * 1000;
      this.speed = { state: 'done', tokensPerS, ...(perCallMs !== undefined ? { perCallMs } : {}) };
      const detail: ChatFinishedDetail = { outcome: 'done', binding, tokensPerS, perCallMs };
      this.dispatchEvent(new CustomEvent('chat-finished', { detail, bubbles: true, composed: true }));
    } catch (err) {
      this.speed = { state: 'failed', why: describeError(err).message };
    }
  }

  private priceField(id: string, label: string, value: string, set: (v: string) => void) {
    // Text, not a number input: a number input reads "" while "0," or "1e" is being typed, and writing that
    // back wiped the field ("0,15" became "015", a price 100 times too high). What is typed stays; a bad
    // value is said under the prices.
    const input = textInput(id, value, set, {
      inputmode: 'decimal',
      invalid: badPrice(value),
      describedBy: badPrice(value) ? 'price-error' : undefined,
      onChange: this.onPriceChange,
    });
    return html`<label class="small" for=${id}>${label}</label> ${input}`;
  }

  private renderSpeed() {
    const s = this.speed;
    if (!s) return nothing;
    const text =
      s.state === 'measuring'
        ? 'Measuring the model’s speed…'
        : s.state === 'failed'
          ? `The speed could not be measured (${s.why}); time estimates will come from the first run.`
          : `Measured: ${formatTokenSpeed(s.tokensPerS)}${
              s.perCallMs !== undefined ? `, first token after ${Math.round(s.perCallMs)} ms` : ''
            }. The Run page estimates times from this.`;
    return html`<p class="small" data-speed=${s.state}>${text}</p>`;
  }

  private numberField(
    id: ConnectionField,
    label: string,
    max: number,
    fallback: number,
    value: string,
    set: (v: string) => void,
    min = 1,
  ) {
    const input = textInput(id, value, set, {
      type: 'number',
      min,
      max,
      inputmode: 'numeric',
      placeholder: String(fallback),
      ...this.marked(id),
    });
    return html`<div class="field"><label for=${id}>${label}</label> ${input}</div>`;
  }

  /** The field a failed connection points at: the key for a refused key, a connection setting it names, else the address. */
  private get errorField(): 'url' | 'key' | ConnectionField | null {
    const name = this.error?.name ?? '';
    if (name === ErrorName.Auth) return 'key';
    if (this.error?.field) return this.error.field;
    // It answered before, so the address is right: the setting its hint names is the outage wait.
    if (name === ErrorName.EndpointDown) return 'outage';
    return name === ErrorName.InvalidUrl || ENDPOINT_ERROR_NAMES.has(name) ? 'url' : null;
  }

  /** The field the error is about is marked invalid and described by the error's text. */
  private marked(field: 'url' | 'key' | ConnectionField) {
    return this.errorField === field ? { invalid: true, describedBy: 'endpoint-error' } : {};
  }

  /** "✓ connected", and the next step when no model of this server is in use yet. */
  private renderConnected() {
    if (!this.connected) return nothing;
    const badge = html`<span class="badge ok">✓ connected · ${this.models.length} models</span>`;
    return this.boundModel === undefined || this.pending
      ? html`${badge} Choose a model below and press “Use this model”.`
      : badge;
  }

  /** Another server answered while the roles use this endpoint: nothing moves until a model of it is chosen. */
  private renderPending() {
    const inUse = this.inUse;
    if (!this.pending || !inUse) return nothing;
    return html`<p class="small warn-box" role="status" data-pending>
      Setup still uses <strong>${this.boundModel}</strong> on ${inUse.baseUrl}. To switch to ${this.pending.baseUrl},
      choose one of its models and press “Use this model”.
    </p>`;
  }

  /** Under a failed test: what the app goes on using (the failed settings were not applied). */
  private renderStillInUse() {
    const inUse = this.inUse;
    const model = this.boundModel;
    if (!inUse || model === undefined) return nothing;
    return html`<p class="small" style="margin:4px 0 0" data-still-in-use>
      Nothing was changed: Setup still uses ${model} on ${inUse.baseUrl}.
    </p>`;
  }

  /** The model list belongs to another server than the address typed (the one in use, or the one tested). */
  private renderListedBy() {
    const source = this.pending?.baseUrl ?? this.inUse?.baseUrl;
    if (!source || sameServer(source, this.baseUrl)) return nothing;
    return html`<span class="small muted" data-listed-by>Models listed by ${source}.</span>`;
  }

  override render() {
    const parallel = parallelProblem(this.parallelText);
    return html`<form @submit=${this.test} novalidate>
      <div class="field">
        <label for="url">Base URL</label>
        ${textInput('url', this.baseUrl, (v) => (this.baseUrl = v), {
          type: 'url',
          placeholder: 'http://localhost:11434/v1',
          autocomplete: 'url',
          ...this.marked('url'),
        })}
      </div>
      <div class="field">
        <label for="key">API key <span class="muted small">(optional)</span></label>
        ${textInput('key', this.apiKey, (v) => (this.apiKey = v), {
          type: 'password',
          autocomplete: 'off',
          ...this.marked('key'),
        })}
        ${
          this.keyWanted
            ? html`<span class="small warn" role="status" data-key-wanted
                >${
                  this.apiKey
                    ? 'Press Test connection to use this key.'
                    : 'This server was used with an API key that was not remembered: enter the key and press Test connection.'
                }</span
              >`
            : nothing
        }
        ${checkbox(
          'Remember the key on this device (stored unencrypted in this browser)',
          this.remember,
          (on) => void this.setRemember(on),
          'check small',
        )}
      </div>
      <div class="field">
        <label for="parallel">Parallel requests</label>
        ${textInput(
          'parallel',
          this.parallelText,
          // Kept as typed: not a number yet is refused with the worker's own message when connecting.
          (v) => (this.parallelText = v),
          {
            inputmode: 'numeric',
            invalid: !!parallel,
            describedBy: parallel ? 'parallel-error parallel-hint' : 'parallel-hint',
          },
        )}
        ${parallel ? html`<span id="parallel-error" class="error small">${parallel}.</span>` : nothing}
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
          ${this.numberField('outage', 'Outage wait (seconds)', MAX_OUTAGE_GRACE_MS / 1000, HTTP_DEFAULTS.outageGraceMs / 1000, this.outageS, (v) => (this.outageS = v), 0)}
        </div>
        <p class="small muted" style="margin:4px 0 0">
          A request that takes longer is given up (and retried); a reply larger than the limit is not read. A server
          that answered and then stops answering (a restart, a network blip) is waited for this long before the run
          stops; 0 stops it after a few quick retries.
        </p>
      </details>
      <fieldset class="price">
        <legend class="small">
          Price per million tokens <span class="muted">(optional, USD, for paid APIs)</span>
        </legend>
        <div class="row">
          ${this.priceField('price-in', 'Input', this.priceIn, (v) => (this.priceIn = v))}
          ${this.priceField('price-out', 'Output', this.priceOut, (v) => (this.priceOut = v))}
        </div>
        ${
          this.priceError
            ? html`<p id="price-error" class="error small" role="alert">${this.priceError}</p>`
            : html`<p class="small muted" style="margin:4px 0 0">
                With a price, the Run page estimates a run’s cost and the live view counts it.
              </p>`
        }
      </fieldset>
      <div class="row">
        <button class="primary" type="submit" ${held(this.testing)}>
          ${this.testing ? 'Testing…' : 'Test connection'}
        </button>
        <span class="small" aria-live="polite" data-connected>${this.renderConnected()}</span>
      </div>
      ${this.renderPending()}
      ${
        this.models.length
          ? html`<div class="field">
              <label for="model">Model</label>
              ${textInput('model', this.modelId, (v) => (this.modelId = v), { list: 'models' })}
              <datalist id="models">${this.models.map((m) => html`<option value=${m}></option>`)}</datalist>
              ${this.renderListedBy()}
              <div class="row"><button type="button" class="primary" @click=${this.use}>Use this model</button></div>
              <div aria-live="polite">${this.renderSpeed()}</div>
            </div>`
          : nothing
      }
      ${
        this.error
          ? html`<div id="endpoint-error" class="error" role="alert" tabindex="-1" data-error=${this.error.name}>
              <strong>${this.error.title}</strong>
              <p style="margin:4px 0">${this.error.message}</p>
              <p class="small" style="margin:0">${this.error.hint}</p>
              ${this.renderStillInUse()}
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
