import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_LIMITS, validateArtifact } from '../../../../src/core/formats/alignment-file';
import {
  decodeAlignmentLink,
  encodeAlignmentLink,
  linkSizeAdvice,
  linkArtifact,
  LINK_SIZE,
  MAX_ENCODED_CHARS,
} from '../../../../src/core/formats/link-codec';
import { inferenceExamples, startingPrompt } from '../../../../src/core/words/verdict-text';
import { answerLength } from '../../../../src/core/eval/report/compare';
import { PRESETS } from '../../../../src/core/plan/presets';
import { playgroundAnswers } from '../../../../src/ui/view-models/playground-answers';
import { linkRelation } from '../../../../src/store/content-hash';
import type { AlignmentArtifact } from '../../../../src/core/contracts/alignment';
import { fellShortArtifact, sampleArtifact } from '../../../support/artifacts';

const base: AlignmentArtifact = sampleArtifact({
  model: { id: 'm-1', engine: 'openai' },
  judge: { id: 'j-1', engine: 'openai' },
  settings: { apiKey: 'sk-secretsecretsecret', baseUrl: 'https://u:p@host/v1' },
  lineage: Array.from({ length: 8 }, (_, i) => ({ depth: i, prompt: `p${i}`, reward: 3 + i / 10 })),
});

function toB64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
async function deflate(text: string): Promise<Uint8Array> {
  const cs = new CompressionStream('deflate-raw');
  const w = cs.writable.getWriter();
  void w.write(new TextEncoder().encode(text));
  void w.close();
  return new Uint8Array(await new Response(cs.readable).arrayBuffer());
}

