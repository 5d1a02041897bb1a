import { AppError, ErrorName } from '../../core/contracts/errors';

/** Pulls the human part out of an error body: OpenAI `{error:{message}}`, `{error:"..."}`, `{detail}`, HTML, text. */
export function errorBodyMessage(body: string): string {
  const text = body.trim();
  if (!text) return '';
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === 'object') {
      const o = json as Record<string, unknown>;
      const err = o.error;
      if (typeof err === 'string') return err;
      if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') {
        return (err as { message: string }).message;
      }
      if (typeof o.message === 'string') return o.message;
      if (typeof o.detail === 'string') return o.detail;
      if (o.detail !== undefined) return JSON.stringify(o.detail).slice(0, 300);
    }
  } catch {
    // not JSON: fall through to the text forms below
  }
  if (looksLikeHtml(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title ? `web page "${title}"` : 'an HTML page';
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<\?xml)/i.test(text);
}

const CONTEXT_HINTS =
  /context length|context window|maximum context|too many tokens|prompt is too long|exceeds the (model|max)/i;

export interface HttpErrorContext {
  url: string;
  model?: string;
}

/** Maps a non-2xx answer to the AppError a user can act on. `retryable` marks what the retry loop may repeat. */
export function httpError(status: number, body: string, ctx: HttpErrorContext): AppError {
  const said = errorBodyMessage(body);
  const detail = said ? `HTTP ${status} from ${ctx.url}: ${said}` : `HTTP ${status} from ${ctx.url}`;
  const model = ctx.model ? ` "${ctx.model}"` : '';
  if (status === 401 || status === 403) {
    return new AppError(ErrorName.Auth, `The server refused the request (HTTP ${status})${said ? `: ${said}` : '.'}`, {
      status,
      detail,
    });
  }
  if (status === 404) {
    return new AppError(
      ErrorName.NotFound,
      `Not found (HTTP 404): this server has no such address${model ? `, or no model${model}` : ''}.`,
      { status, detail },
    );
  }
  if (status === 408) {
    return new AppError(ErrorName.Timeout, 'The server gave up waiting for the request (HTTP 408). Try again.', {
      status,
      detail,
      retryable: true,
    });
  }
  if (status === 429) {
    return new AppError(
      ErrorName.RateLimit,
      'The server is rate-limiting requests (HTTP 429). Wait a moment, lower the concurrency or check your plan limits.',
      { status, detail, retryable: true },
    );
  }
  if (status >= 500) {
    return new AppError(
      ErrorName.ServerError,
      `The model server failed with HTTP ${status}${said ? `: ${said}` : ''}. It may be overloaded or the model may have crashed.`,
      { status, detail, retryable: true },
    );
  }
  if ((status === 400 || status === 413 || status === 422) && CONTEXT_HINTS.test(said)) {
    return new AppError(
      ErrorName.ContextWindowExceeded,
      // What happened only: the advice is the hint's (the page's error words, the CLI's endpointHint), said once.
      `The prompt is too long for the model${model}'s context window.`,
      { status, detail },
    );
  }
  return new AppError(ErrorName.Http, `The server rejected the request (HTTP ${status})${said ? `: ${said}` : ''}.`, {
    status,
    detail,
  });
}

/** Running in a page or worker (where CORS applies), not in Node. */
export function inBrowser(): boolean {
  return typeof (globalThis as { location?: unknown }).location !== 'undefined';
}

/** The code Node gives a fetch's failure (`ECONNREFUSED`, `ERR_SSL_WRONG_VERSION_NUMBER`), if any. */
function causeCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined;
  const code = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * An https address whose server did not speak TLS: OpenSSL reads the plain-http answer as a record of a wrong
 * version (or an impossible length). The most common cause by far: a local server that speaks plain http.
 */
function tlsMismatch(err: unknown, url: string): boolean {
  const code = causeCode(err);
  return (
    url.startsWith('https://') &&
    !!code &&
    /^ERR_SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST)$/.test(code)
  );
}

function causeText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object') {
    const c = cause as { code?: unknown; message?: unknown };
    // OpenSSL's own words (a hex id, a source file and line, several lines) say nothing its code does not.
    const ssl = typeof c.code === 'string' && c.code.startsWith('ERR_SSL_');
    const parts = [c.code, ssl ? undefined : c.message].filter(
      (p): p is string => typeof p === 'string' && p.trim().length > 0,
    );
    if (parts.length) return `${err.message} (${parts.map((p) => p.trim()).join(': ')})`;
  }
  return err.message;
}

