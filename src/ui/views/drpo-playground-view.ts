/**
 * A/B playground: one input, two panes. A = the alignment's starting prompt (or the default prompt,
 * or none), B = an alignment: by default the latest result, which every finished run saves. One
 * message goes to both panes at once; with a single local model, B's request waits for A's (the
 * model answers one request at a time), while an endpoint answers both together.
 */
import { html, css, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, state, query } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { DEFAULT_INITIAL_PROMPT } from '../../core/plan/presets';
import { alignmentDisplayName, comparisonPrompt, runAlignmentName } from '../../core/formats/alignment-facts';
import { ANY_MODEL } from '../../core/formats/alignment-import';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import type { IclExample, RoleBinding } from '../../core/contracts/run-config';
import { examplesPhrase, inferenceExamples, isStartingPrompt } from '../../core/words/verdict-text';
import { closestCandidate } from '../../core/formats/closest-candidate';
import { takenNameWords } from '../../core/words/list-words';
import type { AlignmentRecord } from '../../store/store';
import type { DrpoChatPane } from '../components/drpo-chat-pane';
import '../components/drpo-chat-pane';
import { StoreChanges } from '../controllers/store-changes';
import { keepFocus, keepFocusOnRender } from '../helpers/focus';
import { isSubmitEnter } from '../helpers/form-controls';
import { held } from '../helpers/held';
import { describeError } from '../helpers/error-messages';
import { alignmentHref } from '../app/route';
import { playgroundAnswers } from '../view-models/playground-answers';
import { bindingKey } from '../view-models/eval-bindings';
import type { PromptReadRecord } from '../../core/calls/prompt-reads';
import type { ChatOutcome } from '../components/drpo-chat-pane';

type Baseline = 'start' | 'default' | 'none';

/**
 * Two artifacts are the same result when their prompt, examples per question and creation time agree (a
 * run's closest candidate can be its starting prompt with examples: same prompt, same time, not the same).
 */
function sameResult(a: AlignmentArtifact, b: AlignmentArtifact): boolean {
  return (
    a.systemPrompt === b.systemPrompt && a.createdAt === b.createdAt && inferenceExamples(a) === inferenceExamples(b)
  );
}

/** A run's "no improvement" result: the starting prompt it was given, handed back unchanged. */
function isUnchangedStart(a: AlignmentArtifact): boolean {
  return a.outcome === 'no-improvement' && isStartingPrompt(a);
}

