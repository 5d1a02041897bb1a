/**
 * One candidate prompt in detail: its diff against the parent, and per training query the
 * chosen aspects with reasons, the answer (sanitized markdown), the per-aspect scores with
 * rationales (numbers and bars), plus any parse failures, shown instead of hidden.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../../app/styles';
import { safeMarkdown } from '../../templates/safe-markdown';
import { formatReward } from './drpo-beam-tree';
import '../drpo-info';
import '../drpo-prompt-diff';
import { plural } from '../../../core/words/list-words';
import type { FinalCheckScore, ParseFailure, QueryEvaluation, SearchNode } from '../../../core/contracts/search-node';
import type { GlossaryFacts } from '../../view-models/glossary';

@customElement('drpo-candidate-panel')
export class DrpoCandidatePanel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 12px;
        align-items: baseline;
      }
      /* The race figure can name two example counts: in a narrow window it wraps rather than runs off the card. */
      .badge[data-final-check] {
        white-space: normal;
        border-radius: 12px;
      }
      .reward {
        font-size: 1.4rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .eval {
        border-top: 1px solid var(--drpo-border);
        padding-top: 12px;
        margin-top: 12px;
      }
      .query {
        font-weight: 600;
      }
      .answer {
        background: var(--drpo-surface-2);
        border-radius: 6px;
        padding: 8px 12px;
        max-height: 320px;
        overflow: auto;
        overflow-wrap: anywhere;
      }
      ul.aspects {
        margin: 4px 0;
        padding-left: 18px;
      }
      .score-row {
        display: grid;
        grid-template-columns: minmax(90px, 150px) 2.5em 1fr;
        gap: 4px 10px;
        align-items: center;
      }
      .score-num {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
        text-align: right;
      }
      .track {
        height: 8px;
        border-radius: 4px;
        background: var(--drpo-surface-2);
        border: 1px solid var(--drpo-border);
        overflow: hidden;
      }
      .fill {
        height: 100%;
        background: var(--drpo-accent);
      }
      .rationale {
        grid-column: 1 / -1;
        font-size: 0.875rem;
        color: var(--drpo-muted);
        margin: 0 0 6px;
      }
      .failures li {
        margin-bottom: 6px;
      }
      pre.raw {
        white-space: pre-wrap;
        word-break: break-word;
        background: var(--drpo-surface-2);
        padding: 8px;
        border-radius: 6px;
        max-height: 160px;
        overflow: auto;
      }
    `,
  ];

  @property({ attribute: false }) node: SearchNode | null = null;
  @property({ attribute: false }) parent: SearchNode | null = null;
  /** Failures reported for this node outside the node record (parse-failure events). */
  @property({ attribute: false }) failures: readonly ParseFailure[] = [];
  @property({ type: Boolean, attribute: 'in-beam' }) inBeam = false;
  /** Render answers as plain text instead of markdown. */
  @property({ type: Boolean }) plain = false;
  /**
   * What the help texts may say of this run: its settings and, once it has a result, how many questions
   * its final check kept back (without it the verdict's help must cover both cases).
   */
  @property({ attribute: false }) facts: GlossaryFacts | undefined = undefined;

  override render() {
    const n = this.node;
    if (!n) {
      return html`<p class="muted">Select a prompt in the tree or the list to see how it was scored.</p>`;
    }
    const failures = dedupe([...n.parseFailures, ...this.failures]);
    return html`<article class="stack" aria-label="Prompt at depth ${n.depth}">
      <div class="meta">
        <span class="reward" aria-label="Score">${formatReward(n.reward)}</span>
        <span class="muted small"
          >this prompt’s score <drpo-info term="score" .settings=${this.facts}></drpo-info> · path mean
          <strong>${formatReward(n.pathReward)}</strong>
          <drpo-info term="path-mean" .settings=${this.facts}></drpo-info
        ></span>
        <span class="badge">depth ${n.depth}</span>
        ${this.inBeam ? html`<span class="badge ok">in the beam</span> <drpo-info term="beam" .settings=${this.facts}></drpo-info>` : nothing}
        ${
          n.carriedForward
            ? html`<span class="badge">↻ carried forward unchanged</span>
                <drpo-info term="carried" .settings=${this.facts}></drpo-info>`
            : nothing
        }
        ${finalCheckBadge(
          'race',
          n.race ?? (n.validationReward !== undefined ? [n.validationReward] : undefined),
          this.facts,
        )}
        ${finalCheckBadge('verdict', n.verdict, this.facts)}
      </div>
      <section>
        <h3>Prompt</h3>
        <drpo-prompt-diff .previous=${this.parent?.prompt ?? null} .prompt=${n.prompt}></drpo-prompt-diff>
      </section>
      ${
        n.optimizerNote
          ? html`<details>
              <summary>Why the optimizer wrote this</summary>
              <p><strong>Analysis:</strong> ${n.optimizerNote.analysis}</p>
              <p><strong>Plan:</strong> ${n.optimizerNote.thought}</p>
            </details>`
          : nothing
      }
      ${
        failures.length
          ? html`<section class="warn-box" role="note">
              <h3>Parse failures (${failures.length})</h3>
              <p class="small">These model outputs could not be read, so they did not count towards the reward.</p>
              <ul class="failures">
                ${failures.map(
                  (f) =>
                    html`<li>
                      <strong>${f.role}</strong> · ${f.stage}: ${f.message}
                      ${
                        f.raw
                          ? html`<details>
                              <summary class="small">Raw output</summary>
                              <pre class="raw">${f.raw}</pre>
                            </details>`
                          : nothing
                      }
                    </li>`,
                )}
              </ul>
            </section>`
          : nothing
      }
      ${
        n.evaluations.length
          ? n.evaluations.map((e, i) => this.evaluation(e, i, n.evaluations.length))
          : html`<p class="muted">No answers were scored for this prompt.</p>`
      }
    </article>`;
  }

  private evaluation(e: QueryEvaluation, i: number, total: number) {
    return html`<section class="eval stack" aria-label="Training query ${i + 1} of ${total}">
      <div>
        <span class="muted small"
          >Query ${i + 1}${total > 1 ? ` of ${total}` : ''} ·
          ${e.reward === null ? 'not scored' : `reward ${formatReward(e.reward)}`}</span
        >
        <p class="query">${e.query}</p>
      </div>
      ${
        e.aspects.length
          ? html`<div>
              <strong class="small">Aspects the judge chose</strong>
              <ul class="aspects">
                ${e.aspects.map((a) => html`<li><strong>${a.name}</strong> — ${a.reason}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      <div>
        <strong class="small">Answer</strong>
        ${e.finishReason === 'length' ? html`<span class="badge warn">cut off at the token limit</span>` : nothing}
        <div class="answer">${safeMarkdown(e.answer, this.plain)}</div>
      </div>
      ${
        e.scores.length
          ? html`<div>
              <strong class="small">Scores (1–5)</strong>
              ${e.scores.map(
                (s) =>
                  html`<div class="score-row">
                    <span>${s.aspect}</span>
                    <span class="score-num">${Number.isInteger(s.score) ? s.score : s.score.toFixed(2)}</span>
                    <div
                      class="track"
                      role="meter"
                      aria-label="${s.aspect} score"
                      aria-valuemin="1"
                      aria-valuemax="5"
                      aria-valuenow=${s.score}
                    >
                      <div class="fill" style="width:${Math.max(0, Math.min(100, ((s.score - 1) / 4) * 100))}%"></div>
                    </div>
                    <p class="rationale">${s.rationale}</p>
                  </div>`,
              )}
            </div>`
          : html`<p class="muted small">The judge's scores could not be read for this answer.</p>`
      }
    </section>`;
  }
}

/**
 * One part of the final check, named ("race" chose the candidate, "verdict" decided improved or not; see
 * glossary), with the example count of each figure when it is not only "none", and the questions each is
 * over (a finalist dropped early from the race has a mean over fewer, which can top the chosen one's).
 * Older runs recorded one unlabelled race figure, and no question counts.
 */
function finalCheckBadge(
  part: 'race' | 'verdict',
  scores: readonly (FinalCheckScore | number)[] | undefined,
  facts: GlossaryFacts | undefined,
) {
  if (!scores?.length) return nothing;
  const list = scores.map((s) => (typeof s === 'number' ? { examplesPerQuery: 0, reward: s } : s));
  const counted = list.length > 1 || list.some((s) => s.examplesPerQuery > 0);
  const said = list
    .map(
      (s) =>
        `${formatReward(s.reward)}${counted ? ` ${examplesWords(s.examplesPerQuery)}` : ''}${
          s.questions !== undefined ? ` on ${plural(s.questions, 'question')}` : ''
        }`,
    )
    .join(' · ');
  return html`<span class="badge" data-final-check=${part}>${part} ${said}</span>
    <drpo-info term=${part} .settings=${facts}></drpo-info>`;
}

const examplesWords = (k: number) => (k === 0 ? 'without examples' : `with ${plural(k, 'example')}`);

function dedupe(list: readonly ParseFailure[]): ParseFailure[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const k = `${f.role}|${f.stage}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-candidate-panel': DrpoCandidatePanel;
  }
}
