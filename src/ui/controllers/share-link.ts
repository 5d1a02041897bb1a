/**
 * Copying an alignment's share link, for every view that offers one (Result, History). One place decides
 * what is copied, so no view copies a link the app then refuses to open: a link longer than a link may be
 * is never copied, and one that opens but is too long to share reliably is copied only when there are no
 * examples left to drop. Otherwise the view shows the choice rendered here: copy a shorter link without the
 * examples, or download the file.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveElement } from 'lit';
import { encodeAlignmentLink, linkSizeAdvice } from '../../core/formats/link-codec';
import type { LinkSizeLevel } from '../../core/formats/link-codec';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { copyText, pageUrlWithFragment } from '../helpers/download';
import { describeError } from '../helpers/error-messages';
import { keepFocus } from '../helpers/focus';

export type ShareLinkOffer = {
  /** The alignment the link was made for. */
  artifact: AlignmentArtifact;
  /** The view's name for it (History's row), kept when its lists are read again. */
  key: string;
  url: string;
  bytes: number;
  level: LinkSizeLevel;
  message: string;
  /** Made without the examples. */
  dropped: boolean;
  /** The link may be shared (it opens); false: the view offers the choice instead. */
  shareable: boolean;
  /** It is on the clipboard (false: not shareable, or the browser blocked copying). */
  copied: boolean;
};

const selectAll = (e: Event): void => (e.target as HTMLInputElement).select();

/** A shorter link can still be made: this one carries examples to drop. */
const canDropExamples = (artifact: AlignmentArtifact, dropped: boolean): boolean => !dropped && artifact.icl.length > 0;

export class ShareLinkController implements ReactiveController {
  offer: ShareLinkOffer | null = null;

  constructor(
    private readonly host: ReactiveElement,
    /** How the view tells what happened (a status line, a toast). */
    private readonly report: (message: string, error: boolean) => void,
    /** Where focus goes when the choice it was in goes away: the view's Copy button for that alignment. */
    private readonly copyButton: (key: string) => Element | null,
  ) {
    host.addController(this);
  }

  /** Nothing to do on connect; declared so TypeScript takes this for a ReactiveController (a weak type). */
  hostConnected(): void {}

  clear(): void {
    this.offer = null;
    this.host.requestUpdate();
  }

  async copy(artifact: AlignmentArtifact, key = '', dropIcl = false): Promise<void> {
    let offer: ShareLinkOffer;
    try {
      const { fragment, bytes, unpacked } = await encodeAlignmentLink(artifact, { dropIcl });
      const canDrop = canDropExamples(artifact, dropIcl);
      const advice = linkSizeAdvice(bytes, canDrop, unpacked);
      const shareable = advice.level !== 'refused' && !(advice.level === 'too-long' && canDrop);
      offer = {
        artifact,
        key,
        url: pageUrlWithFragment(fragment),
        bytes,
        ...advice,
        dropped: dropIcl,
        shareable,
        copied: false,
      };
    } catch (err) {
      this.report(`The share link could not be made: ${describeError(err).message}`, true);
      return;
    }
    if (offer.shareable) offer.copied = await copyText(offer.url);
    this.offer = offer;
    this.host.requestUpdate();
    if (!offer.shareable) {
      // 'refused' is a link too long, or one too large once unpacked (long Chinese or emoji text packs into a short link).
      const why = offer.level === 'refused' ? 'it would not open' : 'it is too long to share reliably';
      this.report(`The link was not copied: ${why}; choose below.`, true);
    } else if (offer.copied) {
      this.report(`Share link copied${dropIcl ? ' (without examples)' : ''}. ${offer.message}`, false);
    } else this.report('Copying was blocked by the browser; the link could not be copied.', true);
  }

  /** A button of the choice was pressed: the choice may go, and with it the focused button. */
  private chosen(o: ShareLinkOffer, act: () => Promise<void>): void {
    keepFocus(this.host, () => this.copyButton(o.key), act());
  }

  /**
   * The link's size in words, with the choice when it was not made shareable, or the link to select by hand.
   * `always`: also after a copy that worked (the Result view keeps the link in sight).
   */
  render(download: () => void, always = true) {
    const o = this.offer;
    if (!o || (!always && o.copied)) return nothing;
    if (o.shareable) {
      return html`<div data-share-link>
        <p class="small">${o.message}</p>
        <div class="field">
          <label for="share-url" class="small">Share link (select and copy if the button could not)</label>
          <input id="share-url" type="text" readonly .value=${o.url} @focus=${selectAll} />
        </div>
      </div>`;
    }
    return html`<div class="warn-box" data-share-link>
      <p class="small">${o.message}</p>
      <div class="row">
        ${
          canDropExamples(o.artifact, o.dropped)
            ? html`<button @click=${() => this.chosen(o, () => this.copy(o.artifact, o.key, true))}>
                Drop the examples and copy a shorter link
              </button>`
            : nothing
        }
        <button
          @click=${() =>
            this.chosen(o, async () => {
              download();
              this.clear();
            })}
        >
          Download the file instead
        </button>
      </div>
    </div>`;
  }
}
