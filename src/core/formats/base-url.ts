import { AppError, ErrorName } from '../contracts/errors';

/** The ports fetch() refuses ("bad ports" in the Fetch standard): a request there never leaves the machine. */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * Query parameter names that carry a credential: any name with one of these words in it, however written
 * (`api_key`, `subscription-key` (Azure), `X-Amz-Signature`, `client_secret`, `access_token`, a signed URL's `sig`).
 * Broad on purpose: dropping a harmless `?author=` from a shared file costs little, keeping a key costs a lot.
 */
const SECRET_PARAM = /key|token|secret|sig|password|passwd|pwd|auth|credential|session|code/i;

/** A fragment like `#access_token=…` (OAuth implicit flow) carries values; `#top` does not. */
const valuedFragment = (hash: string): boolean => hash.includes('=');

/**
 * A URL as it may be stored in a shared file: without user:password, credential query parameters and a
 * fragment holding values, the rest as typed. Text that does not parse as a URL (a typo) gets the same cuts
 * made on the text, so a key in it is not kept either.
 */
export function publicUrl(typed: string): string {
  // Cut user:password as text first: a password with an unencoded `?`, `#` or `/` parses as host, path or query.
  const raw = withoutUserinfo(typed);
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    for (const key of [...url.searchParams.keys()]) if (SECRET_PARAM.test(key)) url.searchParams.delete(key);
    if (valuedFragment(url.hash)) url.hash = '';
    return url.toString();
  } catch {
    const [before = '', ...rest] = raw.split('#');
    const fragment = rest.join('#');
    const hash = rest.length && !valuedFragment(fragment) ? `#${fragment}` : '';
    const q = before.indexOf('?');
    const head = q < 0 ? before : before.slice(0, q);
    if (q < 0) return head + hash;
    const kept = before
      .slice(q + 1)
      .split('&')
      .filter((pair) => pair && !SECRET_PARAM.test(safeDecode(pair.split('=')[0]!)));
    return `${head}${kept.length ? `?${kept.join('&')}` : ''}${hash}`;
  }
}

/**
 * The text without user:password: everything up to the LAST `@` after the scheme goes. A password may hold
 * an unencoded `?`, `#` or `/` (`http://user:pa?ss@host`), where the URL parser ends the user:password part
 * early; cutting to the last `@` leaves no piece of it, at the cost of cutting a rare `@` in a path or query.
 */
function withoutUserinfo(s: string): string {
  return s.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1');
}

/**
 * Typed text as a message may repeat it: cut at the first `?` or `#` (the query and fragment never reach
 * the server, and may hold a key under any name) and without user:password. `cut` says what went (the
 * query, from `?`; only a fragment, from `#`; or nothing), so the message can say so in its words.
 */
function typedForMessage(text: string): {
  shown: string;
  cut: '' | ' (query left out)' | ' (the part after # left out)';
} {
  const rest = withoutUserinfo(text);
  const end = rest.search(/[?#]/);
  const shown = end < 0 ? rest : rest.slice(0, end);
  if (end < 0) return { shown, cut: '' };
  return { shown, cut: rest[end] === '?' ? ' (query left out)' : ' (the part after # left out)' };
}

/**
 * An address as a message or a command to copy shows it: the normalized address (no query, no fragment, no
 * user:password) when it is one, else the text cut as a refused address's message cuts it.
 */
export function shownAddress(raw: string): string {
  try {
    return normalizeBaseUrl(raw);
  } catch {
    return typedForMessage(typeof raw === 'string' ? raw.trim() : '').shown;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * User:password in the address. Credentials in the URL would end up in share links and logs; the API key
 * field exists for that. Nothing of the typed text is repeated, not even the host: a password may have been
 * cut into it.
 */
function credentialsInAddress(): AppError {
  return new AppError(
    ErrorName.InvalidUrl,
    'The address holds a user name or password (the part before @). Take it out, and put the API key in the ' +
      'API key field (--api-key on the command line).',
  );
}

/** Endpoint paths people often paste by mistake; we strip them so `{base}/chat/completions` works. */
const PASTED_SUFFIXES = ['/chat/completions', '/completions', '/embeddings', '/models'];

/**
 * Turns what a user typed into the API root we append `/chat/completions` to.
 * `http://host:8080`, `http://host:8080/`, `http://host:8080/v1/` all become `http://host:8080/v1`;
 * a non-root path (`https://openrouter.ai/api/v1`, a proxy prefix) is kept as typed.
 */
export function normalizeBaseUrl(raw: string): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) {
    throw new AppError(ErrorName.InvalidUrl, 'Enter the server address, for example http://localhost:11434/v1.');
  }
  // Any `@` is taken for user:password, before any message repeats the text: a password holding an unencoded
  // `?`, `#` or `/` would otherwise be cut by the URL parser into a host, port, path or query and shown in part.
  if (text.includes('@')) throw credentialsInAddress();
  // What the messages show of it: the query and fragment are left out (a key in them, under whatever
  // name, is not repeated on screen or in a log), and the message says so.
  const { shown, cut } = typedForMessage(text);
  const quoted = `"${shown}"${cut}`;
  if (!text.includes('://') && /^[\w.-]+(:\d+)?(\/|$)/.test(text)) {
    throw new AppError(
      ErrorName.InvalidUrl,
      `${quoted} is missing http:// or https://. Did you mean http://${shown}?`,
      {
        detail: shown,
      },
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError(ErrorName.InvalidUrl, `${quoted} is not a valid web address.`, { detail: shown });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(
      ErrorName.InvalidUrl,
      `The server address must start with http:// or https:// (got "${url.protocol}").`,
      { detail: shown },
    );
  }
  if (!url.hostname) {
    throw new AppError(ErrorName.InvalidUrl, `${quoted} has no host name.`, { detail: shown });
  }
  if (url.username || url.password) throw credentialsInAddress();
  if (url.port && BAD_PORTS.has(Number(url.port))) {
    throw new AppError(
      ErrorName.InvalidUrl,
      `Port ${url.port} is one that browsers and Node's fetch refuse to connect to (it belongs to another ` +
        'protocol). Serve the model on another port, such as 8080.',
      { detail: shown },
    );
  }
  let path = url.pathname.replace(/\/+$/, '');
  for (const suffix of PASTED_SUFFIXES) {
    if (path.endsWith(suffix)) {
      path = path.slice(0, -suffix.length).replace(/\/+$/, '');
      break;
    }
  }
  if (path === '') path = '/v1';
  return `${url.protocol}//${url.host}${path}`;
}

/** One spelling per server, for comparing and keying: the normalized base URL, or what is stored if it does not parse. */
export function serverKey(url: string): string {
  try {
    return normalizeBaseUrl(url);
  } catch {
    return url;
  }
}

/** Two base URLs of one server, as typed or stored (`…/v1/` and `…/v1` are one). */
export function sameServer(a: string, b: string): boolean {
  return serverKey(a) === serverKey(b);
}
