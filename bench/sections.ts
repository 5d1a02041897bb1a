/**
 * The sections of `npm run bench`, in the order they run and are written, and the reading of its arguments
 * (section names or --help). Each section is imported only when it runs, so reading the arguments (and this
 * file's unit test) loads none of them.
 */
import { closeMatches } from '../src/core/words/close-matches';
import type { BenchSection } from './types';

export type SectionFn = () => Promise<BenchSection>;

export const SECTIONS: readonly (readonly [string, () => Promise<SectionFn>])[] = [
  ['token-efficiency', async () => (await import('./token-efficiency')).benchTokenEfficiency],
  ['search-quality', async () => (await import('./search-quality')).benchSearchQuality],
  ['concurrency', async () => (await import('./concurrency')).benchConcurrency],
  ['share-links', async () => (await import('./share-links')).benchShareLinks],
  ['query-files', async () => (await import('./query-files')).benchQueryFiles],
  ['page-load', async () => (await import('./page-load')).benchPageLoad],
  ['storage', async () => (await import('./storage')).benchStorage],
  ['ui-streaming', async () => (await import('./ui-streaming')).benchUiStreaming],
  ['robustness', async () => (await import('./robustness')).benchRobustness],
  ['cli', async () => (await import('./cli')).benchCli],
];

export const SECTION_NAMES: readonly string[] = SECTIONS.map(([id]) => id);

export const BENCH_USAGE = `Usage: npm run bench [-- SECTION...]

Runs the benchmark sections, prints their tables and writes bench/results.json. With section names, runs
only those and keeps the other sections of bench/results.json as they were.

Sections: ${SECTION_NAMES.join(', ')}`;

/**
 * What the arguments ask for: the help, the sections to run (all of them for none named), or an error naming
 * what is unknown and listing the valid names. Checked before anything runs, so a mistyped name never runs
 * nothing and then rewrites bench/results.json with a new date.
 */
export function parseBenchArgs(args: readonly string[]): { help: true } | { sections: string[] } | { error: string } {
  if (args.some((a) => a === '--help' || a === '-h')) return { help: true };
  const unknown = args.filter((a) => !SECTION_NAMES.includes(a));
  if (unknown.length > 0) {
    const names = unknown
      .map((a) => {
        const near = closeMatches([...SECTION_NAMES], a, 1)[0];
        return near ? `"${a}" (did you mean "${near}"?)` : `"${a}"`;
      })
      .join(', ');
    return {
      error: `Unknown bench ${unknown.length === 1 ? 'section' : 'sections'}: ${names}. The sections are: ${SECTION_NAMES.join(', ')} (none named runs them all).`,
    };
  }
  return { sections: args.length ? SECTION_NAMES.filter((s) => args.includes(s)) : [...SECTION_NAMES] };
}
