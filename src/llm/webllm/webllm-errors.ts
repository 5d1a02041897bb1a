/**
 * web-llm throws ~68 error classes but exports none we can `instanceof`, and classes are lost across
 * the worker boundary anyway, so we map by `name` and message text to our stable AppError names.
 * A message says what happened; what to do is the page's hint for that name (ui/helpers/error-messages),
 * shown beside it, so it is said once. (The CLI never runs an in-browser model.)
 */
import { AppError, ErrorName } from '../../core/contracts/errors';
import { lacksShaderF16, NO_WEBGPU } from '../../core/contracts/webgpu';

interface Rule {
  test: (name: string, message: string) => boolean;
  make: (message: string) => AppError;
}

const has = (message: string, ...needles: string[]): boolean => {
  const m = message.toLowerCase();
  return needles.some((n) => m.includes(n.toLowerCase()));
};

const RULES: Rule[] = [
  {
    test: (name) => name === 'AbortError',
    make: (m) => new AppError(ErrorName.Abort, 'The request was cancelled.', { detail: m }),
  },
  {
    test: (name, m) => name === 'WebGPUNotAvailableError' || has(m, 'compatible GPU', 'WebGPU is not supported'),
    make: (m) => new AppError(ErrorName.WebGpuUnavailable, NO_WEBGPU, { detail: m }),
  },
  {
    test: (name) => name === 'ShaderF16SupportError' || name === 'FeatureSupportError',
    make: (m) => new AppError(ErrorName.ShaderF16Missing, lacksShaderF16('The model'), { detail: m }),
  },
  {
    test: (name) => name === 'DeviceLostError',
    make: (m) =>
      new AppError(
        ErrorName.DeviceLost,
        'The GPU device was lost (often because it ran out of memory or the driver reset).',
        { detail: m, retryable: true },
      ),
  },
  {
    test: (_n, m) => has(m, 'out of memory', 'OOM', 'Allocation', 'createBuffer'),
    make: (m) => new AppError(ErrorName.OutOfMemory, 'The GPU ran out of memory for this model.', { detail: m }),
  },
  {
    test: (name) => name === 'ContextWindowSizeExceededError',
    make: (m) =>
      new AppError(ErrorName.ContextWindowExceeded, "The prompt is longer than the model's context window.", {
        detail: m,
      }),
  },
  {
    test: (name) => name === 'ModelNotLoadedError',
    make: (m) =>
      new AppError(ErrorName.ModelNotLoaded, 'No model is loaded (it may have been unloaded).', { detail: m }),
  },
  {
    // The Cache API and OPFS backends reject with the DOMException itself; the IndexedDB backend wraps it in a
    // plain Error ("Failed to store <url> with error: QuotaExceededError: ...", web-llm 0.2.86).
    test: (name, m) => name === 'QuotaExceededError' || has(m, 'QuotaExceededError'),
    make: (m) =>
      new AppError(
        ErrorName.Quota,
        'The browser ran out of storage for model files (private windows allow very little).',
        { detail: m },
      ),
  },
  {
    // The Cache API backend rejects with fetch's own TypeError; the IndexedDB backend wraps it in a plain
    // Error ("Failed to store <url> with error: TypeError: Failed to fetch", web-llm 0.2.86). Safari says
    // "Load failed" where Chromium says "Failed to fetch" (Firefox: "NetworkError when attempting to fetch").
    test: (name, m) =>
      name === 'NetworkError' ||
      (name === 'TypeError' && has(m, 'Failed to fetch', 'Load failed')) ||
      has(m, 'Cache.add', 'NetworkError', 'TypeError: Failed to fetch', 'TypeError: Load failed'),
    make: (m) =>
      new AppError(
        ErrorName.ModelDownload,
        'Could not download the model: you may be offline, or the model host is unreachable.',
        { detail: m, retryable: true },
      ),
  },
];

export function mapWebLlmError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const name =
    typeof err === 'object' && err !== null && typeof (err as Error).name === 'string' ? (err as Error).name : '';
  const message =
    typeof err === 'object' && err !== null && typeof (err as Error).message === 'string'
      ? (err as Error).message
      : String(err);
  for (const rule of RULES) {
    if (rule.test(name, message)) {
      const out = rule.make(message);
      return new AppError(out.name, out.message, {
        detail: out.detail,
        retryable: out.retryable,
        cause: err,
      });
    }
  }
  return new AppError(ErrorName.Unknown, `The in-browser model failed: ${message || name || 'unknown error'}`, {
    detail: message,
    cause: err,
  });
}
