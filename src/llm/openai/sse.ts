/**
 * Minimal server-sent-events reader for OpenAI-style streams: yields each event's `data` payload
 * (multi-line data joined with \n), skips comments and other fields. Stops at the end of the body;
 * the caller decides whether the stream ended properly (`[DONE]` / a finish reason).
 * A line longer than `maxLineChars` (a server streaming without line breaks) stops the reading.
 */
import { replyTooLarge } from './bounded-body';

export interface SseLimits {
  maxLineChars: number;
  /** Named in the error. */
  url: string;
}

export async function* sseData(body: ReadableStream<Uint8Array>, limits?: SseLimits): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone \r at the end of a chunk may be the first half of \r\n: wait for the next chunk.
        if (!done && nl === buffer.length - 1 && buffer[nl] === '\r') break;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1));
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line[5] === ' ' ? 6 : 5));
        }
        // `event:`, `id:`, `retry:` and `:` comments carry nothing we need.
      }
      if (limits && buffer.length > limits.maxLineChars) {
        throw replyTooLarge(limits.maxLineChars, limits.url, 'a line of a streamed reply');
      }
      if (done) break;
    }
    // A final event without its blank line still counts; some servers end that way.
    if (buffer.startsWith('data:')) data.push(buffer.slice(buffer[5] === ' ' ? 6 : 5));
    if (data.length) yield data.join('\n');
    finished = true;
  } finally {
    // Stopping early (the caller saw [DONE] or threw) must not leave the connection open.
    if (!finished) reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
}