describe('link codec', () => {
  it('round-trips the shareable part and never carries secrets or settings', async () => {
    const { fragment, bytes } = await encodeAlignmentLink(base);
    expect(fragment.startsWith('a=')).toBe(true);
    expect(bytes).toBe(fragment.length);
    const r = await decodeAlignmentLink(`https://example.org/drpo/#${fragment}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.artifact.systemPrompt).toBe(base.systemPrompt);
    expect(r.artifact.icl).toEqual(base.icl);
    expect(r.artifact.settings).toEqual({});
    expect(r.artifact.lineage.map((l) => l.depth)).toEqual([3, 4, 5, 6, 7]);
    expect(JSON.stringify(r.artifact)).not.toMatch(/sk-secret|u:p@/);
  });

  it('can drop the examples', async () => {
    const r = await decodeAlignmentLink((await encodeAlignmentLink(base, { dropIcl: true })).fragment);
    expect(r.ok && r.artifact.icl).toEqual([]);
  });

  it('without the examples its verdict measured, carries no verdict and no validation scores', async () => {
    const improved = sampleArtifact({
      outcome: 'improved',
      examplesPerQuery: 1,
      scores: {
        train: 4.2,
        validation: 3.4,
        initialValidation: 2.9,
        validationQueries: 8,
        validationStandardError: 0.2,
      },
    });
    const dropped = await decodeAlignmentLink((await encodeAlignmentLink(improved, { dropIcl: true })).fragment);
    expect(dropped.ok && dropped.artifact.outcome).toBeUndefined();
    expect(dropped.ok && dropped.artifact.scores).toEqual({ train: 4.2 });
    // With its examples, or when it uses none at inference, the verdict holds for what the link carries.
    const whole = await decodeAlignmentLink((await encodeAlignmentLink(improved)).fragment);
    expect(whole.ok && whole.artifact.outcome).toBe('improved');
    const noneUsed = sampleArtifact({ ...improved, examplesPerQuery: 0 });
    const kept = await decodeAlignmentLink((await encodeAlignmentLink(noneUsed, { dropIcl: true })).fragment);
    expect(kept.ok && kept.artifact.outcome).toBe('improved');
    expect(kept.ok && kept.artifact.scores.validation).toBe(3.4);
  });

  it('an older file that sets its examples per question only in its settings: the link uses as many', () => {
    const icl = Array.from({ length: 5 }, (_, i) => ({ query: `q${i}`, answer: `a${i}` }));
    const old = sampleArtifact({ icl, settings: { iclKInference: 2 } });
    delete old.examplesPerQuery;
    expect(inferenceExamples(old)).toBe(2);
    const link = linkArtifact(old)!;
    expect(link.settings).toEqual({});
    expect(link.examplesPerQuery).toBe(2);
    expect(inferenceExamples(link)).toBe(2);
    expect(linkRelation(old, link)).toBe('same');
    expect(linkRelation(link, old)).toBe('fuller');
    // One that uses the default anyway writes nothing more: links saved before stay what they were.
    const plain = sampleArtifact({ icl, settings: {} });
    delete plain.examplesPerQuery;
    expect(linkArtifact(plain)!.examplesPerQuery).toBeUndefined();
    // Without the examples, nothing is retrieved: no count to carry.
    expect(linkArtifact(old, { dropIcl: true })!.examplesPerQuery).toBeUndefined();
  });

  it('carries how its policy answered: a link answers as its file does (length and temperature), nothing else', async () => {
    // A quick run whose answers were sampled at 0.4: tuned and verified on answers of up to 320 tokens.
    const settings = { ...PRESETS.quick.settings, policyTemperature: 0.4, apiKey: 'sk-secretsecretsecret' };
    const file = sampleArtifact({ settings });
    const r = await decodeAlignmentLink((await encodeAlignmentLink(file)).fragment);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.artifact.settings).toEqual({ maxTokens: { policy: 320 }, policyTemperature: 0.4 });
    expect(answerLength([{ artifact: r.artifact }]).maxTokens).toBe(320);
    expect(playgroundAnswers(r.artifact)).toEqual(playgroundAnswers(file));
    expect(playgroundAnswers(r.artifact)).toMatchObject({ maxTokens: 320, temperature: 0.4 });
    // Without the examples too: how it answered does not depend on them.
    const dropped = await decodeAlignmentLink((await encodeAlignmentLink(file, { dropIcl: true })).fragment);
    expect(dropped.ok && dropped.artifact.settings).toEqual({ maxTokens: { policy: 320 }, policyTemperature: 0.4 });
    // The link and its file are one alignment.
    expect(linkRelation(file, r.artifact)).toBe('same');
    expect(linkRelation(r.artifact, file)).toBe('fuller');
    // A file that records none (or none valid) writes nothing: its link opens with the defaults, as before.
    const none = sampleArtifact({ settings: { maxTokens: { policy: 0 }, policyTemperature: 'hot' } });
    expect(linkArtifact(none)!.settings).toEqual({});
  });

  it('an older link without the answer length and temperature opens with the defaults, still as its file', async () => {
    const file = sampleArtifact({ settings: { ...PRESETS.quick.settings, policyTemperature: 0.4 } });
    const { systemPrompt, icl, model, judge, preset, scores, lineage, createdAt } = file;
    const share = { v: 1, systemPrompt, icl, model, judge, preset, scores, lineage, createdAt };
    const r = await decodeAlignmentLink('a=' + toB64Url(await deflate(JSON.stringify(share))));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.artifact.settings).toEqual({});
    expect(answerLength([{ artifact: r.artifact }]).maxTokens).toBe(1024);
    expect(playgroundAnswers(r.artifact)).toMatchObject({ maxTokens: 1024, temperature: 0 });
    // Stored before links carried them, it is still its file's link, and a newer link of the file adds them.
    expect(linkRelation(r.artifact, file)).toBe('fuller');
    expect(linkRelation(file, r.artifact)).toBe('same');
    const newer = linkArtifact(file)!;
    expect(linkRelation(r.artifact, newer)).toBe('fuller');
    expect(linkRelation(newer, r.artifact)).toBe('same');
    // Only numbers in the settings' ranges are read from a link; anything else in it is ignored.
    const odd = { ...share, answerTokens: 10_000_000, answerTemperature: 0.5, settings: { apiKey: 'sk-x' } };
    const o = await decodeAlignmentLink('a=' + toB64Url(await deflate(JSON.stringify(odd))));
    expect(o.ok && o.artifact.settings).toEqual({ policyTemperature: 0.5 });
  });

  it('a file that does not record its starting prompt keeps it on a link that cuts its path', async () => {
    // A converted or older file: 28 steps, no initialPrompt, so it starts from its first step.
    const lineage = Array.from({ length: 28 }, (_, i) => ({
      depth: i,
      prompt: i === 0 ? 'Start here.' : `p${i}`,
      reward: 3,
    }));
    const file = sampleArtifact({ lineage });
    delete file.initialPrompt;
    expect(startingPrompt(file)).toBe('Start here.');
    const r = await decodeAlignmentLink((await encodeAlignmentLink(file)).fragment);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.artifact.lineage).toHaveLength(5);
    expect(startingPrompt(r.artifact)).toBe(startingPrompt(file));
    expect(startingPrompt(linkArtifact(file)!)).toBe('Start here.');
    // The link and its file are one alignment.
    expect(linkRelation(file, r.artifact)).toBe('same');
    expect(linkRelation(r.artifact, file)).toBe('fuller');
    // A link made before links wrote it out (the last 5 steps, no starting prompt) still opens, still as its file's;
    // the file or a newer link adds the starting prompt to it.
    const { systemPrompt, icl, model, judge, preset, scores, createdAt } = file;
    const share = { v: 1, systemPrompt, icl, model, judge, preset, scores, lineage: lineage.slice(-5), createdAt };
    const old = await decodeAlignmentLink('a=' + toB64Url(await deflate(JSON.stringify(share))));
    expect(old.ok).toBe(true);
    if (!old.ok) return;
    expect(linkRelation(old.artifact, file)).toBe('fuller');
    expect(linkRelation(file, old.artifact)).toBe('same');
    expect(linkRelation(old.artifact, r.artifact)).toBe('fuller');
    expect(linkRelation(r.artifact, old.artifact)).toBe('same');
    // Another starting prompt is another alignment.
    expect(linkRelation(r.artifact, { ...file, initialPrompt: 'Elsewhere.' })).toBeNull();
    // A link that keeps the whole path writes nothing more: links made before stay what they were.
    const short = sampleArtifact();
    delete short.initialPrompt;
    expect(linkArtifact(short)!.initialPrompt).toBeUndefined();
  });

  it('keeps how close a "no improvement" run came, not the candidate itself (the file has it)', async () => {
    const fellShort = fellShortArtifact();
    const r = await decodeAlignmentLink((await encodeAlignmentLink(fellShort)).fragment);
    expect(r.ok && r.artifact.scores.bestCandidate).toEqual({ validation: 3.31, standardError: 0.27 });
  });

  it('accepts "#a=", "a=", a bare payload and a route with other params', async () => {
    const { fragment } = await encodeAlignmentLink(base);
    for (const input of [`#${fragment}`, fragment, fragment.slice(2), `#/share?x=1&${fragment}`]) {
      expect((await decodeAlignmentLink(input)).ok).toBe(true);
    }
  });

  it('opens a link that picked up spaces, line breaks or punctuation on its way; a cut one stays damaged', async () => {
    const { fragment } = await encodeAlignmentLink(base);
    const url = `https://example.org/drpo/#${fragment}`;
    const wrapped = (sep: string) => url.slice(0, 60) + sep + url.slice(60, 120) + sep + url.slice(120);
    const arrived = [
      `${url}.`, // the end of a sentence
      `(${url})`,
      `"${url}",`,
      `<${url}>`,
      `${url}%20`,
      `${url}%22)`,
      wrapped('\n'),
      wrapped('\r\n '),
      wrapped('%20'),
      wrapped('%0A'),
      wrapped('%250A'),
    ];
    for (const link of arrived) {
      const r = await decodeAlignmentLink(link);
      expect(r.ok && r.artifact.systemPrompt, link).toBe(base.systemPrompt);
    }
    for (const cut of [url.slice(0, -3), `${url.slice(0, 80)}…`, `${url.slice(0, -1)}.`]) {
      expect((await decodeAlignmentLink(cut)).ok).toBe(false);
    }
  });

  it('refuses empty, corrupted, oversized and future links with a message', async () => {
    const cases = ['', '#', 'a=', 'a=!!!!', 'a=AAAAA', 'a=' + 'A'.repeat(MAX_ENCODED_CHARS + 1)];
    for (const c of cases) {
      const r = await decodeAlignmentLink(c);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
    }
    const future = 'a=' + toB64Url(await deflate(JSON.stringify({ v: 2, systemPrompt: 'x' })));
    const r = await decodeAlignmentLink(future);
    expect(!r.ok && r.error).toMatch(/newer DRPO Studio/);
    const notObj = 'a=' + toB64Url(await deflate('[1,2]'));
    expect((await decodeAlignmentLink(notObj)).ok).toBe(false);
    const invalid = 'a=' + toB64Url(await deflate(JSON.stringify({ v: 1, systemPrompt: 3 })));
    const ri = await decodeAlignmentLink(invalid);
    expect(!ri.ok && ri.error).toMatch(/invalid alignment: systemPrompt/);
  });

  it('refuses a long run of punctuation or escapes quickly, with a message (the page must not freeze)', async () => {
    const damaged = /damaged or incomplete/;
    const tooLong = /longer than 64 KB/;
    const cases: [string, RegExp][] = [
      ['#a=' + '.'.repeat(60_000) + 'A', damaged],
      ['#a=' + '%'.repeat(60_000) + 'A', damaged],
      ['#a=' + '%25'.repeat(20_000) + 'A', damaged],
      ['#a=' + '%2E'.repeat(20_000) + 'A', damaged],
      ['#a=' + 'A'.repeat(1000) + '.'.repeat(200_000) + 'A', tooLong],
      // Far past what any link holds: refused before it is read at all.
      ['#a=' + '.'.repeat(10_000_000) + 'A', tooLong],
    ];
    for (const [link, message] of cases) {
      const started = performance.now();
      const r = await decodeAlignmentLink(link);
      // A generous guard: the old trailing-punctuation regex took about 20 s on the first case.
      expect(performance.now() - started, link.slice(0, 12)).toBeLessThan(1000);
      expect(!r.ok && r.error, link.slice(0, 12)).toMatch(message);
    }
  });

  it('refuses a decompression bomb without inflating it all', async () => {
    const bomb = 'a=' + toB64Url(await deflate(`{"v":1,"systemPrompt":"${'a'.repeat(20_000_000)}"}`));
    expect(bomb.length).toBeLessThan(MAX_ENCODED_CHARS);
    const r = await decodeAlignmentLink(bomb);
    expect(!r.ok && r.error).toMatch(/more than 512 KB/);
  });

  it('never calls a link fine that unpacks past what a link opens (long Chinese text packs small)', async () => {
    // Within every limit of a file, but 3 bytes a character: about 640 KB once unpacked (the JSON) in a link of a few KB.
    const cjk = (k: number, n: number) => `你好世界，这是第${k}个测试。`.repeat(n).slice(0, n);
    const big = sampleArtifact({
      systemPrompt: cjk(0, ARTIFACT_LIMITS.systemPrompt),
      icl: Array.from({ length: ARTIFACT_LIMITS.iclCount }, (_, i) => ({
        query: cjk(i + 1, ARTIFACT_LIMITS.iclText),
        answer: cjk(i + 40, ARTIFACT_LIMITS.iclText),
      })),
    });
    expect(validateArtifact(big).ok).toBe(true);
    const { fragment, bytes, unpacked } = await encodeAlignmentLink(big);
    expect(bytes).toBeLessThan(LINK_SIZE.ok);
    const opened = await decodeAlignmentLink(fragment);
    // One bound, one wording: what the page says on opening it and what the advice says before copying it.
    expect(!opened.ok && opened.error).toMatch(/more than 512 KB once unpacked, the most a link may carry/);
    const advice = linkSizeAdvice(bytes, true, unpacked);
    expect(advice.level).toBe('refused');
    expect(advice.message).toMatch(/^This alignment would carry \d+ KB once unpacked in a link, /);
    expect(advice.message).toMatch(
      /more than the 512 KB a link may carry, so its link would not open\. Drop the examples/,
    );
    expect(linkSizeAdvice(bytes, false, unpacked).message).toMatch(/Share the file instead\.$/);
    // Without the examples it fits, and the advice says so.
    const small = await encodeAlignmentLink(big, { dropIcl: true });
    expect(linkSizeAdvice(small.bytes, false, small.unpacked).level).toBe('ok');
    expect((await decodeAlignmentLink(small.fragment)).ok).toBe(true);
  });

  it('gives size advice', () => {
    expect(linkSizeAdvice(2000, true, 0).level).toBe('ok');
    expect(linkSizeAdvice(20_000, true, 0).level).toBe('long');
    const tooLong = linkSizeAdvice(40_000, true, 0);
    expect(tooLong.level).toBe('too-long');
    expect(tooLong.message).toMatch(/drop the examples or share the file/i);
    // Nothing to drop: the link is copied (it opens), and the file is said to be safer, not offered "instead".
    expect(linkSizeAdvice(40_000, false, 0).message).toBe(
      'The link is 40 KB: some apps may cut a link this long; the file is safer.',
    );
    // Longer than decodeAlignmentLink opens: refused, never just "long".
    expect(linkSizeAdvice(MAX_ENCODED_CHARS + 2, true, 0).level).toBe('too-long');
    const refused = linkSizeAdvice(MAX_ENCODED_CHARS + 3, true, 0);
    expect(refused.level).toBe('refused');
    expect(refused.message).toMatch(/longer than the 64 KB a link may be, so it would not open\. Drop the examples/);
  });
});

