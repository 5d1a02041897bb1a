/**
 * A share link (the page's Copy share link) in place of an alignment file: `drpo eval --alignment`, `drpo export`
 * and `drpo import-drpo` decode it with the page's codec, and refuse a damaged one in the page's words.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/drpo';
import { decodeAlignmentLink, encodeAlignmentLink, linkArtifact } from '../../../src/core/formats/link-codec';
import { EXPORT_FORMATS } from '../../../src/core/formats/export-formats';
import type { EvalReport } from '../../../src/core/eval/eval-types';
import type { AlignmentArtifact } from '../../../src/core/contracts/alignment';
import { sampleArtifact } from '../../support/artifacts';
import { captureIo, cliFixture } from '../../support/cli-io';

const fx = cliFixture('drpo-link-');

const shared: AlignmentArtifact = sampleArtifact({
  name: 'Shared one',
  systemPrompt: 'You are a careful, warm assistant. Say what you do not know.',
  model: { id: 'scripted-small', engine: 'openai' },
  icl: [{ query: 'What is fog?', answer: 'A cloud at ground level.' }],
  examplesPerQuery: 1,
});

/** The link as the page copies it: its address, then the fragment. */
async function linkOf(a: AlignmentArtifact): Promise<string> {
  return `https://studio.example/drpo/#${(await encodeAlignmentLink(a)).fragment}`;
}

async function drpo(...argv: string[]) {
  const io = captureIo(fx.dir);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** The page's words for a damaged link (the share page shows the codec's error). */
async function pageWords(link: string): Promise<string> {
  const r = await decodeAlignmentLink(link);
  if (r.ok) throw new Error('the link opened');
  return r.error;
}

describe('a share link in place of an alignment file', () => {
  it('drpo export writes what the link opens as, byte for byte, from a full link or its fragment', async () => {
    const link = await linkOf(shared);
    const opened = linkArtifact(shared)!;
    for (const f of EXPORT_FORMATS) {
      const r = await drpo('export', link, '--format', f.id);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(f.build(opened));
    }
    const fragment = link.slice(link.indexOf('#'));
    const r = await drpo('export', fragment, '--format', 'ollama', '--out', 'Modelfile');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(path.join(fx.dir, 'Modelfile'), 'utf8')).toBe(EXPORT_FORMATS[0]!.build(opened));
  });

  it('a damaged, cut or empty link is refused in the page’s words (exit 1, nothing written)', async () => {
    const link = await linkOf(shared);
    const cut = link.slice(0, link.length - 9);
    const damaged = await pageWords(cut);
    expect(damaged).toMatch(/^This share link is damaged or incomplete\./);
    for (const argv of [
      ['export', cut, '--format', 'ollama', '--out', 'x.txt'],
      ['import-drpo', cut, '--out', 'x.json'],
      ['eval', '--base-url', fx.server.url, '--alignment', cut, '--out', 'x.json'],
    ]) {
      const r = await drpo(...argv);
      expect(r.code, argv[0]).toBe(1);
      expect(r.err).toContain(`: ${damaged}\n`);
      // Which argument it was, shortened: a link can be 64 KB.
      expect(r.err).toMatch(/ {2}The link given: https:\/\/studio\.example\/drpo\/#a=\S{8,}…\n/);
      expect(r.out).toBe('');
      expect(existsSync(path.join(fx.dir, argv.at(-1)!))).toBe(false);
    }
    // The page's address alone carries no alignment: said so, as the page says it.
    const bare = await drpo('export', 'https://studio.example/drpo/', '--format', 'ollama');
    expect(bare.code).toBe(1);
    expect(bare.err).toContain(`: ${await pageWords('https://studio.example/drpo/#a=')}\n`);
    expect(bare.err).toContain('This link does not contain an alignment.');
    // With no fragment to shorten, the address is shown whole (not cut inside its host name)…
    expect(bare.err).toContain('  The link given: https://studio.example/drpo/\n');
    // …up to a length a line can hold.
    const long = `https://studio.example/${'p'.repeat(5000)}`;
    const longBare = await drpo('export', long, '--format', 'ollama');
    expect(longBare.code).toBe(1);
    expect(longBare.err).toMatch(/ {2}The link given: https:\/\/studio\.example\/p{40,200}…\n/);
  });

  it('drpo import-drpo saves what the link opens as', async () => {
    const r = await drpo('import-drpo', await linkOf(shared), '--out', 'saved.json');
    expect(r.code, r.err).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(fx.dir, 'saved.json'), 'utf8')) as AlignmentArtifact;
    expect(saved).toEqual(JSON.parse(JSON.stringify(linkArtifact(shared))));
  });

  it('drpo eval --alignment LINK evaluates it on the model it names, beside a file (each once)', async () => {
    writeFileSync(path.join(fx.dir, 'file.json'), JSON.stringify({ ...shared, name: 'From a file' }));
    const link = await linkOf(shared);
    const r = await drpo(
      'eval',
      '--base-url',
      fx.server.url,
      '--alignment',
      link,
      '--alignment',
      link,
      '--alignment',
      'file.json',
      '--limit',
      '1',
      '--out',
      'r.json',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /^Model: scripted-small \(from the share link https:\/\/studio\.example\/\S+… and file\.json\)$/m,
    );
    expect(r.err).toMatch(/note: --alignment the share link \S+ is given more than once; evaluating it once\./);
    const report = JSON.parse(readFileSync(path.join(fx.dir, 'r.json'), 'utf8')) as EvalReport;
    expect(report.candidates.map((c) => c.label)).toEqual(['Shared one', 'From a file']);
  });

  it('drpo eval takes a link and its bare fragment (or the link on another address) for one input', async () => {
    const link = await linkOf(shared);
    const fragment = link.slice(link.indexOf('#'));
    const elsewhere = `http://localhost:5173/${fragment}`;
    const argv = ['eval', '--base-url', fx.server.url, '--limit', '1', '--out', 'once.json'];
    const r = await drpo(...argv, '--alignment', link, '--alignment', fragment, '--alignment', ` ${elsewhere}`);
    expect(r.code, r.err).toBe(0);
    const notes = r.err.split('\n').filter((l) => l.startsWith('note: --alignment'));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(
      /^note: --alignment the share link #a=\S+… carries the same alignment as the share link https:\/\/studio\.example\/drpo\/#a=\S+…; evaluating it once\.$/,
    );
    const report = JSON.parse(readFileSync(path.join(fx.dir, 'once.json'), 'utf8')) as EvalReport;
    expect(report.candidates.map((c) => c.label)).toEqual(['Shared one']);
  });
});
