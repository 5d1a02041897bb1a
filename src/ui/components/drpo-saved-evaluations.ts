/**
 * <drpo-saved-evaluations>: the evaluations stored on this device (finished, stopped, interrupted), newest
 * first, a page at a time with a filter. Open shows an older report in place of the newest (announced by
 * `evaluation-opened`); Delete asks first, as History does, and the row leaves at once: if the delete fails it
 * comes back and the error is said. The Evaluate view hands the deleting down (`deleter`), as it knows this
 * page's own evaluation (its session), which a plain store delete would leave saying an error that is gone.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { baseStyles } from '../app/styles';
import type { EvaluationRecord } from '../../store/store';
import { savedWhen } from '../view-models/evaluation-name';
import { ListPage } from '../controllers/list-page';
import { keepFocus } from '../helpers/focus';
import { errorLine } from '../helpers/error-messages';

/** The tab that runs an evaluation: this one, another, or none. */
export type RunningIn = 'here' | 'elsewhere' | null;

/** Why an evaluation cannot be deleted now, in History's words for a run (an evaluation has Stop, not Cancel). */
function runningWhy(running: RunningIn): string | null {
  if (running === 'elsewhere') return 'it is running in another tab; stop it there first.';
  if (running === 'here') return 'it is running in this tab; stop it first.';
  return null;
}

/** What a stored evaluation's row says of it. */
function statusWords(r: EvaluationRecord, running: RunningIn): string {
  if (running) return running === 'here' ? 'Running in this tab' : 'Running in another tab';
  switch (r.status ?? 'completed') {
    case 'completed':
      return 'Finished';
    case 'stopped':
      return 'Stopped';
    case 'failed':
      return 'Stopped by an error';
    default:
      return 'Interrupted';
  }
}

/** When it was saved, unless its name already says so (savedWhen). */
function savedDate(e: EvaluationRecord) {
  const when = savedWhen(e);
  return when === null ? nothing : html`<span class="small muted" data-saved-at>${when}</span>`;
}

