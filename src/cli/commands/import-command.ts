/** `drpo import-drpo FILE`: converts an official DRPO prompt (or ICL examples) file into an alignment file. */
import path from 'node:path';
import { stripSecrets } from '../../core/formats/alignment-file';
import { CONVERTED_SOURCES } from '../../core/contracts/alignment';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { decodeUtf8 } from '../../core/data/parse-queries';
import { readAlignmentText } from '../../core/formats/alignment-import';
import { plural as n, problemsSentence } from '../../core/words/list-words';
import { bad, parseCommandArgs } from '../args';
import { EXIT, helpHint, reportError, type CliIo } from '../cli-io';
import { checkOutputFile, readInputFile, writeAtomic } from '../files';
import { guardExistingOut } from '../earlier-work';
import { modelWords } from '../../core/formats/model-names';
import { isShareLink, readShareLink } from '../alignment-input';

export const IMPORT_USAGE = `Usage: drpo import-drpo FILE [--out alignment.json] [--force]

Converts a prompt file published with the DRPO paper ({"level 1": {"Prompt": ...}, ...}) into
a DRPO Studio alignment file: the last level's prompt, with the levels that carry scores as its
lineage (levels without a readable score are left out of it; the import says how many were scored).
The model id is taken from the file name (llama3-8b-instruct.json → llama3-8b-instruct).
A DRPO in-context examples file ([{"query", "answer"}]) is accepted too, and so is a share link (the
page's Copy share link; quote it): the alignment it opens is saved as a file.

  --out FILE      where to write the alignment (default: alignment.json)
  --force         replace a file already at --out (else the import refuses)
  -h, --help      show this help
`;

const OPTIONS = {
  out: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What the file gave us, truthfully: a prompt (with how many of its levels were scored) or examples. */
function describeImport(a: AlignmentArtifact): string {
  const source = a.settings.source;
  if (source === CONVERTED_SOURCES.examples) return n(a.icl.length, 'example');
  if (source === CONVERTED_SOURCES.published) {
    const levels = Number(a.settings.levels) || a.lineage.length;
    const scored = levels - (Number(a.settings.unscoredLevels) || 0);
    const note =
      scored === levels
        ? 'all scored'
        : scored === 0
          ? 'none scored, so no lineage'
          : `${scored} scored; unscored levels are left out of its lineage`;
    return `the final prompt of ${n(levels, 'level')} (${note})`;
  }
  return `an alignment${a.icl.length ? ` with ${n(a.icl.length, 'example')}` : ''}`;
}

async function readImportFile(cwd: string, file: string): Promise<AlignmentArtifact> {
  const text = decodeUtf8(file, await readInputFile(cwd, file, 'file'), 'JSON');
  const result = readAlignmentText(text, path.basename(file));
  if (!result.ok) throw bad(`"${file}" could not be imported: ${problemsSentence(result.errors)}`);
  return result.artifact;
}

export async function runImportCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, IMPORT_USAGE, true);
    if (values.help) {
      io.stdout.write(IMPORT_USAGE);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw bad('Give exactly one FILE to import.');
    const file = positionals[0] as string;
    const link = isShareLink(file);
    // Checked before reading: importing a file onto itself (alignment.json is the default --out) would replace it.
    const out = await checkOutputFile(
      io.cwd,
      values.out,
      'out',
      'alignment.json',
      link ? [] : [{ flag: 'FILE', file, label: 'the file you import' }],
      {
        ...(values.out === undefined ? { what: '"alignment.json" (the default --out)' } : {}),
      },
    );
    // Read first: a missing or wrong FILE is told as such, not as an alignment at --out to pass --force over.
    // A share link saves what it opens as on the page.
    const artifact = link ? await readShareLink(file) : await readImportFile(io.cwd, file);
    // An alignment already there (a run's result, say) is not replaced unless asked, as `drpo optimize` does.
    await guardExistingOut({
      out,
      shown: values.out ?? 'alignment.json',
      cwd: io.cwd,
      force: values.force,
      doer: 'the import',
    });
    await writeAtomic(out, `${JSON.stringify(stripSecrets(artifact), null, 2)}\n`);
    const a = artifact;
    io.stdout.write(`Imported ${describeImport(a)} for ${modelWords(a.model)} → ${out}\n`);
    return EXIT.ok;
  } catch (err) {
    return reportError(io, 'import-drpo', err, helpHint('import-drpo'));
  }
}
