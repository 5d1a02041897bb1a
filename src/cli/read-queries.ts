/** Reads a query file for a command and tells what it skipped, line by line, on stderr (optimize and eval alike). */
import path from 'node:path';
import { parseQueryFile } from '../core/data/parse-queries';
import { skippedInWords } from '../core/data/skipped-words';
import { formatWholeCount } from '../core/formats/bytes';
import type { Query } from '../core/contracts/run-config';
import type { CliIo } from './cli-io';
import { SPLIT_IT, readInputFile } from './files';

export async function readQueries(file: string, io: CliIo, what: string): Promise<Query[]> {
  const bytes = await readInputFile(io.cwd, file, what, undefined, SPLIT_IT);
  const { queries, report } = parseQueryFile(path.basename(file), bytes);
  const skipped = skippedInWords(report);
  const note = skipped ? ` (skipped ${skipped})` : '';
  const n = queries.length;
  // Thousands separated, as the limit is in the note beside it ("Read 20,000 queries … of 20,000 queries").
  io.stderr.write(`Read ${formatWholeCount(n)} ${n === 1 ? 'query' : 'queries'} from ${file}${note}.\n`);
  for (const w of report.warnings) io.stderr.write(`warning: ${w}\n`);
  for (const x of report.skipped)
    io.stderr.write(`warning: skipped ${x.where.toLowerCase()} of ${file}: it ${x.reason}\n`);
  // The report lists the first skipped records only; the count above holds them all.
  const unlisted = report.unreadable + report.emptySkipped - report.skipped.length;
  if (unlisted > 0) io.stderr.write(`warning: …and ${formatWholeCount(unlisted)} more skipped ${report.unit}s.\n`);
  return queries;
}