@customElement('drpo-saved-evaluations')
export class DrpoSavedEvaluations extends LitElement {
  static override styles = [
    baseStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: center;
        padding: 6px 0;
        border-bottom: 1px solid var(--drpo-border);
      }
      li[aria-current='true'] {
        background: var(--drpo-accent-soft);
      }
      .name {
        flex: 1 1 20ch;
        overflow-wrap: anywhere;
      }
      li button {
        min-height: 30px;
        padding: 2px 10px;
        font-size: 0.85rem;
      }
    `,
  ];

  /** Newest first. */
  @property({ attribute: false }) evaluations: EvaluationRecord[] = [];
  /** The evaluation whose report is shown below. */
  @property({ attribute: false }) shownId = '';
  /** The tab that runs an evaluation (it cannot be deleted then), or null. */
  @property({ attribute: false }) runningIn: (r: EvaluationRecord) => RunningIn = () => null;
  /** Deletes one (rejects when it could not). */
  @property({ attribute: false }) deleter: (r: EvaluationRecord) => Promise<void> = async () => {};

  @state() private confirming = '';
  @state() private removing = new Set<string>();
  @state() private failure = '';

  private readonly page = new ListPage(this, {
    id: 'evaluations',
    noun: ['evaluation', 'evaluations'],
    size: 20,
    placeholder: 'Name',
    itemAt: (i) => this.renderRoot.querySelectorAll('li[data-evaluation]')[i]?.querySelector('button'),
  });

  private row(id: string): string {
    return `li[data-evaluation="${CSS.escape(id)}"]`;
  }

  override updated(changed: Map<string, unknown>): void {
    // The question takes focus when it opens: its safe answer.
    if (changed.has('confirming') && this.confirming)
      this.renderRoot.querySelector<HTMLButtonElement>(`${this.row(this.confirming)} button[data-keep]`)?.focus();
  }

  private keep(id: string): void {
    keepFocus(this, () => this.renderRoot.querySelector(`${this.row(id)} button[data-delete]`));
    this.confirming = '';
  }

  private open(r: EvaluationRecord): void {
    this.dispatchEvent(new CustomEvent('evaluation-opened', { detail: { id: r.id }, bubbles: true, composed: true }));
  }

  private async delete(r: EvaluationRecord): Promise<void> {
    // As in History: focus goes to the Delete of the row that takes its place, else the list's heading.
    const rows = [...this.renderRoot.querySelectorAll('li[data-evaluation]')];
    const at = rows.findIndex((x) => x.getAttribute('data-evaluation') === r.id);
    const near = [rows[at + 1], rows[at - 1]].map((x) => x?.querySelector('button[data-delete]'));
    keepFocus(this, () => [...near, this.renderRoot.querySelector('h3')]);
    this.confirming = '';
    this.failure = '';
    this.removing = new Set(this.removing).add(r.id);
    try {
      // Deleted: kept out of the list until the list handed down no longer holds it (willUpdate).
      await this.deleter(r);
      // Said, as History says it: the row just goes, and focus moving on says nothing of why.
      this.dispatchEvent(
        new CustomEvent('toast-requested', {
          detail: { message: `Deleted “${r.name}”.`, kind: 'info' },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      this.failure = `Not deleted “${r.name}”: ${errorLine(err)}`;
      const next = new Set(this.removing);
      next.delete(r.id);
      this.removing = next;
    }
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('evaluations') && this.removing.size) {
      const listed = new Set(this.evaluations.map((e) => e.id));
      const left = [...this.removing].filter((id) => listed.has(id));
      if (left.length < this.removing.size) this.removing = new Set(left);
    }
  }

  override render() {
    const list = this.evaluations.filter((e) => !this.removing.has(e.id));
    const view = this.page.view(list, (e) => [e.name]);
    return html`<h3 tabindex="-1">Saved evaluations</h3>
      ${this.failure ? html`<p class="error" role="alert" data-delete-error>${this.failure}</p>` : nothing}
      ${
        list.length
          ? html`${this.page.renderFilter(view, 'Filter evaluations')}
              <ul>
                ${repeat(
                  view.shown,
                  (e) => e.id,
                  (e) => this.renderRow(e),
                )}
              </ul>
              ${this.page.renderMore(view)}`
          : html`<p class="muted small" data-empty>No evaluations saved yet.</p>`
      }`;
  }

  private renderRow(e: EvaluationRecord) {
    const running = this.runningIn(e);
    const shown = e.id === this.shownId;
    return html`<li data-evaluation=${e.id} aria-current=${shown ? 'true' : nothing}>
      <span class="name">${e.name}</span>
      ${savedDate(e)}
      <span class="small" data-status>${statusWords(e, running)}</span>
      ${this.confirming === e.id ? this.renderConfirm(e) : this.renderActions(e, running, shown)}
    </li>`;
  }

  private renderActions(e: EvaluationRecord, running: RunningIn, shown: boolean) {
    const why = runningWhy(running);
    return html`${
        shown
          ? html`<span class="small" data-shown>Shown below</span>`
          : e.report
            ? html`<button data-open @click=${() => this.open(e)}>Open</button>`
            : nothing
      }
      <button
        class="danger"
        data-delete
        ?disabled=${why !== null}
        title=${why ?? nothing}
        aria-description=${why ?? nothing}
        @click=${() => (this.confirming = e.id)}
      >
        Delete
      </button>
      ${
        // As History: a disabled button takes no focus and a title shows only under a mouse.
        why
          ? html`<span class="small muted" data-delete-why aria-hidden="true">Cannot delete now: ${why}</span>`
          : nothing
      }`;
  }

  private renderConfirm(e: EvaluationRecord) {
    // Escape answers Keep, as in a dialog.
    const esc = (k: KeyboardEvent) => k.key === 'Escape' && this.keep(e.id);
    return html`<span class="small" role="alert">Delete “${e.name}”?</span>
      <button class="danger" @keydown=${esc} @click=${() => void this.delete(e)}>Yes, delete</button>
      <button data-keep @keydown=${esc} @click=${() => this.keep(e.id)}>Keep</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-saved-evaluations': DrpoSavedEvaluations;
  }
}
