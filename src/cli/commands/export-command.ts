/**
 * `drpo export FILE --format NAME`: an alignment in a shape another runtime reads, the page's "Use it" from the
 * command line. The text comes from the same builders (core/formats/export-formats.ts); the export goes to stdout
 * (or --out), and what a static file loses of the alignment's examples goes to stderr, so a pipe gets only the file.
 */
import path from 'node:path';
import { decodeUtf8 } from '../../core/data/parse-queries';
import { exportExamplesNote } from '../../core/formats/alignment-facts';
import { readAlignmentText } from '../../core/formats/alignment-import';
import { EXPORT_FORMATS, type ExportFormat, type ExportFormatId } from '../../core/formats/export-formats';
import { modelWords } from '../../core/formats/model-names';
import { closeMatches } from '../../core/words/close-matches';
import { listInWords, problemsSentence } from '../../core/words/list-words';
import { bad, parseCommandArgs } from '../args';
import { EXIT, inputHint, reportError, type CliIo } from '../cli-io';
import { guardExistingOut } from '../earlier-work';
import { checkOutputFile, readInputFile, writeAtomic } from '../files';
import { isShareLink, readShareLink } from '../alignment-input';
import type { AlignmentArtifact } from '../../core/contracts/alignment';

/** Other words for a format, taken from its label on the page ("Ollama Modelfile", "OpenAI SDK (Python)"). */
const ALIASES: Record<string, ExportFormatId> = { modelfile: 'ollama', python: 'openai', 'llama.cpp': 'llamacpp' };

const aliasesOf = (id: ExportFormatId) => Object.keys(ALIASES).filter((k) => ALIASES[k] === id);

const FORMAT_LINES = EXPORT_FORMATS.map((f) => {
  const also = aliasesOf(f.id).filter((x) => x !== f.label.toLowerCase());
  return `                  ${f.id.padEnd(10)} ${f.label}${also.length ? ` (also: ${also.join(', ')})` : ''}`;
}).join('\n');

export const EXPORT_USAGE = `Usage: drpo export FILE --format NAME [--out PATH] [--force]

Writes an alignment in a shape another runtime reads, as the page's "Use it" does: to stdout, or to
--out. FILE is an alignment file (what drpo optimize writes, a result's Download JSON), a file
drpo import-drpo converts, or a share link (the page's Copy share link; quote it).

  --format NAME   one of:
${FORMAT_LINES}
  --out PATH      write the export there instead of to stdout
  --force         replace a file already at --out (else the export refuses)
  -h, --help      show this help

The studio gives each question the examples most similar to it; a file cannot choose per question, so an
export holds the alignment's first ones (as many as it uses per question) for every question. When that
differs from what its held-out score was measured with, a note on stderr says so.
Exit codes: 0 written, 1 bad arguments or input (including a file already at --out without --force).
`;

const OPTIONS = {
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const NAMES = EXPORT_FORMATS.map((f) => f.id);

/** The format a --format value names (case and spaces aside), or a refusal that lists the names. */
function pickFormat(value: string | undefined): ExportFormat {
  const names = listInWords(NAMES, 'or');
  if (value === undefined) throw bad(`Give the format to export with --format: ${names}.`);
  const word = value.trim().toLowerCase();
  const id = ALIASES[word] ?? word;
  const format = EXPORT_FORMATS.find((f) => f.id === id);
  if (format) return format;
  const near = closeMatches([...NAMES, ...Object.keys(ALIASES)], word, 1);
  throw bad(`Unknown --format "${value}": choose ${names}.${near.length ? ` Did you mean ${near[0]}?` : ''}`);
}

async function readAlignmentFile(cwd: string, file: string): Promise<AlignmentArtifact> {
  const text = decodeUtf8(file, await readInputFile(cwd, file, 'alignment file'), 'JSON');
  const checked = readAlignmentText(text, path.basename(file));
  // In the words drpo eval uses for the same files: another kind of file is named as what it is.
  if (!checked.ok)
    throw bad(
      `"${file}" is not ${checked.otherFile ? 'an' : 'a valid'} alignment file: ${problemsSentence(checked.errors)}`,
    );
  return checked.artifact;
}

export async function runExportCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, EXPORT_USAGE, true);
    if (values.help) {
      io.stdout.write(EXPORT_USAGE);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw bad('Give exactly one alignment FILE to export.');
    const file = positionals[0] as string;
    const link = isShareLink(file);
    const format = pickFormat(values.format);
    // Checked before reading, as import-drpo does: an --out that is FILE itself would replace the alignment.
    const out =
      values.out === undefined
        ? undefined
        : await checkOutputFile(
            io.cwd,
            values.out,
            'out',
            values.out,
            link ? [] : [{ flag: 'FILE', file, label: 'the alignment file you export' }],
          );
    const a = link ? await readShareLink(file) : await readAlignmentFile(io.cwd, file);
    const exported = format.build(a);
    const note = exportExamplesNote(a, `the ${format.label} export carries`);
    if (out === undefined) {
      io.stdout.write(exported);
    } else {
      await guardExistingOut({
        out,
        shown: values.out!,
        cwd: io.cwd,
        force: values.force,
        doer: 'the export',
        writes: 'export',
      });
      await writeAtomic(out, exported);
      io.stdout.write(`Wrote the ${format.label} export of the alignment for ${modelWords(a.model)} → ${out}\n`);
    }
    if (note.lost) io.stderr.write(`note: ${note.text}\n`);
    return EXIT.ok;
  } catch (err) {
    return reportError(io, 'export', err, inputHint('export', err) ?? '');
  }
}