function short(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** One empty list for panes without examples: a new [] on every render would read as new examples. */
const NO_EXAMPLES: IclExample[] = [];

@customElement('drpo-playground-view')
export class DrpoPlaygroundView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .panes {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 12px;
      }
      @media (max-width: 760px) {
        .panes {
          grid-template-columns: 1fr;
        }
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: flex-end;
      }
      textarea {
        flex: 1 1 240px;
      }
      select {
        max-width: 100%;
      }
    `,
  ];

  @state() private baseline: Baseline = 'start';
  @state() private saved: AlignmentRecord[] = [];
  @state() private chosenId = '';
  @state() private draft = '';
  @state() private running = false;
  /** Enter was pressed while the answers stream: said, so the key does not seem dead (the message stays). */
  @state() private waitHinted = false;
  /** A pane's last answer failed: "Ask again" sends its question again (to the panes whose answer failed). */
  @state() private canAskAgain = false;
  /** The error A shows for its last answer, for B to say only one that differs; undefined while A answers. */
  @state() private aError: string | null | undefined = null;
  /**
   * What "Save it to keep it" did for a handed-over alignment (`for`): saved, or found saved already; the words
   * stay after B became the saved record. `error`: it could not be saved, in words.
   */
  @state() private savedNote: {
    for: AlignmentArtifact;
    id?: string;
    name?: string;
    existing?: boolean;
    /** Why it was saved under a numbered name (another saved alignment or a run has the one it asked for). */
    why?: string;
    error?: string;
  } | null = null;
  /**
   * What the server read of every conversation with each model (by binding), shared by both panes and kept across
   * Clear and another prompt: the server and its context window stay the same.
   */
  private readonly modelReads = new Map<string, PromptReadRecord>();
  @query('#pane-a') private paneA?: DrpoChatPane;
  @query('#pane-b') private paneB?: DrpoChatPane;
  // A run that finishes while the playground is open adds its result here at once.
  protected readonly changes = new StoreChanges(
    this,
    (c) => c.kind === 'alignments',
    () => void this.list(),
  );

  private async list(): Promise<void> {
    try {
      const saved = (await this.store?.listAlignments()) ?? [];
      // B follows the newest result, but not in the middle of a conversation: a run finishing meanwhile
      // would switch it (and clear both panes). Held on the alignment the conversation is with.
      const following = !this.chosenId && !this.appState?.value.playgroundAlignment;
      if (following && this.paneB?.hasConversation && this.chosenRecordId) this.chosenId = this.chosenRecordId;
      this.saved = saved;
    } catch {
      // Pane B then offers only an alignment handed over from Result, History or a link.
    }
  }

  /** The alignment handed over from Result / History / a link, unless it is one of the saved ones. */
  private get handedOver(): AlignmentArtifact | null {
    const a = this.appState?.value.playgroundAlignment ?? null;
    return a && !this.saved.some((r) => sameResult(r.artifact, a)) ? a : null;
  }

  /** The run the handed-over alignment came from (a Result's closest candidate), else null (a link). */
  private runOf(handed: AlignmentArtifact): string | null {
    const from = this.appState?.value.playgroundRun;
    return from && from.artifact === handed ? from.runId : null;
  }

  /** What a handed-over alignment is called until saved, and saved as: as its Result names it, else as a link's. */
  private handedName(handed: AlignmentArtifact): string {
    return this.runOf(handed) !== null ? runAlignmentName(handed) : alignmentDisplayName(handed);
  }

  private get chosenRecordId(): string {
    if (this.chosenId) return this.chosenId;
    const a = this.appState?.value.playgroundAlignment ?? null;
    if (a) return this.saved.find((r) => sameResult(r.artifact, a))?.id ?? '';
    // Newest first: the latest result.
    return this.saved[0]?.id ?? '';
  }

  /**
   * What B is called, the same in its select and its pane: the saved record's name (renamed in History, it is
   * renamed here), else the handed-over alignment's own, else the name Save on the share page gives it.
   */
  private get alignmentName(): string | null {
    if (this.chosenId) return this.saved.find((r) => r.id === this.chosenId)?.name ?? null;
    const handed = this.handedOver;
    if (handed) return this.handedName(handed);
    return this.saved.find((r) => r.id === this.chosenRecordId)?.name ?? null;
  }

  private get alignment(): AlignmentArtifact | null {
    if (this.chosenId) return this.saved.find((r) => r.id === this.chosenId)?.artifact ?? null;
    return this.handedOver ?? this.saved.find((r) => r.id === this.chosenRecordId)?.artifact ?? null;
  }

  private baselinePrompt(al: AlignmentArtifact | null): string | null {
    if (this.baseline === 'none') return null;
    if (this.baseline === 'start' && al) return comparisonPrompt(al);
    return DEFAULT_INITIAL_PROMPT;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Send to both ↔ Stop swap under the keyboard: focus goes to Stop, and back to the message box after.
    const q = (selector: string) => this.renderRoot.querySelector(selector);
    keepFocusOnRender(this, [['form', () => q('form button[data-stop]') ?? q('#msg')]]);
  }

  private async send(e: Event): Promise<void> {
    e.preventDefault();
    const text = this.draft.trim();
    const a = this.paneA;
    const b = this.paneB;
    this.waitHinted = this.running;
    if (!text || this.running || !a || !b) return;
    this.draft = '';
    await this.answer((pane, after) => pane.send(text, after));
  }

  /** Asks the last question again in the panes whose answer to it failed (the endpoint is back, say). */
  private async askAgain(): Promise<void> {
    if (this.running) return;
    await this.answer((pane, after) => (pane.failedQuestion !== null ? pane.askAgainLast(after) : null));
  }

  /**
   * Both panes answer at once (`ask` returns null for a pane with nothing to ask). One local model answers one
   * request at a time, so B waits for A; an endpoint answers both together.
   */
  private async answer(
    ask: (pane: DrpoChatPane, after?: Promise<unknown>) => Promise<ChatOutcome> | null,
  ): Promise<void> {
    const a = this.paneA;
    const b = this.paneB;
    if (!a || !b) return;
    this.running = true;
    this.canAskAgain = false;
    try {
      const local = this.appState?.value.roles.policy?.engine === 'webllm';
      const first = ask(a);
      if (first) {
        this.aError = undefined;
        void first.then(() => (this.aError = a.shownError));
      }
      const second = ask(b, local && first ? first : undefined);
      await Promise.all([first, second]);
    } finally {
      this.running = false;
      this.canAskAgain = [a, b].some((p) => p.failedQuestion !== null);
      // What one pane's answer showed of the server (a ceiling) may name the other's cut too.
      a.requestUpdate();
      b.requestUpdate();
    }
  }

  /**
   * Saves the handed-over alignment, so a reload keeps it: a run's closest candidate as its Result saves it (with
   * its run), one from a link as the share page's Save does.
   */
  private async saveHanded(handed: AlignmentArtifact): Promise<void> {
    if (!this.store) return;
    const runId = this.runOf(handed);
    try {
      const rec = await this.store.saveAlignment({
        name: this.handedName(handed),
        artifact: handed,
        ...(runId === null ? { source: 'link' as const } : { source: 'run' as const, ...(runId ? { runId } : {}) }),
      });
      // The button goes once it is saved: focus goes to B's select, which now names the saved record.
      keepFocus(this, () => this.renderRoot.querySelector<HTMLElement>('#align'));
      this.savedNote = {
        for: handed,
        id: rec.id,
        name: rec.name,
        existing: rec.existing === true,
        ...(rec.nameTaken ? { why: takenNameWords(rec.nameTaken) } : {}),
      };
      // The list then holds it, and B becomes the saved record (its name, kept across a reload).
      await this.list();
    } catch (err) {
      const w = describeError(err);
      this.savedNote = { for: handed, error: `Not saved: ${w.title}. ${w.hint}` };
    }
  }

  /** The run B came from: its Result handed it over, or it is saved with its run; null when not known (a link). */
  private runOfB(al: AlignmentArtifact): string | null {
    if (al === this.handedOver) return this.runOf(al);
    return this.saved.find((r) => r.artifact === al)?.runId ?? null;
  }

  /**
   * B becomes the closest candidate of the "no improvement" result it holds, as the Result's "Try it in the
   * playground" hands it over (with its run, so Save stores it as the Result does); A stays the starting prompt.
   */
  private tryClosest(al: AlignmentArtifact, candidate: AlignmentArtifact): void {
    const runId = this.runOfB(al);
    // The button goes with the result it was for: focus goes to B's select, which now names the candidate.
    keepFocus(this, () => this.renderRoot.querySelector<HTMLElement>('#align'));
    this.chosenId = '';
    this.savedNote = null;
    this.appState?.update({
      playgroundAlignment: candidate,
      playgroundRun: runId === null ? null : { artifact: candidate, runId },
    });
  }

  /**
   * B is a run's "no improvement" result, which is the starting prompt unchanged: said plainly, not left to two
   * panes that seem to compare something. "Open in playground" opens the result itself (as from History or B's
   * select); the closest candidate the Result offers beside it is one press away here too.
   */
  private unchanged(al: AlignmentArtifact | null) {
    if (!al || !isUnchangedStart(al)) return nothing;
    const c = closestCandidate(al);
    const k = c ? inferenceExamples(c) : 0;
    const kind =
      c && `${isStartingPrompt(c) ? 'your prompt' : 'a rewrite'}${k > 0 ? `, with ${examplesPhrase(k)}` : ''}`;
    return html`<div class="warn-box row" data-unchanged>
      <span>
        <strong>This result is your starting prompt unchanged:</strong> the run found no improvement on it, so B answers
        with the prompt you started from.
        ${c ? `Its closest candidate (${kind}) was not kept: try it in B to compare it with your prompt.` : nothing}
      </span>
      ${
        c
          ? html`<button type="button" data-try-closest @click=${() => this.tryClosest(al, c)}>
              Try the closest candidate in B
            </button>`
          : nothing
      }
    </div>`;
  }

  /** Another alignment in B: what Save did for the one before is no longer B's, so its note goes. */
  private chooseB(id: string): void {
    this.chosenId = id;
    this.savedNote = null;
  }

  private async stop(): Promise<void> {
    await Promise.all([this.paneA?.stop(), this.paneB?.stop()]);
  }

  /**
   * Escape anywhere in the Playground (the message box, Stop, a pane's log) stops the answers as Stop does. Only
   * then is the key taken: it clears no draft and no conversation, and no handler around the page sees it too. An
   * IME's Escape only cancels its composition, and one a control inside already used (a list closing) is its own.
   */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented || !this.running) return;
    e.preventDefault();
    e.stopPropagation();
    void this.stop();
  };

  private clear(): void {
    this.paneA?.clear();
    this.paneB?.clear();
    this.canAskAgain = false;
    this.aError = null;
  }

  /**
   * One side of the comparison: the same model, its own system prompt and examples. `quiet`: B, which asks the
   * model A asks (one binding for both): A says each wait and error aloud, B only an error of its own.
   */
  private pane(
    id: string,
    label: string,
    binding: RoleBinding | null,
    systemPrompt: string | null,
    icl: IclExample[],
    iclK: number,
    answers: { maxTokens: number; temperature: number },
    quiet = false,
  ) {
    return html`<div class="card">
      <drpo-chat-pane
        id=${id}
        label=${label}
        .client=${this.client}
        .binding=${binding}
        .systemPrompt=${systemPrompt}
        .icl=${icl}
        .iclK=${iclK}
        .maxTokens=${answers.maxTokens}
        .temperature=${answers.temperature}
        ask-again
        ?quiet=${quiet}
        .besideError=${quiet ? this.aError : null}
        .modelReads=${this.readsOf(binding)}
      ></drpo-chat-pane>
    </div>`;
  }

  private readsOf(binding: RoleBinding | null): PromptReadRecord | null {
    if (!binding) return null;
    const key = bindingKey(binding);
    const known = this.modelReads.get(key) ?? {};
    this.modelReads.set(key, known);
    return known;
  }

  /** What "Save it to keep it" did, for the status line (as the share page says it). */
  private savedWords() {
    const n = this.savedNote;
    if (!n) return nothing;
    if (n.error) return n.error;
    return html`${n.existing ? 'Already saved as' : 'Saved as'} “${n.name}”${n.why ? `: ${n.why}` : ''}.
      <a href=${alignmentHref(n.id!)}>Show it in History</a>`;
  }

  override render() {
    const binding = this.appState?.value.roles.policy ?? null;
    const al = this.alignment;
    const handed = this.handedOver;
    const chosen = this.chosenId || (handed ? '' : this.chosenRecordId);
    const start = al ? comparisonPrompt(al) : null;
    const baseline: Baseline = this.baseline === 'start' && !al ? 'default' : this.baseline;
    const name = this.alignmentName;
    const answers = playgroundAnswers(al);
    return html`<div class="stack" @keydown=${this.onKey}>
      <h2>Playground</h2>
      ${
        binding
          ? nothing
          : html`<p class="warn-box">
              No model is ready. <a href="#/setup">Load a model or connect an endpoint in Setup</a>.
            </p>`
      }
      <section class="card row">
        <label for="baseline">A (baseline)</label>
        <select
          id="baseline"
          @change=${(e: Event) => (this.baseline = (e.target as HTMLSelectElement).value as Baseline)}
        >
          ${
            start !== null
              ? html`<option value="start" ?selected=${baseline === 'start'}>
                  Starting prompt of B: “${short(start)}”
                </option>`
              : nothing
          }
          ${
            start !== DEFAULT_INITIAL_PROMPT
              ? html`<option value="default" ?selected=${baseline === 'default'}>“${DEFAULT_INITIAL_PROMPT}”</option>`
              : nothing
          }
          <option value="none" ?selected=${baseline === 'none'}>No system prompt</option>
        </select>
        <label for="align">B (aligned)</label>
        <select id="align" @change=${(e: Event) => this.chooseB((e.target as HTMLSelectElement).value)}>
          ${handed ? html`<option value="" ?selected=${!this.chosenId}>${this.handedName(handed)}</option>` : nothing}
          ${!handed && !this.saved.length ? html`<option value="">No saved alignments</option>` : nothing}
          ${this.saved.map((r) => html`<option value=${r.id} ?selected=${r.id === chosen}>${r.name}</option>`)}
        </select>
        ${
          // Handed over (a share link, a result's closest candidate) and not saved: a reload would lose it.
          handed && !this.chosenId && this.store && this.savedNote?.for !== handed
            ? html`<button
                  type="button"
                  data-save-b
                  aria-describedby="unsaved-b"
                  @click=${() => void this.saveHanded(handed)}
                >
                  Save it to keep it
                </button>
                <span id="unsaved-b" class="small muted">B is not saved on this device: a reload loses it.</span>`
            : nothing
        }
      </section>
      <p class="small" role="status" data-saved-b>${this.savedWords()}</p>
      ${al ? nothing : html`<p class="muted small">Pane B has no alignment yet: finish a run, open one from History, or open a share link.</p>`}
      ${
        al && binding && al.model.id !== binding.modelId && al.model.id !== ANY_MODEL
          ? html`<p class="muted small" data-other-model>
              B was tuned on ${al.model.id}; it answers here with ${binding.modelId}: results may differ.
            </p>`
          : nothing
      }
      <p class="muted small" data-answers>${answers.words}</p>
      ${this.unchanged(al)}
      ${
        al && this.baselinePrompt(al) === al.systemPrompt && inferenceExamples(al) === 0
          ? html`<p class="muted small" data-same>
              A and B use the same prompt without
              examples${
                // Said just above for a result that is its starting prompt.
                isUnchangedStart(al) ? '' : ' (a run that found no improvement returns your starting prompt)'
              }:
              any difference between their answers comes from sampling, not from the prompt.
            </p>`
          : nothing
      }
      <div
        class="panes"
        @conversation-reset=${(e: Event) => {
          // One pane's prompt, examples or model changed: the other starts over with it.
          const other = e.target === this.paneA ? this.paneB : this.paneA;
          other?.restart();
          this.canAskAgain = false;
          this.aError = null;
        }}
      >
        ${this.pane('pane-a', 'A · baseline', binding, this.baselinePrompt(al), NO_EXAMPLES, 0, answers)}
        ${this.pane('pane-b', al && name ? `B · ${name}` : 'B · no alignment yet', binding, al ? al.systemPrompt : null, al?.icl ?? NO_EXAMPLES, al ? inferenceExamples(al) : 0, answers, true)}
      </div>
      <form class="card" @submit=${this.send}>
        <label class="visually-hidden" for="msg">Message for both</label>
        <textarea
          id="msg"
          rows="2"
          placeholder="Ask both the same question…"
          .value=${this.draft}
          @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (isSubmitEnter(e)) void this.send(e);
          }}
        ></textarea>
        ${
          this.running
            ? html`<button
                type="button"
                class="danger"
                data-stop
                aria-keyshortcuts="Escape"
                title="Stop (Esc)"
                @click=${() => void this.stop()}
              >
                Stop
              </button>`
            : html`<button type="submit" class="primary" ?disabled=${!binding || !this.draft.trim()}>
                Send to both
              </button>`
        }
        ${
          this.canAskAgain && !this.running
            ? html`<button type="button" data-ask-again ?disabled=${!binding} @click=${() => void this.askAgain()}>
                Ask again
              </button>`
            : nothing
        }
        <button type="button" ${held(this.running)} @click=${this.clear}>Clear</button>
        <span class="small muted" aria-live="polite" data-hint>
          ${this.running && this.waitHinted ? 'The answers are still coming: wait for them or press Stop.' : ''}
        </span>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-playground-view': DrpoPlaygroundView;
  }
}
