/**
 * "Use it": the alignment as an Ollama Modelfile, JSON messages, an OpenAI-SDK snippet, a WebLLM
 * snippet or a llama.cpp system-prompt file, each shown, copyable and downloadable. The text comes
 * from the pure builders in core/formats/export-formats.ts; this element only picks, shows and hands it over.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../app/styles';
import { copyText, downloadText } from '../helpers/download';
import type { ExportFormat, ExportFormatId } from '../../core/formats/export-formats';
import { exportExamplesNote } from '../../core/formats/alignment-facts';

/** Loaded on first use: the builders (and their snippet texts) stay out of the page's first chunk. */
let formats: Promise<readonly ExportFormat[]> | null = null;
function loadFormats(): Promise<readonly ExportFormat[]> {
  formats ??= import('../../core/formats/export-formats').then((m) => m.EXPORT_FORMATS);
  return formats;
}
import type { AlignmentArtifact } from '../../core/contracts/alignment';

@customElement('drpo-use-it')
export class DrpoUseIt extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .formats button[aria-pressed='true'] {
        border: 2px solid var(--drpo-accent);
        background: var(--drpo-accent-soft);
        font-weight: 600;
      }
      /*
       * Forced colours drop the tint and the accent: the chosen format gets a thick border (not an outline,
       * which the focus ring of the same button would replace); the padding keeps the button's size.
       */
      @media (forced-colors: active) {
        .formats button[aria-pressed='true'] {
          border: 3px solid Highlight;
          padding: 4px 12px;
        }
      }
      pre.code {
        max-height: 320px;
        overflow: auto;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-family: var(--drpo-mono);
        font-size: 0.82rem;
        background: var(--drpo-surface-2);
        border: 1px solid var(--drpo-border);
        border-radius: 6px;
        padding: 10px;
        margin: 0;
      }
      code {
        font-family: var(--drpo-mono);
      }
    `,
  ];

  @property({ attribute: false }) artifact: AlignmentArtifact | null = null;
  @state() private format: ExportFormatId = 'ollama';
  @state() private status = '';
  @state() private formats: readonly ExportFormat[] | null = null;
  @state() private loadError = '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.formats)
      loadFormats().then(
        (f) => (this.formats = f),
        () => (this.loadError = 'The export formats could not be loaded. Reload the page to try again.'),
      );
  }

  override render() {
    const a = this.artifact;
    if (!a) return nothing;
    if (!this.formats)
      return html`<p class="small muted" role="status">${this.loadError || 'Preparing the exports…'}</p>`;
    const all = this.formats;
    const f = all.find((x) => x.id === this.format) ?? all[0]!;
    const text = f.build(a);
    const note = exportExamplesNote(a);
    return html`<section class="stack" aria-labelledby="use-it-h">
      <h3 id="use-it-h">Use it</h3>
      <p class="small muted">Run this alignment in your own tools.${note.lost ? '' : ` ${note.text}`}</p>
      ${
        note.lost
          ? // Answers that may differ from those measured are worth reading before a user copies: not muted.
            html`<p class="warn-box small" role="note" data-examples-lost>${note.text}</p>`
          : nothing
      }
      <div class="row formats" role="group" aria-label="Export format">
        ${all.map(
          (x) =>
            html`<button
              aria-pressed=${x.id === f.id ? 'true' : 'false'}
              @click=${() => {
                this.format = x.id;
                this.status = '';
              }}
            >
              ${x.label}
            </button>`,
        )}
      </div>
      <p class="small">${f.howTo}</p>
      <pre class="code" data-export=${f.id} aria-label="${f.label} text" tabindex="0">${text}</pre>
      <div class="row">
        <button class="primary" @click=${() => void this.copy(f.label, text)}>Copy ${f.label}</button>
        <button @click=${() => this.download(f.fileName, f.mime, text)}>Download ${f.fileName}</button>
        <span class="small" role="status" aria-live="polite">${this.status}</span>
      </div>
    </section>`;
  }

  private async copy(label: string, text: string): Promise<void> {
    const ok = await copyText(text);
    this.status = ok ? `${label} copied.` : 'Copying was blocked by the browser: select the text above and copy it.';
  }

  private download(fileName: string, mime: string, text: string): void {
    downloadText(text, fileName, mime);
    this.status = `Downloading ${fileName}.`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'drpo-use-it': DrpoUseIt;
  }
}