/**
 * fetch() itself rejected: nothing answered, or (in a browser) the answer was blocked by CORS. `heardBefore`:
 * the endpoint answered a request like this one earlier in this session (any status: a browser lets the page
 * read none from a server that blocks it), so the address and CORS are right and that advice would mislead.
 */
export function networkError(err: unknown, url: string, heardBefore = false): AppError {
  const detail = `${url}: ${causeText(err)}`;
  if (heardBefore) {
    return new AppError(
      ErrorName.Network,
      `The model server at ${url} stopped answering. It answered earlier in this session, so its address is ` +
        'right: check that it is still running (it may have stopped, crashed or be restarting), then try again.',
      { detail, retryable: true, cause: err },
    );
  }
  if (!inBrowser()) {
    if (tlsMismatch(err, url)) {
      return new AppError(
        ErrorName.Network,
        `Could not talk to the model server at ${url}: it did not answer in https (TLS). The server may speak plain http: try ${url.replace(/^https:/, 'http:')}`,
        { detail, retryable: true, cause: err },
      );
    }
    return new AppError(
      ErrorName.Network,
      `Could not reach the model server at ${url}. Check that it is running and that the address and port are right.`,
      { detail, retryable: true, cause: err },
    );
  }
  const here = (globalThis as { location?: { protocol?: string; hostname?: string } }).location;
  const target = safeUrl(url);
  const mixed =
    here?.protocol === 'https:' && target?.protocol === 'http:' && !isLoopback(target.hostname)
      ? ' This page is served over https, so the browser also blocks plain-http servers other than localhost.'
      : '';
  // Chrome asks before a site reaches a more private address than its own: the local network from the
  // internet, this computer from anywhere else.
  const page = here?.hostname;
  const morePrivate =
    target !== null &&
    page !== undefined &&
    ((isLocal(target.hostname) && !isLocal(page)) || (isLoopback(target.hostname) && !isLoopback(page)));
  // A server started with --host 0.0.0.0 prints that address; some browsers refuse to send requests to it.
  const anyAddress =
    target?.hostname === '0.0.0.0'
      ? ' Some browsers block the address 0.0.0.0 (what a server listening everywhere prints): try 127.0.0.1, ' +
        'or the machine’s own address, instead.'
      : '';
  const localAccess = morePrivate
    ? ' If the browser asked whether this site may reach devices on your local network, allow it (site ' +
      'settings, at the left of the address bar) and try again.'
    : '';
  return new AppError(
    ErrorName.Network,
    `Could not reach the model server at ${url}. It may be down, or it may be blocking requests from this page ` +
      '(CORS). Ollama: set OLLAMA_ORIGINS=* (or this page’s origin) and restart it. llama-server: it allows ' +
      'cross-origin requests by default; check the host and port (--host 0.0.0.0 to listen beyond localhost). ' +
      `vLLM: start it with --allowed-origins '["*"]'.${mixed}${localAccess}${anyAddress}`,
    { detail, retryable: true, cause: err },
  );
}

/** This computer: localhost, 127.0.0.0/8, ::1, and 0.0.0.0 (which servers print and browsers send here). */
function isLoopback(host: string): boolean {
  return ['localhost', '[::1]', '0.0.0.0'].includes(host) || host.endsWith('.localhost') || /^127\./.test(host);
}

/** This computer or a private network address (RFC 1918, link-local, unique local, `.local`). */
function isLocal(host: string): boolean {
  return (
    isLoopback(host) ||
    host.endsWith('.local') ||
    /^(10|127)\.|^192\.168\.|^172\.(1[6-9]|2\d|3[01])\.|^169\.254\./.test(host) ||
    /^\[f[cd]|^\[fe80:/i.test(host)
  );
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function abortError(): AppError {
  return new AppError(ErrorName.Abort, 'The request was cancelled.');
}

export function timeoutError(timeoutMs: number, url: string): AppError {
  return new AppError(
    ErrorName.Timeout,
    `The model server did not finish answering within ${Math.round(timeoutMs / 100) / 10} s. It may be overloaded or ` +
      'still loading the model; try again or raise the timeout.',
    { detail: url, retryable: true },
  );
}

export function badResponse(message: string, detail?: string): AppError {
  return new AppError(ErrorName.BadResponse, message, { detail });
}

/** The server was answering and stopped mid-way (see ErrorName.StreamCut). */
export function streamCut(message: string, detail?: string): AppError {
  return new AppError(ErrorName.StreamCut, message, { detail });
}
