/**
 * <drpo-eval-view>: evaluation on a test set in the page (its questions are not a run's held-out ones). Picks alignments (saved ones plus the
 * baseline / no-system references), an eval set, policy and judge models; the worker runs the evaluation
 * as a job through the same call pipeline as a run (controllers/eval-session.ts), so closing this view
 * loses nothing and a reload can resume it from the checkpoint the worker keeps in the store. Every
 * finished report is saved in the store's `evaluations`; the newest is shown again when the view opens.
 */
import { css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { BUILTIN_EVAL } from '../../core/data/builtin-eval';
import { interleaveByCategory } from '../../core/data/split';
import type { ParsedQueries } from '../../core/data/parse-queries';
import { fileNotUsed, readQueryFile } from '../helpers/file-size';
import '../components/drpo-query-file-report';
import { BASELINE_LABEL, BASELINE_PROMPT } from '../../core/eval/eval-prompts';
import {
  answerLength,
  answerLengthSource,
  evalCandidates,
  evaluatedAlike,
  keepsItsStart,
  startIsBaseline,
  UNCHANGED_WORDS,
} from '../../core/eval/report/compare';
import { MAX_TOKENS_RANGE, rangeProblem } from '../../core/plan/settings-schema';
import { comparisonPrompt } from '../../core/formats/alignment-facts';
import { closestCandidate } from '../../core/formats/closest-candidate';
import { closestCandidateHref } from '../app/route';
import type { EvalCandidate, EvalProgress, EvalReport } from '../../core/eval/eval-types';
import type { EvalJobPlan } from '../../core/eval/eval-job';
import type { Query } from '../../core/contracts/run-config';
import type { RunStats } from '../../core/contracts/run-events';
import { summarizeFaults, type FaultSummary } from '../../core/calls/fault-summary';
import type { AlignmentRecord, DatasetRecord, EvaluationRecord } from '../../store/store';
import { DrpoViewBase } from '../app/view-base';
import { baseStyles } from '../app/styles';
import {
  checkbox,
  commitNumber,
  fieldError,
  filePicker,
  followDefault,
  numberShown,
  ON_DEFAULT,
  textInput,
  typing,
  type DefaultedNumber,
} from '../helpers/form-controls';
import { bindingKey, bindingOptions } from '../view-models/eval-bindings';
import { describeError, errorLine } from '../helpers/error-messages';
import { keepFocus, keepFocusOnRender } from '../helpers/focus';
import { held } from '../helpers/held';
import { faultNote } from '../templates/fault-note';
import { AnnounceThrottle } from '../helpers/announce-throttle';
import {
  canResumeEvaluation,
  resumableAfter,
  currentEvalSession,
  evalLockId,
  startEvalSession,
  supersededEvaluation,
  type EvalSession,
} from '../controllers/eval-session';
import { RunOwnersController, runOwners } from '../controllers/run-ownership';
import { WaitNote } from '../controllers/wait-note';
import { StoreChanges } from '../controllers/store-changes';
import { formatWholeCount } from '../../core/formats/bytes';
import { plural, takenNameWords } from '../../core/words/list-words';
import '../components/drpo-eval-results';
import '../components/drpo-saved-evaluations';
import type { RunningIn } from '../components/drpo-saved-evaluations';
import { ListPage } from '../controllers/list-page';
import { evaluationName, savedWhen } from '../view-models/evaluation-name';

/** "Queries to use" until another number is typed; an emptied box is this again. */
const DEFAULT_LIMIT = 20;
/** The built-in evaluation set's name: its option, and the words when a picked file leaves it selected. */
const BUILTIN_EVAL_NAME = 'Built-in test set';

const PHASE_WORDS: Record<EvalProgress['phase'], string> = {
  answer: 'Answering',
  judge: 'Judging',
  pairwise: 'Comparing',
};

@customElement('drpo-eval-view')
export class DrpoEvalView extends DrpoViewBase {
  static override styles = [
    baseStyles,
    css`
      fieldset {
        border: 1px solid var(--drpo-border);
        border-radius: 6px;
        padding: 8px 12px;
      }
      .checks label {
        display: flex;
        gap: 6px;
        align-items: baseline;
        font-weight: 400;
      }
      progress {
        width: 100%;
      }
      /* Wraps under its field rather than widening it past the others in the row. */
      .field-note {
        max-width: 34ch;
      }
    `,
  ];

  @state() private alignments: AlignmentRecord[] = [];
  @state() private datasets: DatasetRecord[] = [];
  @state() private selected = new Set<string>();
  /** Compare the chosen alignments with the prompts they started from (the comparison that counts). */
  @state() private starting = true;
  @state() private baseline = true;
  @state() private noSystem = false;
  /** 'builtin' | 'upload' | a saved dataset id. */
  @state() private source = 'builtin';
  @state() private uploaded: (ParsedQueries & { name: string }) | null = null;
  /** The file being read, shown as "Reading …" (the upload control is off meanwhile); null when none is. */
  @state() private reading: string | null = null;
  @state() private policyKey = '';
  @state() private judgeKey = '';
  /** "Queries to use": a whole number ≥ 1 typed, else DEFAULT_LIMIT. A refused one is not used, and Run waits. */
  @state() private limit: DefaultedNumber = ON_DEFAULT;
  /**
   * "Answer length (max tokens)": a length typed, else (never typed, or the box emptied) the default for the
   * chosen alignments (answerLength, the rule `drpo eval` follows too), shown and used. A refused one is not
   * used, and Run waits.
   */
  @state() private answerTokens: DefaultedNumber = ON_DEFAULT;
  @state() private pairwise = false;
  @state() private formError = '';
  /**
   * A picked file that could not be used: why, then that it was not used and which set stays (fileNotUsed). Its own
   * line, gone on the next pick or a set chosen, so it never names a set that is no longer the one selected.
   */
  @state() private uploadError = '';
  /** Stored evaluations, newest first: the last report, and one that a reload interrupted. */
  @state() private evaluations: EvaluationRecord[] = [];
  /** Unfinished evaluations dropped because the same comparison completed since (each said once). */
  @state() private dropped: { id: string; name: string }[] = [];
  /** An older evaluation opened from Saved evaluations: its report is shown instead of the newest. */
  @state() private openedId = '';
  /** Evaluations deleted here: this page's own report goes with its record. */
  private readonly deleted = new Set<string>();
  /** Hundreds of saved alignments: the candidates a page at a time, with a filter (the chosen ones always shown). */
  private readonly candidatePage = new ListPage(this, {
    id: 'candidates',
    noun: ['saved alignment', 'saved alignments'],
    size: 20,
    itemAt: (i) => this.renderRoot.querySelectorAll('[data-candidates] label input')[i],
    onQuery: () => (this.touched = new Set()),
    anyway: (why, k) => {
      const who = k === 1 ? 'the one' : `the ${formatWholeCount(k)}`;
      return why === 'chosen' ? `${who} you chose` : `${who} you just unticked`;
    },
  });
  /**
   * Candidates ticked or unticked since the filter last changed: drawn whatever the filter, so one drawn only
   * because it was chosen does not vanish (with the focus) when it is unticked.
   */
  @state() private touched = new Set<string>();
  /** The evaluation this page runs or ran last (it outlives this element). */
  @state() private session: EvalSession | null = null;
  private unfollow?: () => void;
  /** Set once the first list arrived: later lists (a run finished elsewhere) keep the user's choice. */
  private preselected = false;
  /** The worker's checkpoints announce nothing (putEvalCheckpoint): every notice here is worth a reload. */
  protected readonly changes = new StoreChanges(
    this,
    (c) => c.kind === 'alignments' || c.kind === 'evaluations',
    () => void this.loadStored(),
  );
  /**
   * Follows who runs the stored evaluations: one another tab runs is not offered for resuming until it lets
   * go (without a store write, so only the locks tell). Only while this page's evaluation runs, or was found
   * running elsewhere, or a listed one is held by another tab.
   */
  protected readonly owners = new RunOwnersController(
    this,
    () =>
      !!this.session?.running ||
      this.session?.status === 'elsewhere' ||
      this.evaluations.some((e) => runOwners.ownerOf(evalLockId(e.id)) === 'elsewhere'),
  );

  /** While it runs, what the evaluation waits for (a retry, an outage, a silent model), as the Live view says it. */
  private readonly waits = new WaitNote(
    this,
    () => ({
      running: !!this.session?.running,
      retry: this.session?.retry ?? null,
      heardAt: this.session?.heardAt ?? null,
    }),
    'evaluation',
  );

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Run evaluation is held while it runs (it keeps the focus), and Stop goes when it ends: focus moves back.
    const q = (selector: string) => this.renderRoot.querySelector(selector);
    keepFocusOnRender(this, [['[data-run-controls]', () => q('[data-run-controls] button:not(:disabled)')]]);
    // The evaluation this page runs, if it writes to this store (it goes on while the view is closed).
    if (changed.has('store')) {
      const current = currentEvalSession();
      this.follow(current?.writesTo(this.store) ? current : null);
    }
    // Another choice of alignments: an answer length box on their default shows the new one (and a length refused
    // there goes with it, so its words and the held Run button do not stay over a box that no longer holds it).
    if (changed.has('selected')) this.answerTokens = followDefault(this.answerTokens);
  }

  override disconnectedCallback(): void {
    // The evaluation goes on without this view; opening it again shows it.
    this.unfollow?.();
    this.unfollow = undefined;
    super.disconnectedCallback();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the view: follow the page's evaluation again (disconnecting stopped following it).
    if (this.store && !this.unfollow) this.requestUpdate('store');
  }

  private follow(session: EvalSession | null): void {
    this.unfollow?.();
    this.session = session;
    // The record's changes (its report at the end) come with the store's change notice (StoreChanges).
    this.unfollow = session?.subscribe(() => this.requestUpdate());
  }

  /**
   * The alignment handed over from Result, else (on first open) the latest result, against its starting
   * prompt. With an alignment chosen, the fixed baseline is left off unless the user ticks it.
   */
  private applyPreselect(): void {
    const wanted = this.appState?.value.evalPreselect?.alignmentId;
    const pick = (wanted && this.alignments.find((a) => a.id === wanted)) || (!this.preselected && this.alignments[0]);
    if (wanted) this.appState?.update({ evalPreselect: null });
    this.preselected = true;
    if (!pick) return;
    this.selected = new Set([pick.id]);
    // Not a prompt against itself: a result that is its own start is measured against the baseline instead,
    // or against no system prompt when its start is the baseline's text too (the note below says why).
    const same = keepsItsStart(pick.artifact);
    this.starting = !same;
    this.baseline = same && comparisonPrompt(pick.artifact) !== BASELINE_PROMPT;
    if (same && !this.baseline) this.noSystem = true;
  }

  /**
   * Under the candidates: each chosen alignment that is its own starting prompt, said so, with the candidate its
   * run came closest with when it recorded one (offered in its place when that is saved as an alignment too).
   */
  private renderSameStart() {
    const same = this.alignments.filter((a) => this.selected.has(a.id) && keepsItsStart(a.artifact));
    if (!same.length) return nothing;
    return html`<div class="muted small stack" role="note" data-same-start>
      ${same.map((a) => {
        const closest = closestCandidate(a.artifact);
        const saved = closest && this.alignments.find((x) => x.id !== a.id && evaluatedAlike(x.artifact, closest));
        // Its start is evaluated too when ticked, or when it is the baseline's text and the baseline is.
        const beside = this.starting || (this.baseline && comparisonPrompt(a.artifact) === BASELINE_PROMPT);
        return html`<p style="margin:0">
          “${a.name}” is its starting prompt, unchanged (its run found no
          improvement)${
            beside
              ? ': the two give the same answers, so the report marks them as one prompt and does not compare them pairwise.'
              : ', so it is not measured against that prompt: the two would give the same answers.'
          }
          ${
            !closest
              ? nothing
              : saved
                ? html`The candidate its run came closest with is saved as “${saved.name}”.
                    <button @click=${() => this.swap(a.id, saved.id)}>Evaluate “${saved.name}” instead</button>`
                : a.runId
                  ? html`Its run recorded the candidate that came closest:
                      <a href=${closestCandidateHref(a.runId)} data-closest-link>open it in the run’s Result</a> and
                      press “Evaluate it against your prompt” to evaluate it here.`
                  : a.source === 'run'
                    ? html`Its run recorded the candidate that came closest: open the run’s Result and press “Evaluate
                      it against your prompt” to evaluate it here.`
                    : // Imported (a file drpo optimize wrote, say): no Result here to point at, but the file has the
                      // candidate, so it is offered from here.
                      html`It records the candidate its run came closest with (a run not made in this browser).
                        <button data-save-closest @click=${() => void this.saveClosest(a)}>
                          Save it to History and evaluate it instead
                        </button>`
          }
        </p>`;
      })}
    </div>`;
  }

  /**
   * The closest candidate of an imported unchanged result, stored as the Result's “Evaluate it against your prompt”
   * stores it (named after the result as History lists it, from the same kind of source), then chosen in its place.
   */
  private async saveClosest(a: AlignmentRecord): Promise<void> {
    const candidate = closestCandidate({ ...a.artifact, name: a.name });
    if (!candidate || !this.store) return;
    try {
      const rec = await this.store.saveAlignment({
        name: candidate.name ?? a.name,
        artifact: candidate,
        source: a.source,
      });
      const why = rec.nameTaken ? `: ${takenNameWords(rec.nameTaken)}` : '';
      this.toast(`${rec.existing ? 'Already in History' : 'Saved to History'} as “${rec.name}”${why}`);
      this.alignments = await this.store.listAlignments();
      this.swap(a.id, rec.id);
    } catch (err) {
      this.raise(err, 'Saving the closest candidate');
    }
  }

  /** Chooses `to` in place of `from`, against its starting prompt (the closest candidate's start is its run's). */
  private swap(from: string, to: string): void {
    const next = new Set(this.selected);
    next.delete(from);
    next.add(to);
    this.selected = next;
    this.starting = true;
  }

  private async loadStored(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      // Who runs a newly listed evaluation is asked now, not at the next poll.
      const [alignments, datasets, evaluations] = await Promise.all([
        store.listAlignments(),
        store.listDatasets(),
        store.listEvaluations(),
        runOwners.refresh(),
      ]);
      this.alignments = alignments;
      if (!this.preselected || this.appState?.value.evalPreselect) this.applyPreselect();
      this.datasets = datasets.filter((d) => d.kind === 'eval');
      this.evaluations = evaluations;
    } catch (err) {
      this.raise(err, 'Loading saved alignments');
      return;
    }
    await this.dropSuperseded();
  }

  /**
   * Deletes the unfinished evaluations that the same comparison, started after them, has completed
   * (supersededEvaluation), when no tab runs them: resuming one would only make that report again. Said once
   * in words, so an evaluation the user remembers does not vanish unexplained. The store announces each deletion.
   */
  private async dropSuperseded(): Promise<void> {
    const all = this.evaluations;
    // Not twice: a second list read while the first deletion was on its way holds the record too.
    const gone = all.filter(
      (e) => supersededEvaluation(e, all) && offerable(e) && !this.dropped.some((d) => d.id === e.id),
    );
    for (const e of gone) {
      try {
        this.dropped = [...this.dropped, { id: e.id, name: e.name }];
        await this.store?.deleteEvaluation(e.id);
      } catch (err) {
        // Kept: not said to be discarded (and not offered either, the interrupted box skips it).
        this.dropped = this.dropped.filter((d) => d.id !== e.id);
        this.raise(err, 'Discarding the evaluation');
      }
    }
  }

  /** The selected evaluation set's name, as its option names it (without the count). */
  private setName(): string | undefined {
    if (this.source === 'builtin') return BUILTIN_EVAL_NAME;
    if (this.source === 'upload') return this.uploaded?.name;
    return this.datasets.find((d) => d.id === this.source)?.name;
  }

  private queries(): Query[] {
    if (this.source === 'builtin') return [...BUILTIN_EVAL];
    if (this.source === 'upload') return this.uploaded?.queries ?? [];
    return this.datasets.find((d) => d.id === this.source)?.queries ?? [];
  }

  private chooseSet(source: string): void {
    this.source = source;
    this.uploadError = '';
  }

  private async onUpload(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || this.reading !== null) return;
    this.reading = file.name;
    this.uploadError = '';
    try {
      this.uploaded = { name: file.name, ...(await readQueryFile(file)) };
      this.source = 'upload';
      this.formError = '';
    } catch (err) {
      // The file read before (if any) stays in the list and in use: a bad file replaces nothing, and says so.
      this.uploadError = `${describeError(err).message} ${fileNotUsed(file.name, this.setName())}`;
    } finally {
      this.reading = null;
    }
    // The same file picked again (fixed on disk) must fire change again.
    input.value = '';
  }

  // Each commit renders, even one that changes nothing (a box on its default emptied without a keystroke the view
  // heard, by a script or an autofill): the box then shows its number again (`live` compares with what it holds).
  private setLimit(raw: string): void {
    this.requestUpdate();
    this.limit = commitNumber(this.limit, raw, (n) =>
      Number.isSafeInteger(n) && n >= 1
        ? null
        : `Enter a whole number of 1 or more, or leave it empty for ${DEFAULT_LIMIT}.`,
    );
  }

  private setAnswerTokens(raw: string): void {
    this.requestUpdate();
    this.answerTokens = commitNumber(this.answerTokens, raw, (n) => rangeProblem(n, { ...MAX_TOKENS_RANGE, step: 1 }));
  }

  private chosen(): AlignmentRecord[] {
    return this.alignments.filter((a) => this.selected.has(a.id));
  }

  /** The answer length this evaluation uses: the one typed, else the chosen alignments' (answerLength). */
  private maxTokens(): number {
    return this.answerTokens.typed ?? answerLength(this.chosen()).maxTokens;
  }

  private run(): void {
    const options = bindingOptions(this.appState?.value);
    const roles = this.appState?.value.roles ?? {};
    const policy = options.find((o) => o.key === (this.policyKey || bindingKey(roles.policy)))?.binding;
    const judge = options.find((o) => o.key === (this.judgeKey || bindingKey(roles.judge ?? roles.policy)))?.binding;
    const candidates = this.candidates();
    const all = this.queries();
    if (this.limit.error || this.answerTokens.error) {
      this.formError = this.limit.error
        ? `Queries to use: ${this.limit.error}`
        : `Answer length: ${this.answerTokens.error}`;
      return;
    }
    const limit = this.limit.typed ?? DEFAULT_LIMIT;
    const queries = limit < all.length ? interleaveByCategory(all, 0).slice(0, limit) : all;
    if (!this.client || !policy || !judge) {
      this.formError = 'Load a model or connect an endpoint first (Setup), then choose it here.';
      return;
    }
    if (candidates.length === 0) {
      this.formError = 'Choose at least one alignment, the baseline or "no system prompt".';
      return;
    }
    if (queries.length === 0) {
      this.formError = 'The evaluation set has no queries; pick the built-in set or upload a file.';
      return;
    }
    this.formError = '';
    const job: EvalJobPlan = {
      candidates,
      queries,
      policy,
      judge,
      maxTokens: this.maxTokens(),
      pairwise: this.pairwise,
    };
    const name = evaluationName(
      candidates.map((c) => c.label),
      new Date().toLocaleString(),
    );
    this.started(startEvalSession(this.client, this.store, name.slice(0, 200), job));
  }

  /** Resumes an evaluation a reload (or a failure) interrupted, from the checkpoint the worker kept. */
  private resume(record: EvaluationRecord): void {
    if (!this.client || !record.job) return;
    this.formError = '';
    this.started(startEvalSession(this.client, this.store, record.name, record.job, record));
  }

  /** Follows the session just started; null: this page already runs one (its own Evaluate view shows it). */
  private started(session: EvalSession | null): void {
    // Its report is the one to see when it ends, not an older one opened before.
    if (session) this.openedId = '';
    if (session) this.follow(session);
    else this.formError = 'An evaluation is already running in this page; stop it or wait for it to end.';
  }

  /**
   * Deletes an evaluation offered for resuming (in either box, without asking first). This page's own (failed,
   * or found running in another tab that let go of it since) goes through its session, which then says its
   * error or that note no more. The store announces the deletion, and the lists are read again (StoreChanges).
   */
  private async discard(record: EvaluationRecord): Promise<void> {
    const s = this.session;
    try {
      if (s?.recordId === record.id) await s.discard();
      else await this.store?.deleteEvaluation(record.id);
    } catch (err) {
      this.raise(err, 'Discarding the evaluation');
    }
  }

  /** The newest stored evaluation left unfinished here, not by another tab, and not this page's own. */
  private interrupted(): EvaluationRecord | null {
    const gone = this.session?.discardedId;
    const r = this.evaluations.find(
      (e) =>
        e.status !== 'completed' &&
        e.status !== 'stopped' &&
        e.id !== gone &&
        !supersededEvaluation(e, this.evaluations),
    );
    if (!r || !offerable(r)) return null;
    // This page's evaluation, running or ended (the list may not have heard its end yet): its progress, its
    // report or its error box says so, and a failed one offers Resume and Discard there, once.
    const s = this.session;
    if (s?.recordId === r.id && s.status !== 'elsewhere') return null;
    return r;
  }

  /**
   * The report to show: the newest stored one, or this page's evaluation's until the list holds it with
   * its report (or if it cannot be stored).
   */
  private shownReport(): EvalReport | null {
    const opened = this.openedRecord();
    if (opened) return opened.report!;
    const stored = this.evaluations.find((e) => e.report?.format === 'drpo-eval');
    const s = this.session;
    const mine = s?.recordId ? this.evaluations.find((e) => e.id === s.recordId) : undefined;
    if (s?.report && (!stored || !mine?.report) && !(s.recordId && this.deleted.has(s.recordId))) return s.report;
    return stored?.report ?? null;
  }

  /** The older evaluation opened from Saved evaluations, while it is stored with its report. */
  private openedRecord(): EvaluationRecord | undefined {
    return this.openedId ? this.evaluations.find((e) => e.id === this.openedId && e.report) : undefined;
  }

  /** The stored evaluation whose report is shown (marked in Saved evaluations). */
  private shownRecordId(report: EvalReport | null): string {
    if (!report) return '';
    return this.evaluations.find((e) => e.report === report)?.id ?? this.session?.recordId ?? '';
  }

  private openEvaluation(id: string): void {
    this.openedId = id;
    // Focus goes to the line that says which report is shown, above it.
    void this.updateComplete.then(() => {
      const note = this.renderRoot.querySelector<HTMLElement>('[data-opened]');
      note?.scrollIntoView({ block: 'start' });
      note?.focus({ preventScroll: true });
    });
  }

  /** The tab that runs a stored evaluation (it cannot be deleted then), or null. */
  private readonly runningIn = (r: EvaluationRecord): RunningIn => {
    const s = this.session;
    if (s?.running && s.recordId === r.id) return 'here';
    const owner = runOwners.ownerOf(evalLockId(r.id));
    return owner === 'none' ? null : owner;
  };

  /** Deletes a saved evaluation; this page's own failed one through its session, which then says its error no more. */
  private readonly removeEvaluation = async (r: EvaluationRecord): Promise<void> => {
    const s = this.session;
    if (s?.recordId === r.id && (s.status === 'failed' || s.status === 'elsewhere')) await s.discard();
    else await this.store?.deleteEvaluation(r.id);
    this.deleted.add(r.id);
    if (this.openedId === r.id) this.openedId = '';
    this.requestUpdate();
  };

  /**
   * The chosen alignments, the prompts they started from (a starting prompt equal to the baseline is the
   * baseline), the baseline and no system prompt, each once.
   */
  private candidates(): EvalCandidate[] {
    const chosen = this.chosen();
    // Their start is the baseline: one box stands for both (renderReferenceChoices), evaluated once as their start.
    const one = startIsBaseline(chosen);
    return evalCandidates({
      chosen,
      starting: one ? this.starting || this.baseline : this.starting,
      baseline: one ? false : this.baseline,
      noSystem: this.noSystem,
    });
  }

  /**
   * The references to tick: the chosen alignments' starting prompt, the baseline, no system prompt. When every
   * chosen alignment started from the baseline's text, the first two are one prompt, offered once under both names
   * (as the report lists it once): two boxes for it read as two prompts to compare.
   */
  private renderReferenceChoices() {
    const baselineWords = `${BASELINE_LABEL}: “${BASELINE_PROMPT}”`;
    const noSystem = checkbox('No system prompt', this.noSystem, (on) => (this.noSystem = on));
    if (!this.selected.size)
      return html`${checkbox(baselineWords, this.baseline, (on) => (this.baseline = on))}${noSystem}`;
    if (startIsBaseline(this.chosen()))
      return html`${checkbox(
        `Their starting prompt (what the search began with), also the baseline: “${BASELINE_PROMPT}”`,
        this.starting || this.baseline,
        (on) => {
          this.starting = on;
          this.baseline = false;
        },
      )}${noSystem}`;
    return html`${checkbox(
      'Their starting prompt (what the search began with)',
      this.starting,
      (on) => (this.starting = on),
    )}${checkbox(baselineWords, this.baseline, (on) => (this.baseline = on))}${noSystem}`;
  }

  override render() {
    const options = bindingOptions(this.appState?.value);
    const roles = this.appState?.value.roles ?? {};
    const policyKey = this.policyKey || bindingKey(roles.policy);
    const judgeKey = this.judgeKey || bindingKey(roles.judge ?? roles.policy);
    const session = this.session;
    const running = !!session?.running;
    const report = this.shownReport();
    const interrupted = running ? null : this.interrupted();
    return html`<div class="stack">
      <h2>Evaluate</h2>
      <p class="muted">
        Score alignments on a set of test questions (not a run’s own held-out ones): five aspects (Safety for unsafe
        questions), 1–5 from the judge, with 95% intervals.
      </p>
      <div class="card stack">
        <fieldset class="checks">
          <legend>Candidates</legend>
          ${this.alignments.length === 0 ? html`<p class="muted small">No saved alignments yet.</p>` : nothing}
          ${this.renderAlignmentChoices()} ${this.renderReferenceChoices()}
        </fieldset>
        ${this.renderSameStart()}
        <div class="row">
          <div class="field">
            <label for="eval-set">Evaluation set</label>
            <select id="eval-set" @change=${(e: Event) => this.chooseSet((e.target as HTMLSelectElement).value)}>
              <option value="builtin" ?selected=${this.source === 'builtin'}>
                ${BUILTIN_EVAL_NAME} (${plural(BUILTIN_EVAL.length, 'query', 'queries')}, none of them training queries)
              </option>
              ${this.datasets.map((d) => html`<option value=${d.id} ?selected=${this.source === d.id}>${d.name} (${formatWholeCount(d.queries.length)})</option>`)}
              ${
                this.uploaded
                  ? html`<option value="upload" ?selected=${this.source === 'upload'}>
                      ${this.uploaded.name} (${formatWholeCount(this.uploaded.queries.length)})
                    </option>`
                  : nothing
              }
            </select>
          </div>
          <div class="field">
            <span>Your own queries</span>
            ${filePicker(
              'eval-file',
              '.jsonl,.json,.csv,.txt',
              'Upload a file (JSONL, JSON, CSV, text)…',
              this.onUpload,
              'button',
              this.reading !== null,
            )}
            <!-- Always there, so the words are announced when they appear. -->
            <span class="small" role="status" data-reading
              >${this.reading !== null ? `Reading “${this.reading}”…` : ''}</span
            >
          </div>
          <div class="field">
            <label for="eval-limit">Queries to use</label>
            ${textInput(
              'eval-limit',
              numberShown(this.limit, DEFAULT_LIMIT),
              (v) => (this.limit = typing(this.limit, v)),
              {
                type: 'number',
                min: 1,
                step: 1,
                invalid: !!this.limit.error,
                describedBy: 'eval-limit-err',
                live: true,
                onChange: (v) => this.setLimit(v),
              },
            )}
            ${fieldError('eval-limit-err', this.limit.error)}
          </div>
          ${this.renderAnswerTokens()}
        </div>
        ${
          this.source === 'upload' && this.uploaded
            ? html`<drpo-query-file-report
                .name=${this.uploaded.name}
                .report=${this.uploaded.report}
              ></drpo-query-file-report>`
            : nothing
        }
        ${this.uploadError ? html`<p class="error" role="alert" data-upload-error>${this.uploadError}</p>` : nothing}
        <div class="row">
          <div class="field">
            <label for="eval-policy">Model that answers</label>
            <select id="eval-policy" @change=${(e: Event) => (this.policyKey = (e.target as HTMLSelectElement).value)}>
              ${options.length === 0 ? html`<option value="">No model loaded</option>` : nothing}
              ${options.map((o) => html`<option value=${o.key} ?selected=${o.key === policyKey}>${o.label}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="eval-judge">Judge</label>
            <select id="eval-judge" @change=${(e: Event) => (this.judgeKey = (e.target as HTMLSelectElement).value)}>
              ${options.length === 0 ? html`<option value="">No model loaded</option>` : nothing}
              ${options.map((o) => html`<option value=${o.key} ?selected=${o.key === judgeKey}>${o.label}</option>`)}
            </select>
          </div>
          ${checkbox('Also compare pairwise', this.pairwise, (on) => (this.pairwise = on), 'row')}
        </div>
        ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
        ${this.renderSessionError(session)}
        <div class="row" data-run-controls>
          <button
            class="primary"
            ?disabled=${!!this.limit.error || !!this.answerTokens.error}
            ${held(running)}
            @click=${() => this.run()}
          >
            Run evaluation
          </button>
          ${
            running
              ? html`<button class="danger" ${held(session?.status === 'stopping')} @click=${() => session?.stop()}>
                  Stop
                </button>`
              : nothing
          }
        </div>
        ${running ? html`<div class="small" data-progress>${this.renderProgress(session!)}</div>` : nothing}
        <div class="visually-hidden" role="status" aria-live="polite" data-said>
          ${running ? this.progressSaid(session!) : this.said.clear()}
        </div>
        ${this.waits.render()}
        <div aria-live="polite" class="small">
          ${
            !running && session?.discarded
              ? `Stopped before any answer was scored, so nothing was kept${report ? '; the last report stays below' : ''}.`
              : nothing
          }
          ${this.dropped.map(
            (d) =>
              html`<p class="muted" style="margin:0" data-dropped>
                The unfinished evaluation “${d.name}” was discarded: the same evaluation has completed since.
              </p>`,
          )}
        </div>
        ${interrupted ? this.renderInterrupted(interrupted) : nothing}
      </div>
      ${
        this.evaluations.length
          ? html`<div class="card">
              <drpo-saved-evaluations
                .evaluations=${this.evaluations}
                .shownId=${this.shownRecordId(report)}
                .runningIn=${this.runningIn}
                .deleter=${this.removeEvaluation}
                @evaluation-opened=${(e: CustomEvent<{ id: string }>) => this.openEvaluation(e.detail.id)}
              ></drpo-saved-evaluations>
            </div>`
          : nothing
      }
      ${this.renderOpened()} ${report ? faultNote(this.faultsOf(report), 'evaluation') : nothing}
      ${
        report
          ? html`<div class="card" tabindex="-1" data-results>
              <drpo-eval-results .report=${report} .fileName=${this.openedRecord()?.name ?? ''}></drpo-eval-results>
            </div>`
          : nothing
      }
    </div>`;
  }

  /** The saved alignments to tick: a page at a time when there are many, the chosen ones always shown. */
  private renderAlignmentChoices() {
    const view = this.candidatePage.view(
      this.alignments,
      (a) => [a.name, a.artifact.model.id],
      (a) => (this.selected.has(a.id) && 'chosen') || (this.touched.has(a.id) && 'unticked'),
    );
    return html`${this.candidatePage.renderFilter(view, 'Filter saved alignments')}
      <div data-candidates>
        ${view.shown.map((a) => checkbox(candidateName(a), this.selected.has(a.id), (on) => this.toggle(a.id, on)))}
      </div>
      ${this.alignments.length ? this.candidatePage.renderMore(view) : nothing}`;
  }

  /** Back to the newest report: this line and its button go, and focus goes to the report shown instead. */
  private showNewest(): void {
    keepFocus(this, () => this.renderRoot.querySelector('[data-results]'));
    this.openedId = '';
  }

  /** Above an older report opened from Saved evaluations: which one it is, and the way back to the newest. */
  private renderOpened() {
    const r = this.openedRecord();
    if (!r) return nothing;
    return html`<div class="row" role="status">
      <p style="margin:0" tabindex="-1" data-opened>
        Showing “${r.name}”${savedWhen(r) === null ? '' : `, saved ${savedWhen(r)}`}.
      </p>
      <button data-newest @click=${() => this.showNewest()}>Show the newest report</button>
    </div>`;
  }

  /** The answer length field, with the default for the chosen alignments and where it comes from under it. */
  private renderAnswerTokens() {
    const chosen = this.chosen();
    const length = answerLength(chosen);
    const why = answerLengthSource(length, chosen.length);
    return html`<div class="field">
      <label for="eval-tokens">Answer length (max tokens)</label>
      ${textInput(
        'eval-tokens',
        numberShown(this.answerTokens, length.maxTokens),
        (v) => (this.answerTokens = typing(this.answerTokens, v)),
        {
          type: 'number',
          min: MAX_TOKENS_RANGE.min,
          max: MAX_TOKENS_RANGE.max,
          step: 1,
          invalid: !!this.answerTokens.error,
          describedBy: 'eval-tokens-err eval-tokens-default',
          live: true,
          onChange: (v) => this.setAnswerTokens(v),
        },
      )}
      ${fieldError('eval-tokens-err', this.answerTokens.error)}
      <span class="muted small field-note" id="eval-tokens-default" data-tokens-default
        >Unless you change it: ${length.maxTokens}
        tokens${why ? `, ${why}` : ''}.${
          this.answerTokens.typed !== null ? ' Empty the box to go back to it.' : ''
        }</span
      >
    </div>`;
  }

  /**
   * The faults of the shown report's evaluation, worked out when another report is shown, not on each of the
   * many renders a running evaluation's progress causes. Keyed by the report alone: its counters never change
   * under it (a session sets them with its report; a stored record's change is read back as a new record).
   */
  private shownFaults: { report: EvalReport; faults: FaultSummary } | null = null;

  private faultsOf(report: EvalReport): FaultSummary {
    if (this.shownFaults?.report !== report)
      this.shownFaults = { report, faults: summarizeFaults(this.statsOf(report), [], 'evaluation') };
    return this.shownFaults.faults;
  }

  /** The counters of the evaluation that made `report` (this page's, or a stored one's). */
  private statsOf(report: EvalReport): RunStats | null | undefined {
    const s = this.session;
    if (s?.report === report) return s.stats;
    return this.evaluations.find((e) => e.report === report)?.stats;
  }

  private progressLine(session: EvalSession): string {
    const p = session.progress;
    if (!p) return 'Starting…';
    const calls = session.stats
      ? ` · ${session.stats.calls} model calls${session.stats.cachedCalls ? ` + ${session.stats.cachedCalls} from cache` : ''}`
      : '';
    return `${PHASE_WORDS[p.phase]} · ${p.candidate} · ${p.done}/${p.total}${calls}`;
  }

  private renderProgress(session: EvalSession) {
    const p = session.progress;
    const line = this.progressLine(session);
    return p ? html`<progress max=${p.total} value=${p.done}></progress> ${line}` : line;
  }

  /** What the polite region says: a new phase at once, the count within it at most every few seconds. */
  private readonly said = new AnnounceThrottle();

  /** Spoken as a sentence (a screen reader stumbles over the visible line's "·" and "3/16"). */
  private progressSaid(session: EvalSession): string {
    const p = session.progress;
    return this.said.say(p?.phase ?? 'starting', () =>
      p ? `${PHASE_WORDS[p.phase]} ${p.candidate}: step ${p.done} of ${p.total}.` : 'Starting the evaluation.',
    );
  }

  private renderSessionError(session: EvalSession | null) {
    if (!session || session.running) return nothing;
    // Said until this page discards it (once that tab let go and it was offered for resuming here).
    if (session.status === 'elsewhere')
      return !session.recordId
        ? nothing
        : html`<p class="muted" role="status">
            This evaluation is running in another tab of this browser; its report appears here when it ends.
          </p>`;
    if (!session.error) {
      return session.saveError
        ? html`<p class="error" role="alert">The report could not be saved: ${errorLine(session.saveError)}</p>`
        : nothing;
    }
    // As the Live view says a run's error: what happened, what to do, then the details; Resume and Discard once, here.
    const w = describeError(session.error);
    const record = this.resumable(session);
    return html`<div class="error" role="alert" data-eval-error>
      <strong>${w.title}</strong>
      <p style="margin:4px 0">${w.hint}</p>
      ${w.message ? html`<div class="small">${w.message}</div>` : nothing}
      ${
        record
          ? html`<div class="row" style="margin-top:8px">
              <button class="primary" ?disabled=${!this.client} @click=${() => this.resume(record)}>
                ${w.retryable ? 'Retry' : 'Resume'}
              </button>
              <button @click=${() => void this.discard(record)}>Discard</button>
              <span class="small">Goes on where it stopped; the model calls already made are not repeated.</span>
            </div>`
          : nothing
      }
    </div>`;
  }

  /** The stored record of this page's failed evaluation, when it can be resumed (its checkpoint was kept). */
  private resumable(session: EvalSession): EvaluationRecord | null {
    if (!session.recordId || !resumableAfter(session.error)) return null;
    const r = this.evaluations.find((e) => e.id === session.recordId);
    return r && offerable(r) ? r : null;
  }

  /** An evaluation the page was running when it was reloaded or closed (or that failed): resume or discard it. */
  private renderInterrupted(r: EvaluationRecord) {
    const p = r.progress;
    // The checkpoint may lag the evaluation by a few calls or a second, even across a phase: say what was saved,
    // not a phase it may have left. Pairwise comparing counts its own steps, and comes after all scoring.
    const where = !p
      ? ''
      : p.phase === 'pairwise'
        ? ` after every answer was scored and step ${p.done} of ${p.total} of the pairwise comparison was saved`
        : ` after step ${p.done} of ${p.total} was saved`;
    const words = r.status === 'failed' && r.error ? describeError(r.error) : null;
    const why = r.status === 'failed' ? `stopped by an error${words ? ` (${words.title})` : ''}` : 'interrupted';
    return html`<div class="warn-box stack" role="status" data-interrupted>
      <p style="margin:0">
        The evaluation “${r.name}” was ${why}${where}. Resuming does not repeat the model calls already saved.
      </p>
      ${words ? html`<p class="small" style="margin:0">${words.hint}</p>` : nothing}
      <div class="row">
        <button class="primary" ?disabled=${!this.client} @click=${() => this.resume(r)}>Resume</button>
        <button @click=${() => void this.discard(r)}>Discard</button>
      </div>
    </div>`;
  }

  private toggle(id: string, on: boolean): void {
    this.touched = new Set(this.touched).add(id);
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }
}

/**
 * A saved alignment as the candidates list names it: one that is its starting prompt, unchanged, says so (else
 * ticked against no system prompt it reads as the run's result, which it is not).
 */
function candidateName(a: AlignmentRecord): string {
  return keepsItsStart(a.artifact) ? `${a.name} (${UNCHANGED_WORDS})` : a.name;
}

/**
 * A stored evaluation that can be offered for resuming (or discarding): it can be resumed, and no tab runs it
 * (this one included). One rule for the interrupted box and the error box.
 */
function offerable(r: EvaluationRecord): boolean {
  return canResumeEvaluation(r) && runOwners.ownerOf(evalLockId(r.id)) === 'none';
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-eval-view': DrpoEvalView;
  }
}
