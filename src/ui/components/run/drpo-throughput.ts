/**
 * Throughput and budget: decode speed, calls, tokens, elapsed, ETA, and one bar per budget limit. While the run
 * goes, the elapsed time and the time left move on with the clock (a slow call or a retry sends no event), and
 * the time left says what the run waits for instead of a figure that would stand still.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../../app/styles';
import { budgetUsage, liveElapsedMs, timeLeft } from '../../view-models/run/run-view-model';
import { AwakeSince } from '../../view-models/run/awake-since';
import { WaitClock, currentWait } from '../../view-models/run/waiting';
import { Ticker } from '../../controllers/ticker';
import '../drpo-info';
import type { RunViewModel } from '../../view-models/run/run-view-model';
import type { RunConfig } from '../../../core/contracts/run-config';
import { formatCost } from '../../../core/plan/cost';
import { progressBar } from '../../templates/progress-bar';
import { BUDGET_WARNING_FRACTION } from '../../../core/calls/budget';
import { formatDuration } from '../../../core/words/durations';
import { formatCount, formatTokenSpeed } from '../../../core/formats/bytes';

/**
 * A budget bar this full (in whole per cent) is marked in words (seen and read out), not by its colour alone:
 * from where the run says it is close to its budget, so the bar and that note agree.
 */
const NEAR_LIMIT_PCT = Math.round(BUDGET_WARNING_FRACTION * 100);

/**
 * The whole per cent a bar shows, rounded down: "100%" only once the limit is reached, so the number and the
 * mark beside it never disagree (999 of 1,000 is 99%, near the limit, not 100%).
 */
function budgetPercent(fraction: number): number {
  return Math.floor(fraction * 100 + 1e-9);
}

function limitMark(pct: number): string {
  return pct >= 100 ? 'limit reached' : pct >= NEAR_LIMIT_PCT ? 'near the limit' : '';
}

