import { describe, expect, it } from 'vitest';
import { SHOWN_PATH_CHARS, alignmentHref, closestCandidateHref, parseRoute } from '../../../src/ui/app/route';
import { decodeAlignmentLink, encodeAlignmentLink } from '../../../src/core/formats/link-codec';
import { sampleArtifact } from '../../support/artifacts';

describe('parseRoute: share links in the forms they arrive in', () => {
  it('opens #/share?a=… and an escaped #a%3D… in the share preview, which decodes them', async () => {
    const { fragment } = await encodeAlignmentLink(sampleArtifact({ name: 'Routed' }));
    const payload = fragment.slice('a='.length);
    const hashes = [`#a=${payload}`, `#a%3D${payload}`, `#a%3d${payload}`, `#/share?a=${payload}`];
    // Escaped twice (passed through two apps that each escape it): still the link.
    hashes.push(`#a%253D${payload}`, `#a%25253d${payload}`);
    // …and the punctuation after it escaped twice too (pasted in quotes or brackets): still the link.
    hashes.push(`#a%253D${payload}%2522`, `#a%253D${payload}%2529`, `#a%253D${payload}%2522%2529.`);
    for (const hash of hashes) {
      const route = parseRoute(hash);
      expect(route.name).toBe('share');
      const opened = await decodeAlignmentLink(route.fragment!);
      expect(opened.ok && opened.artifact.name).toBe('Routed');
    }
    // The share route without a payload is the preview's "no alignment" message, not "Page not found".
    expect(parseRoute('#/share')).toEqual({ name: 'share', fragment: '#/share' });
    expect(parseRoute('#/shared').name).toBe('not-found');
  });

  it('repeats at most the start of an unknown address, never a whole pasted payload', () => {
    const long = `#/shere?a=${'x'.repeat(60_000)}`;
    const route = parseRoute(long);
    expect(route.name).toBe('not-found');
    expect(route.path).toBe(`${long.slice(1, 1 + SHOWN_PATH_CHARS)}…`);
    expect(parseRoute('#/nope')).toEqual({ name: 'not-found', path: '/nope' });
  });
});

describe('parseRoute: History pointed at a saved alignment', () => {
  it('reads the alignment back from alignmentHref, whatever its id holds; plain History has none', () => {
    for (const id of ['2f1c9c1e-4a7b-4d0e-9c55-0c1f6b3b9d11', 'a b&c=d/é']) {
      expect(parseRoute(alignmentHref(id))).toEqual({ name: 'history', alignmentId: id });
    }
    expect(parseRoute('#/history')).toEqual({ name: 'history' });
    expect(parseRoute('#/history?alignment=')).toEqual({ name: 'history' });
    expect(parseRoute('#/history/x?alignment=1').name).toBe('not-found');
  });
});

describe('parseRoute: a Result pointed at its closest candidate', () => {
  it('reads the run and the request back from closestCandidateHref; a plain Result has none', () => {
    for (const id of ['run-7', 'a/b?c=1#d']) {
      expect(parseRoute(closestCandidateHref(id))).toEqual({ name: 'result', runId: id, closest: true });
    }
    expect(parseRoute('#/result/run-7')).toEqual({ name: 'result', runId: 'run-7' });
    // Without a run there is no candidate to open.
    expect(parseRoute('#/result?closest=1')).toEqual({ name: 'result' });
  });
});
