/**
 * Reads an alignment file: our own format (validated by core/artifact) or the official DRPO
 * published-prompt format (converted by core/import-drpo). Refusals name what is wrong.
 */
import { validateArtifact } from '../core/formats/alignment-file';
import { AppError, ErrorName } from '../core/contracts/errors';
import {
  importDrpoPublished,
  importIclExamples,
  isDrpoPublished,
  isIclExamplesFile,
} from '../core/formats/alignment-import';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import type { AlignmentSource } from './schema';

const MAX_FILE_CHARS = 5_000_000;

function refuse(fileName: string, errors: string[]): never {
  throw new AppError(
    ErrorName.InvalidInput,
    `${fileName || 'This file'} cannot be imported: ${errors.slice(0, 3).join('; ')}`,
    { detail: errors.join('\n') },
  );
}

function converterErrors(err: unknown): string[] {
  if (err instanceof AppError && err.detail) return err.detail.split('\n');
  return [err instanceof Error ? err.message : String(err)];
}

export async function parseAlignmentFile(
  text: string,
  fileName: string,
): Promise<{ artifact: AlignmentArtifact; source: AlignmentSource }> {
  if (text.length > MAX_FILE_CHARS) refuse(fileName, [`the file is too large (limit ${MAX_FILE_CHARS / 1e6} MB)`]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    refuse(fileName, [`it is not JSON (${(err instanceof Error ? err.message : String(err)).slice(0, 120)})`]);
  }
  const ours = typeof json === 'object' && json !== null && 'format' in json;
  if (ours) {
    const checked = validateArtifact(json);
    if (!checked.ok) refuse(fileName, checked.errors);
    return { artifact: checked.artifact, source: 'file' };
  }
  const convert = isDrpoPublished(json) ? importDrpoPublished : isIclExamplesFile(json) ? importIclExamples : null;
  if (!convert) {
    refuse(fileName, [
      'it is neither a DRPO Studio alignment file (no "format": "drpo-alignment") nor a published DRPO prompt or examples file',
    ]);
  }
  let artifact: AlignmentArtifact;
  try {
    artifact = convert(json, fileName);
  } catch (err) {
    refuse(fileName, converterErrors(err));
  }
  return { artifact, source: 'drpo-import' };
}
