/** What a query file's report says was left out, in the one wording the CLI and the Data view share. */
import { formatWholeCount } from '../formats/bytes';
import { listInWords, plural } from '../words/list-words';
import { MAX_QUERIES, type ParseReport } from './parse-queries';

/**
 * Every record of the file that was not kept, by reason: "1 unreadable line, 1 empty query, 2 duplicates and
 * 3 over the limit of 20,000 queries" ('' when every record was kept). Each record is in one count, so these
 * and the kept queries add up to the file's records.
 */
export function skippedInWords(r: ParseReport): string {
  return listInWords(
    [
      r.unreadable > 0 ? plural(r.unreadable, `unreadable ${r.unit}`) : '',
      r.emptySkipped > 0 ? plural(r.emptySkipped, 'empty query', 'empty queries') : '',
      r.duplicatesRemoved > 0 ? plural(r.duplicatesRemoved, 'duplicate') : '',
      r.overLimit > 0
        ? `${formatWholeCount(r.overLimit)} over the limit of ${formatWholeCount(MAX_QUERIES)} queries`
        : '',
    ].filter(Boolean),
  );
}