const str = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
// eslint-disable-next-line no-control-regex
const oneLine = (s: string) => !/[\u0000-\u001F\u007F]/.test(s);
const nonBlank = (max: number) => str(max).filter((s) => s.trim() !== '' && !s.includes('\u0000'));
const artifactArb: fc.Arbitrary<AlignmentArtifact> = fc
  .record({
    format: fc.constant('drpo-alignment' as const),
    version: fc.constant(1 as const),
    systemPrompt: nonBlank(400),
    icl: fc.array(fc.record({ query: nonBlank(100), answer: nonBlank(300) }), { maxLength: 4 }),
    model: fc.record({
      id: nonBlank(40).filter((s) => oneLine(s) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s)),
      engine: fc.constantFrom('webllm', 'openai'),
    }),
    judge: fc.record({
      id: str(40).filter((s) => oneLine(s) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s)),
      engine: fc.constantFrom('webllm', 'openai'),
    }),
    preset: fc.constantFrom('quick', 'paper', 'thorough'),
    settings: fc.constant({}),
    scores: fc.record({ train: fc.double({ min: 0, max: 5, noNaN: true }) }),
    lineage: fc.array(
      fc.record({
        depth: fc.nat(30),
        prompt: str(100).filter((s) => !s.includes('\u0000')),
        reward: fc.double({ min: 0, max: 5, noNaN: true }),
      }),
      { maxLength: 5 },
    ),
    createdAt: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  })
  .chain((a) =>
    fc
      .record({
        name: fc.option(
          str(60).filter((s) => !s.includes('\u0000')),
          { nil: undefined },
        ),
        validation: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: undefined }),
      })
      .map(({ name, validation }) => {
        const out: AlignmentArtifact = {
          ...a,
          scores: validation === undefined ? a.scores : { ...a.scores, validation },
        };
        if (name !== undefined) out.name = name;
        return out;
      }),
  );

describe('link codec properties', () => {
  it('round-trips arbitrary artifacts', async () => {
    await fc.assert(
      fc.asyncProperty(artifactArb, async (a) => {
        const r = await decodeAlignmentLink((await encodeAlignmentLink(a)).fragment);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.artifact).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });

  it('every mutation of a valid link decodes to a valid artifact or is refused, never throws', async () => {
    const { fragment } = await encodeAlignmentLink(base);
    const payload = fragment.slice(2);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/!%';
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: fc.constantFrom(...alphabet) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), ch: fc.constant('') }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), ch: fc.string({ maxLength: 6 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (muts) => {
        let p = payload;
        for (const m of muts) {
          const i = m.at % (p.length + 1);
          p =
            m.kind === 'flip'
              ? p.slice(0, i) + m.ch + p.slice(i + 1)
              : m.kind === 'cut'
                ? p.slice(0, i)
                : p.slice(0, i) + m.ch + p.slice(i);
        }
        const r = await decodeAlignmentLink(`a=${p}`);
        if (r.ok) expect(validateArtifact(r.artifact).ok).toBe(true);
        else expect(typeof r.error).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
