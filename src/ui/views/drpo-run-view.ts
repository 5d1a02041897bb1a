/**
 * Run setup (#/run): choose a preset, optionally adjust every setting and the budget, Start.
 * Start builds the RunConfig from AppState (roles, dataset, preset, overrides), creates the run
 * in the store, starts it through the run session and routes to #/live/<runId>.
 */
import { estimateTokens } from '../../core/contracts/chat-model';
import { css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { textInput } from '../helpers/form-controls';
import { describeError } from '../helpers/error-messages';
import { held } from '../helpers/held';
import { routeHref } from '../app/route';
import { getRunSession } from '../controllers/run-controller';
import { StoreChanges } from '../controllers/store-changes';
import { DEFAULT_INITIAL_PROMPT, PRESETS, presetRunName } from '../../core/plan/presets';
import {
  isBlankPrompt,
  normalizeStartingPrompt,
  planRun,
  runNameProblem,
  startingPromptProblem,
} from '../../core/plan/plan-run';
import type { RunPlanInput } from '../../core/plan/plan-run';
import { projectionCaps, projectRun } from '../../core/plan/projection';
import { unavailableRolesMessage } from '../view-models/role-availability';
import { datasetSplit, heldOutWarning } from '../view-models/dataset-choice';
import { endpointIdsOf, PRESET_NAMES, ROLES } from '../../core/contracts/run-config';
import type { Budget, PresetName, Role, RoleBinding, RunConfig, SearchSettings } from '../../core/contracts/run-config';
import type { Projection } from '../../core/contracts/run-events';
import type { AppStateData, MeasuredSpeed } from '../app/app-state';
import { speedKey } from '../view-models/run/measured-speed';
import type { RunListing } from '../../store/store';
import { runCost } from '../../core/plan/cost';
import type { TokenPrice } from '../../core/plan/cost';
import type { ErrorWords } from '../helpers/error-messages';
import {
  changedSettingLabels,
  keptHeldOutNotice,
  resetNotice,
  trainingRepeatNote,
  usedValueNotes,
} from '../view-models/setting-words';
import { numberedRunWords, plural } from '../../core/words/list-words';
import '../components/drpo-preset-card';
import '../components/drpo-settings-panel';

/** The policy binding: the explicit one, else the one loaded model (self-alignment). */
export function effectiveRoles(s: Readonly<AppStateData>): Partial<Record<Role, RoleBinding>> | null {
  const loaded = s.loaded[0];
  const policy = s.roles.policy ?? (loaded ? { engine: loaded.engine, modelId: loaded.modelId } : undefined);
  return policy ? { ...s.roles, policy } : null;
}

/** Why Start is disabled, in words, or null when a run can start. */
export function startBlocker(s: Readonly<AppStateData>, hasStore: boolean, hasClient: boolean): string | null {
  if (!effectiveRoles(s)) {
    // A connection check passed, yet no model was bound: the step left is the button under the model list.
    if (s.endpoints.some((e) => e.models.length > 0)) {
      return 'Your endpoint is connected, but no model is chosen yet: pick one under Model on the Setup page, then press Use this model.';
    }
    return 'Load a model or connect an endpoint on the Setup page first.';
  }
  // Restored without its key: a run would fail on its first call (401), leaving a failed run behind.
  const used = new Set(endpointIdsOf(s.roles));
  const keyless = s.endpoints.find((e) => used.has(e.id) && e.needsKey && !e.apiKey);
  if (keyless) return `Enter the API key for ${keyless.baseUrl} again on the Setup page (it was not remembered).`;
  // A role bound to a model its server no longer lists (or a local model not loaded): its first call would fail.
  const gone = unavailableRolesMessage(s);
  if (gone) return gone;
  if (!s.dataset || !datasetSplit(s)?.train.length) return 'Choose training queries on the Data page first.';
  const problem = promptFieldProblem(s.initialPrompt);
  if (problem) return problem;
  if (!hasClient || !hasStore) return 'The studio is still starting up.';
  return null;
}

/**
 * Why the starting prompt as typed cannot start a run, or null: shown next to its field as it is typed (not
 * only under Start, which names the first blocker of several), and in Start's reason. A blank prompt, invisible
 * characters only included, asks for one in the page's words: the planner's "Leave it out" is the CLI's.
 */
export function promptFieldProblem(text: string): string | null {
  const prompt = normalizeStartingPrompt(text);
  if (isBlankPrompt(prompt)) return 'Write a starting prompt (or press Reset to use the default).';
  return startingPromptProblem(prompt);
}

/** The pages a blocker sends the user to, as they are named in its words. */
const PAGE_LINKS = { 'Setup page': 'setup', 'Data page': 'data' } as const;

/** A blocker's words with the page it names ("on the Setup page") as a link to that page. */
function withPageLinks(text: string) {
  return text
    .split(/(Setup page|Data page)/)
    .map((part) =>
      part in PAGE_LINKS ? html`<a href=${routeHref(PAGE_LINKS[part as keyof typeof PAGE_LINKS])}>${part}</a>` : part,
    );
}

/**
 * What the run planner (core/plan/plan-run.ts, shared with `drpo optimize`) is given for the next run:
 * the chosen data as read, the preset and its changes, the models and the starting prompt. The planner
 * splits off the held-out queries with the run's seed and uses the built-in seed answers as the example pool.
 */
export function planInput(s: Readonly<AppStateData>, name?: string): RunPlanInput {
  const input: RunPlanInput = {
    preset: s.preset,
    settings: s.settingsOverride,
    budget: s.budget,
    queries: s.dataset?.queries ?? [],
    initialPrompt: s.initialPrompt,
  };
  const roles = effectiveRoles(s);
  if (roles) input.roles = roles;
  if (name) input.name = name;
  return input;
}

/**
 * Speed for the time estimate: the last measurement on the policy model where it is bound (the same model on
 * the same server: a chat reply or an endpoint's connection check), else what a stored run of it measured there
 * (`fromRuns`, by speed key). Null = unknown.
 */
export function knownSpeed(
  s: Readonly<AppStateData>,
  fromRuns: ReadonlyMap<string, MeasuredSpeed>,
): MeasuredSpeed | null {
  const key = speedKey(effectiveRoles(s)?.policy, (id) => s.endpoints.find((e) => e.id === id)?.baseUrl);
  if (!key) return null;
  if (s.decodeSpeed?.key === key) return s.decodeSpeed;
  return fromRuns.get(key) ?? null;
}

/**
 * What a stored run says about its policy model's speed, on the server it ran on (the URLs it recorded: a run
 * from before they were recorded says nothing about an endpoint's speed). On an endpoint the time also goes to
 * waiting for each reply: whatever the decode rate does not explain, per call.
 */
export function speedFromRun(r: Pick<RunListing, 'config' | 'stats' | 'endpointUrls'>): MeasuredSpeed | null {
  const st = r.stats;
  const tps = st?.decodeTokensPerS;
  if (!st || typeof tps !== 'number' || !(tps > 0)) return null;
  const key = speedKey(r.config.roles.policy, (id) => r.endpointUrls?.[id]);
  if (!key) return null;
  const speed: MeasuredSpeed = { key, tokensPerS: tps };
  if (r.config.roles.policy.engine === 'openai' && st.calls > 0) {
    speed.perCallMs = Math.max(0, (st.elapsedMs - (st.generatedTokens / tps) * 1000) / st.calls);
  }
  return speed;
}

/** The price of the endpoint each role is bound to (none for local models). */
export function rolePrices(s: Readonly<AppStateData>): (role: Role) => TokenPrice | null {
  const roles = effectiveRoles(s) ?? {};
  return (role) => {
    const b = roles[role] ?? roles.policy;
    if (b?.engine !== 'openai') return null;
    return s.endpoints.find((e) => e.id === b.endpointId)?.price ?? null;
  };
}

/**
 * What a preset switch does with the changed settings: the held-out count is kept, the rest dropped. The
 * held-out count says how many of the user's own questions check the result instead of training, a choice
 * about their data made beside it on the Data page, so another preset must not silently re-split the data
 * (from 20 held out back to Quick's 12, say); the other settings are the preset's own to set.
 */
export function presetSwitch(override: Partial<SearchSettings>): {
  kept: Partial<SearchSettings>;
  dropped: Partial<SearchSettings>;
} {
  const { validationSize, ...dropped } = override;
  return { kept: validationSize === undefined ? {} : { validationSize }, dropped };
}

@customElement('drpo-run-view')
export class DrpoRunView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .presets {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(230px, 1fr));
        gap: 12px;
      }
      details > summary {
        cursor: pointer;
        font-weight: 600;
        padding: 6px 0;
      }
      .start {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
      }
    `,
  ];

  @state() private starting = false;
  @state() private startError: ErrorWords | null = null;
  /** Advanced fields showing a refused value (the run would use another): Start waits until they are fixed. */
  @state() private refused: string[] = [];
  /** The last preset switch dropped changed settings: what it was, so Undo can bring them back. */
  @state() private presetUndo: { preset: PresetName; overrides: Partial<SearchSettings>; notice: string } | null = null;
  /** Last measured speed per policy model where it ran (by speed key), from stored runs. */
  @state() private speeds: ReadonlyMap<string, MeasuredSpeed> = new Map();
  private speedsFrom: unknown = null;
  /** The name an unnamed run of the chosen preset would take now (the store's rule), for the placeholder. */
  @state() private unnamedName: { base: string; name: string } | null = null;
  private unnamedFor: unknown = null;
  /**
   * The name a typed name would take now (the store's rule: numbered when a run or a saved alignment has it), and
   * why, for the note beside the field; `typed`: the name asked about (a reply for an older one is dropped).
   */
  @state() private typedName: { typed: string; name: string; why?: string } | null = null;
  private typedAsked: { store: unknown; typed: string } | null = null;
  /**
   * A run started or an alignment saved (in another tab too) may take the name the placeholder or the note
   * says: ask the store again. The first read is willUpdate's, when the store arrives.
   */
  protected readonly nameChanges = new StoreChanges(
    this,
    (c) => c.kind === 'runs' || c.kind === 'alignments',
    (change) => {
      if (!change) return;
      this.unnamedFor = null;
      this.typedAsked = null;
      this.requestUpdate();
    },
  );

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.store && this.store !== this.speedsFrom) {
      this.speedsFrom = this.store;
      void this.loadSpeeds();
    }
    const base = this.appState ? presetRunName(this.appState.value.preset) : null;
    if (this.store && base && (this.unnamedFor !== this.store || this.unnamedName?.base !== base)) {
      this.unnamedFor = this.store;
      void this.loadUnnamedName(base);
    }
    const typed = this.appState?.value.runName.trim() ?? '';
    if (!typed || runNameProblem(typed)) {
      this.typedAsked = null;
      this.typedName = null;
    } else if (this.store && (this.typedAsked?.store !== this.store || this.typedAsked.typed !== typed)) {
      this.typedAsked = { store: this.store, typed };
      void this.loadTypedName(typed);
    }
  }

  private async loadTypedName(typed: string): Promise<void> {
    try {
      const next = await this.store!.nextRunName(typed);
      if (this.typedAsked?.typed !== typed) return;
      this.typedName = next.taken
        ? { typed, name: next.name, why: numberedRunWords(next.taken, next.name) }
        : { typed, name: next.name };
    } catch {
      // Only the note depends on this: Start still numbers a taken name as it writes the run.
      if (this.typedAsked?.typed === typed) this.typedName = null;
    }
  }

  private async loadUnnamedName(base: string): Promise<void> {
    // Asked again for the same preset (a store change), the name shown stays until the answer replaces it.
    if (this.unnamedName?.base !== base) this.unnamedName = { base, name: base };
    try {
      const { name } = await this.store!.nextRunName(base);
      if (this.unnamedName?.base === base) this.unnamedName = { base, name };
    } catch {
      // Only the placeholder depends on this: it then shows the preset's name, which Start still numbers.
    }
  }

  private async loadSpeeds(): Promise<void> {
    try {
      // Oldest first, so the newest run's speed is the one kept (listRuns is newest first, ties included).
      const runs = (await this.store!.listRuns()).slice().reverse();
      const m = new Map<string, MeasuredSpeed>();
      for (const r of runs) {
        const speed = speedFromRun(r);
        if (speed) m.set(speed.key, speed);
      }
      this.speeds = m;
    } catch {
      // Only the time estimate depends on this; the cards then say "depends on your GPU".
    }
  }

  override render() {
    const st = this.appState?.value;
    if (!st) return html`<section class="card"><p>Loading…</p></section>`;
    const effective = this.effectiveSettings(st);
    // The planner's own check on the name Start would use, flagged while typed (politely next to the field: it
    // is checked per keystroke, where an alert would interrupt at every character), not only on Start.
    const nameProblem = runNameProblem(st.runName.trim());
    const promptProblem = promptFieldProblem(st.initialPrompt);
    const blocker =
      startBlocker(st, !!this.store, !!this.client) ??
      (this.refused.length
        ? `Fix ${this.refused.join(', ')} under Advanced settings: the value shown there is not used.`
        : nameProblem);
    const speed = knownSpeed(st, this.speeds);
    const prices = rolePrices(st);
    const onEndpoint = effectiveRoles(st)?.policy?.engine === 'openai';
    const split = datasetSplit(st);
    const notes =
      st.dataset && split ? usedValueNotes(effective, st.dataset.queries.length, split.validation.length) : {};
    const noGpu = st.gpu?.available === false && !onEndpoint;
    return html`<section class="card stack">
      <h2>Run the search</h2>
      <p class="muted">
        ${
          st.dataset && split
            ? html`Training on <strong>${st.dataset.name}</strong>: ${split.train.length}
                ${split.train.length === 1 ? 'query' : 'queries'} (plus
                ${plural(split.validation.length, 'held-out question')}).`
            : 'No training queries chosen yet.'
        }
      </p>
      ${this.heldOutNote(st)}
      ${
        split && trainingRepeatNote(effective, split.train.length)
          ? html`<p class="small muted" role="note" data-repeats>
              ${trainingRepeatNote(effective, split.train.length)}
            </p>`
          : nothing
      }
      <div class="presets" role="group" aria-label="Preset">
        ${PRESET_NAMES.map(
          (name) =>
            html`<drpo-preset-card
              .preset=${PRESETS[name]}
              .projection=${this.projection(st, name)}
              .settings=${this.effectiveSettings(st, name)}
              .speed=${speed}
              .cost=${this.cost(this.projection(st, name), prices)}
              .budget=${st.budget}
              ?endpoint=${onEndpoint}
              ?noGpu=${noGpu}
              ?selected=${st.preset === name}
              @preset-selected=${(e: CustomEvent<{ preset: PresetName }>) => this.choosePreset(e.detail.preset)}
            ></drpo-preset-card>`,
        )}
      </div>
      <div role="status" class="small" data-preset-undo>
        ${
          this.presetUndo
            ? html`${this.presetUndo.notice} <button type="button" @click=${this.undoPresetSwitch}>Undo</button>`
            : nothing
        }
      </div>
      <details>
        <summary>Advanced settings and budget</summary>
        <drpo-settings-panel
          .settings=${effective}
          preset=${st.preset}
          .budget=${st.budget}
          .notes=${notes}
          @settings-changed=${(e: CustomEvent<{ patch: Partial<SearchSettings> }>) => {
            this.presetUndo = null;
            this.appState?.update({ settingsOverride: { ...st.settingsOverride, ...e.detail.patch } });
          }}
          @budget-changed=${(e: CustomEvent<{ budget: Budget }>) => this.appState?.update({ budget: e.detail.budget })}
          @settings-reset=${() => {
            this.presetUndo = null;
            this.appState?.update({ settingsOverride: {}, budget: {} });
          }}
          @settings-validity-changed=${(e: CustomEvent<{ refused: string[] }>) => (this.refused = e.detail.refused)}
        ></drpo-settings-panel>
      </details>
      <div class="field">
        <label for="initial-prompt">Starting prompt</label>
        <textarea
          id="initial-prompt"
          rows="3"
          aria-describedby="initial-prompt-hint initial-prompt-err"
          aria-invalid=${promptProblem ? 'true' : 'false'}
          .value=${st.initialPrompt}
          @input=${(e: Event) => this.appState?.update({ initialPrompt: (e.target as HTMLTextAreaElement).value })}
        ></textarea>
        <span id="initial-prompt-hint" class="small muted">
          The search starts from this system prompt, and the result must beat it on the held-out questions.
          ${
            st.initialPrompt !== DEFAULT_INITIAL_PROMPT
              ? html`<button
                  type="button"
                  @click=${() => this.appState?.update({ initialPrompt: DEFAULT_INITIAL_PROMPT })}
                >
                  Reset to “${DEFAULT_INITIAL_PROMPT}”
                </button>`
              : nothing
          }
        </span>
        <span class="bad" id="initial-prompt-err" aria-live="polite">${promptProblem ?? ''}</span>
      </div>
      <div class="field">
        <label for="run-name">Run name (optional)</label>
        ${textInput('run-name', st.runName, (v) => this.appState?.update({ runName: v }), {
          placeholder: this.unnamedName?.name ?? presetRunName(st.preset),
          invalid: !!nameProblem,
          describedBy: 'run-name-err run-name-note',
        })}
        <span class="bad" id="run-name-err" aria-live="polite">${nameProblem ?? ''}</span>
        <span class="small muted" id="run-name-note" aria-live="polite"
          >${!nameProblem && this.typedName?.typed === st.runName.trim() ? (this.typedName.why ?? '') : ''}</span
        >
      </div>
      <div class="start">
        <button
          class="primary"
          ?disabled=${blocker !== null}
          ${held(this.starting)}
          aria-describedby="start-why"
          @click=${this.start}
        >
          ${this.starting ? 'Starting…' : 'Start'}
        </button>
        <span id="start-why" class="small muted"
          >${blocker ? withPageLinks(blocker) : `Preset: ${PRESETS[st.preset].label}`}</span
        >
      </div>
      ${
        this.startError
          ? html`<div class="error" role="alert">
              <strong>${this.startError.title}</strong>
              <p style="margin:4px 0">${this.startError.hint}</p>
              <div class="small">${this.startError.message}</div>
            </div>`
          : nothing
      }
    </section>`;
  }

  /**
   * Another preset is another set of values, so changed settings are dropped with the switch (the budget is
   * not a preset's and stays, nor is the held-out count: see presetSwitch), and the page says which, with an
   * Undo. Choosing the chosen preset changes nothing.
   */
  private choosePreset(preset: PresetName): void {
    const st = this.appState?.value;
    if (!st || preset === st.preset) return;
    const { kept, dropped } = presetSwitch(st.settingsOverride);
    const changed = changedSettingLabels(PRESETS[st.preset].settings, dropped);
    // The notice says what stayed too: "reset to Paper's" alone would read as if the held-out count went with
    // the rest, which only the card would then contradict. A held-out count alone is said as well: the new
    // preset has its own, and only the notice tells the user theirs is the one used.
    const held = kept.validationSize;
    const notice = [
      changed.length ? resetNotice(changed, PRESETS[preset].label) : '',
      held === undefined ? '' : keptHeldOutNotice(held),
    ]
      .filter(Boolean)
      .join(' ');
    this.presetUndo = notice ? { preset: st.preset, overrides: st.settingsOverride, notice } : null;
    this.appState?.update({ preset, settingsOverride: kept });
  }

  private readonly undoPresetSwitch = (): void => {
    const undo = this.presetUndo;
    if (!undo) return;
    this.presetUndo = null;
    this.appState?.update({ preset: undo.preset, settingsOverride: undo.overrides });
    // The Undo button is gone: focus goes to the preset chosen again, not to the page's start.
    void this.updateComplete.then(() => {
      const cards = [...this.renderRoot.querySelectorAll('drpo-preset-card')];
      cards[PRESET_NAMES.indexOf(undo.preset)]?.shadowRoot?.querySelector('button')?.focus();
    });
  };

  /**
   * The changes a preset would run with: the chosen one all of them; another, what a switch to it keeps (the
   * held-out count), so its card shows what choosing it gives.
   */
  private overridesFor(st: Readonly<AppStateData>, preset: PresetName): Partial<SearchSettings> {
    return preset === st.preset ? st.settingsOverride : presetSwitch(st.settingsOverride).kept;
  }

  /** Too few held out for the final check to confirm a gain: said before the run starts (the Data view too). */
  private heldOutNote(st: Readonly<AppStateData>) {
    const warning = heldOutWarning(st, 'run');
    return warning ? html`<p class="warn-box small" role="note" data-held-out-warning>${warning}</p>` : nothing;
  }

  private effectiveSettings(st: Readonly<AppStateData>, preset: PresetName = st.preset): SearchSettings {
    const base = PRESETS[preset].settings;
    const over = this.overridesFor(st, preset);
    return { ...base, ...over, maxTokens: { ...base.maxTokens, ...(over.maxTokens ?? {}) } };
  }

  private cost(p: Projection | null, prices: (role: Role) => TokenPrice | null): number | null {
    return p ? runCost(p.perRole, prices) : null;
  }

  /**
   * Projections by what they depend on (preset, settings, number of queries, the starting prompt's length in
   * tokens, sent with every policy call, and each role's engine, whose models' capabilities change the calls).
   * Only successes are kept: a plan also fails on what the key leaves out (the models, budget), and must be
   * tried again once that is fixed.
   */
  private projectionCache = new Map<string, Projection>();

  private projection(st: Readonly<AppStateData>, preset: PresetName): Projection | null {
    const settings = this.overridesFor(st, preset);
    // The starting prompt counts only through its length in tokens (each call sends it), so typing in it
    // re-plans a preset only when that changes, and the key never holds the prompt itself.
    const roles = effectiveRoles(st);
    const key = JSON.stringify([
      preset,
      settings,
      st.dataset?.queries.length ?? 0,
      estimateTokens(normalizeStartingPrompt(st.initialPrompt)),
      ROLES.map((r) => (roles?.[r] ?? roles?.policy)?.engine),
    ]);
    const cached = this.projectionCache.get(key);
    if (cached) return cached;
    try {
      // Projected with the capabilities the run's models will have, as the run itself projects on Live (and
      // `drpo optimize`).
      const config = planRun({ ...planInput(st), preset, settings });
      const p = projectRun(config, projectionCaps(config.roles));
      this.projectionCache.set(key, p);
      return p;
    } catch {
      return null; // An invalid override shows in the settings panel; the card just shows "—".
    }
  }

  private readonly start = async (): Promise<void> => {
    const st = this.appState?.value;
    const store = this.store;
    const client = this.client;
    if (!st || !store || !client || startBlocker(st, true, true)) return;
    this.starting = true;
    this.startError = null;
    let config: RunConfig;
    try {
      config = planRun(planInput(st, st.runName.trim() || undefined));
    } catch (err) {
      this.startError = describeError(err);
      this.starting = false;
      return;
    }
    try {
      // Unnamed, a run takes its preset's name; a second "DRPO Quick" could not be told from the first in
      // History, the Playground or Evaluate, so the store numbers it ("DRPO Quick (2)") as it writes it. A typed
      // name too: a new record under a taken name is numbered (as a saved alignment is), said beside the field
      // as it is typed; only a rename, which changes a name the user chose before, is refused.
      const record = await store.createRun(config, config.name, undefined, { numbered: true });
      // The name was this run's: the next one starts unnamed.
      this.appState?.update({ activeRunId: record.id, runName: '' });
      // The session outlives this view, so the run keeps going while the live view mounts.
      void getRunSession(record.id, client, store).start();
      location.hash = routeHref('live', record.id);
    } catch (err) {
      this.startError = describeError(err);
    } finally {
      this.starting = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-run-view': DrpoRunView;
  }
}
