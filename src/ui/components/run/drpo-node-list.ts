/**
 * Every evaluated prompt as a list, virtualized: only the rows in view (plus a small overscan)
 * exist in the DOM, so 2,000 nodes cost the same as 20. A single-select listbox: one tab stop,
 * arrows/Home/End/PageUp/PageDown move the selection, aria-activedescendant tracks it.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../../app/styles';
import { formatReward } from './drpo-beam-tree';
import { SizeController, frameScrollHandler } from '../../controllers/size-controller';
import type { RunViewModel } from '../../view-models/run/run-view-model';
import { plural } from '../../../core/words/list-words';

export const ROW_HEIGHT = 40;
const OVERSCAN = 4;
const DEFAULT_VIEWPORT = 320;

export type NodeSort = 'newest' | 'reward' | 'oldest';

function clip(line: string): string {
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/**
 * What is new in a prompt: its first line that the parent does not have (rewrites usually add
 * or change a rule), else its first line. Line-set based, so O(lines); cached per node.
 */
export function previewLine(prompt: string, parentPrompt: string | undefined): string {
  const lines = prompt
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (parentPrompt !== undefined) {
    const had = new Set(parentPrompt.split('\n').map((l) => l.trim()));
    const fresh = lines.find((l) => !had.has(l));
    if (fresh) return clip(fresh);
    if (parentPrompt === prompt) return 'Unchanged from its parent';
  }
  return clip(lines[0] ?? '');
}

