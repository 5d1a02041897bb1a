/**
 * Reading endpoint replies with a byte cap. A hostile or broken server can answer with gigabytes
 * (`res.text()` then dies with "Cannot create a string longer than …" after filling memory); these
 * readers stream the body and stop at the cap, cancelling the connection, with an error a user can act on.
 */
import { concatBytes, formatBytes } from '../../core/formats/bytes';
import { AppError, ErrorName } from '../../core/contracts/errors';

/** One SSE line carries one token delta (or, from some servers, a whole answer): 1 MB is plenty. */
export const MAX_SSE_LINE_CHARS = 1024 * 1024;
/** Error bodies only need their first words. */
export const ERROR_BODY_BYTES = 64 * 1024;

export function replyTooLarge(maxBytes: number, url: string, what = 'a reply'): AppError {
  return new AppError(
    ErrorName.ReplyTooLarge,
    `The endpoint sent ${what} larger than ${formatBytes(maxBytes)}, so it was not read. Check that the base URL ` +
      'points at a model server; if such long answers are expected, raise the reply size limit.',
    { detail: url },
  );
}

function declaredLength(res: Response): number | null {
  const raw = res.headers.get('content-length');
  const n = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * The body's bytes, at most `maxBytes`. Over the cap: throws ReplyTooLarge (or, with `truncate`,
 * returns the first `maxBytes`), cancelling the rest of the download either way.
 */
async function readBodyBytes(
  res: Response,
  opts: { maxBytes: number; url: string; truncate?: boolean },
): Promise<Uint8Array> {
  const { maxBytes, url } = opts;
  const declared = declaredLength(res);
  if (declared !== null && declared > maxBytes && !opts.truncate) {
    await res.body?.cancel().catch(() => undefined);
    throw replyTooLarge(maxBytes, url);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        break;
      }
      const chunk = next.value;
      if (total + chunk.byteLength > maxBytes) {
        if (!opts.truncate) throw replyTooLarge(maxBytes, url);
        parts.push(chunk.subarray(0, maxBytes - total));
        total = maxBytes;
        break;
      }
      parts.push(chunk);
      total += chunk.byteLength;
    }
  } finally {
    // Stopping early must close the connection, not keep downloading into nowhere.
    if (!done) reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
  return concatBytes(parts);
}

export async function readBodyText(
  res: Response,
  opts: { maxBytes: number; url: string; truncate?: boolean },
): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(res, opts));
}

/**
 * Passes a body through, failing once more than `maxBytes` went by (for streamed answers, whose
 * total size is only known at the end).
 */
export function capStream(body: ReadableStream<Uint8Array>, maxBytes: number, url: string): ReadableStream<Uint8Array> {
  let total = 0;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) {
        controller.close();
        return;
      }
      total += next.value.byteLength;
      if (total > maxBytes) {
        reader.cancel().catch(() => undefined);
        controller.error(replyTooLarge(maxBytes, url, 'a streamed reply'));
        return;
      }
      controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
