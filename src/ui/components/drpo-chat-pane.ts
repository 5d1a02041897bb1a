/**
 * One conversation with one model binding: streams through client.chat, Stop cancels the job.
 * Used standalone (own input: the Setup check) or driven by the playground via send()/stop().
 * Answers are untrusted text: rendered through safe-markdown, never as live HTML.
 */
import { createRetriever } from '../../core/drpo/retrieval';
import type { Retriever } from '../../core/drpo/retrieval';
import { buildSystemPrompt } from '../../core/drpo/templates';
import { html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import { safeMarkdown } from '../templates/safe-markdown';
import { describeError } from '../helpers/error-messages';
import { keepFocusOnRender } from '../helpers/focus';
import { isSubmitEnter } from '../helpers/form-controls';
import { bindingKey } from '../view-models/eval-bindings';
import { ErrorName, isAbort, isNamed } from '../../core/contracts/errors';
import { opensThinkingInPrompt, splitReasoning, type SplitReply } from '../../core/formats/reasoning';
import { examplesPhrase } from '../../core/words/verdict-text';
import type { TimedRetry } from '../../core/calls/fault-summary';
import {
  cutPromptsKnown,
  largerWindow,
  notePromptRead,
  serverReadWords,
  windowFor,
  type CutPrompts,
  type PromptReadRecord,
} from '../../core/calls/prompt-reads';
import { WaitNote } from '../controllers/wait-note';
import type { ChatMessage } from '../../core/contracts/chat-model';
import type { IclExample, RoleBinding } from '../../core/contracts/run-config';
import { formatTokenSpeed } from '../../core/formats/bytes';

export type ChatOutcome = 'done' | 'stopped' | 'error';

/**
 * The `chat-finished` event's detail (it bubbles, composed), sent by every chat and by the endpoint form's speed
 * check: how the reply ended and, for one that came, its speed and the binding it was measured on (with its
 * endpoint: the same model name on another server is another speed).
 */
export interface ChatFinishedDetail {
  outcome: ChatOutcome;
  binding?: RoleBinding;
  tokensPerS?: number;
  perCallMs?: number;
}

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  status?: 'queued' | 'streaming' | 'done' | 'stopped' | 'error' | 'length';
  /** What happened and what to do (title and hint); the server's own words follow below it (`errorDetail`). */
  error?: string;
  errorDetail?: string;
  tokensPerS?: number;
  /** The server streamed thinking beside the text (its own field): "Thinking…" until text comes. */
  thoughtBeside?: boolean;
  /**
   * The template of the model asked opens the thinking in the prompt, and that model has not been seen
   * answering without any: the reply is thinking until `</think>`. Fixed when the question is sent, so the
   * reply is split by the model it came from, not by whichever is bound when it is shown or stopped.
   */
  openedInPrompt?: boolean;
  /** The conversation no longer fits the model's context window: asking again would fail the same way. */
  tooLong?: boolean;
}

/**
 * The one place a streaming reply is split into thinking and answer: for the view while it streams, and for
 * what a stop keeps of it. A reasoning model streams its thinking first, shown as "Thinking…", not as the
 * answer (a finished reply comes from the adapter without it and is not split again).
 */
function splitStreaming(t: Pick<Turn, 'content' | 'thoughtBeside' | 'openedInPrompt'>): SplitReply {
  // Thinking beside the text is not in it: no block to wait for, whatever the template does.
  const parts = splitReasoning(t.content, { partial: true, openedInPrompt: !t.thoughtBeside && !!t.openedInPrompt });
  // Thinking in a field of its own comes before the text: until the text starts, the model is thinking.
  return t.thoughtBeside && !parts.answer ? { ...parts, thinking: true } : parts;
}

/** The worker may send deltas or the text so far; accept both. */
export function mergeStream(current: string, incoming: string): string {
  if (current && incoming.startsWith(current)) return incoming;
  return current + incoming;
}

/** How near its end (in pixels) the log counts as at its end, and so follows a streaming answer. */
const FOLLOW_SLACK_PX = 24;