@customElement('drpo-node-list')
export class DrpoNodeList extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .viewport {
        position: relative;
        overflow: auto;
        height: var(--drpo-node-list-height, 320px);
        border: 1px solid var(--drpo-border);
        border-radius: var(--drpo-radius);
        background: var(--drpo-surface);
        contain: strict;
      }
      .spacer {
        position: relative;
        width: 100%;
      }
      .row {
        position: absolute;
        left: 0;
        right: 0;
        height: ${ROW_HEIGHT}px;
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 0 10px;
        border-bottom: 1px solid var(--drpo-border);
        cursor: pointer;
        white-space: nowrap;
        overflow: hidden;
        font-size: 0.9rem;
      }
      .row[aria-selected='true'] {
        background: var(--drpo-accent-soft);
        box-shadow: inset 4px 0 0 var(--drpo-accent);
      }
      /* Forced colours drop the background and the shadow: the selected row keeps a visible frame. */
      @media (forced-colors: active) {
        .row[aria-selected='true'] {
          outline: 2px solid Highlight;
          outline-offset: -2px;
        }
      }
      .viewport:focus-visible .row[aria-selected='true'] {
        outline: 2px solid var(--drpo-focus);
        outline-offset: -2px;
      }
      .score {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
        min-width: 3.2em;
        text-align: right;
      }
      .preview {
        overflow: hidden;
        text-overflow: ellipsis;
        color: var(--drpo-muted);
        flex: 1;
      }
      .head {
        display: flex;
        gap: 8px;
        align-items: center;
        margin-bottom: 6px;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ attribute: false }) vm: RunViewModel | null = null;
  @property({ attribute: false }) selectedId: string | null = null;
  @state() sort: NodeSort = 'newest';
  @state() private scrollPos = 0;
  private readonly viewportSize = new SizeController(this, '.viewport', 'height', DEFAULT_VIEWPORT);

  private sortedCache: { key: string; ids: string[] } | null = null;
  private previews = new Map<string, string>();
  private previewRun: string | null = null;

  private preview(vm: RunViewModel, id: string): string {
    if (this.previewRun !== vm.runId) {
      this.previewRun = vm.runId;
      this.previews = new Map();
    }
    let p = this.previews.get(id);
    if (p === undefined) {
      const n = vm.nodes.get(id)!;
      p = previewLine(n.prompt, n.parentId ? vm.nodes.get(n.parentId)?.prompt : undefined);
      this.previews.set(id, p);
    }
    return p;
  }

  /** Number of rows. */
  get count(): number {
    return this.vm?.order.length ?? 0;
  }

  /** Id at a display position. Newest/oldest index the evaluation order directly (no copy per frame). */
  idAt(i: number): string | undefined {
    const vm = this.vm;
    if (!vm) return undefined;
    if (this.sort === 'oldest') return vm.order[i];
    if (this.sort === 'newest') return vm.order[vm.order.length - 1 - i];
    return this.byReward(vm)[i];
  }

  indexOfId(id: string): number {
    const vm = this.vm;
    if (!vm) return -1;
    if (this.sort === 'reward') return this.byReward(vm).indexOf(id);
    const i = vm.order.indexOf(id);
    return i < 0 || this.sort === 'oldest' ? i : vm.order.length - 1 - i;
  }

  private byReward(vm: RunViewModel): string[] {
    const key = `${vm.runId}:${vm.version}:${vm.order.length}`;
    if (this.sortedCache?.key === key) return this.sortedCache.ids;
    const ids = [...vm.order].sort((a, b) => (vm.nodes.get(b)?.reward ?? -1) - (vm.nodes.get(a)?.reward ?? -1));
    this.sortedCache = { key, ids };
    return ids;
  }

  override render() {
    const vm = this.vm;
    const total = this.count;
    const first = Math.max(0, Math.floor(this.scrollPos / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total, Math.ceil((this.scrollPos + this.viewportSize.value) / ROW_HEIGHT) + OVERSCAN);
    const visible: string[] = [];
    for (let i = first; i < last; i++) visible.push(this.idAt(i)!);
    const current = new Set(vm?.beams[vm.beamDepth] ?? []);
    const active = this.selectedId && vm?.nodes.has(this.selectedId) ? `opt-${this.selectedId}` : nothing;
    return html`<div class="head">
        <span class="small muted">${plural(total, 'prompt')}</span>
        <label class="small">
          Order
          <select .value=${this.sort} @change=${this.onSort} aria-label="Order of the prompt list">
            <option value="newest">Newest first</option>
            <option value="reward">Highest reward first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </label>
      </div>
      <div
        class="viewport"
        role="listbox"
        tabindex="0"
        aria-label="Evaluated prompts"
        aria-activedescendant=${active}
        @scroll=${this.onScroll}
        @keydown=${this.onKey}
      >
        ${
          total === 0
            ? html`<p class="muted small" style="padding:12px">No prompts yet.</p>`
            : html`<div class="spacer" style="height:${total * ROW_HEIGHT}px">
                ${visible.map((id, i) => {
                  const n = vm!.nodes.get(id)!;
                  const index = first + i;
                  return html`<div
                    class="row"
                    id="opt-${id}"
                    role="option"
                    aria-selected=${id === this.selectedId ? 'true' : 'false'}
                    aria-setsize=${total}
                    aria-posinset=${index + 1}
                    style="top:${index * ROW_HEIGHT}px"
                    @click=${() => this.select(id)}
                  >
                    <span class="score" aria-label="reward">${formatReward(n.reward)}</span>
                    <span class="badge">d${n.depth}</span>
                    ${current.has(id) ? html`<span class="badge ok">beam</span>` : nothing}
                    ${n.carriedForward ? html`<span class="badge">↻ carried</span>` : nothing}
                    ${n.reward === null ? html`<span class="badge warn">not scored</span>` : nothing}
                    <span class="preview">${this.preview(vm!, id)}</span>
                  </div>`;
                })}
              </div>`
        }
      </div>`;
  }

  private readonly onSort = (e: Event): void => {
    this.sort = (e.target as HTMLSelectElement).value as NodeSort;
  };

  private readonly onScroll = frameScrollHandler((el) => (this.scrollPos = el.scrollTop));

  private select(id: string): void {
    this.dispatchEvent(new CustomEvent('node-selected', { detail: { nodeId: id }, bubbles: true, composed: true }));
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const total = this.count;
    if (!total) return;
    const page = Math.max(1, Math.floor(this.viewportSize.value / ROW_HEIGHT) - 1);
    const at = this.selectedId ? this.indexOfId(this.selectedId) : -1;
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: total - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(total - 1, moves[e.key]!));
    this.scrollToIndex(next);
    this.select(this.idAt(next)!);
  };

  /** Brings a row into view (used by keyboard moves and when the selection changes elsewhere). */
  scrollToIndex(index: number): void {
    const vp = this.renderRoot.querySelector<HTMLElement>('.viewport');
    if (!vp) return;
    const top = index * ROW_HEIGHT;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + ROW_HEIGHT > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + ROW_HEIGHT - vp.clientHeight;
    this.scrollPos = vp.scrollTop;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-node-list': DrpoNodeList;
  }
}
