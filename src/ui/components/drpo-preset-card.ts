/**
 * One preset as a card chosen by its name, a toggle button; the rest of the card (what it does, how many search levels it runs (with the possible
 * extensions, read from its settings), projected calls and generated tokens, an estimated time from the
 * measured speed (or honest "depends on your GPU"), and a cost when the endpoint has a price) is the
 * button's description, not its name: a button holding the whole card was read out as one long name, and
 * a list inside a button is not valid HTML. A click anywhere on the card chooses it too.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import { formatCount, formatTokenSpeed } from '../../core/formats/bytes';
import { formatDuration } from '../../core/words/durations';
import type { PresetDef } from '../../core/plan/presets';
import type { Projection } from '../../core/contracts/run-events';
import type { Budget, SearchSettings } from '../../core/contracts/run-config';
import { budgetStops } from '../../core/plan/projection';
import type { BudgetStop } from '../../core/plan/projection';
import { formatCost } from '../../core/plan/cost';
import type { MeasuredSpeed } from '../app/app-state';
import { plural } from '../../core/words/list-words';

/**
 * Generated tokens at the measured decode rate, plus (for endpoints) the measured wait per request. On a
 * local GPU generation dominates and prefill is fast by comparison, so without a wait it is left out.
 */
export function estimateMs(
  p: Projection | null,
  speed: Pick<MeasuredSpeed, 'tokensPerS' | 'perCallMs'> | null | undefined,
): number | null {
  if (!p || !speed || !(speed.tokensPerS > 0)) return null;
  return (p.generatedTokens / speed.tokensPerS) * 1000 + p.calls * (speed.perCallMs ?? 0);
}

/** "4 levels, up to 6 with extensions": from the settings, so the words follow any retuning. */
export function levelsText(s: Pick<SearchSettings, 'depth' | 'maxDepthExtension'>): string {
  const base = plural(s.depth, 'level');
  return s.maxDepthExtension > 0 ? `${base}, up to ${s.depth + s.maxDepthExtension} with extensions` : base;
}

const STOP_UNITS: Record<BudgetStop['limit'], string> = {
  calls: 'model calls',
  tokens: 'generated tokens',
  time: '',
};

/**
 * Where the budget stops this preset, in words ("Stops at 40 of ~165 model calls"), and what that costs:
 * a run stopped by its budget returns the search's pick so far, never checked against the starting prompt.
 * Null when the budget leaves room for the whole run.
 */
export function budgetStopText(p: Projection | null, budget: Budget, estimatedMs: number | null): string | null {
  const stops = p ? budgetStops(p, budget, estimatedMs) : [];
  if (!stops.length) return null;
  const parts = stops.map((s) => {
    if (s.limit === 'time') {
      return s.likely
        ? `stops after ${formatDuration(s.at)} of ~${formatDuration(s.expected)}`
        : `may stop after ${formatDuration(s.at)}`;
    }
    const unit = STOP_UNITS[s.limit];
    return s.likely
      ? `stops at ${formatCount(s.at)} of ~${formatCount(s.expected)} ${unit}`
      : `may stop at ${formatCount(s.at)} ${unit} (up to ~${formatCount(s.expected)} if every extension runs)`;
  });
  const sure = stops.some((s) => s.likely);
  const words = parts.join('; ');
  return `Your budget ${words}: the final check ${sure ? 'will likely not' : 'may not'} run, and the result would be the search’s pick so far, unchecked against your starting prompt.`;
}