/** An answer that ended (or was cut off) without a word: said in words, not shown as an empty bubble. */
function isEmptyAnswer(t: Turn): boolean {
  return (t.status === 'done' || t.status === 'length') && !t.content.trim();
}

/**
 * The turns to send as history: each question with the answer it got. A question whose answer failed, came
 * back empty, or was stopped before a word, is left out with it (the model would answer it unasked, and
 * templates that need alternating turns would refuse two user turns in a row).
 */
function conversation(turns: readonly Turn[]): Turn[] {
  const out: Turn[] = [];
  for (let i = 0; i + 1 < turns.length; i += 2) {
    const [question, answer] = [turns[i]!, turns[i + 1]!];
    const ended = answer.status === 'done' || answer.status === 'length' || answer.status === 'stopped';
    if (ended && answer.content.trim()) out.push(question, answer);
  }
  return out;
}

/** An error as a whole (advice and the server's words): what two panes compare to say it once. */
function errorWords(t: Pick<Turn, 'error' | 'errorDetail'>): string {
  return t.errorDetail ? `${t.error}\n${t.errorDetail}` : (t.error ?? '');
}

/** What the polite region says of an answer that finished (not stopped, not failed), cut off or not. */
function endedPhrase(t: Turn | undefined): string {
  const said = t && isEmptyAnswer(t) ? 'empty answer' : 'answer ready';
  return t?.status === 'length' ? `${said}, cut off at the token limit.` : `${said}.`;
}

