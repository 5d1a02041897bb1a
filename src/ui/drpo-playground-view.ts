/**
 * A/B playground: one input, two panes. A = a baseline system prompt (or none), B = an alignment.
 * Both use the bound policy model, one after the other (a local model serves one request at a time).
 */
import { html, css, nothing } from 'lit';
import { customElement, state, query } from 'lit/decorators.js';
import { DrpoViewBase } from './drpo-view-base';
import { baseStyles } from './drpo-styles';
import { DEFAULT_INITIAL_PROMPT } from '../core/presets';
import type { AlignmentArtifact } from '../core/types';
import { inferenceExamples } from '../core/verdict-text';
import type { AlignmentRecord } from '../store/store';
import type { DrpoChatPane } from './drpo-chat-pane';
import './drpo-chat-pane';

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

  @state() private baseline: 'default' | 'none' = 'default';
  @state() private saved: AlignmentRecord[] = [];
  @state() private chosenId = '';
  @state() private draft = '';
  @state() private running = false;
  @query('#pane-a') private paneA?: DrpoChatPane;
  @query('#pane-b') private paneB?: DrpoChatPane;
  private stopped = false;
  private listed = false;

  override updated(): void {
    if (this.store && !this.listed) {
      this.listed = true;
      void this.store
        .listAlignments()
        .then((all) => (this.saved = all))
        .catch(() => undefined);
    }
  }

  private get alignment(): AlignmentArtifact | null {
    if (this.chosenId) return this.saved.find((r) => r.id === this.chosenId)?.artifact ?? null;
    return this.appState?.value.playgroundAlignment ?? this.saved[0]?.artifact ?? null;
  }

  private async send(e: Event): Promise<void> {
    e.preventDefault();
    const text = this.draft.trim();
    if (!text || this.running) return;
    this.draft = '';
    this.running = true;
    this.stopped = false;
    try {
      // Sequential on purpose: a local engine answers one request at a time.
      const a = await this.paneA?.send(text);
      if (!this.stopped && a !== 'stopped') await this.paneB?.send(text);
    } finally {
      this.running = false;
    }
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.paneA?.stop(), this.paneB?.stop()]);
  }

  private clear(): void {
    this.paneA?.clear();
    this.paneB?.clear();
  }

  override render() {
    const binding = this.appState?.value.roles.policy ?? null;
    const al = this.alignment;
    const fromState = this.appState?.value.playgroundAlignment;
    return html`<div class="stack">
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
          @change=${(e: Event) => (this.baseline = (e.target as HTMLSelectElement).value as 'default' | 'none')}
        >
          <option value="default" ?selected=${this.baseline === 'default'}>“${DEFAULT_INITIAL_PROMPT}”</option>
          <option value="none" ?selected=${this.baseline === 'none'}>No system prompt</option>
        </select>
        <label for="align">B (aligned)</label>
        <select id="align" @change=${(e: Event) => (this.chosenId = (e.target as HTMLSelectElement).value)}>
          ${fromState ? html`<option value="" ?selected=${!this.chosenId}>${fromState.name ?? 'Current alignment'}</option>` : nothing}
          ${!fromState && !this.saved.length ? html`<option value="">No saved alignments</option>` : nothing}
          ${this.saved.map((r) => html`<option value=${r.id} ?selected=${r.id === this.chosenId}>${r.name}</option>`)}
        </select>
      </section>
      ${al ? nothing : html`<p class="muted small">Pane B has no alignment yet: finish a run, open one from History, or open a share link.</p>`}
      <div class="panes">
        <div class="card">
          <drpo-chat-pane
            id="pane-a"
            label="A · baseline"
            .client=${this.client}
            .binding=${binding}
            .systemPrompt=${this.baseline === 'default' ? DEFAULT_INITIAL_PROMPT : null}
          ></drpo-chat-pane>
        </div>
        <div class="card">
          <drpo-chat-pane
            id="pane-b"
            label="B · ${al?.name ?? 'aligned'}"
            .client=${this.client}
            .binding=${binding}
            .systemPrompt=${al ? al.systemPrompt : null}
            .icl=${al ? al.icl : []}
            .iclK=${al ? inferenceExamples(al) : 0}
          ></drpo-chat-pane>
        </div>
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
            if (e.key === 'Enter' && !e.shiftKey) void this.send(e);
          }}
        ></textarea>
        ${
          this.running
            ? html`<button type="button" class="danger" @click=${() => void this.stop()}>Stop</button>`
            : html`<button type="submit" class="primary" ?disabled=${!binding || !this.draft.trim()}>
                Send to both
              </button>`
        }
        <button type="button" @click=${this.clear} ?disabled=${this.running}>Clear</button>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-playground-view': DrpoPlaygroundView;
  }
}
