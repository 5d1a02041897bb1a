/**
 * Error names → words a user understands (what happened / what to do).
 * Views branch on the stable `name` of an error (see src/core/contracts/errors.ts), never on its class,
 * because errors lose their class when they cross the worker boundary or a JSON file.
 * The hint is where the advice lives: the in-browser model's errors say only what happened (webllm-errors),
 * since they are shown beside it.
 */
import { ErrorName } from '../../core/contracts/errors';
import { SHADER_F16_ADVICE, WEBGPU_ADVICE } from '../../core/contracts/webgpu';

export interface ErrorWords {
  /** What happened, in a few words. */
  title: string;
  /** What the user can do about it. */
  hint: string;
  /** The original message (and detail), for the curious. */
  message: string;
  /** Worth offering a Retry button. */
  retryable: boolean;
}

interface Words {
  title: string;
  hint: string;
  retryable?: boolean;
}

/** What a `StartingError` says happened: a press in the moment before the page is connected to its engine. */
export const STARTING_MESSAGE = 'The page is still connecting to its background engine and its storage.';

/** `goOn`: how the view that shows it goes on where it stopped (a run's Retry, a chat's Ask again). */
function endpointDownHint(goOn: string): string {
  return (
    `It answered before, so the address is right. Once it is up again, ${goOn}; if it takes longer to restart, ` +
    'raise Outage wait (seconds) in Setup → OpenAI-compatible endpoint → Connection settings.'
  );
}

const WORDS: Record<string, Words> = {
  [ErrorName.Abort]: { title: 'Stopped', hint: 'The job was cancelled. Start it again whenever you like.' },
  [ErrorName.Timeout]: {
    title: 'The request timed out',
    hint: 'The model or server took too long. Try again, pick a smaller model, or raise the timeout.',
    retryable: true,
  },
  [ErrorName.Network]: {
    title: 'Could not reach the server',
    hint: 'Check the base URL, that the server is running, and your network connection.',
    retryable: true,
  },
  [ErrorName.EndpointDown]: {
    title: 'The endpoint did not come back within the outage wait',
    hint: endpointDownHint('go on where it stopped (Retry)'),
    retryable: true,
  },
  [ErrorName.Cors]: {
    title: 'The server refused the browser (CORS)',
    hint:
      'Allow this page’s origin on the server: for Ollama start it with OLLAMA_ORIGINS="*" (or this origin); ' +
      'for llama.cpp’s llama-server CORS is on by default — check the URL and port; for other servers enable CORS.',
    retryable: true,
  },
  [ErrorName.Http]: {
    title: 'The server answered with an error',
    hint: 'Check the endpoint settings; the server’s message is shown below.',
    retryable: true,
  },
  [ErrorName.Auth]: {
    title: 'The API key was rejected (401/403)',
    hint: 'Fix the API key in Setup → OpenAI-compatible endpoint, or leave it empty for servers that need none.',
  },
  [ErrorName.NotFound]: {
    title: 'Not found (404)',
    hint: 'The base URL usually ends in /v1 (e.g. http://localhost:11434/v1). Check the path and model name.',
  },
  [ErrorName.Gone]: {
    title: 'No longer stored',
    hint: 'It was deleted, perhaps in another tab. History shows what is stored now.',
  },
  [ErrorName.Starting]: {
    title: 'The studio is still starting',
    hint: 'Wait a moment, then try again.',
    retryable: true,
  },
  [ErrorName.RateLimit]: {
    title: 'Rate limited (429)',
    hint: 'The server asks us to slow down. Wait a moment and try again.',
    retryable: true,
  },
  [ErrorName.ServerError]: {
    title: 'The server failed (5xx)',
    hint: 'The server had an internal error. Check its logs, then try again.',
    retryable: true,
  },
  [ErrorName.BadResponse]: {
    title: 'The server’s answer made no sense',
    hint: 'It did not look like an OpenAI-compatible chat completion. Check the base URL points at /v1.',
    retryable: true,
  },
  [ErrorName.StreamCut]: {
    title: 'The answer broke off',
    hint: 'The server stopped in the middle of its answer (the connection dropped, or the server restarted or ran out of memory). Try again; if it keeps happening, check the server’s logs.',
    retryable: true,
  },
  [ErrorName.ReplyTooLarge]: {
    title: 'The server’s answer was far too long',
    hint: 'Reading stopped at the reply size limit. Check the base URL points at a model server, or raise the limit in the endpoint’s connection settings.',
  },
  [ErrorName.InvalidUrl]: {
    title: 'That is not a valid URL',
    hint: 'Use a full address such as http://localhost:11434/v1 or https://api.example.com/v1.',
  },
  [ErrorName.ModelNotListed]: {
    title: 'The server does not list that model',
    hint: 'Pick one of the models the server reports, or check the model name.',
  },
  [ErrorName.NoModelsListed]: {
    title: 'The server lists no models',
    // The page binds only listed models (a run checks its model against the list), so typing a name is no way out.
    hint:
      'Load a model on the server (for Ollama: ollama pull <name>; llama-server and vLLM list the model they were ' +
      'started with), then press Test connection again. The page can use only a model the server lists.',
    retryable: true,
  },
  [ErrorName.WebGpuUnavailable]: {
    title: 'WebGPU is not available',
    hint: WEBGPU_ADVICE.join(' '),
  },
  [ErrorName.ShaderF16Missing]: {
    title: 'This GPU lacks shader-f16',
    hint: SHADER_F16_ADVICE,
  },
  [ErrorName.ModelDownload]: {
    title: 'The model download failed',
    hint: 'Check your connection and free disk space, then try again; already-downloaded parts are kept.',
    retryable: true,
  },
  [ErrorName.OutOfMemory]: {
    title: 'Out of GPU memory',
    hint: 'Close other GPU-heavy tabs, or pick a smaller model (fewer parameters, or a low-resource variant).',
    retryable: true,
  },
  [ErrorName.DeviceLost]: {
    title: 'The GPU device was lost',
    hint: 'Load the model again, or a smaller one; runs resume from their last checkpoint.',
    retryable: true,
  },
  [ErrorName.ContextWindowExceeded]: {
    title: 'The text is too long for the model',
    hint:
      'Shorten the prompt or query, use fewer examples or lower the answer lengths (max tokens), or use a model ' +
      'with a larger context window.',
  },
  [ErrorName.ModelNotLoaded]: {
    title: 'No model is loaded',
    hint: 'Go to Setup and load a model or connect an endpoint first.',
  },
  [ErrorName.ModelLocked]: {
    title: 'The model is busy',
    hint: 'Another job is using the model. Wait for it to finish or stop it.',
    retryable: true,
  },
  [ErrorName.Parse]: {
    title: 'Could not read that',
    hint: 'The text was not in the expected format; details are below.',
  },
  [ErrorName.EmptyReplies]: {
    title: 'The replies came back empty',
    hint:
      'The model answered with text before, then only with empty replies, so the run stopped and kept what it ' +
      'finished. Check the server (or reload the model), then go on where it stopped (Retry).',
    retryable: true,
  },
  [ErrorName.NothingScored]: {
    title: 'Nothing could be scored',
    hint: 'Not one answer was judged, so there is no result and nothing to resume. The details say what to change.',
  },
  [ErrorName.InvalidInput]: {
    title: 'That input is not valid',
    hint: 'Fix what the message names and try again.',
  },
  [ErrorName.Budget]: {
    title: 'The budget ran out',
    hint: 'The run stopped at its call, token or time limit. The best prompt so far is kept; raise the budget to go further.',
  },
  [ErrorName.Quota]: {
    title: 'Browser storage is full',
    // Export first: deleting is the way to make room, and a run worth keeping must not go with the space.
    hint: 'Make room: delete old runs in History (export the ones you want to keep first) or downloaded models in Setup (Delete cached), or free disk space.',
  },
  [ErrorName.StorageUnavailable]: {
    title: 'Storage is unavailable',
    hint: 'IndexedDB is blocked (private window?). Everything works, but results won’t be kept after you close the tab.',
  },
  [ErrorName.Unknown]: {
    title: 'Something went wrong',
    hint: 'Try again. If it keeps happening, reload the page; saved runs are kept.',
    retryable: true,
  },
};

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[key] : undefined;
}

