/**
 * Advanced settings: every SearchSettings field with a one-line meaning, plus the budget. Labels, help and
 * ranges come from core/plan/settings-schema.ts, which the engine's validation reads too.
 * Properties down (the effective settings), events up: `settings-changed` {patch},
 * `budget-changed` {budget}, `settings-reset`. A value out of range is flagged next to its field
 * and not sent, so the run view never holds an unusable config; `settings-validity-changed`
 * {refused: labels} tells it which fields show a value it does not use, so it can hold Start. A value the
 * run accepts but uses capped (held-out questions) gets a note beside it with the value used (`notes`).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { baseStyles } from '../app/styles';
import { fieldError, textInput } from '../helpers/form-controls';
import type { Budget, SearchSettings } from '../../core/contracts/run-config';
import { ROLES } from '../../core/contracts/run-config';
import {
  BOOLEAN_SETTINGS,
  BUDGET_SETTINGS,
  MAX_TOKENS_RANGE,
  NUMBER_SETTINGS,
  ROLE_OUTPUT,
  rangeProblem,
} from '../../core/plan/settings-schema';
import type { NumberSettingKey } from '../../core/plan/settings-schema';
import { maxTokensLabel } from '../view-models/setting-words';

@customElement('drpo-settings-panel')
export class DrpoSettingsPanel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      fieldset {
        border: 1px solid var(--drpo-border);
        border-radius: var(--drpo-radius);
        padding: 12px;
        margin: 0 0 12px;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
        gap: 12px 16px;
      }
      .hint {
        font-size: 0.8rem;
        color: var(--drpo-muted);
      }
      .note {
        font-size: 0.8rem;
        font-weight: 600;
      }
      .check {
        flex-direction: row;
        align-items: flex-start;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) settings: SearchSettings | null = null;
  @property({ attribute: false }) budget: Budget = {};
  /** The preset the settings come from: another preset shows other values, so refusals are forgotten. */
  @property() preset = '';
  /** Per setting, a note when the run uses less than the value shown (the view knows the data it caps it to). */
  @property({ attribute: false }) notes: Partial<Record<NumberSettingKey, string>> = {};
  @state() private errors: Record<string, string> = {};
  /**
   * Bumped when refusals are forgotten (Reset, another preset): the fields are made anew, so each shows the
   * value in use again. A box still holding refused text ("1e", "-5") may hold it over the same value in use,
   * which Lit's value binding would not write again.
   */
  @state() private generation = 0;
  /** Field id → label, for the fields whose shown value was refused. */
  private labels: Record<string, string> = {};

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('preset') && changed.get('preset') !== undefined) this.forgetRefusals();
  }

  private forgetRefusals(): void {
    this.generation++;
    this.setErrors({});
  }

  private setErrors(errors: Record<string, string>): void {
    const before = Object.keys(this.errors)
      .filter((k) => this.errors[k])
      .join();
    this.errors = errors;
    const refused = Object.keys(errors).filter((k) => errors[k]);
    if (refused.join() !== before) {
      this.emit('settings-validity-changed', { refused: refused.map((k) => this.labels[k] ?? k) });
    }
  }

  override render() {
    const s = this.settings;
    if (!s) return nothing;
    return html`${keyed(this.generation, this.renderFields(s))}
      <button
        @click=${() => {
          this.forgetRefusals();
          this.emit('settings-reset', {});
        }}
      >
        Reset to the preset
      </button>`;
  }

  private renderFields(s: SearchSettings) {
    return html`<fieldset>
        <legend>Search</legend>
        <div class="fields">
          ${NUMBER_SETTINGS.map((f) =>
            this.numberField(
              f.key,
              f.label,
              f.help,
              s[f.key] ?? f.fallback ?? f.min,
              f.min,
              f.max,
              f.step,
              (v) => this.emit('settings-changed', { patch: { [f.key]: v } }),
              this.notes[f.key],
            ),
          )}
          ${BOOLEAN_SETTINGS.map(
            (f) =>
              html`<label class="field check">
                <input
                  type="checkbox"
                  .checked=${s[f.key] === true}
                  @change=${(e: Event) => this.emit('settings-changed', { patch: { [f.key]: (e.target as HTMLInputElement).checked } })}
                />
                <span>${f.label}<br /><span class="hint">${f.help}</span></span>
              </label>`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Answer lengths (max tokens per call)</legend>
        <div class="fields">
          ${ROLES.map((r) =>
            this.numberField(
              `maxTokens.${r}`,
              maxTokensLabel(r),
              `Longest output for ${ROLE_OUTPUT[r]}.`,
              s.maxTokens[r],
              MAX_TOKENS_RANGE.min,
              MAX_TOKENS_RANGE.max,
              1,
              (v) => this.emit('settings-changed', { patch: { maxTokens: { ...s.maxTokens, [r]: v } } }),
            ),
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Budget (leave empty for no limit)</legend>
        <div class="fields">
          ${BUDGET_SETTINGS.map((f) => {
            const v = this.budget[f.key];
            return this.budgetField(f.key, f.label, f.help, v === undefined ? undefined : v / f.scale, f.scale);
          })}
        </div>
      </fieldset>`;
  }

  /** A setting: a number within its range (a refused value is flagged next to its field and not sent). */
  private numberField(
    id: string,
    label: string,
    help: string,
    value: number,
    min: number,
    max: number,
    step: number,
    onValid: (v: number) => void,
    note?: string,
  ) {
    return this.field(id, label, help, String(value), { min, max, step }, note, (raw) => {
      const v = Number(raw);
      // The engine's own range check, so the field and the planner refuse the same values in the same words.
      const bad = raw.trim() === '' ? 'Enter a number.' : rangeProblem(v, { min, max, step });
      if (!bad) onValid(v);
      return bad;
    });
  }

  /** A budget: a positive number, or empty for no limit; `scale` turns the shown unit into the stored one. */
  private budgetField(key: keyof Budget, label: string, help: string, value: number | undefined, scale: number) {
    const show = (v: number) => String(+v.toFixed(2));
    const shown = value === undefined ? '' : show(value);
    return this.field(`budget.${key}`, label, help, shown, { min: 0, step: 'any' }, undefined, (input) => {
      const raw = input.trim();
      const next: Budget = { ...this.budget };
      if (raw === '') delete next[key];
      else {
        const v = Number(raw);
        if (!Number.isFinite(v) || v <= 0) return 'Enter a positive number, or leave it empty for no limit.';
        // Counts are whole; a time in minutes is kept in ms, and past 2^53 ms (or 1e305 minutes) it is no number.
        if (scale === 1 && !Number.isInteger(v)) return 'Enter a whole number, or leave it empty for no limit.';
        const stored = Math.round(v * scale);
        // The field shows two decimals: a value it would show as 0 is refused, not stored as a few milliseconds.
        if (stored < 1 || Number(show(stored / scale)) === 0) {
          return scale === 1
            ? 'Enter a larger number, or leave it empty for no limit.'
            : 'Enter a larger number (at least 0.01), or leave it empty for no limit.';
        }
        if (!Number.isSafeInteger(stored)) return 'Enter a smaller number, or leave it empty for no limit.';
        next[key] = stored;
      }
      this.emit('budget-changed', { budget: next });
      return null;
    });
  }

  /** A labelled number input with its hint and, when the last value was refused, why (`onChange` says). */
  private field(
    id: string,
    label: string,
    help: string,
    value: string,
    range: { min: number; max?: number; step: number | 'any' },
    note: string | undefined,
    onChange: (raw: string) => string | null,
  ) {
    const err = this.errors[id];
    this.labels[id] = label;
    // Checked once the value is committed, not per keystroke.
    const input = textInput(id, value, () => undefined, {
      type: 'number',
      inputmode: 'decimal',
      ...range,
      placeholder: range.max === undefined ? 'no limit' : undefined,
      invalid: !!err,
      describedBy: note ? `${id}-hint ${id}-note ${id}-err` : `${id}-hint ${id}-err`,
      onChange: (raw) => {
        const bad = onChange(raw);
        this.setErrors({ ...this.errors, [id]: bad ?? '' });
      },
    });
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${input}
      <span class="hint" id="${id}-hint">${help}</span>
      ${note ? html`<span class="note" id="${id}-note" data-used>${note}</span>` : nothing}
      ${fieldError(`${id}-err`, err ?? '')}
    </div>`;
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-settings-panel': DrpoSettingsPanel;
  }
}
