/**
 * What went wrong during a run, in plain words (the same summary the CLI prints at the end), and — while
 * the run goes — what it is waiting for: a failed request's retry ("the endpoint answered HTTP 500; retry 2
 * of 3 in 4 s") or a long silence from the model.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { summarizeFaults } from '../../../core/calls/fault-summary';
import { faultNote } from '../../helpers/fault-note';
import type { FaultSummary } from '../../../core/calls/fault-summary';
import { baseStyles } from '../../app/styles';
import { formatDuration } from './drpo-throughput';
import { AnnounceThrottle } from '../../helpers/announce-throttle';
import type { RunViewModel } from '../../view-models/run-view-model';

/** A silence this long is said out loud. */
export const WAIT_NOTE_MS = 10_000;

@customElement('drpo-fault-summary')
export class DrpoFaultSummary extends LitElement {
  static override styles = [
    baseStyles,
    css`
      ul {
        margin: 4px 0;
        padding-left: 20px;
      }
      p {
        margin: 4px 0 0;
      }
    `,
  ];

  @property({ attribute: false }) vm: RunViewModel | null = null;
  /** The run is going (here or in another tab): waiting notes apply. */
  @property({ type: Boolean }) running = false;

  private timer: ReturnType<typeof setInterval> | null = null;
  private memo: { version: number; runId: string; summary: FaultSummary } | null = null;

  override updated(): void {
    // Re-render once a second while running, so a long wait is noticed even when no event arrives.
    if (this.running && !this.timer) this.timer = setInterval(() => this.requestUpdate(), 1000);
    if (!this.running && this.timer) this.stopTimer();
  }

  override disconnectedCallback(): void {
    this.stopTimer();
    super.disconnectedCallback();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private summary(vm: RunViewModel): FaultSummary {
    if (this.memo?.version !== vm.version || this.memo.runId !== vm.runId) {
      this.memo = { version: vm.version, runId: vm.runId, summary: summarizeFaults(vm.stats, vm.nodes.values()) };
    }
    return this.memo.summary;
  }

  /**
   * The note is shown as it changes (each retry, each second of silence); the status region beside it says
   * a new kind of wait at once and the rest at most every few seconds.
   */
  private readonly said = new AnnounceThrottle();

  private waiting(vm: RunViewModel) {
    const note = this.waitNote(vm);
    const region = html`<div class="visually-hidden" role="status" data-said>
      ${note ? this.said.say(note.kind, () => note.text) : this.afterWait()}
    </div>`;
    if (!note) return region;
    return html`<p class="small ${note.kind === 'silent' ? 'muted' : ''}" data-waiting>${note.text}</p>
      ${region}`;
  }

  /**
   * A wait for the endpoint that ended while the run goes on is said once: the visible note just goes away,
   * which a screen-reader user would not notice, and would be left waiting. (It is also a new key, so the
   * next wait is news at once.)
   */
  private afterWait(): string {
    if (this.running && !this.said.isNew('retry')) {
      return this.said.say('back', () => 'The endpoint answered again; the run goes on.');
    }
    return this.said.clear();
  }

  private waitNote(vm: RunViewModel): { kind: 'retry' | 'silent'; text: string } | null {
    if (!this.running) return null;
    if (vm.retry) return { kind: 'retry', text: `Waiting: ${vm.retry.text}.` };
    const silent = vm.lastEventAt === null ? 0 : Date.now() - vm.lastEventAt;
    if (silent < WAIT_NOTE_MS) return null;
    return { kind: 'silent', text: `No reply for ${formatDuration(silent)}: waiting for the model…` };
  }

  override render() {
    const vm = this.vm;
    if (!vm) return nothing;
    return html`${this.waiting(vm)} ${faultNote(this.summary(vm), 'run')}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-fault-summary': DrpoFaultSummary;
  }
}
