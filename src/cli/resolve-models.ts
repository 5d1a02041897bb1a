/** Shared by `drpo optimize` and `drpo eval`: check model ids against the endpoint before any work. */
import { ErrorName } from '../core/contracts/errors';
import type { RunStats } from '../core/contracts/run-events';
import { AttemptTally } from '../core/calls/call-gateway';
import { OutageLog } from '../core/calls/outage-log';
import { assertModelListed, listEndpointModels } from '../llm/openai/endpoint';
import type { OutageWatch } from '../llm/openai/outage-watch';
import type { CliIo } from './cli-io';
import { RetryNotes } from './progress';

/**
 * Lists the endpoint's models once and resolves each id (Ollama's ":latest" and friends). An
 * unreachable endpoint throws (exit 2); a misspelt id throws ModelNotListed naming close matches
 * (exit 1). A server without /models is still usable: the ids pass through and the first real call will tell.
 * A listing the endpoint answers tells `outage` it answered: an outage right after start is waited out. Where
 * `outage` knows the endpoint answered before (a resumed run), the listing waits out an outage itself, as any
 * call would; a fresh run at a wrong address still fails after the listing's own retry. Retries are said on
 * stderr as they happen, in the words of a run's retry notes. `faults`: a resumed run's stats, where the
 * listing's failed attempts and the outage it waited out are counted as the run's own (it is the resume's
 * first request, so its fault list names them). `unlisted`: for an id the command guessed rather than was given,
 * the refusal when the server does not list it, nor its models at all (a guess is never sent unconfirmed).
 */
export async function resolveModels(
  baseUrl: string,
  apiKey: string | undefined,
  ids: readonly string[],
  io: CliIo,
  opts: {
    timeoutMs?: number | undefined;
    outage?: OutageWatch;
    faults?: RunStats;
    unlisted?: (id: string) => Error | undefined;
  } = {},
): Promise<string[]> {
  const notes = new RetryNotes();
  const tally = opts.faults ? new AttemptTally(opts.faults, new OutageLog(opts.faults)) : undefined;
  let listed: string[];
  try {
    listed = await listEndpointModels({
      baseUrl,
      apiKey,
      signal: io.signal,
      outage: opts.outage,
      waitOutOutage: true,
      onAttemptFailed: (f) => {
        // Only attempts tried again: a listing that fails for good ends the command (nothing is resumed), and
        // a server without /models (404) is no fault.
        if (f.retryInMs !== null) tally?.failed(f);
        const note = notes.onAttemptFailed(f);
        if (note !== null) io.stderr.write(`${note}\n`);
      },
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    tally?.through();
  } catch (err) {
    if ((err as { name?: string }).name !== ErrorName.NotFound) throw err;
    const refused = ids.map((id) => opts.unlisted?.(id)).find((e) => e !== undefined);
    if (refused) throw refused;
    return [...ids];
  }
  return ids.map((id) => {
    try {
      return assertModelListed(listed, id);
    } catch (err) {
      throw opts.unlisted?.(id) ?? err;
    }
  });
}
