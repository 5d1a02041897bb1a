/**
 * What went wrong during a run, in plain words (the same summary the CLI prints at the end), and — while
 * the run goes — what it is waiting for: a failed request's retry ("the endpoint answered HTTP 500; retry 2
 * of 3 in 4 s") or a long silence from the model (controllers/wait-note.ts, shared with the Evaluate view).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { summarizeFaults } from '../../../core/calls/fault-summary';
import { faultNote } from '../../templates/fault-note';
import type { FaultSummary } from '../../../core/calls/fault-summary';
import { baseStyles } from '../../app/styles';
import { WaitNote } from '../../controllers/wait-note';
import type { RunViewModel } from '../../view-models/run/run-view-model';

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

  private memo: { version: number; runId: string; summary: FaultSummary } | null = null;

  private readonly waits = new WaitNote(
    this,
    () => ({ running: this.running, retry: this.vm?.retry ?? null, heardAt: this.vm?.heardAt ?? null }),
    'run',
  );

  private summary(vm: RunViewModel): FaultSummary {
    if (this.memo?.version !== vm.version || this.memo.runId !== vm.runId) {
      this.memo = { version: vm.version, runId: vm.runId, summary: summarizeFaults(vm.stats, vm.nodes.values()) };
    }
    return this.memo.summary;
  }

  override render() {
    const vm = this.vm;
    if (!vm) return nothing;
    return html`${this.waits.render()} ${faultNote(this.summary(vm), 'run')}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-fault-summary': DrpoFaultSummary;
  }
}
