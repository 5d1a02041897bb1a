/**
 * Advanced settings: every SearchSettings field with a one-line meaning, plus the budget.
 * Properties down (the effective settings), events up: `settings-change` {patch},
 * `budget-change` {budget}, `settings-reset`. A value out of range is flagged next to its field
 * and not sent, so the run view never holds an unusable config.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import type { Budget, Role, SearchSettings } from '../../core/contracts/run-config';
import { ROLES } from '../../core/contracts/run-config';

/** Settings whose value is a single number (lists and choices are set by the presets). */
type NumKey = {
  [K in keyof SearchSettings]-?: NonNullable<SearchSettings[K]> extends number ? K : never;
}[keyof SearchSettings];

interface NumField {
  key: NumKey;
  label: string;
  meaning: string;
  min: number;
  max: number;
  step: number;
}

/** Ranges mirror validateSettings() in core/presets.ts. */
export const NUMBER_FIELDS: readonly NumField[] = [
  {
    key: 'beamWidth',
    label: 'Beam width',
    meaning: 'How many best prompts are kept at each level.',
    min: 1,
    max: 16,
    step: 1,
  },
  {
    key: 'actions',
    label: 'Rewrites per step',
    meaning: 'New prompts the optimizer writes from each kept prompt.',
    min: 1,
    max: 16,
    step: 1,
  },
  {
    key: 'depth',
    label: 'Depth',
    meaning: 'Levels of the search; each level uses fresh training queries.',
    min: 1,
    max: 200,
    step: 1,
  },
  {
    key: 'maxDepthExtension',
    label: 'Depth extension',
    meaning: 'Extra levels allowed when a prompt is already good enough to carry forward.',
    min: 0,
    max: 100,
    step: 1,
  },
  {
    key: 'queriesPerLevel',
    label: 'Queries per level',
    meaning: 'Training queries each candidate answers per level (more = less noisy, slower).',
    min: 1,
    max: 32,
    step: 1,
  },
  {
    key: 'carryForwardThreshold',
    label: 'Carry-forward threshold',
    meaning: 'Mean score above which a prompt is kept unchanged instead of rewritten.',
    min: 1,
    max: 5,
    step: 0.1,
  },
  {
    key: 'iclK',
    label: 'Examples during search',
    meaning: 'Worked examples shown with each answer while searching.',
    min: 0,
    max: 16,
    step: 1,
  },
  {
    key: 'iclKInference',
    label: 'Examples at inference',
    meaning: 'Worked examples shown when the alignment is used.',
    min: 0,
    max: 16,
    step: 1,
  },
  {
    key: 'policyTemperature',
    label: 'Answer temperature',
    meaning: 'Randomness of the answers being scored (0 = repeatable).',
    min: 0,
    max: 2,
    step: 0.05,
  },
  {
    key: 'optimizerTemperature',
    label: 'Optimizer temperature',
    meaning: 'Randomness of the prompt rewrites.',
    min: 0,
    max: 2,
    step: 0.05,
  },
  {
    key: 'optimizerTopP',
    label: 'Optimizer top-p',
    meaning: 'Share of likely words the optimizer samples from.',
    min: 0.01,
    max: 1,
    step: 0.01,
  },
  {
    key: 'judgeTemperature',
    label: 'Judge temperature',
    meaning: 'Randomness of the scores (0 = repeatable).',
    min: 0,
    max: 2,
    step: 0.05,
  },
  {
    key: 'maxNewBullets',
    label: 'New bullets per step',
    meaning: 'Most rules the optimizer may add in one rewrite.',
    min: 1,
    max: 20,
    step: 1,
  },
  { key: 'maxBullets', label: 'Bullets in total', meaning: 'Most rules a prompt may hold.', min: 1, max: 50, step: 1 },
  {
    key: 'historyWindow',
    label: 'History window',
    meaning: 'Earlier prompts on the path shown to the optimizer.',
    min: 0,
    max: 50,
    step: 1,
  },
  {
    key: 'validationSize',
    label: 'Validation queries',
    meaning: 'Held-out queries on which the finalists and your starting prompt are compared (0 = no check).',
    min: 0,
    max: 1000,
    step: 1,
  },
  {
    key: 'validationCandidates',
    label: 'Validation candidates',
    meaning: 'Prompts from the end of the search re-scored on the validation queries.',
    min: 1,
    max: 20,
    step: 1,
  },
  {
    key: 'raceBatch',
    label: 'Validation round size',
    meaning: 'Queries added per validation round; prompts clearly behind are dropped between rounds.',
    min: 1,
    max: 100,
    step: 1,
  },
  {
    key: 'verdictZ',
    label: 'Evidence needed',
    meaning: 'Standard errors by which the result must beat your starting prompt to count as better.',
    min: 0,
    max: 5,
    step: 0.1,
  },
  {
    key: 'iclRounds',
    label: 'Example polishing rounds',
    meaning: 'Rounds that improve the worked examples before the search (0 = skip).',
    min: 0,
    max: 20,
    step: 1,
  },
];

