/**
 * What went wrong during a run, in plain words, for the CLI's final lines and the page's run summary
 * (one source of truth for both): unreadable model replies, empty replies, answers left unscored, failed requests to
 * the endpoint and retries, the endpoint's outages, with a hint when a rate is high enough to distort the result.
 */
import { ENDPOINT_ERROR_NAMES, ErrorName, serializeError } from '../contracts/errors';
import type { OutageRecord, RunEvent, RunStats } from '../contracts/run-events';
import type { SearchNode } from '../contracts/search-node';
import { cutPrompts, largerWindow, serverReadWords, windowFor } from './prompt-reads';
import { copyEmptyReplies } from './empty-replies';
import { ROLE_OUTPUT } from '../plan/settings-schema';
import { listInWords, plural } from '../words/list-words';
import { formatWait } from '../words/durations';

/** From this share of unscored answers (or failed requests) on, the summary suggests a fix… */
export const HIGH_FAULT_RATE = 0.2;
/** …once there are enough of them to speak of a rate. */
const MIN_FOR_RATE = 5;

export interface FaultSummary {
  parseFailures: number;
  /** Replies with no text (every role), and how many of them were answers (the policy's). */
  emptyReplies: number;
  emptyAnswers: number;
  /** Answers scored by the judge during the search (validation answers are not nodes). */
  answers: number;
  unscored: number;
  endpointErrors: number;
  /** [kind, count], most frequent first. */
  errorKinds: [string, number][];
  retries: number;
  /** One sentence per kind of fault that occurred; empty when the run had none. */
  lines: string[];
  /** What to do about a high rate. */
  hints: string[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** `what`: a search run (its nodes give the unscored answers) or an evaluation (its report counts them). */
export function summarizeFaults(
  stats: RunStats | null | undefined,
  nodes: Iterable<SearchNode>,
  what: 'run' | 'evaluation' = 'run',
): FaultSummary {
  let answers = 0;
  let unscored = 0;
  for (const n of nodes) {
    for (const e of n.evaluations) {
      answers++;
      if (e.reward === null) unscored++;
    }
  }
  const errorKinds = Object.entries(stats?.endpointErrors ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const endpointErrors = errorKinds.reduce((s, [, n]) => s + n, 0);
  const parseFailures = stats?.parseFailures ?? 0;
  const retries = stats?.retries ?? 0;
  const lines: string[] = [];
  const hints: string[] = [];
  if (parseFailures > 0) {
    lines.push(`${plural(parseFailures, 'model reply', 'model replies')} could not be read (even after asking again).`);
  }
  const empty = copyEmptyReplies(stats?.emptyReplies) ?? {};
  const emptyAnswers = empty.policy ?? 0;
  const emptyReplies = Object.values(empty).reduce((a, n) => a + n, 0);
  if (emptyReplies > 0) {
    // An empty answer scores 1 without a judge: a run with many of them says so, not only "unreadable replies".
    const scored = 'an empty answer scores 1, the lowest';
    lines.push(
      emptyReplies === emptyAnswers
        ? `${plural(emptyAnswers, 'answer')} came back empty (${scored}).`
        : emptyAnswers > 0
          ? `${plural(emptyReplies, 'model reply', 'model replies')} came back empty, ${emptyAnswers} of them answers (${scored}).`
          : `${plural(emptyReplies, 'model reply', 'model replies')} came back empty.`,
    );
  }
  if (unscored > 0) {
    lines.push(`${unscored} of ${plural(answers, 'answer')} could not be scored; they count as unknown, not as zero.`);
  }
  if (endpointErrors > 0 || retries > 0) {
    const kinds = errorKinds.map(([k, n]) => `${k} ×${n}`).join(', ');
    const errs = endpointErrors > 0 ? `${plural(endpointErrors, 'request')} to the endpoint failed (${kinds})` : '';
    const rep = retries > 0 ? `${plural(retries, 'attempt')} repeated` : '';
    lines.push(`${[errs, rep].filter(Boolean).join('; ')}.`);
  }
  lines.push(...outageLines(stats?.outages, what));
  const cut = cutPrompts(stats);
  if (cut) {
    const forWhat = listInWords(cut.roles.map((r) => ROLE_OUTPUT[r]));
    lines.push(
      `${serverReadWords(cut, `${plural(cut.calls, 'prompt')} for ${forWhat}`)}, so the model answered without seeing them whole.`,
    );
    const n = windowFor(cut.longest);
    const again =
      what === 'run'
        ? 'start a new run (a resume would reuse the answers to those prompts)'
        : 'run the evaluation again from the start';
    hints.push(`Give the model ${largerWindow(n)}, then ${again}.`);
  }
  if (unscored >= MIN_FOR_RATE && unscored / answers >= HIGH_FAULT_RATE) {
    hints.push(
      `${pct(unscored / answers)} of the judge's replies were unreadable: try a larger judge model or logprob scoring.`,
    );
  }
  // Attempts that failed while the endpoint was down and waited for are the outage line's to explain: a server
  // that restarted once is not one that fails under load.
  const failed = endpointErrors - Math.min(endpointErrors, waitedOutFailures(stats?.outages));
  const requests = (stats?.calls ?? 0) + failed;
  if (failed >= MIN_FOR_RATE && failed / requests >= HIGH_FAULT_RATE) {
    hints.push(`${pct(failed / requests)} of the requests to the endpoint failed: check the server's logs and load.`);
  }
  return {
    parseFailures,
    emptyReplies,
    emptyAnswers,
    answers,
    unscored,
    endpointErrors,
    errorKinds,
    retries,
    lines,
    hints,
  };
}

const OUTAGE_ENDS = new Set<unknown>(['back', 'gave-up', 'open'] satisfies OutageRecord['end'][]);

/**
 * The failed attempts of the outages (older records hold no count: none): the outage line explains them, and
 * when a wait ran out, the requests that only waited failed with it without being sent.
 */
function waitedOutFailures(outages: readonly OutageRecord[] | undefined): number {
  let n = 0;
  for (const o of Array.isArray(outages) ? outages : [])
    if (Number.isSafeInteger(o?.failures) && o.failures! > 0) n += o.failures!;
  return n;
}

/**
 * "The endpoint was down 2 times, 41 s in all (longest 30 s); the run waited them out", and how many outlasted
 * the outage wait (each stopped the run; a resumed run may have met more since). None when it met none. A run
 * whose roles were served from more than one endpoint gets a line per endpoint, each named by its host.
 */
function outageLines(outages: readonly OutageRecord[] | undefined, what: 'run' | 'evaluation'): string[] {
  // A checkpoint is a file anyone can edit: what is not a record is left out, not trusted.
  const all = (Array.isArray(outages) ? outages : []).filter(
    (o) => Number.isFinite(o?.downMs) && Number.isFinite(o.graceMs) && OUTAGE_ENDS.has(o.end),
  );
  const byEndpoint = new Map<string | undefined, OutageRecord[]>();
  for (const o of all) {
    const host = hostOf(o.endpoint);
    const records = byEndpoint.get(host);
    if (records) records.push(o);
    else byEndpoint.set(host, [o]);
  }
  return [...byEndpoint].map(([host, records]) =>
    outageLine(
      host !== undefined ? `The endpoint at ${host}` : byEndpoint.size > 1 ? 'An endpoint' : 'The endpoint',
      records,
      what,
    ),
  );
}

/** A record's endpoint as written by OutageLog (a host and port), or undefined: none, or junk in an edited file. */
function hostOf(endpoint: unknown): string | undefined {
  return typeof endpoint === 'string' && /^[\w.:[\]-]{1,255}$/.test(endpoint) ? endpoint : undefined;
}

function outageLine(subject: string, all: readonly OutageRecord[], what: 'run' | 'evaluation'): string {
  const n = all.length;
  const total = all.reduce((s, o) => s + o.downMs, 0);
  const longest = Math.max(...all.map((o) => o.downMs));
  const head =
    n === 1
      ? `${subject} was down once, for ${formatWait(total)}`
      : `${subject} was down ${n} times, ${formatWait(total)} in all (longest ${formatWait(longest)})`;
  const back = all.filter((o) => o.end === 'back').length;
  const lost = all.filter((o) => o.end === 'gave-up');
  const ends: string[] = [];
  // An outage still open may be over already (its requests are on their way again): nothing is said of its end.
  if (back > 0) ends.push(`the ${what} waited ${back === n ? `${n === 1 ? 'it' : 'them'} out` : `out ${back}`}`);
  if (lost.length > 0) {
    // The wait can differ between sessions of a resumed run: named only when it was the same for all.
    const waits = new Set(lost.map((o) => o.graceMs));
    const wait = waits.size === 1 ? `the outage wait (${formatWait(lost[0]!.graceMs)})` : 'the outage wait';
    ends.push(
      n === 1
        ? `it did not come back within ${wait}, which stopped the ${what}`
        : `${lost.length} outlasted ${wait}, ${lost.length === 1 ? 'which stopped' : 'each stopping'} the ${what}`,
    );
  }
  return ends.length ? `${head}; ${ends.join(', and ')}.` : `${head}.`;
}

type RetryEvent = Extract<RunEvent, { type: 'call-retry' }>;

/** What describeRetry reads of a retry. */
export type RetryFacts = Pick<RetryEvent, 'error' | 'attempt' | 'attempts' | 'retryInMs' | 'outage' | 'endpoint'>;

/** A retry and when it was announced (ms since the epoch): what a note that counts down is drawn from. */
export type TimedRetry = RetryFacts & { at: number };

/**
 * The retry announced at `r.at` as it stands at `now`: its wait counted down and the outage it is part of the
 * longer by as much; null once it is due (the request went out again: what follows is a wait for its reply, not
 * for the retry).
 */
export function retryAsOf(r: TimedRetry, now: number): RetryFacts | null {
  const passed = Math.max(0, now - r.at);
  const retryInMs = r.retryInMs - passed;
  if (retryInMs <= 0) return null;
  const outage = r.outage ? { ...r.outage, downForMs: r.outage.downForMs + passed } : undefined;
  return { ...r, retryInMs, ...(outage ? { outage } : {}) };
}

/**
 * While a failed request waits for its retry: "the endpoint answered HTTP 500; retry 2 of 3 in 4 s", or, for an
 * endpoint that answered before and is now out, "the endpoint has been down for 12 s (network); it gets up to
 * 1 min to come back (retry 3, next in 4 s)". The CLI's progress line and the live view both show this; a run
 * served by more than one endpoint names the one that failed ("the endpoint at 10.0.0.5:8080 answered HTTP 500").
 */
export function describeRetry(e: RetryFacts): string {
  const kind = faultKind(e.error) ?? e.error.name;
  const host = hostOf(e.endpoint);
  const who = host !== undefined ? `the endpoint at ${host}` : 'the endpoint';
  if (e.outage) {
    const { downForMs, graceMs, retry } = e.outage;
    const down = downForMs >= 1000 ? `has been down for ${formatWait(downForMs)}` : 'went down';
    return `${who} ${down} (${kind}); it gets up to ${formatWait(graceMs)} to come back (retry ${retry}, next ${e.retryInMs < 100 ? 'now' : `in ${formatWait(e.retryInMs)}`})`;
  }
  const why =
    kind === 'timeout'
      ? `${who} did not answer in time`
      : kind.startsWith('HTTP ')
        ? `${who} answered ${kind}`
        : kind === 'network'
          ? `${who} could not be reached`
          : `${who} sent an ${kind}`;
  const when = e.retryInMs >= 1000 ? ` in ${formatWait(e.retryInMs)}` : ' now';
  return `${why}; retry ${e.attempt} of ${e.attempts - 1}${when}`;
}

/** What kind of endpoint fault an error is ('HTTP 500', 'timeout', ...), or null when it is not one. */
export function faultKind(err: unknown): string | null {
  const e = serializeError(err);
  if (!ENDPOINT_ERROR_NAMES.has(e.name)) return null;
  if (e.status !== undefined) return `HTTP ${e.status}`;
  return FAULT_WORDS[e.name] ?? e.name;
}

const FAULT_WORDS: Record<string, string> = {
  [ErrorName.Timeout]: 'timeout',
  [ErrorName.Network]: 'network',
  [ErrorName.EndpointDown]: 'network',
  [ErrorName.Cors]: 'network',
  [ErrorName.BadResponse]: 'unreadable reply',
  [ErrorName.StreamCut]: 'reply cut off',
  [ErrorName.ReplyTooLarge]: 'reply too large',
};
