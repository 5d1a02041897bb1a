/** Shared shadow-DOM styles (buttons, fields, cards) so every view looks alike. */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    display: block;
    font-family: var(--drpo-font);
    color: var(--drpo-fg);
    /* A word too long for its line (a name quoted in a note, a URL) breaks rather than running past the edge of
       a phone's page. It changes no box's size: only text that would overflow wraps. */
    overflow-wrap: break-word;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 3px solid var(--drpo-focus);
    outline-offset: 2px;
  }
  h2 {
    font-size: 1.35rem;
    margin: 0 0 8px;
  }
  h3 {
    font-size: 1.08rem;
    margin: 0 0 8px;
  }
  /* Headings hold the names users give (a run, an alignment): one long word (a file-like name) wraps instead
     of widening a narrow page past its edge. */
  h2,
  h3,
  h4 {
    overflow-wrap: anywhere;
  }
  p {
    margin: 0 0 8px;
  }
  a {
    color: var(--drpo-accent);
  }
  .muted {
    color: var(--drpo-muted);
  }
  .small {
    font-size: 0.875rem;
  }
  .card {
    background: var(--drpo-surface);
    border: 1px solid var(--drpo-border);
    border-radius: var(--drpo-radius);
    padding: 16px;
    box-shadow: var(--drpo-shadow);
  }
  .stack > * + * {
    margin-top: 12px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  button,
  .button {
    font: inherit;
    font-size: 0.95rem;
    min-height: 36px;
    padding: 6px 14px;
    border-radius: 6px;
    border: 1px solid var(--drpo-border);
    background: var(--drpo-surface-2);
    color: var(--drpo-fg);
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  button:hover:not(:disabled, [aria-disabled='true']),
  .button:hover {
    border-color: var(--drpo-accent);
  }
  button.primary,
  .button.primary {
    background: var(--drpo-accent);
    border-color: var(--drpo-accent);
    color: var(--drpo-accent-fg);
  }
  button.danger {
    color: var(--drpo-danger);
    border-color: var(--drpo-danger);
    background: transparent;
  }
  /*
   * Forced colours drop the accent fill, and the main action (Start, Run evaluation, …) would look like the
   * buttons beside it: it keeps a frame three times as thick and a bold label (the padding keeps its size).
   * They drop the red of a button that ends or removes something (Delete, Cancel, Stop) too: it keeps a dashed
   * frame, unlike any other button's (the system's colours stay: the dashes are the cue, not the colour).
   */
  @media (forced-colors: active) {
    button.primary,
    .button.primary {
      border: 3px solid ButtonText;
      padding: 4px 12px;
      font-weight: 700;
    }
    button.primary:disabled,
    button.primary[aria-disabled='true'] {
      border-color: GrayText;
    }
    button.danger {
      border-width: 2px;
      border-style: dashed;
      padding: 5px 13px;
    }
  }
  /*
   * Bars (ui/templates/progress-bar.ts, the score meters): forced colours replace a fill's background with the
   * page's, so a bar would look empty at any value; the fill keeps a system colour of its own. Here, not beside
   * each bar, so no host of one can miss it. '[class]' outweighs a host's own state colour ('.fill.high').
   */
  @media (forced-colors: active) {
    .track > .fill[class] {
      forced-color-adjust: none;
      background: Highlight;
    }
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  input[type='text'],
  input[type='url'],
  input[type='password'],
  input[type='number'],
  select,
  textarea {
    font: inherit;
    color: var(--drpo-fg);
    background: var(--drpo-surface);
    border: 1px solid var(--drpo-border);
    border-radius: 6px;
    padding: 6px 10px;
    min-height: 36px;
    max-width: 100%;
  }
  textarea {
    width: 100%;
    resize: vertical;
  }
  label {
    font-weight: 500;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    /* As a flex item a field would otherwise grow to its widest option and push a phone screen sideways. */
    min-width: 0;
    max-width: 100%;
  }
  .badge {
    display: inline-block;
    font-size: 0.75rem;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--drpo-accent-soft);
    color: var(--drpo-fg);
    border: 1px solid var(--drpo-border);
    white-space: nowrap;
  }
  .badge.ok {
    color: var(--drpo-ok);
    border-color: currentColor;
    background: transparent;
  }
  .badge.warn {
    color: var(--drpo-warn);
    border-color: currentColor;
    background: transparent;
  }
  /* Why a field's value was refused, next to it (settings panel, Evaluate). */
  .bad {
    font-size: 0.8rem;
    color: var(--drpo-danger);
  }
  input[aria-invalid='true'] {
    border-color: var(--drpo-danger);
  }
  .error {
    color: var(--drpo-danger);
    background: var(--drpo-danger-bg);
    border: 1px solid var(--drpo-danger);
    border-radius: 6px;
    padding: 8px 12px;
  }
  .warn-box {
    color: var(--drpo-fg);
    background: var(--drpo-warn-bg);
    border: 1px solid var(--drpo-warn);
    border-radius: 6px;
    padding: 8px 12px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  /* A visually hidden file input sits right before its label-styled-as-button: show its focus there. */
  .visually-hidden:focus-visible + .button {
    outline: 3px solid var(--drpo-focus);
    outline-offset: 2px;
  }
  /* Its input disabled (a file being read), the label looks and acts like a disabled button. */
  .visually-hidden:disabled + .button {
    opacity: 0.55;
    cursor: not-allowed;
    border-color: var(--drpo-border);
  }
  pre,
  code {
    font-family: var(--drpo-mono);
    font-size: 0.875rem;
  }
  pre.prompt {
    white-space: pre-wrap;
    word-break: break-word;
    background: var(--drpo-surface-2);
    padding: 12px;
    border-radius: 6px;
    margin: 0;
    max-height: 360px;
    overflow: auto;
  }
`;