const BOOL_FIELDS: readonly { key: 'logprobScoring' | 'shortRationales'; label: string; meaning: string }[] = [
  {
    key: 'logprobScoring',
    label: 'Score from probabilities',
    meaning: 'Read scores as an expectation over the judge’s odds of “1”…“5” where the model allows it.',
  },
  {
    key: 'shortRationales',
    label: 'Short rationales',
    meaning: 'Ask the judge for one-sentence reasons (fewer tokens).',
  },
];

const ROLE_WORDS: Record<Role, string> = {
  policy: 'answers',
  aspect: 'aspect choice',
  judge: 'judgements',
  optimizer: 'rewrites',
};

export function checkRange(value: number, min: number, max: number, integer: boolean): string | null {
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (integer && !Number.isInteger(value)) return 'Enter a whole number.';
  if (value < min || value > max) return `Use a value from ${min} to ${max}.`;
  return null;
}

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
      .bad {
        font-size: 0.8rem;
        color: var(--drpo-danger);
      }
      input[aria-invalid='true'] {
        border-color: var(--drpo-danger);
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
  @state() private errors: Record<string, string> = {};

  override render() {
    const s = this.settings;
    if (!s) return nothing;
    return html`<fieldset>
        <legend>Search</legend>
        <div class="fields">
          ${NUMBER_FIELDS.map((f) =>
            this.numberField(f.key, f.label, f.meaning, s[f.key] ?? f.min, f.min, f.max, f.step, (v) =>
              this.emit('settings-change', { patch: { [f.key]: v } }),
            ),
          )}
          ${BOOL_FIELDS.map(
            (f) =>
              html`<label class="field check">
                <input
                  type="checkbox"
                  .checked=${s[f.key] === true}
                  @change=${(e: Event) => this.emit('settings-change', { patch: { [f.key]: (e.target as HTMLInputElement).checked } })}
                />
                <span>${f.label}<br /><span class="hint">${f.meaning}</span></span>
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
              `Max tokens: ${r}`,
              `Longest output for ${ROLE_WORDS[r]}.`,
              s.maxTokens[r],
              16,
              32768,
              1,
              (v) => this.emit('settings-change', { patch: { maxTokens: { ...s.maxTokens, [r]: v } } }),
            ),
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Budget (leave empty for no limit)</legend>
        <div class="fields">
          ${this.budgetField('maxCalls', 'Max model calls', 'The run stops after this many model calls.', this.budget.maxCalls, 1)}
          ${this.budgetField(
            'maxGeneratedTokens',
            'Max generated tokens',
            'The run stops after the models wrote this many tokens.',
            this.budget.maxGeneratedTokens,
            1,
          )}
          ${this.budgetField(
            'maxWallMs',
            'Max minutes',
            'The run stops after this much time.',
            this.budget.maxWallMs === undefined ? undefined : this.budget.maxWallMs / 60_000,
            60_000,
          )}
        </div>
      </fieldset>
      <button
        @click=${() => {
          this.errors = {};
          this.emit('settings-reset', {});
        }}
      >
        Reset to the preset
      </button>`;
  }

  private numberField(
    id: string,
    label: string,
    meaning: string,
    value: number,
    min: number,
    max: number,
    step: number,
    onValid: (v: number) => void,
  ) {
    const err = this.errors[id];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="number"
        inputmode="decimal"
        min=${min}
        max=${max}
        step=${step}
        .value=${String(value)}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby="${id}-hint ${id}-err"
        @change=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value;
          const v = Number(raw);
          const bad = raw.trim() === '' ? 'Enter a number.' : checkRange(v, min, max, step >= 1);
          this.errors = { ...this.errors, [id]: bad ?? '' };
          if (!bad) onValid(v);
        }}
      />
      <span class="hint" id="${id}-hint">${meaning}</span>
      <span class="bad" id="${id}-err" role=${err ? 'alert' : nothing}>${err ?? ''}</span>
    </div>`;
  }

  private budgetField(key: keyof Budget, label: string, meaning: string, value: number | undefined, scale: number) {
    const id = `budget.${key}`;
    const err = this.errors[id];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="number"
        min="0"
        step="any"
        placeholder="no limit"
        .value=${value === undefined ? '' : String(+value.toFixed(2))}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby="${id}-hint ${id}-err"
        @change=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value.trim();
          const next: Budget = { ...this.budget };
          if (raw === '') {
            delete next[key];
          } else {
            const v = Number(raw);
            if (!Number.isFinite(v) || v <= 0) {
              this.errors = { ...this.errors, [id]: 'Enter a positive number, or leave it empty for no limit.' };
              return;
            }
            next[key] = scale === 1 ? Math.round(v) : Math.round(v * scale);
          }
          this.errors = { ...this.errors, [id]: '' };
          this.emit('budget-change', { budget: next });
        }}
      />
      <span class="hint" id="${id}-hint">${meaning}</span>
      <span class="bad" id="${id}-err" role=${err ? 'alert' : nothing}>${err ?? ''}</span>
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