/**
 * What a detail adds to the message: nothing when the message holds it, and only its head when the message
 * already holds its tail ("HTTP 401 from http://h/v1/chat/completions: Invalid API key" beside "The server
 * refused the request (HTTP 401): Invalid API key" adds where the request went, not the server's words again).
 */
function newInDetail(detail: string, base: string): string {
  if (base.includes(detail)) return '';
  for (let i = detail.indexOf(': '); i > 0; i = detail.indexOf(': ', i + 1))
    if (base.includes(detail.slice(i + 2))) return detail.slice(0, i);
  return detail;
}

/** The error's name as the page tells it: ours, or a browser-native name that means the same. */
function nameOf(err: unknown): string {
  const raw = field(err, 'name');
  const name = typeof raw === 'string' && raw ? raw : ErrorName.Unknown;
  if (name === 'QuotaExceededError') return ErrorName.Quota;
  if (name === 'TypeError' && /fetch/i.test(String(field(err, 'message') ?? ''))) return ErrorName.Network;
  return name;
}

/**
 * Words for any thrown value: AppError, SerializedError, DOMException, Error or a string. `goOn`: how the view
 * goes on where it stopped, where that is not a Retry button (a chat: "press Ask again").
 */
export function describeError(err: unknown, opts: { goOn?: string } = {}): ErrorWords {
  const name = nameOf(err);
  const w = WORDS[name] ?? WORDS[ErrorName.Unknown]!;
  const msg = field(err, 'message');
  const detail = field(err, 'detail');
  const base = typeof msg === 'string' ? msg : typeof err === 'string' ? err : String(err ?? '');
  const extra = typeof detail === 'string' ? newInDetail(detail, base) : '';
  const message = extra ? `${base} (${extra})` : base;
  const retryableField = field(err, 'retryable');
  return {
    title: w.title,
    hint: name === ErrorName.EndpointDown && opts.goOn ? endpointDownHint(opts.goOn) : w.hint,
    message,
    retryable: typeof retryableField === 'boolean' ? retryableField : (w.retryable ?? false),
  };
}

/**
 * An error said in one line, where a view has no box for its hint (a toast, "The report could not be saved: …"):
 * its message, or for full storage what is wrong and how to make room, which its message leaves to the hint.
 */
export function errorLine(err: unknown): string {
  const w = describeError(err);
  return nameOf(err) === ErrorName.Quota ? `${w.title}. ${w.hint}` : w.message || w.title;
}
