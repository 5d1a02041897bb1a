/**
 * The search tree as a small SVG: one column per depth, nodes coloured by reward AND labelled
 * with the number, the current beam outlined, carried-forward levels marked with ↻.
 * Nodes are focusable buttons with a roving tabindex (one tab stop; arrows move).
 *
 * Performance: only the columns in view (plus an overscan) are in the DOM — SVG layout cost
 * grows with its children, so a 500-node tree must not hold 500 groups. Visible columns render
 * through `guard`, keyed on what can change in a column (node count, beam, selection), so a new
 * node re-renders one column, not the tree.
 */
import { LitElement, css, html, svg, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { baseStyles } from '../../app/styles';
import { SizeController, frameScrollHandler } from '../../controllers/size-controller';
import type { RunViewModel } from '../../view-models/run/run-view-model';
import { plural } from '../../../core/words/list-words';
import type { SearchNode } from '../../../core/contracts/search-node';

const COL = 68;
const ROW = 34;
const W = 50;
const H = 24;
const TOP = 26;
const PAD = 20;
/** Horizontal gap between a node and the next column's nodes, where the edges run. */
const GAP = COL - W;
/** Columns rendered beyond each edge of the viewport. */
const OVERSCAN_COLS = 3;

/** Red (1) → olive (3) → green (5); 26% lightness keeps white 12px labels above 4.5:1 at every hue. */
export function rewardColor(r: number | null): string {
  if (r === null) return '#4a4f5c'; // fixed grey: white labels stay readable in both themes
  const t = Math.max(0, Math.min(1, (r - 1) / 4));
  return `hsl(${Math.round(t * 125)} 70% 26%)`;
}

export function formatReward(r: number | null | undefined): string {
  return typeof r === 'number' ? r.toFixed(2) : '—';
}

/**
 * "17 prompts: your starting prompt and 6 levels": levels counted as the Run page and the Live view count them
 * (the search's, not the starting prompt's level 0, which the tree's label counted as a seventh).
 */
export function treeLabel(prompts: number, levels: number): string {
  const p = plural(prompts, 'prompt');
  return levels <= 0 ? `${p}: your starting prompt` : `${p}: your starting prompt and ${plural(levels, 'level')}`;
}

@customElement('drpo-beam-tree')
export class DrpoBeamTree extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .scroller {
        contain: content;
        overflow: auto;
        max-height: 420px;
        border: 1px solid var(--drpo-border);
        border-radius: var(--drpo-radius);
        background: var(--drpo-surface);
      }
      .canvas {
        position: relative;
      }
      svg.col {
        position: absolute;
        top: 0;
        display: block;
        contain: layout paint style;
      }
      .node {
        cursor: pointer;
        outline: none;
      }
      .node rect {
        stroke: var(--drpo-surface);
        stroke-width: 1;
      }
      .node.beam rect {
        stroke: var(--drpo-fg);
        stroke-width: 3;
      }
      /* Before the selected and focus rules: a failed node keeps its dashes but shows those states' colours. */
      .node.failed rect {
        stroke-dasharray: 4 3;
        stroke: var(--drpo-fg);
      }
      .node.selected rect {
        stroke: var(--drpo-accent);
        stroke-width: 4;
      }
      .node:focus-visible rect {
        stroke: var(--drpo-focus);
        stroke-width: 4;
      }
      /*
       * Forced colours keep an SVG's own colours but not their meaning, and the page's colours may vanish
       * against the user's: every line takes a system colour. The beam's outline and a failed node's dashes
       * the text colour; the focus line the highlight colour; the selected node a highlight line twice as
       * thick as the beam's, also while it has focus, so its width tells it from a node that only has focus.
       * After the rules above, so it wins over them.
       */
      @media (forced-colors: active) {
        .node.beam rect,
        .node.failed rect {
          stroke: CanvasText;
        }
        .node:focus-visible rect {
          stroke: Highlight;
        }
        .node.selected rect,
        .node.selected:focus-visible rect {
          stroke: Highlight;
          stroke-width: 6;
        }
      }
      .node text {
        fill: #fff;
        font: 600 12px var(--drpo-font);
        pointer-events: none;
      }
      .edge {
        stroke: var(--drpo-border);
        stroke-width: 1.5;
        fill: none;
      }
      .depth-label {
        fill: var(--drpo-muted);
        font: 12px var(--drpo-font);
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        font-size: 0.8rem;
        color: var(--drpo-muted);
        margin-top: 6px;
      }
      .empty {
        padding: 16px;
      }
    `,
  ];

  @property({ attribute: false }) vm: RunViewModel | null = null;
  @property({ attribute: false }) selectedId: string | null = null;
  /** Keep the newest depth in view (the live view turns this off once the user picks a node). */
  @property({ type: Boolean }) follow = false;

  /** Row of each node in its depth column; filled incrementally as columns grow. */
  private rowOf = new Map<string, number>();
  private seenPerDepth: number[] = [];
  private focusId: string | null = null;
  private indexedRun: string | null = null;
  @state() private scrollX = 0;
  /** Width of the scroller, for deciding which depth columns to render. */
  private readonly scrollerSize = new SizeController(this, '.scroller', 'width', 1200);
  private followedCols = -1;

  /** Depth range currently in the DOM (inclusive start, exclusive end). */
  visibleColumns(total: number): [number, number] {
    const first = Math.max(0, Math.floor((this.scrollX - PAD) / COL) - OVERSCAN_COLS);
    const last = Math.min(total, Math.ceil((this.scrollX + this.scrollerSize.value) / COL) + OVERSCAN_COLS);
    return [first, last];
  }

  override render() {
    const vm = this.vm;
    if (!vm || vm.order.length === 0) {
      return html`<div class="scroller empty muted" role="note">
        No prompts evaluated yet. The tree grows here as the search runs.
      </div>`;
    }
    this.index(vm);
    const rows = vm.byDepth.reduce((m, c) => Math.max(m, c.length), 1);
    const width = PAD * 2 + vm.byDepth.length * COL;
    const height = TOP + rows * ROW + PAD;
    const current = new Set(vm.beams[vm.beamDepth] ?? []);
    let tabId = this.tabStop(vm);
    const [first, last] = this.visibleColumns(vm.byDepth.length);
    const tabDepth = tabId ? vm.nodes.get(tabId)?.depth : undefined;
    // The tab stop must be a rendered node, or the tree would drop out of the tab order.
    if (tabDepth === undefined || tabDepth < first || tabDepth >= last) tabId = vm.byDepth[first]?.[0] ?? null;
    const cols: number[] = [];
    for (let d = first; d < last; d++) cols.push(d);
    return html`<div class="scroller" @keydown=${this.onKey} @scroll=${this.onScroll}>
        <div
          class="canvas"
          style="width:${width}px;height:${height}px"
          role="group"
          aria-label="Search tree: ${treeLabel(vm.order.length, vm.byDepth.length - 1)}"
        >
          ${repeat(
            cols,
            (d) => d,
            (d) => {
              const ids = vm.byDepth[d]!;
              const beam = vm.beams[d] ?? [];
              const sel = this.selectedId && ids.includes(this.selectedId) ? this.selectedId : '';
              const tab = tabId && ids.includes(tabId) ? tabId : '';
              const inCurrent = d === vm.beamDepth;
              return guard([ids.length, beam, sel, tab, inCurrent, vm.carriedDepths.has(d)], () =>
                this.column(vm, d, ids, beam, current, sel, tab),
              );
            },
          )}
        </div>
      </div>
      <div class="legend" aria-hidden="true">
        <span>Number = the prompt’s score (1–5)</span><span>Thick outline = beam</span><span>↻ = carried forward</span
        ><span>Dashed = judging failed</span>
      </div>`;
  }

  /**
   * One depth as its own small SVG (absolutely placed, size-contained): a new node re-lays out
   * this column only, not one big SVG. It spans from the parents' right edge to its own nodes,
   * so it also draws its incoming edges.
   */
  private column(
    vm: RunViewModel,
    d: number,
    ids: string[],
    beam: string[],
    current: Set<string>,
    sel: string,
    tab: string,
  ) {
    const left = PAD + d * COL - GAP;
    const carried = vm.carriedDepths.has(d);
    let rows = ids.length;
    const parts = ids.map((id, row) => {
      const n = vm.nodes.get(id)!;
      const y = TOP + row * ROW;
      const pr = n.parentId !== null ? this.rowOf.get(n.parentId) : undefined;
      if (pr !== undefined) rows = Math.max(rows, pr + 1);
      const edge =
        pr !== undefined
          ? svg`<path class="edge" d="M0 ${TOP + pr * ROW + H / 2} L${GAP} ${y + H / 2}"></path>`
          : nothing;
      return svg`${edge}${this.nodeEl(n, { x: GAP, y }, beam.includes(id), current.has(id), id === sel, id === tab)}`;
    });
    const h = TOP + rows * ROW;
    // 4 px wider than a column so the thick outline of a selected node is not clipped.
    const w = COL + 4;
    return html`<svg class="col" style="left:${left}px" width=${w} height=${h} viewBox="0 0 ${w} ${h}">
      <text class="depth-label" x=${GAP} y="14">${carried ? '↻ ' : ''}d${d}</text>
      ${parts}
    </svg>`;
  }

  private nodeEl(
    n: SearchNode,
    p: { x: number; y: number },
    inBeam: boolean,
    current: boolean,
    selected: boolean,
    tab: boolean,
  ) {
    const failed = n.reward === null;
    const label = `Depth ${n.depth}, score ${failed ? 'not scored (judging failed)' : formatReward(n.reward)}${
      inBeam ? ', in the beam' : ''
    }${current ? ' (current)' : ''}${n.carriedForward ? ', carried forward' : ''}`;
    return svg`<g
      class="node ${inBeam ? 'beam' : ''} ${selected ? 'selected' : ''} ${failed ? 'failed' : ''}"
      role="button"
      tabindex=${tab ? 0 : -1}
      data-id=${n.id}
      aria-label=${label}
      aria-pressed=${selected ? 'true' : 'false'}
      @click=${() => this.select(n.id)}
    >
      <rect x=${p.x} y=${p.y} width=${W} height=${H} rx="5" fill=${rewardColor(n.reward)}></rect>
      <text x=${p.x + W / 2} y=${p.y + 16} text-anchor="middle">${n.carriedForward ? '↻' : ''}${formatReward(n.reward)}</text>
    </g>`;
  }

  private index(vm: RunViewModel): void {
    if (this.indexedRun !== vm.runId) {
      this.indexedRun = vm.runId;
      this.rowOf = new Map();
      this.seenPerDepth = [];
    }
    for (let d = 0; d < vm.byDepth.length; d++) {
      const ids = vm.byDepth[d]!;
      for (let i = this.seenPerDepth[d] ?? 0; i < ids.length; i++) this.rowOf.set(ids[i]!, i);
      this.seenPerDepth[d] = ids.length;
    }
  }

  private tabStop(vm: RunViewModel): string | null {
    if (this.focusId && vm.nodes.has(this.focusId)) return this.focusId;
    if (this.selectedId && vm.nodes.has(this.selectedId)) return this.selectedId;
    return vm.order[0] ?? null;
  }

  private select(id: string): void {
    this.focusId = id;
    this.dispatchEvent(new CustomEvent('node-selected', { detail: { nodeId: id }, bubbles: true, composed: true }));
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const vm = this.vm;
    const target = (e.target as Element).closest?.('.node') as SVGGElement | null;
    const id = target?.dataset.id;
    if (!vm || !id) return;
    const n = vm.nodes.get(id);
    if (!n) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.select(id);
      return;
    }
    const col = vm.byDepth[n.depth] ?? [];
    const row = this.rowOf.get(id) ?? 0;
    let next: string | undefined;
    if (e.key === 'ArrowDown') next = col[row + 1];
    else if (e.key === 'ArrowUp') next = col[row - 1];
    else if (e.key === 'ArrowLeft') next = n.parentId ?? undefined;
    else if (e.key === 'ArrowRight') next = vm.byDepth[n.depth + 1]?.find((c) => vm.nodes.get(c)?.parentId === id);
    else if (e.key === 'Home') next = vm.order[0];
    else if (e.key === 'End') next = vm.newestNodeId ?? undefined;
    if (!next) return;
    e.preventDefault();
    this.focusId = next;
    this.revealColumn(vm.nodes.get(next)?.depth ?? 0);
    this.requestUpdate();
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<SVGGElement>(`.node[data-id="${CSS.escape(next)}"]`)?.focus(),
    );
  };

  protected override updated(): void {
    const vm = this.vm;
    if (!this.follow || !vm) return;
    // Scroll only when a level is added, and in the next frame: a scroll write needs a clean
    // layout, which it has before that frame's updates but not in the middle of this one.
    const cols = vm.byDepth.length;
    if (cols === this.followedCols) return;
    this.followedCols = cols;
    const target = Math.max(0, PAD * 2 + cols * COL - this.scrollerSize.value);
    requestAnimationFrame(() => {
      const s = this.renderRoot.querySelector<HTMLElement>('.scroller');
      if (s && target > this.scrollX) {
        s.scrollLeft = target;
        this.scrollX = target;
      }
    });
  }

  private readonly onScroll = frameScrollHandler((el) => (this.scrollX = el.scrollLeft));

  /** Brings a depth column into the rendered range (keyboard moves may leave the view). */
  private revealColumn(depth: number): void {
    const s = this.renderRoot.querySelector<HTMLElement>('.scroller');
    const x = PAD + depth * COL;
    if (!s) return;
    if (x < s.scrollLeft) s.scrollLeft = Math.max(0, x - PAD);
    else if (x + W > s.scrollLeft + this.scrollerSize.value) s.scrollLeft = x + W + PAD - this.scrollerSize.value;
    this.scrollX = s.scrollLeft;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-beam-tree': DrpoBeamTree;
  }
}
