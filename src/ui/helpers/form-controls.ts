/**
 * Form controls bound to a value, so a view says what a field is and what it changes in one line:
 * text and number inputs (`set` hears every keystroke), check boxes and radio options in their labels
 * (a click on the words toggles them), and a file chooser shown as a button.
 */
import { html, noChange, nothing } from 'lit';
import { live } from 'lit/directives/live.js';

export interface InputOptions {
  type?: 'text' | 'url' | 'password' | 'number';
  placeholder?: string;
  autocomplete?: string;
  /** Id of a <datalist> of suggestions. */
  list?: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  inputmode?: 'numeric' | 'decimal';
  describedBy?: string;
  /** Sets aria-invalid ('true' / 'false'); left off when undefined. */
  invalid?: boolean;
  /**
   * Also told the value when it is committed (blur, Enter): for checks that should not run per keystroke. Told
   * once per change, including the changes the browser fires no change event for because the value it reads
   * stayed '' (an empty box that gets "1e", or "1e" that is cleared).
   */
  onChange?: (value: string) => void;
  /**
   * Compare `value` with what the box holds, not with the value last rendered: for a view that follows every
   * keystroke (`set`) and may put another value in the box than the one typed (a default shown again). Lit
   * writes a value only when it differs from the one it rendered last, and that may be the new one while the
   * box holds other text ("1e", which it never rendered).
   */
  live?: boolean;
}

/**
 * Stands for text typed into a number input that is no number ("1e", "1,5", "--2"): the browser reports it as
 * '' with validity.badInput, as if the box were empty. Number() of it is NaN, so every reader refuses it.
 */
export const NOT_A_NUMBER = 'not a number';

/** The value of an input as typed; for a number input holding no number, NOT_A_NUMBER (never ''). */
export function typedValue(input: HTMLInputElement): string {
  return input.type === 'number' && input.validity.badInput ? NOT_A_NUMBER : input.value;
}

/**
 * What each input held (as typedValue reads it) when it was focused or last committed. The browser fires change
 * when the value it reads differs, and a number input reads '' both when empty and when holding "1e": leaving a
 * box that reads '' commits when this differs, so neither way between the two is missed. Only then: a box that
 * reads a number had its change event, and the view may since have written its own form of it ("10.004" shown
 * as "10"), which must not be committed over what was typed.
 */
const lastCommitted = new WeakMap<HTMLInputElement, string>();

function missedChange(input: HTMLInputElement): boolean {
  return input.value === '' && typedValue(input) !== lastCommitted.get(input);
}

/**
 * `set` hears every keystroke. A number input whose value is NOT_A_NUMBER is left as it is: writing it back
 * would wipe what was typed.
 */
export function textInput(id: string, value: string, set: (v: string) => void, o: InputOptions = {}) {
  const onChange = o.onChange;
  const target = (e: Event) => e.target as HTMLInputElement;
  const commit = (input: HTMLInputElement) => {
    const typed = typedValue(input);
    lastCommitted.set(input, typed);
    onChange?.(typed);
  };
  return html`<input
    id=${id}
    type=${o.type ?? 'text'}
    placeholder=${o.placeholder ?? nothing}
    autocomplete=${o.autocomplete ?? nothing}
    list=${o.list ?? nothing}
    min=${o.min ?? nothing}
    max=${o.max ?? nothing}
    step=${o.step ?? nothing}
    inputmode=${o.inputmode ?? nothing}
    aria-describedby=${o.describedBy ?? nothing}
    aria-invalid=${o.invalid === undefined ? nothing : String(o.invalid)}
    .value=${value === NOT_A_NUMBER ? noChange : o.live ? live(value) : value}
    @input=${(e: Event) => set(typedValue(target(e)))}
    @focus=${onChange ? (e: Event) => lastCommitted.set(target(e), typedValue(target(e))) : nothing}
    @change=${onChange ? (e: Event) => commit(target(e)) : nothing}
    @blur=${onChange ? (e: Event) => missedChange(target(e)) && commit(target(e)) : nothing}
  />`;
}

/**
 * A number field whose empty box means "the default", a default that may change under it (the answer length
 * follows the chosen alignments): the number typed and taken (null: the default), what the box holds while that
 * is not the number used (being typed, or refused; null: it shows the number used), and why it was refused.
 * Views keep it in one `@state()` and render it with `textInput(..., { live: true })` (numberShown, typing,
 * commitNumber).
 */
export interface DefaultedNumber {
  readonly typed: number | null;
  readonly text: string | null;
  readonly error: string;
}

/** A field on its default, nothing refused. */
export const ON_DEFAULT: DefaultedNumber = { typed: null, text: null, error: '' };

/** What the box shows: what is being typed or was refused, else the number used. */
export function numberShown(field: DefaultedNumber, fallback: number): string {
  return field.text ?? String(field.typed ?? fallback);
}

/** A keystroke: the box holds `text` (nothing is checked until it is committed). */
export function typing(field: DefaultedNumber, text: string): DefaultedNumber {
  return { ...field, text };
}

/**
 * The field once `raw` is committed: an empty box is the default again (shown back in it); a number `problem`
 * refuses stays in the box with why, and the number taken before stays taken (Run waits for the refusal to go).
 */
export function commitNumber(
  field: DefaultedNumber,
  raw: string,
  problem: (n: number) => string | null,
): DefaultedNumber {
  if (raw.trim() === '') return ON_DEFAULT;
  const n = Number(raw); // NOT_A_NUMBER is NaN: refused as no number
  const why = problem(n);
  return why === null ? { typed: n, text: null, error: '' } : { ...field, text: raw, error: why };
}

/**
 * What the default follows changed (another alignment ticked): a box that was on the default shows the new one,
 * and the refusal of what was typed over it goes with that text. A number taken stays, with what was typed after.
 */
export function followDefault(field: DefaultedNumber): DefaultedNumber {
  return field.typed === null ? ON_DEFAULT : field;
}

/**
 * Why a field's value was refused, next to it (its id goes in the input's describedBy). The alert role is there
 * while the text is empty, so the words are announced when they come: some screen readers miss an alert whose
 * role arrives with its text.
 */
export function fieldError(id: string, message: string) {
  return html`<span class="bad" id=${id} role="alert">${message}</span>`;
}

export function checkbox(label: unknown, checked: boolean, set: (on: boolean) => void, cls?: string) {
  return html`<label class=${cls ?? nothing}
    ><input type="checkbox" .checked=${checked} @change=${(e: Event) => set((e.target as HTMLInputElement).checked)} />
    ${label}</label
  >`;
}

export function radio(name: string, label: unknown, checked: boolean, select: () => void, cls = 'choice') {
  return html`<label class=${cls}
    ><input type="radio" name=${name} .checked=${checked} @change=${select} /> ${label}</label
  >`;
}

/** The input is visually hidden but keeps its place in the tab order; its label is the button. */
export function filePicker(
  id: string,
  accept: string,
  label: string,
  pick: (e: Event) => void,
  buttonClass = 'button',
  disabled = false,
) {
  return html`<input
      id=${id}
      class="visually-hidden"
      type="file"
      accept=${accept}
      ?disabled=${disabled}
      @change=${pick}
    />
    <label class=${buttonClass} for=${id} aria-disabled=${disabled ? 'true' : nothing}>${label}</label>`;
}

/**
 * Enter that sends or commits: not Shift+Enter (a new line), and not the Enter that confirms an IME
 * composition (Japanese, Chinese, Korean input), which only picks the characters. Chrome reports that
 * one with isComposing, Safari with keyCode 229 after the composition ended.
 */
export function isSubmitEnter(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229;
}
