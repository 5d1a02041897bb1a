/**
 * Errors lose their class when they cross Comlink or a JSON file, so every error we raise
 * carries a stable `name` and callers branch on that name, never on `instanceof`.
 */

export const ErrorName = {
  Abort: 'AbortError',
  Timeout: 'TimeoutError',
  Network: 'NetworkError',
  Cors: 'CorsError',
  Http: 'HttpError',
  Auth: 'AuthError',
  /** The server said 404 (an address or a model it does not have). */
  NotFound: 'NotFoundError',
  /**
   * A stored record (run, alignment, data set) that no longer exists: deleted, often in another tab. Not
   * `NotFound`, whose words are about a server's address.
   */
  Gone: 'GoneError',
  /** The page's worker or store is not connected yet: a press in the first moment after the page opened. */
  Starting: 'StartingError',
  RateLimit: 'RateLimitError',
  ServerError: 'ServerError',
  /**
   * An endpoint that answered before stopped answering (or kept failing with 5xx) for longer than its outage
   * wait: it was there, so the advice for a server never reached (address, CORS, key) would mislead.
   */
  EndpointDown: 'EndpointDownError',
  BadResponse: 'BadResponseError',
  /**
   * The reply broke off mid-answer (the connection closed, or a stream ended without finishing): the server was
   * there and answering, so the advice for a reply that is no chat completion (the address) would mislead.
   */
  StreamCut: 'StreamCutError',
  /** The endpoint's reply went over the byte cap (not retried: the same request gets the same flood). */
  ReplyTooLarge: 'ReplyTooLargeError',
  InvalidUrl: 'InvalidUrlError',
  ModelNotListed: 'ModelNotListedError',
  /**
   * The server answered but its model list is empty: no name was misspelt, so the advice for a model it does not
   * list ("pick one it reports") would mislead; a model must be loaded on the server first.
   */
  NoModelsListed: 'NoModelsListedError',
  WebGpuUnavailable: 'WebGPUUnavailableError',
  ShaderF16Missing: 'ShaderF16MissingError',
  ModelDownload: 'ModelDownloadError',
  OutOfMemory: 'OutOfMemoryError',
  DeviceLost: 'DeviceLostError',
  ContextWindowExceeded: 'ContextWindowExceededError',
  ModelNotLoaded: 'ModelNotLoadedError',
  ModelLocked: 'ModelLockedError',
  Parse: 'ParseError',
  /**
   * A run or evaluation that judged not one answer (every answer empty, or no judge reply readable): it has
   * measured nothing, and replaying it from its cache would measure nothing again, so it is not resumable.
   */
  NothingScored: 'NothingScoredError',
  /**
   * The endpoint (or the in-page model) turned to empty replies in the middle of a run, after replies with text
   * (calls/empty-replies.ts): the endpoint's fault, like an outage, so the run keeps its checkpoint to resume.
   */
  EmptyReplies: 'EmptyRepliesError',
  InvalidInput: 'InvalidInputError',
  Budget: 'BudgetExceededError',
  Quota: 'QuotaExceededError',
  StorageUnavailable: 'StorageUnavailableError',
  Unknown: 'UnknownError',
} as const;
export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];

/** Errors that mean "the endpoint failed" (after the adapter's own retries), not "you typed it wrong". */
export const ENDPOINT_ERROR_NAMES: ReadonlySet<string> = new Set<string>([
  ErrorName.Network,
  ErrorName.Timeout,
  ErrorName.Http,
  ErrorName.Auth,
  ErrorName.NotFound,
  ErrorName.RateLimit,
  ErrorName.ServerError,
  ErrorName.EndpointDown,
  ErrorName.EmptyReplies,
  ErrorName.BadResponse,
  ErrorName.StreamCut,
  ErrorName.ReplyTooLarge,
  ErrorName.Cors,
  ErrorName.ContextWindowExceeded,
]);

/** Plain-data form of an error: what crosses the worker boundary and lands in events. */
export interface SerializedError {
  name: string;
  message: string;
  /** Extra facts for the user or logs (HTTP status, model id, ...). */
  detail?: string;
  status?: number;
  retryable?: boolean;
}

export class AppError extends Error {
  readonly detail?: string;
  readonly status?: number;
  readonly retryable?: boolean;
  constructor(
    name: ErrorName | string,
    message: string,
    opts: { detail?: string; status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = name;
    this.detail = opts.detail;
    this.status = opts.status;
    this.retryable = opts.retryable;
  }
}

export function isNamed(err: unknown, name: string): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}

export function isAbort(err: unknown): boolean {
  return isNamed(err, ErrorName.Abort);
}

export function serializeError(err: unknown): SerializedError {
  if (typeof err === 'object' && err !== null) {
    const e = err as Partial<AppError> & { message?: unknown; name?: unknown };
    const out: SerializedError = {
      name: typeof e.name === 'string' && e.name ? e.name : ErrorName.Unknown,
      message: typeof e.message === 'string' ? e.message : String(err),
    };
    if (typeof e.detail === 'string') out.detail = e.detail;
    if (typeof e.status === 'number') out.status = e.status;
    if (typeof e.retryable === 'boolean') out.retryable = e.retryable;
    return out;
  }
  return { name: ErrorName.Unknown, message: String(err) };
}

export function deserializeError(s: SerializedError): AppError {
  return new AppError(s.name, s.message, { detail: s.detail, status: s.status, retryable: s.retryable });
}