@customElement('drpo-preset-card')
export class DrpoPresetCard extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .wrap {
        height: 100%;
      }
      .card {
        display: flex;
        flex-direction: column;
        align-items: stretch;
        height: 100%;
        gap: 6px;
        padding: 14px;
        background: var(--drpo-surface);
        cursor: pointer;
      }
      .card.chosen {
        border: 2px solid var(--drpo-accent);
        background: var(--drpo-accent-soft);
      }
      /* Forced colours drop the tint and the accent: the chosen card keeps a frame of its own. */
      @media (forced-colors: active) {
        .card.chosen {
          outline: 2px solid Highlight;
          outline-offset: 2px;
        }
      }
      .name {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
      }
      button.pick {
        font-size: 1.1rem;
        font-weight: 700;
        padding: 0;
        min-height: 0;
        border: none;
        background: none;
        color: inherit;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px 10px;
        margin: 4px 0 0;
        font-size: 0.875rem;
      }
      dt {
        color: var(--drpo-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) preset: PresetDef | null = null;
  @property({ attribute: false }) projection: Projection | null = null;
  /** The settings this card would run with (the preset's, or the chosen one's with overrides). */
  @property({ attribute: false }) settings: SearchSettings | null = null;
  @property({ attribute: false }) speed: MeasuredSpeed | null = null;
  /** Estimated cost (USD) at the endpoint's price; null when no price is set. */
  @property({ attribute: false }) cost: number | null = null;
  /** The policy runs on an endpoint (its speed is measured by the connection check, not "your GPU"). */
  @property({ type: Boolean }) endpoint = false;
  /** This browser has no WebGPU (probed): with no endpoint either, no model can run here yet. */
  @property({ type: Boolean }) noGpu = false;
  /** The budget under Advanced: the card says when it stops the run before it is done. */
  @property({ attribute: false }) budget: Budget = {};
  @property({ type: Boolean }) selected = false;

  override render() {
    const p = this.preset;
    if (!p) return html``;
    const settings = this.settings ?? p.settings;
    const est = estimateMs(this.projection, this.speed);
    const unknown = this.endpoint
      ? 'measured once the endpoint is connected'
      : this.noGpu
        ? 'no WebGPU in this browser: connect an endpoint on the Setup page, or open the page in a browser with WebGPU'
        : 'depends on your GPU';
    const stop = budgetStopText(this.projection, this.budget, est);
    return html`<div class="wrap">
      <div class="card ${this.selected ? 'chosen' : ''}" @click=${this.choose}>
        <span class="name">
          <!-- Its click (mouse, Enter, Space) reaches the card's handler. -->
          <button class="pick" aria-pressed=${this.selected ? 'true' : 'false'} aria-describedby="what facts">
            ${p.label}
          </button>
          ${this.selected ? html`<span class="badge ok" aria-hidden="true">✓ chosen</span>` : ''}
        </span>
        <span class="small" id="what">${p.description}</span>
        <dl id="facts">
          <dt>Search</dt>
          <dd data-levels>${levelsText(settings)}</dd>
          <dt>Model calls</dt>
          <dd data-calls>${this.projection ? `~${formatCount(this.projection.calls)}` : '—'}</dd>
          <dt>Generated tokens</dt>
          <dd>${this.projection ? `~${formatCount(this.projection.generatedTokens)}` : '—'}</dd>
          <dt>Time</dt>
          <dd data-time>
            ${
              est !== null && this.speed
                ? `~${formatDuration(est)} at ${formatTokenSpeed(this.speed.tokensPerS)}${
                    this.speed.perCallMs ? ` + ${Math.round(this.speed.perCallMs)} ms a call` : ''
                  }`
                : unknown
            }
          </dd>
          ${
            stop
              ? html`<dt>Budget</dt>
                  <dd data-budget-stop>${stop}</dd>`
              : ''
          }
          ${
            this.cost !== null
              ? html`<dt>Cost</dt>
                  <dd data-cost>≈ ${formatCost(this.cost)} at your prices</dd>`
              : ''
          }
        </dl>
      </div>
    </div>`;
  }

  private readonly choose = (): void => {
    if (!this.preset) return;
    this.dispatchEvent(
      new CustomEvent('preset-selected', { detail: { preset: this.preset.name }, bubbles: true, composed: true }),
    );
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-preset-card': DrpoPresetCard;
  }
}
