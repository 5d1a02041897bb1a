/**
 * Evaluate audit: a "no improvement" alignment is its starting prompt, word for word. The report says the two
 * are the same prompt, gives them the same interval (the bootstrap is seeded by the scores, not the label or
 * the row) and does not compare them pairwise; a stopped evaluation counts what it scored of what it asked.
 */
import { describe, expect, it } from 'vitest';
import { evalCandidates } from '../../../../src/core/eval/report/compare';
import { BASELINE_PROMPT, NO_SYSTEM_LABEL } from '../../../../src/core/eval/eval-prompts';
import { runEvalJob } from '../../../../src/core/eval/eval-job';
import { evaluateAlignments } from '../../../../src/core/eval/evaluate-alignments';
import { candidateKey } from '../../../../src/core/eval/identical';
import { formatReportTable, queriesLine, sameAsNotes, scoredCell } from '../../../../src/core/eval/report/report-table';
import type { EvalCandidate, EvalProgress } from '../../../../src/core/eval/eval-types';
import type { Query } from '../../../../src/core/contracts/run-config';
import { sampleArtifact } from '../../../support/artifacts';
import { policy, scripted } from '../../../support/eval-models';

/** Scores 1–5 that vary with the query (so intervals have width), the same for the same answer. */
const varied = () =>
  scripted('judge-v', (req) => {
    const user = req.messages[1]!.content;
    if (user.includes('# Answer A')) return '{"rationale": "same", "winner": "tie"}';
    const s = 1 + (user.length % 5);
    const aspects = ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement'];
    return `{${aspects.map((a, i) => `"${a}": {"rationale": "ok", "score": ${i === 0 ? s : 3}}`).join(',')}}`;
  });

const questions: Query[] = Array.from({ length: 8 }, (_, i) => ({
  id: `q${i + 1}`,
  text: `Question number ${i + 1}${'?'.repeat(i)}`,
}));

/** A run that found no improvement: its result is its starting prompt (the baseline's text), no examples. */
const unchanged = {
  name: 'No change',
  artifact: sampleArtifact({ systemPrompt: BASELINE_PROMPT, initialPrompt: BASELINE_PROMPT, icl: [] }),
};

describe('identical candidates', () => {
  it('are said to be the same prompt, get the same interval and are not compared pairwise', async () => {
    const candidates = evalCandidates({ chosen: [unchanged], starting: true, noSystem: true });
    expect(candidates.map((c) => c.label)).toEqual(['No change', 'Starting prompt', NO_SYSTEM_LABEL]);
    const { report } = await runEvalJob(
      { candidates, queries: questions, pairwise: true, seed: 5 },
      { policy: policy().model, judge: varied().model, now: () => 0 },
    );
    const [mine, start, none] = report.candidates;
    expect(mine!.sameAs).toBeUndefined();
    expect(start!.sameAs).toBe('No change');
    expect(none!.sameAs).toBeUndefined();
    expect(mine!.overall.ci!.hi).toBeGreaterThan(mine!.overall.ci!.lo);
    expect(start!.overall).toEqual(mine!.overall);
    expect(start!.aspects).toEqual(mine!.aspects);
    expect(report.pairwise.map((p) => [p.a, p.b])).toEqual([['No change', NO_SYSTEM_LABEL]]);
    expect(sameAsNotes(report)).toEqual([
      '“Starting prompt” is the same prompt as “No change”: it gets the same answers and scores, and the two are not compared pairwise.',
    ]);
    expect(formatReportTable(report)).toContain('“Starting prompt” is the same prompt as “No change”');
  });

  it('intervals depend on the scores alone, not on the row order or labels', async () => {
    const a: EvalCandidate = { label: 'A', systemPrompt: 'Be brief.' };
    const b: EvalCandidate = { label: 'B', systemPrompt: null };
    const run = (candidates: EvalCandidate[]) =>
      evaluateAlignments({ candidates, queries: questions, policy: policy().model, judge: varied().model, seed: 2 });
    const ab = (await run([a, b])).report.candidates;
    const ba = (await run([{ ...b, label: 'Other name' }, a])).report.candidates;
    expect(ba[1]!.overall).toEqual(ab[0]!.overall);
    expect(ba[0]!.overall).toEqual(ab[1]!.overall);
  });

  it('the same prompt with the same examples (or none retrieved) is one candidate; other examples are not', () => {
    const ex = [{ query: 'q', answer: 'a' }];
    const key = (c: Partial<EvalCandidate>) => candidateKey({ label: 'x', systemPrompt: 'P', ...c });
    expect(key({ icl: ex, iclK: 0 })).toBe(key({}));
    expect(key({ icl: ex, iclK: 1 })).not.toBe(key({}));
    expect(key({ icl: ex, iclK: 1 })).toBe(key({ icl: ex, iclK: 3 }));
    expect(key({ icl: [{ query: 'q', answer: 'b' }], iclK: 1 })).not.toBe(key({ icl: ex, iclK: 1 }));
    expect(key({ systemPrompt: null })).toBe(key({ systemPrompt: '' }));
  });
});

describe('a stopped evaluation', () => {
  it('counts each row against the queries asked, and says "not scored" for rows it never reached', async () => {
    const stop = new AbortController();
    const candidates: EvalCandidate[] = [
      { label: 'Shared', systemPrompt: 'Share.' },
      { label: 'Budget run', systemPrompt: 'Save.' },
      { label: NO_SYSTEM_LABEL, systemPrompt: null },
    ];
    const { report } = await evaluateAlignments({
      candidates,
      queries: questions,
      policy: policy().model,
      judge: varied().model,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.phase === 'judge' && p.done === 24 + 4) stop.abort();
      },
    });
    expect(report.complete).toBe(false);
    const [shared, budget] = report.candidates;
    expect(shared!.counts).toMatchObject({ queries: 8, scored: 4 });
    expect(scoredCell(report, shared!)).toBe('4/8');
    expect(scoredCell(report, budget!)).toBe('not scored');
    expect(queriesLine(report)).toBe('8 queries (8 regular, 0 unsafe); stopped with 4 of 24 answers scored');
    const table = formatReportTable(report);
    expect(table).toMatch(/Shared .* 4\/8 /);
    expect(table).toMatch(/Budget run .* not scored /);
    expect(table).toContain('Stopped early (4 of 24 answers scored)');
  });

  it('its progress names the candidate being judged, not the one just finished', async () => {
    const seen: EvalProgress[] = [];
    await evaluateAlignments({
      candidates: [
        { label: 'Shared', systemPrompt: 'Share.' },
        { label: 'Budget run', systemPrompt: 'Save.' },
      ],
      queries: questions.slice(0, 2),
      policy: policy().model,
      judge: varied().model,
      onProgress: (p) => seen.push(p),
    });
    // 2 × 2 answers, then 2 × 2 judgements: after Shared's last judgement, Budget run's first is being judged.
    const i = seen.findIndex((p) => p.phase === 'judge' && p.done === 6);
    expect(seen[i]!.candidate).toBe('Shared');
    expect(seen[i + 1]).toMatchObject({ phase: 'judge', done: 6, candidate: 'Budget run' });
    expect(seen.at(-1)).toMatchObject({ phase: 'judge', done: 8, total: 8 });
  });
});