@customElement('drpo-chat-pane')
export class DrpoChatPane extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      .pane {
        display: flex;
        flex-direction: column;
        gap: 8px;
        height: 100%;
      }
      .head {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .log {
        display: flex;
        flex-direction: column;
        gap: 8px;
        min-height: 120px;
        max-height: 480px;
        overflow-y: auto;
        padding: 4px;
      }
      .msg {
        padding: 8px 12px;
        border-radius: 8px;
        max-width: 100%;
        overflow-wrap: anywhere;
      }
      .user {
        background: var(--drpo-accent-soft);
        align-self: flex-end;
        white-space: pre-wrap;
      }
      .assistant {
        background: var(--drpo-surface-2);
      }
      .assistant :first-child {
        margin-top: 0;
      }
      .assistant :last-child {
        margin-bottom: 0;
      }
      .assistant pre {
        white-space: pre-wrap;
        background: var(--drpo-surface);
        padding: 8px;
        border-radius: 4px;
      }
      .note {
        font-size: 0.8rem;
        color: var(--drpo-muted);
        margin-top: 4px;
      }
      /* The cut note's region, empty until a cut shows: no gap of its own in the pane. */
      [data-cut-said]:empty {
        margin-top: -8px;
      }
      .sys {
        font-size: 0.8rem;
        color: var(--drpo-muted);
        white-space: pre-wrap;
        max-height: 5.5em;
        overflow: auto;
        border-left: 3px solid var(--drpo-border);
        padding-left: 8px;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: flex-end;
      }
      textarea {
        flex: 1 1 200px;
        min-height: 40px;
      }
    `,
  ];

  @property() label = '';
  @property({ attribute: false }) binding: RoleBinding | null = null;
  /** null = no system message. */
  @property({ attribute: false }) systemPrompt: string | null = null;
  /** Examples sent as earlier turns (an alignment's ICL examples). */
  @property({ attribute: false }) icl: IclExample[] = [];
  /** Examples retrieved per message from `icl`. */
  @property({ type: Number }) iclK = 3;
  @property({ type: Boolean }) standalone = false;
  @property({ type: Number, attribute: 'max-tokens' }) maxTokens = 512;
  @property({ type: Number }) temperature = 0.7;
  /**
   * The page around it offers "Ask again" (the Playground): an error says to press it. Otherwise (the standalone
   * pane) it says to send the message again.
   */
  @property({ type: Boolean, attribute: 'ask-again' }) askAgain = false;
  /**
   * Another pane beside this one asks the same model (the Playground's A beside B): it says each wait for the
   * endpoint, so this one shows its note without saying it again, and shows an error without an alert of its own
   * when the other's error is the same (a screen reader would hear each twice).
   */
  @property({ type: Boolean }) quiet = false;
  /**
   * With `quiet`: the error the other pane shows for its last answer (null: none), or undefined while it still
   * answers, so this one's error waits to be said until the other's is known.
   */
  @property({ attribute: false }) besideError: string | null | undefined = null;
  /**
   * What the server read of every conversation with this model in the page around (the Playground's two panes and
   * their conversations share one): a ceiling they showed names this conversation's first answer read to it, not
   * only its second. Null: this conversation's own reads alone.
   */
  @property({ attribute: false }) modelReads: PromptReadRecord | null = null;
  @state() private turns: Turn[] = [];
  @state() private draft = '';
  @state() private jobId: string | null = null;
  /** A message waits for another pane (one local model answers one request at a time). */
  @state() private queued = false;
  /** Said in the polite region once an answer ends, so a screen reader hears that it can be read. */
  @state() private finished = '';
  /** Enter was pressed while an answer streams: said, so the key does not seem dead (the message stays). */
  @state() private waitHinted = false;
  /** A failed attempt of the answer in flight, waiting for its retry (an endpoint's outage): shown as it counts down. */
  @state() private retry: TimedRetry | null = null;
  /**
   * What the server read of this conversation's prompts: one record per conversation, as a run has one. It shows
   * when the server read less than was sent, as it does of a run's prompts past its context window (Ollama cuts
   * without an error): calls/prompt-reads.ts, the run's rule, with what `modelReads` showed.
   */
  private reads: PromptReadRecord = {};
  /** When the answer in flight was last heard from (sent, or a batch of its text). */
  private heardAt: number | null = null;
  /** What the answer waits for (a retry, a long silence), as runs and Evaluate say it. */
  private readonly waits = new WaitNote(
    this,
    () => ({ running: this.jobId !== null, retry: this.retry, heardAt: this.heardAt }),
    'answer',
  );
  private stopQueued = false;
  /** The next render scrolls the log to its end: its end was in view, or a message was just sent. */
  private toEnd = true;
  private cachedRetriever?: { icl: readonly IclExample[]; retriever: Retriever };

  get busy(): boolean {
    return this.jobId !== null || this.queued;
  }

  clear(): void {
    if (this.busy) return;
    this.forget();
    // "answer ready." of an answer no longer shown would be read beside an empty conversation.
    this.finished = '';
  }

  /** The turns go, and what the server read of them with them: a new conversation starts short. */
  private forget(): void {
    this.turns = [];
    this.reads = {};
  }

  /** Whether a conversation is under way (the Playground keeps its alignment still meanwhile). */
  get hasConversation(): boolean {
    return this.turns.length > 0;
  }

  /**
   * Starts over at once: an answer in flight is stopped and the turns go (the other pane was switched), and with
   * them what the polite region said of the last answer ("answer ready." of an answer no longer shown).
   */
  restart(): void {
    if (this.busy) void this.stop();
    this.forget();
    this.finished = '';
  }

  /** The error the last answer shows (advice and the server's words), else null: what a quiet pane beside compares. */
  get shownError(): string | null {
    const last = this.turns.at(-1);
    return last?.error ? errorWords(last) : null;
  }

  /** The question of the last turn when its answer failed (what "Ask again" sends again), else null. */
  get failedQuestion(): string | null {
    const [question, answer] = this.turns.slice(-2);
    // A conversation too long for the model fails again whatever is asked: Clear, not Ask again.
    return answer?.status === 'error' && !answer.tooLong && question?.role === 'user' ? question.content : null;
  }

  /**
   * Asks the last question again when its answer failed: the failed pair goes and the question is sent anew, so
   * the conversation reads as if it had been answered the first time. Nothing to ask again: 'error'.
   */
  async askAgainLast(after?: Promise<unknown>): Promise<ChatOutcome> {
    const question = this.failedQuestion;
    if (question === null || this.busy) return 'error';
    this.turns = this.turns.slice(0, -2);
    return this.send(question, after);
  }

  /**
   * Another prompt (or examples) means another conversation: its turns were answered under the old one and
   * would be sent as history with the new, muddying an A/B comparison. One in flight is stopped first.
   */
  override willUpdate(changed: Map<string, unknown>): void {
    // Measured before the render changes the log: a user scrolled up to read an earlier answer stays there.
    const log = this.renderRoot.querySelector('.log');
    if (log && !this.toEnd) this.toEnd = log.scrollHeight - log.scrollTop - log.clientHeight <= FOLLOW_SLACK_PX;
    // Send ↔ Stop swap under the keyboard: focus goes to Stop, and back to the message box after.
    const q = (selector: string) => this.renderRoot.querySelector(selector);
    keepFocusOnRender(this, [['form', () => q('form button[data-stop]') ?? q('#msg')]]);
    // Not on every streamed chunk: only when what the conversation is held under was handed over again.
    if (!['systemPrompt', 'icl', 'binding'].some((k) => changed.has(k))) return;
    // By value: a parent may hand over equal prompts, examples and bindings as new objects on every render.
    // No model at all (unloaded) is not another model: the conversation stays to be read.
    const b = this.binding;
    if (b) this.model = bindingKey(b);
    const setup = JSON.stringify([this.systemPrompt, this.icl, this.model]);
    const switched = this.setup !== undefined && setup !== this.setup;
    this.setup = setup;
    if (!switched || this.turns.length === 0) return;
    this.restart();
    // Up, so a side-by-side view restarts the other pane too: a fresh chat is not compared with a long one.
    this.dispatchEvent(new CustomEvent('conversation-reset', { bubbles: true, composed: true }));
  }

  /** What the current conversation was held under (prompt, examples, model), and the last model bound. */
  private setup: string | undefined;
  private model = '';
  /** Models (binding keys) whose template would open the thinking, but which answered without any. */
  private readonly answersWithoutThinking = new Set<string>();

  async stop(): Promise<void> {
    if (this.queued) this.stopQueued = true;
    if (this.jobId && this.client) await this.client.cancel(this.jobId).catch(() => undefined);
  }

  /**
   * A pane that leaves the page (the user went to another view) stops its answer as Stop does: nobody reads
   * it, and it would keep an endpoint billing tokens or the local engine busy. Checked a moment later, so a
   * pane only moved in the page (out and straight back in) keeps it.
   */
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    queueMicrotask(() => {
      if (!this.isConnected && this.busy) void this.stop();
    });
  }

  /**
   * Sends one user message and streams the answer. Never throws: the outcome is shown in the pane.
   * With `after`, the message shows at once but is sent only once `after` settles (queued behind
   * another pane that uses the same local model).
   */
  async send(text: string, after?: Promise<unknown>): Promise<ChatOutcome> {
    const content = text.trim();
    if (!content || this.busy) return 'error';
    const history = conversation(this.turns);
    const answer: Turn = { role: 'assistant', content: '', status: after ? 'queued' : 'streaming' };
    const reads = this.reads;
    // The record of the model asked: another bound while it answers keeps its own.
    const modelReads = this.modelReads;
    this.finished = '';
    this.turns = [...this.turns, { role: 'user', content }, answer];
    // A message sent shows with its answer, wherever the log was scrolled.
    this.toEnd = true;
    const finish = (patch: Partial<Turn>): void => {
      Object.assign(answer, patch);
      this.turns = [...this.turns];
    };
    if (after) {
      this.queued = true;
      this.stopQueued = false;
      await after.catch(() => undefined);
      this.queued = false;
      if (this.stopQueued) {
        finish({ status: 'stopped' });
        this.emitDone('stopped');
        return 'stopped';
      }
      finish({ status: 'streaming' });
    }
    if (!this.client || !this.binding) {
      finish({ status: 'error', error: 'No model is ready: load a model or connect an endpoint in Setup first.' });
      return 'error';
    }
    const jobId = this.client.newJobId();
    this.jobId = jobId;
    this.retry = null;
    this.heardAt = Date.now();
    const model = this.model;
    // The binding asked, kept: the reply's speed is that model's, even if another is bound while it streams.
    const binding = this.binding;
    answer.openedInPrompt = opensThinkingInPrompt(binding) && !this.answersWithoutThinking.has(model);
    const messages: ChatMessage[] = [];
    try {
      // Same assembly as the search: the alignment prompt plus the examples most similar to this
      // message (BM25), in the system message. Inside the try so a failure here still frees the pane.
      const examples = this.icl.length ? await this.retriever().retrieve(content, this.iclK) : [];
      const system = buildSystemPrompt(this.systemPrompt ?? '', examples);
      if (system) messages.push({ role: 'system', content: system });
      for (const t of history) messages.push({ role: t.role, content: t.content });
      messages.push({ role: 'user', content });
      const result = await this.client.chat(
        jobId,
        binding,
        { messages, max_tokens: this.maxTokens, temperature: this.temperature },
        (batch) => {
          if (batch.jobId !== jobId) return;
          // Heard from: a retry it waited for went through.
          this.heardAt = Date.now();
          this.retry = null;
          if (batch.thinking && !answer.thoughtBeside) finish({ thoughtBeside: true });
          if (batch.text) finish({ content: mergeStream(answer.content, batch.text) });
        },
        (retry) => {
          if (this.jobId === jobId) this.retry = { ...retry, at: Date.now() };
        },
      );
      const choice = result.choices[0];
      // A whole reply streamed with no `</think>` and no thinking beside it: this model, as served, writes no
      // thinking (a template whose thinking is off closes the block in the prompt), so its next replies are
      // shown as they stream instead of as "Thinking…" to the end.
      if (choice?.finish_reason === 'stop' && !answer.thoughtBeside) {
        if (answer.content.includes('</think>')) this.answersWithoutThinking.delete(model);
        else this.answersWithoutThinking.add(model);
      }
      finish({
        content: choice?.text ?? answer.content,
        status: choice?.finish_reason === 'length' ? 'length' : choice?.finish_reason === 'abort' ? 'stopped' : 'done',
        tokensPerS: result.usage.decode_tokens_per_s,
      });
      const outcome = answer.status === 'stopped' ? 'stopped' : 'done';
      // A stopped reply's count is of whatever the server had read when it stopped: not a read of the prompt.
      // Counted on the record of the conversation it was asked in (a Clear meanwhile started another), and on the
      // model's, which a Clear does not start over: the server is the same.
      if (outcome === 'done') {
        for (const record of new Set([reads, modelReads])) {
          if (record) notePromptRead(record, 'policy', { messages }, result.usage.prompt_tokens);
        }
        // Noted in place: what shows of it is drawn again.
        this.requestUpdate();
      }
      const ttft = result.usage.time_to_first_token_s;
      const speed = { binding, tokensPerS: result.usage.decode_tokens_per_s };
      this.emitDone(outcome, ttft === undefined ? speed : { ...speed, perCallMs: ttft * 1000 }, answer);
      return outcome;
    } catch (err) {
      if (isAbort(err)) {
        // What was shown of the answer so far, without any thinking (a finished reply comes without it from the adapter).
        finish({ status: 'stopped', content: splitStreaming(answer).answer });
        this.emitDone('stopped');
        return 'stopped';
      }
      // The advice first, then the server's own words below it (as the error banner shows them). An endpoint that
      // did not come back is asked again here, not resumed by a Retry this pane does not have.
      const w = describeError(err, { goOn: this.askAgain ? 'press Ask again' : 'send your message again' });
      // Each message sends the whole conversation: once it outgrows the context window, every message fails, and
      // the general advice (shorten the prompt, fewer examples) does not say what to do here.
      if (history.length && isNamed(err, ErrorName.ContextWindowExceeded)) {
        finish({ status: 'error', tooLong: true, error: this.tooLongWords(), errorDetail: w.message });
      } else finish({ status: 'error', error: `${w.title}. ${w.hint}`, errorDetail: w.message });
      this.emitDone('error');
      return 'error';
    } finally {
      this.jobId = null;
      this.retry = null;
    }
  }

  /** How to go on once the conversation outgrew the model's context window. */
  private get startOver(): string {
    // The standalone pane (Setup's check) has no Clear: the Playground starts conversations afresh.
    return this.askAgain ? 'press Clear to start a new conversation' : 'start a new conversation in the Playground';
  }

  /** What a conversation too long for the model's context window says, with the way to go on from here. */
  private tooLongWords(): string {
    return (
      'The conversation is too long for the model. Each message sends the whole conversation so far, and it no ' +
      `longer fits the model’s context window: ${this.startOver}, or use a model with a larger context window.`
    );
  }

  /**
   * What a conversation the server cut says: its answers may no longer follow the alignment, and nothing else tells.
   * Shown for the conversation, not under one answer: every answer from the first cut one on was given without it.
   * What may be gone is said of what this pane sends: pane A's starting prompt has no examples, and Setup's check
   * may send no system message at all.
   */
  private renderCut(cut: CutPrompts) {
    const over = this.startOver;
    const examples = Math.min(this.iclK, this.icl.length) > 0;
    const system = examples || !!this.systemPrompt?.trim();
    const gone = system
      ? `The system prompt${examples ? ' (with its examples)' : ''} or the earlier turns of this conversation may have been cut.`
      : 'The earlier turns of this conversation may have been cut.';
    return html`<div class="warn-box small" data-cut>
      ${serverReadWords(cut, 'this conversation')}: that is its context window, and the model answered without seeing
      the rest. ${gone} ${over[0]!.toUpperCase() + over.slice(1)}, or give the model
      ${largerWindow(windowFor(cut.longest))}.
    </div>`;
  }

  /** One BM25 index per example set, not one per message. */
  private retriever(): Retriever {
    if (this.cachedRetriever?.icl !== this.icl) {
      this.cachedRetriever = { icl: this.icl, retriever: createRetriever(this.icl) };
    }
    return this.cachedRetriever.retriever;
  }

  /**
   * `measured`: the speed of a reply that came, and the binding it came from; `answer`: the turn that ended, for
   * how a finished one is said (an empty one is not "ready").
   */
  private emitDone(outcome: ChatOutcome, measured?: Omit<ChatFinishedDetail, 'outcome'>, answer?: Turn): void {
    // An error is said by its own alert.
    const said = outcome === 'done' ? endedPhrase(answer) : outcome === 'stopped' ? 'answer stopped.' : '';
    this.finished = said && (this.label ? `${this.label}: ${said}` : said[0]!.toUpperCase() + said.slice(1));
    const detail: ChatFinishedDetail = { outcome, ...measured };
    this.dispatchEvent(new CustomEvent('chat-finished', { detail, bubbles: true, composed: true }));
  }

  override updated(): void {
    // The log follows the answer as it streams only while its end is in view (or a message was just sent).
    const log = this.renderRoot.querySelector('.log');
    if (log && this.toEnd) log.scrollTop = log.scrollHeight;
    this.toEnd = false;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    this.waitHinted = this.busy;
    if (this.busy) return;
    const text = this.draft;
    this.draft = '';
    void this.send(text);
  }

  private onKey(e: KeyboardEvent): void {
    // Enter sends, Shift+Enter makes a new line; an IME's Enter only ends its composition.
    if (isSubmitEnter(e)) this.onSubmit(e);
  }

  /**
   * Whether this error gets an alert of its own: not when the pane beside says the same (or may yet). A quiet
   * pane's earlier errors get none: the pane beside moves on, and an alert put in again would be said again.
   */
  private saysError(t: Turn): boolean {
    if (!this.quiet) return true;
    return t === this.turns.at(-1) && this.besideError !== undefined && this.besideError !== errorWords(t);
  }

  private errorBody(t: Turn) {
    return html`${t.error}${t.errorDetail ? html`<div data-error-detail>${t.errorDetail}</div>` : nothing}`;
  }

  /** `live`: the split of the turn that is streaming, null for any other. */
  private renderTurn(t: Turn, live: SplitReply | null) {
    if (t.role === 'user') return html`<div class="msg user">${t.content}</div>`;
    const notes: string[] = [];
    if (t.status === 'stopped') notes.push('stopped');
    if (t.status === 'queued') notes.push('waiting for the other pane: one local model answers one question at a time');
    if (t.status === 'length') notes.push('cut off at the token limit');
    if (t.tokensPerS) notes.push(formatTokenSpeed(t.tokensPerS));
    const streaming = t.status === 'streaming';
    const { answer, thinking } = live ?? { answer: t.content, thinking: false };
    return html`<div class="msg assistant" data-status=${t.status ?? ''}>
      ${
        isEmptyAnswer(t)
          ? html`<span class="muted" data-empty
              >${
                // A reasoning model can spend its whole token limit thinking: the answer never began.
                t.status === 'length'
                  ? 'The token limit was reached before any answer (a reasoning model may have spent it thinking).'
                  : 'The model returned an empty answer.'
              }</span
            >`
          : answer
            ? safeMarkdown(answer)
            : streaming
              ? html`<span class="muted">${thinking ? 'Thinking…' : '…'}</span>`
              : nothing
      }
      ${
        !t.error
          ? nothing
          : this.saysError(t)
            ? html`<div class="error small" role="alert" data-error>${this.errorBody(t)}</div>`
            : // Another template, not the same div without its role: if it is said after all, the alert is put in anew.
              html`<div class="error small" data-error>${this.errorBody(t)}</div>`
      }
      ${notes.length ? html`<div class="note">${notes.join(' · ')}</div>` : nothing}
    </div>`;
  }

  override render() {
    const ready = !!this.binding;
    const last = this.turns.at(-1);
    const live = last?.status === 'streaming' ? splitStreaming(last) : null;
    const examples = examplesPhrase(Math.min(this.iclK, this.icl.length));
    const cut = cutPromptsKnown(this.reads, this.modelReads);
    return html`<section class="pane" aria-label=${this.label || 'Chat'}>
      <div class="head">
        ${this.label ? html`<h3>${this.label}</h3>` : nothing}
        <span class="small muted">${this.binding ? this.binding.modelId : 'no model'}</span>
      </div>
      ${
        this.systemPrompt !== null
          ? html`<div class="sys" title="System prompt">${this.systemPrompt || '(empty system prompt)'}</div>`
          : html`<div class="sys">(no system prompt)</div>`
      }
      ${
        // The examples go in the system message too: without this line, a pane with them looks like one without.
        examples ? html`<div class="small muted" data-examples>+ ${examples}</div>` : nothing
      }
      <!-- A long conversation scrolls inside the log: it takes focus so a keyboard can scroll it (arrows, Page Down).
        Named after its pane: the Playground's two logs are two landmarks a screen reader must tell apart. -->
      <div
        class="log"
        role="region"
        aria-label=${this.label ? `${this.label} conversation` : 'Conversation'}
        tabindex="0"
      >
        ${this.turns.map((t) => this.renderTurn(t, t === last ? live : null))}
      </div>
      <div class="small muted" aria-live="polite" data-said>
        ${this.jobId ? (live?.thinking ? 'Thinking…' : 'Answering…') : this.queued ? 'Queued…' : this.finished}
      </div>
      <!-- Always there, so the words are announced when they appear: a live region put in with its text may not be. -->
      <div role="status" data-cut-said>${cut ? this.renderCut(cut) : nothing}</div>
      ${this.waits.render({ quiet: this.quiet })}
      ${
        this.standalone
          ? html`<form @submit=${this.onSubmit}>
              <label class="visually-hidden" for="msg">Message</label>
              <textarea
                id="msg"
                rows="2"
                placeholder=${ready ? 'Say hello to check the model streams…' : 'Load a model first'}
                .value=${this.draft}
                ?disabled=${!ready}
                @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
                @keydown=${this.onKey}
              ></textarea>
              ${
                this.busy
                  ? html`<button type="button" class="danger" data-stop @click=${() => void this.stop()}>Stop</button>`
                  : html`<button type="submit" class="primary" ?disabled=${!ready || !this.draft.trim()}>Send</button>`
              }
              <span class="small muted" aria-live="polite" data-hint>
                ${this.busy && this.waitHinted ? 'An answer is still coming: wait for it or press Stop.' : ''}
              </span>
            </form>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-chat-pane': DrpoChatPane;
  }
}