@customElement('drpo-throughput')
export class DrpoThroughput extends LitElement {
  static override styles = [
    baseStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(120px, 1fr));
        gap: 8px 16px;
        margin: 0;
      }
      dt {
        font-size: 0.8rem;
        color: var(--drpo-muted);
      }
      dd {
        margin: 0;
        font-size: 1.1rem;
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      .bars {
        margin-top: 12px;
        display: grid;
        gap: 6px;
      }
      .bar-row {
        display: grid;
        grid-template-columns: 130px 1fr auto;
        gap: 8px;
        align-items: center;
        font-size: 0.85rem;
      }
      .track {
        height: 10px;
        background: var(--drpo-surface-2);
        border-radius: 5px;
        overflow: hidden;
        border: 1px solid var(--drpo-border);
      }
      .fill {
        height: 100%;
        background: var(--drpo-accent);
      }
      .fill.high {
        background: var(--drpo-warn);
      }
      .num {
        font-variant-numeric: tabular-nums;
      }
      .limit-mark {
        color: var(--drpo-warn);
        margin-left: 4px;
      }
      @media (max-width: 480px) {
        .bar-row {
          grid-template-columns: 1fr auto;
        }
        .track {
          grid-column: 1 / -1;
          grid-row: 2;
        }
      }
    `,
  ];

  @property({ attribute: false }) vm: RunViewModel | null = null;
  /**
   * The run is going in this page and not being paused or cancelled: only then is a time left meaningful (not
   * for an interrupted one), and only then do the elapsed time and the time left count on.
   */
  @property({ type: Boolean }) live = false;
  /** The run's config: the time left follows its plan at the depth reached so far. */
  @property({ attribute: false }) config: RunConfig | null = null;
  /** Cost so far (USD) at the endpoint prices; null when no price is set. */
  @property({ attribute: false }) cost: number | null = null;

  /** Elapsed and the time left count on while the run goes. */
  protected readonly ticker = new Ticker(this, () => this.live && this.vm?.status === 'running');
  /** Awake time since the run's last measure (its ticker is the heartbeat). */
  private readonly awake = new AwakeSince();
  /** A wait leaves out sleep too, as the fault summary's note beside it does. */
  private readonly waitClock = new WaitClock();

  override render() {
    const vm = this.vm;
    const s = vm?.stats;
    const speed = s?.decodeTokensPerS;
    const now = Date.now();
    const live = this.live && vm?.status === 'running';
    const visible = document.visibilityState === 'visible';
    const waiting = vm && live ? { running: true, retry: vm.retry, heardAt: vm.heardAt } : null;
    const wait = waiting ? currentWait(waiting, this.waitClock.at(waiting, visible)) : null;
    // The run's clock leaves out time the computer slept: so do Elapsed and Time left between its events.
    const runNow = vm && vm.clockAt !== null ? this.awake.at(vm.clockAt, visible) : now;
    const eta = vm && live && !wait ? timeLeft(vm, this.config, runNow) : null;
    const elapsed = vm ? (live ? liveElapsedMs(vm, runNow) : (s?.elapsedMs ?? 0)) : 0;
    const cached = s?.cachedCalls ?? 0;
    const bars = vm ? budgetUsage(vm).filter((b) => b.limit !== null) : [];
    return html`<dl>
        <div>
          <dt>Decode speed</dt>
          <dd>${speed ? formatTokenSpeed(speed) : '—'}</dd>
        </div>
        <div>
          <dt>Model calls${cached ? html` <drpo-info term="cache"></drpo-info>` : nothing}</dt>
          <dd data-calls>
            ${formatCount(s?.calls ?? 0)}${
              cached || vm?.projection
                ? html`<span class="muted small"
                    >${cached ? ` + ${formatCount(cached)} from cache` : ''}${
                      vm?.projection ? ` / ~${formatCount(vm.projection.calls)}` : ''
                    }</span
                  >`
                : nothing
            }
          </dd>
        </div>
        <div>
          <dt>Generated tokens</dt>
          <dd>${formatCount(s?.generatedTokens ?? 0)}</dd>
        </div>
        <div>
          <dt>Prompt tokens</dt>
          <dd>${formatCount(s?.promptTokens ?? 0)}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd data-elapsed>${formatDuration(elapsed)}</dd>
        </div>
        <div>
          <dt>Time left (estimate)</dt>
          <dd data-eta>
            ${wait ? html`<span class="small">${wait.kind === 'retry' ? 'waiting for the endpoint' : 'waiting for a reply'}</span>` : formatDuration(eta?.likely)}${
              eta && eta.high - eta.low > Math.max(10_000, 0.2 * eta.likely)
                ? html`<span class="muted small" data-eta-range>
                    (${formatDuration(eta.low)}–${formatDuration(eta.high)}: the final check stops early on a clear
                    result)</span
                  >`
                : nothing
            }
          </dd>
        </div>
        ${
          this.cost !== null
            ? html`<div data-cost>
                <dt>Cost so far</dt>
                <dd>${formatCost(this.cost)}</dd>
              </div>`
            : nothing
        }
      </dl>
      ${
        bars.length
          ? html`<div class="bars" aria-label="Budget">
              ${bars.map((b) => {
                const pct = budgetPercent(b.fraction ?? 0);
                const used = b.kind === 'time' ? b.used.toFixed(1) : formatCount(b.used);
                const limit = b.kind === 'time' ? b.limit!.toFixed(1) : formatCount(b.limit!);
                const mark = limitMark(pct);
                const numbers = `${used} / ${limit} (${pct}%)`;
                const said = `${used} of ${limit} (${pct}%)${mark ? `, ${mark}` : ''}`;
                const marked = mark
                  ? html` <strong class="limit-mark" data-limit-mark><span aria-hidden="true">⚠</span> ${mark}</strong>`
                  : nothing;
                return html`<div class="bar-row">
                  <span>${b.label}</span>
                  ${progressBar(`${b.label} budget used`, pct, said, mark ? 'high' : '')}
                  <span class="num">${numbers}${marked}</span>
                </div>`;
              })}
            </div>`
          : html`<p class="muted small" style="margin-top:8px">
              No budget limit set: the run stops when the search is done.
            </p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-throughput': DrpoThroughput;
  }
}
