/**
 * The live search view (#/live/<runId>): controls, throughput/budget, the beam tree, reward over
 * depth, the node list and the selected candidate. Follows the newest node until the user picks
 * one, and shows the run's result once it is over; never steals a selection after that. Progress is
 * announced politely and throttled.
 */
import { css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { describeError } from '../helpers/error-messages';
import { keepFocus, keepFocusOnRender } from '../helpers/focus';
import { held } from '../helpers/held';
import { ANNOUNCE_EVERY_MS, AnnounceThrottle } from '../helpers/announce-throttle';
import { runNotFound } from '../templates/run-not-found';
import { RunController } from '../controllers/run-controller';
import type { RunSession } from '../controllers/run-controller';
import { INTERRUPTED_WORD, STATUS_WORDS, bestSoFar } from '../view-models/run/run-view-model';
import { isFinished, isResumable, STAGE_WORDS } from '../../core/contracts/run-status';
import type { RunViewModel } from '../view-models/run/run-view-model';
import { formatReward } from '../components/run/drpo-beam-tree';
import { runCost } from '../../core/plan/cost';
import type { ParseFailure } from '../../core/contracts/search-node';
import type { SearchSettings } from '../../core/contracts/run-config';
import type { AlignmentArtifact, Outcome } from '../../core/contracts/alignment';
import { BEST_SO_FAR_MARK, PATH_MEAN_NAME, bestSoFarWords, type GlossaryFacts } from '../view-models/glossary';
import '../components/run/drpo-beam-tree';
import '../components/run/drpo-reward-chart';
import '../components/run/drpo-throughput';
import '../components/run/drpo-fault-summary';
import '../components/run/drpo-node-list';
import '../components/run/drpo-candidate-panel';
import '../components/drpo-info';
import { plural } from '../../core/words/list-words';
import { isStartingPrompt, keptBackQueries, unconfirmedLead, verdictLead } from '../../core/words/verdict-text';
import { ErrorName } from '../../core/contracts/errors';
import type { SerializedError } from '../../core/contracts/errors';
import type { StorageFacts } from '../../store/store';
import { storageLine } from '../view-models/storage-words';

/** While following, the detail panel switches to a newer node at most this often (readable, and cheap). */
const FOLLOW_EVERY_MS = 1000;

/**
 * The run's status in words; a run stored as running whose driver is gone reads "Interrupted", and one being
 * paused or cancelled says so (as its button does) until it has stopped.
 */
function statusWord(vm: RunViewModel, interrupted: boolean, phase?: RunSession['phase']): string {
  if (phase === 'pausing') return 'Pausing…';
  if (phase === 'cancelling') return 'Cancelling…';
  return interrupted && vm.status === 'running' ? INTERRUPTED_WORD : STATUS_WORDS[vm.status];
}

/**
 * The same error by what it says: a re-read of the run hands over a fresh but equal object, which must not ask the
 * browser again for the storage facts (the line would go and come back).
 */
function sameError(a: SerializedError | null | undefined, b: SerializedError): boolean {
  return !!a && a.name === b.name && a.message === b.message;
}

/** The alignment a run that is over handed back: its result. Null before, and for a run that handed nothing back. */
function handedBack(vm: RunViewModel): AlignmentArtifact | null {
  // A failed run can still be resumed: what it handed back is its best so far, not its result.
  return isFinished(vm.status) && !isResumable(vm.status) ? vm.artifact : null;
}

/**
 * The node of the prompt a run that is over handed back: the one its final check chose, the starting prompt
 * when the check kept it ("no improvement"; the closest candidate is the Result's to show), or a stopped
 * run's unchecked pick. The run's end names it as its best (run-finished); its prompt is the alignment's.
 */
export function resultNodeId(vm: RunViewModel): string | null {
  const a = handedBack(vm);
  const id = vm.best?.nodeId;
  const node = id ? vm.nodes.get(id) : undefined;
  return a && node && node.prompt === a.systemPrompt ? node.id : null;
}

/** What the result shown in the detail panel is, by the final check's outcome. */
const RESULT_NOTES: Record<Outcome, string> = {
  improved: 'Chosen by the final check',
  'no-improvement': 'Your starting prompt, kept by the final check',
  unverified: 'Not checked against your starting prompt',
};

/**
 * Once the run is over, what its final check decided, from the alignment it handed back: the prompt it chose is
 * no "best so far" (and may be the starting prompt, whose path mean is below the search's best). Null before,
 * and for a run that handed nothing back.
 */
export function outcomeText(vm: RunViewModel): string | null {
  const a = handedBack(vm);
  if (a && unconfirmedLead(a))
    return `${verdictLead('unverified')}: the final check picked it on the same questions that judged it, so it could not confirm a gain`;
  const outcome = a?.outcome;
  if (!a || !outcome) return null;
  const why = {
    improved: `the final check on held-out questions chose ${isStartingPrompt(a) ? 'your starting prompt with worked examples' : 'a prompt the search wrote'}`,
    'no-improvement': 'the final check kept your starting prompt',
    unverified: 'the prompt with the best path mean, not checked against your starting prompt',
  }[outcome];
  // No "see the result" here: the See the result button follows it (the words said it twice).
  return `${verdictLead(outcome)}: ${why}`;
}

export function progressMessage(vm: RunViewModel, interrupted = false, phase?: RunSession['phase']): string {
  const outcome = outcomeText(vm);
  const so = bestSoFar(vm);
  const best = outcome ? `. ${outcome}` : so ? `, ${bestSoFarWords(formatReward(so.reward))}` : '';
  // The level as the status line gives it ("level 3 of 5"): the starting prompt is level 0.
  const levels = Math.max(0, vm.beamDepth);
  const n = vm.order.length;
  return `${statusWord(vm, interrupted, phase)}: ${plural(n, 'prompt')} evaluated, the search at level ${levels}${best}.`;
}

@customElement('drpo-live-view')
export class DrpoLiveView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        justify-content: space-between;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: var(--drpo-gap);
        margin-top: var(--drpo-gap);
      }
      @media (min-width: 1024px) {
        .grid {
          grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr);
        }
        .side {
          grid-column: 2;
          grid-row: 1 / span 3;
        }
      }
      .status {
        font-weight: 600;
      }
      /* Layout and style only: paint containment (contain: content) would clip the help popovers. */
      .card {
        contain: layout style;
      }
      .side {
        align-self: start;
      }
    `,
  ];

  @property({ attribute: 'run-id' }) runId = '';
  /** Resume handshake from the unfinished-runs banner: resume as soon as the run is loaded. */
  @property({ type: Boolean }) resume = false;

  @state() private selectedId: string | null = null;
  /** True once the user picked a node: stop following the newest one. */
  @state() private pinned = false;
  /** Cancel was pressed: the run goes on until the user says yes (cancelling cannot be undone). */
  @state() private confirmingCancel = false;
  /**
   * What this site stores and what fits, asked when the run stopped because the browser's storage was full (for
   * that error): the error then says how full, as Setup's storage line does. Null facts: not known (yet).
   */
  @state() private storageFull: { for: SerializedError; facts: StorageFacts | null } | null = null;

  readonly run = new RunController(this);
  private autoResumed = false;
  /** Progress held back by the throttle is said once its turn comes, even if the run then goes quiet. */
  private readonly said = new AnnounceThrottle(ANNOUNCE_EVERY_MS, () => this.requestUpdate());
  private followed: string | null = null;
  private followedAt = 0;
  private followTimer: ReturnType<typeof setTimeout> | null = null;

  override disconnectedCallback(): void {
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = null;
    this.said.stop();
    super.disconnectedCallback();
  }

  /** The newest node, but switched at most every FOLLOW_EVERY_MS while the run streams. */
  private followedNode(vm: RunViewModel, live: boolean): string | null {
    const newest = vm.newestNodeId;
    if (newest === this.followed || !newest) return this.followed ?? newest;
    const now = performance.now();
    const wait = FOLLOW_EVERY_MS - (now - this.followedAt);
    if (!live || this.followed === null || wait <= 0 || !vm.nodes.has(this.followed)) {
      this.followed = newest;
      this.followedAt = now;
    } else if (!this.followTimer) {
      this.followTimer = setTimeout(() => {
        this.followTimer = null;
        this.requestUpdate();
      }, wait);
    }
    return this.followed;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // The focused control may go in this render (Pause → Pausing… → Resume; Follow the newest → a note):
    // focus stays with what replaced it instead of falling to the page.
    const q = (selector: string) => this.renderRoot.querySelector(selector);
    // The question is about this running run only.
    if (this.confirmingCancel && (changed.has('runId') || this.run.session?.phase !== 'running'))
      this.confirmingCancel = false;
    // The safe control first: "Keep running" in the cancel question, else anything but Cancel (the question's
    // own answers give focus back to Cancel first: keepRunning).
    const control = () =>
      q('[data-controls] [data-keep]') ??
      q('[data-controls] :is(button, a):not(.danger)') ??
      q('[data-controls] :is(button, a)') ??
      q('h2');
    keepFocusOnRender(this, [
      ['[data-controls]', control],
      // Retry (or Resume) beside an error goes with the error once the run goes on: Pause takes the focus.
      ['[data-error-action]', control],
      ['[data-follow]', () => q('h3[data-selected]')],
    ]);
    if ((changed.has('runId') || changed.has('client') || changed.has('store')) && this.runId) {
      if (changed.has('runId')) {
        this.followed = null;
        this.selectedId = null;
        this.pinned = false;
        this.autoResumed = false;
        // The status region speaks of this run: the one shown before may have said the same status just now.
        this.said.forget();
      }
      this.run.attach(this.runId, this.client, this.store);
    }
    const err = this.run.session ? this.shownError(this.run.session) : null;
    if (err?.name === ErrorName.Quota && !sameError(this.storageFull?.for, err)) void this.askStorage(err);
    // The error gone (Resume pressed): the facts go with it, so the same error met again after the user made
    // room asks the browser afresh instead of showing the figures of before.
    else if (!err && this.storageFull) this.storageFull = null;
  }

  protected override updated(): void {
    const s = this.run.session;
    if (!s) return;
    // A resume asked for while another tab drives the run is not carried out later behind the user's back.
    if (s.heldElsewhere) this.autoResumed = true;
    if (this.resume && !this.autoResumed && s.phase === 'ready' && s.canResume && s.client) {
      this.autoResumed = true;
      void s.start();
    }
    this.announce(s.vm, s.interrupted && !s.running, s.phase);
  }

  /** Asks the browser how full its storage is for the error on show (kept only while that error is shown). */
  private async askStorage(err: SerializedError): Promise<void> {
    // This asking only: an answer that comes after a Resume and the same error again must not replace the
    // newer asking's figures (the two errors read alike).
    const asking = { for: err, facts: null };
    this.storageFull = asking;
    const facts = (await this.store?.storageEstimate().catch(() => null)) ?? null;
    if (this.storageFull === asking) this.storageFull = { for: err, facts };
  }

  override render() {
    const s = this.run.session;
    if (!this.runId || !s) return html`<section class="card"><p>No run selected.</p></section>`;
    if (s.phase === 'idle' || (s.phase === 'loading' && s.vm.order.length === 0)) {
      return html`<section class="card" aria-busy="true"><p>Loading the run…</p></section>`;
    }
    if (s.phase === 'missing') {
      return runNotFound();
    }
    const vm = s.vm;
    // Once the run is over, the panel shows its result (the prompt it handed back) until the user picks another.
    const result = resultNodeId(vm);
    const showsResult = !this.pinned && result !== null;
    const selected = (this.pinned ? this.selectedId : (result ?? this.followedNode(vm, s.running))) ?? null;
    const node = selected ? (vm.nodes.get(selected) ?? null) : null;
    const parent = node?.parentId ? (vm.nodes.get(node.parentId) ?? null) : null;
    const currentBeam = vm.beams[vm.beamDepth] ?? [];
    const settings = s.record?.config.settings;
    return html`
      <section class="card stack" aria-label="Run status">
        <div class="top">
          <div>
            <h2 tabindex="-1">${s.record?.name ?? 'Run'}</h2>
            <span class="status">${statusWord(vm, s.interrupted && !s.running, s.phase)}</span>
            ${vm.stage && vm.stage !== 'done' ? html`<span class="badge">stage: ${STAGE_WORDS[vm.stage]}</span>` : nothing}
            ${this.levelText(vm, settings)} ${this.bestText(vm, settings)}
          </div>
          <div class="row" data-controls>${this.controls(s)}</div>
        </div>
        ${this.notices(s)}
        <div class="live visually-hidden" role="status" aria-live="polite"></div>
        <drpo-throughput
          .vm=${vm}
          .config=${s.record?.config ?? null}
          .cost=${this.costSoFar(s)}
          ?live=${s.phase === 'running'}
        ></drpo-throughput>
        <drpo-fault-summary .vm=${vm} ?running=${s.running || s.heldElsewhere}></drpo-fault-summary>
      </section>
      <div class="grid">
        <section class="card" aria-label="Search tree">
          <h3>Search tree</h3>
          <p class="small muted how-to-read">
            Each column is a level <drpo-info term="level" .settings=${settings}></drpo-info>; a number is that prompt’s
            score <drpo-info term="score"></drpo-info>; the thick outline marks the beam
            <drpo-info term="beam" .settings=${settings}></drpo-info>; ↻ marks a prompt carried forward
            <drpo-info term="carried" .settings=${settings}></drpo-info>.
          </p>
          <drpo-beam-tree
            .vm=${vm}
            .selectedId=${selected}
            ?follow=${!this.pinned && s.running}
            @node-selected=${this.onSelect}
          ></drpo-beam-tree>
        </section>
        <section class="card side" aria-label=${showsResult ? 'The result' : 'Selected prompt'}>
          <div class="top">
            <h3 data-selected tabindex="-1">${showsResult ? 'The result' : 'Selected prompt'}</h3>
            ${
              this.pinned
                ? html`<button data-follow @click=${this.followNewest}>
                    ${result ? 'Show the result' : 'Follow the newest'}
                  </button>`
                : html`<span class="small muted" data-following
                    >${showsResult ? this.resultNote(vm) : 'Following the newest prompt'}</span
                  >`
            }
          </div>
          <drpo-candidate-panel
            .node=${node}
            .parent=${parent}
            .failures=${this.failuresOf(vm, node?.id ?? null)}
            ?in-beam=${node ? currentBeam.includes(node.id) : false}
            .facts=${this.factsOf(settings, vm.artifact)}
          ></drpo-candidate-panel>
        </section>
        <section class="card" aria-label="Reward over depth">
          <h3>Reward over depth</h3>
          <drpo-reward-chart
            .series=${vm.rewardSeries}
            .maxDepth=${vm.maxDepth}
            .version=${vm.version}
          ></drpo-reward-chart>
        </section>
        <section class="card" aria-label="All prompts">
          <h3>All prompts</h3>
          <drpo-node-list .vm=${vm} .selectedId=${selected} @node-selected=${this.onSelect}></drpo-node-list>
          ${this.failureSummary(vm)}
        </section>
      </div>
    `;
  }

  /** What the result in the panel is: "Chosen by the final check", "Your starting prompt, kept by …". */
  private resultNote(vm: RunViewModel): string {
    const a = vm.artifact;
    if (a && unconfirmedLead(a)) return 'Chosen by the final check, not verified';
    return a?.outcome ? RESULT_NOTES[a.outcome] : 'The prompt the run handed back';
  }

  /** "level 2 of 4 (up to 6 with extensions)": depth reached, from the run's own settings. */
  private levelText(vm: RunViewModel, settings: SearchSettings | undefined) {
    if (!settings || vm.beamDepth < 0) return nothing;
    const planned = Math.max(settings.depth, vm.maxDepth ?? settings.depth);
    const most = settings.depth + settings.maxDepthExtension;
    return html`<span class="small" data-level>
      · level ${vm.beamDepth} of ${planned}${most > planned ? ` (up to ${most} with extensions)` : ''}</span
    >`;
  }

  /**
   * The best so far is a path mean (what the search keeps); its own score is shown beside it. Once the run is
   * over, the outcome of its final check takes its place.
   */
  private bestText(vm: RunViewModel, settings: SearchSettings | undefined) {
    const outcome = outcomeText(vm);
    if (outcome) return html`<span class="small" data-outcome> · <strong>${outcome}</strong>.</span>`;
    // The search's best, not the end's pick: a stopped run's pick (its deepest level's) may score lower, and
    // a figure said to be the best so far must not go down.
    const best = bestSoFar(vm);
    if (!best) return nothing;
    const own = vm.nodes.get(best.nodeId)?.reward;
    return html`<span class="small" data-best>
      · ${PATH_MEAN_NAME} <strong>${formatReward(best.reward)}</strong> ${BEST_SO_FAR_MARK}
      <drpo-info term="path-mean" .settings=${settings}></drpo-info> (depth
      ${best.depth}${
        own !== undefined && own !== null ? html`; that prompt’s own score ${formatReward(own)}` : nothing
      })</span
    >`;
  }

  /** Money spent so far at the prices given for the run's endpoints (null when none has a price). */
  private costSoFar(s: RunSession): number | null {
    const roles = s.record?.config.roles;
    const stats = s.vm.stats;
    const endpoints = this.appState?.value.endpoints ?? [];
    if (!roles || !stats) return null;
    return runCost(stats.perRole, (role) => {
      const b = roles[role];
      return b.engine === 'openai' ? (endpoints.find((e) => e.id === b.endpointId)?.price ?? null) : null;
    });
  }

  private controls(s: RunSession) {
    const vm = s.vm;
    const parts = [];
    if (s.phase === 'running' && this.confirmingCancel) {
      // "Keep running" takes Cancel's place: a second click of a double-click on Cancel keeps the run.
      // Escape answers Keep running, as in a dialog.
      const esc = (e: KeyboardEvent) => e.key === 'Escape' && this.keepRunning();
      parts.push(html`<span class="small" id="cancel-question">Cancel the run for good? It cannot be resumed.</span>`);
      parts.push(
        html`<button data-keep aria-describedby="cancel-question" @keydown=${esc} @click=${() => this.keepRunning()}>
          Keep running
        </button>`,
      );
      parts.push(
        html`<button class="danger" @keydown=${esc} @click=${(e: MouseEvent) => this.confirmCancel(e, s)}>
          Yes, cancel
        </button>`,
      );
    } else if (s.phase === 'running') {
      // Cancel first, Pause last: Resume sits where Pause appears, so a double-click on Resume pauses again
      // (harmless) instead of landing on Cancel, which ends a run for good; and Cancel asks first.
      parts.push(
        html`<button class="danger" data-cancel @click=${() => (this.confirmingCancel = true)}>Cancel</button>`,
      );
      parts.push(html`<button @click=${() => s.pause()}>Pause</button>`);
    } else if (s.phase === 'pausing' || s.phase === 'cancelling') {
      // Held, not `disabled`: a disabled button cannot keep the focus the Pause or Cancel button it replaces had.
      parts.push(html`<button ${held(true)}>${s.phase === 'pausing' ? 'Pausing…' : 'Cancelling…'}</button>`);
    } else if (s.canResume && !this.shownError(s)) {
      // An error offers the same action itself (Retry, or Resume), beside what went wrong: one button for it.
      const label = vm.status === 'pending' && vm.order.length === 0 ? 'Start' : 'Resume';
      parts.push(html`<button class="primary" ?disabled=${!this.client} @click=${() => s.start()}>${label}</button>`);
    }
    if (isFinished(vm.status) && vm.best) {
      parts.push(html`<a class="button primary" href="#/result/${encodeURIComponent(vm.runId)}">See the result</a>`);
    }
    return parts;
  }

  /** The question closes: focus goes back to the Cancel button it replaced, as a dialog returns it. */
  private keepRunning(): void {
    keepFocus(this, () => this.renderRoot.querySelector('[data-controls] [data-cancel]'));
    this.confirmingCancel = false;
  }

  /**
   * The second click of a double-click on Cancel may land here whatever the layout (a wider button, a wrapped
   * row): a click that is part of a double-click (`detail` > 1) never confirms. Keyboard presses have detail 0.
   */
  private confirmCancel(e: MouseEvent, s: RunSession): void {
    if (e.detail > 1) return;
    this.confirmingCancel = false;
    void s.cancel();
  }

  /** The error the notices show: this session's, or the stored run's while it is not running. */
  private shownError(s: RunSession) {
    return s.error ?? (s.vm.status === 'failed' || !s.running ? s.vm.error : null);
  }

  private notices(s: RunSession) {
    const err = this.shownError(s);
    const out = [];
    if (s.heldElsewhere) {
      out.push(
        html`<div class="warn-box" role="note" data-owner="elsewhere">
          This run is running in another tab of this browser. This tab follows it read-only; once that tab is closed,
          you can resume the run here.
        </div>`,
      );
    }
    if (s.interrupted && !s.running) {
      out.push(
        html`<div class="warn-box" role="note">
          This run was interrupted (the page was closed, reloaded or left). Its progress up to the last checkpoint is
          kept: press Resume to continue.
        </div>`,
      );
    }
    if (err) {
      const w = describeError(err);
      out.push(
        html`<div class="error" role="alert">
          <strong>${w.title}</strong>
          <p style="margin:4px 0">${w.hint}</p>
          ${w.message ? html`<div class="small">${w.message}</div>` : nothing} ${this.storageNote(err)}
          ${
            s.canResume
              ? html`<div class="row" style="margin-top:8px" data-error-action>
                  <button class="primary" @click=${() => s.start()}>${w.retryable ? 'Retry' : 'Resume'}</button>
                  <span class="small">Continues from the last checkpoint; finished work is kept.</span>
                </div>`
              : nothing
          }
        </div>`,
      );
    }
    if (s.vm.budgetWarnings && Object.keys(s.vm.budgetWarnings).length && !isFinished(s.vm.status)) {
      out.push(html`<div class="warn-box" role="note">The run is close to its budget and will stop soon.</div>`);
    }
    return out;
  }

  /** A run the full disk stopped: how full (Setup's words); nothing when the browser does not say. */
  private storageNote(err: SerializedError) {
    const facts = sameError(this.storageFull?.for, err) ? this.storageFull!.facts : null;
    return facts && facts.quota > 0 ? html`<p class="small" data-storage>${storageLine(facts)}</p>` : nothing;
  }

  private failureSummary(vm: RunViewModel) {
    if (!vm.parseFailures.length) return nothing;
    return html`<p class="small warn-box" style="margin-top:8px" role="note">
      ${plural(vm.parseFailures.length, 'model output')} could not be read. They are listed on the affected prompts and
      did not count as a zero reward.
    </p>`;
  }

  private factsCache: { settings?: SearchSettings; artifact: AlignmentArtifact | null; facts?: GlossaryFacts } = {
    artifact: null,
  };

  /** What the help texts may say of this run; the same object while neither changed (see failuresOf). */
  private factsOf(settings: SearchSettings | undefined, artifact: AlignmentArtifact | null): GlossaryFacts {
    const c = this.factsCache;
    if (!c.facts || c.settings !== settings || c.artifact !== artifact) {
      const facts = { ...settings, keptBackQueries: artifact ? keptBackQueries(artifact) : undefined };
      this.factsCache = { settings, artifact, facts };
      return facts;
    }
    return c.facts;
  }

  private failureCache: { key: string; list: readonly ParseFailure[] } = { key: '', list: [] };

  /** Same array while nothing changed, so the candidate panel does not re-render every frame. */
  private failuresOf(vm: RunViewModel, nodeId: string | null): readonly ParseFailure[] {
    const key = `${vm.runId}|${nodeId}|${vm.parseFailures.length}`;
    if (this.failureCache.key !== key) {
      const list = nodeId ? vm.parseFailures.filter((f) => f.nodeId === nodeId).map((f) => f.failure) : [];
      this.failureCache = { key, list };
    }
    return this.failureCache.list;
  }

  private readonly onSelect = (e: CustomEvent<{ nodeId: string }>): void => {
    e.stopPropagation();
    this.selectedId = e.detail.nodeId;
    this.pinned = true;
  };

  /** Follow the newest prompt again, or once the run is over, show its result again. */
  private readonly followNewest = (): void => {
    this.pinned = false;
    this.selectedId = null;
    this.followed = null; // jump to the newest now, not after the follow interval
  };

  /** Polite, throttled: status changes at once, progress at most every few seconds. */
  private announce(vm: RunViewModel, interrupted: boolean, phase: RunSession['phase']): void {
    const region = this.renderRoot.querySelector<HTMLElement>('.live');
    if (!region) return;
    const word = statusWord(vm, interrupted, phase);
    // Only a running search has progress to tell; otherwise only a change of status is news.
    if (!this.said.isNew(word) && vm.status !== 'running') return;
    const text = this.said.say(word, () => progressMessage(vm, interrupted, phase));
    if (region.textContent !== text) region.textContent = text;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-live-view': DrpoLiveView;
  }
}
