import { describe, expect, it } from 'vitest';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import { AnswerCache, policyMessages } from '../../../../src/core/eval/answers';
import { BASELINE_LABEL, NO_SYSTEM_LABEL } from '../../../../src/core/eval/eval-prompts';
import { comparePairwise } from '../../../../src/core/eval/pairwise';
import { evaluateAlignments } from '../../../../src/core/eval/evaluate-alignments';
import { referenceCandidates } from '../../../../src/core/eval/report/compare';
import { formatReportTable } from '../../../../src/core/eval/report/report-table';
import { runPairwise } from '../../../../src/core/eval/run-pairwise';
import { toCsv } from '../../../../src/core/eval/report/report-csv';
import { best, judge, policy, queries, scripted } from '../../../support/eval-models';

describe('evaluateAlignments', () => {
  it('scores regular queries on five aspects and unsafe ones on Safety, counting parse failures', async () => {
    const p = policy();
    const j = judge();
    const progress: number[] = [];
    const { report } = await evaluateAlignments({
      candidates: [best, ...referenceCandidates({ baseline: true, noSystem: true })],
      queries,
      policy: p.model,
      judge: j.model,
      seed: 3,
      maxTokens: 256,
      onProgress: (e) => progress.push(e.done),
      now: () => 0,
    });
    expect(report.queries).toEqual({ total: 4, regular: 2, unsafe: 2 });
    expect(report.candidates.map((c) => c.label)).toEqual(['Best', BASELINE_LABEL, NO_SYSTEM_LABEL]);
    expect(progress.at(-1)).toBe(24);
    expect(report.complete).toBe(true);

    const [b, base, none] = report.candidates;
    expect(b.aspects.map((a) => a.aspect)).toEqual([
      'Helpfulness',
      'Clarity',
      'Factuality',
      'Depth',
      'Engagement',
      'Safety',
    ]);
    expect(b.aspects.every((a) => a.mean === 5)).toBe(true);
    // Every answer scored 5: no spread, so no interval (stats audit, finding 5).
    expect(b.overall).toEqual({ n: 3, mean: 5, ci: null });
    expect(base.overall.mean).toBe(3);
    expect(b.counts).toEqual({ queries: 4, regular: 2, unsafe: 2, scored: 3, parseFailures: 1 });

    const broken = b.rows.find((r) => r.queryId === 'q4')!;
    expect(broken.mean).toBeNull();
    expect(broken.scores).toEqual([]);
    expect(broken.parseError).toMatch(/JSON/);
    expect(broken.raw).toContain('pretty good');
    const unsafe = b.rows.find((r) => r.queryId === 'q3')!;
    expect(unsafe.kind).toBe('unsafe');
    expect(unsafe.scores).toEqual([{ aspect: 'Safety', score: 5, rationale: 'refused' }]);
    expect(none.systemPrompt).toBeNull();

    // Baseline uses the paper's prompt; "no system prompt" sends no system message.
    const systems = p.requests.map((r) => r.messages.find((m) => m.role === 'system')?.content ?? null);
    expect(systems.filter((s) => s === 'You are a helpful assistant.')).toHaveLength(4);
    expect(systems.filter((s) => s === null)).toHaveLength(4);
    // Policy and judge both run at temperature 0 with the seed; json schema only when supported.
    expect(p.requests.every((r) => r.temperature === 0 && r.seed === 3 && r.max_tokens === 256)).toBe(true);
    expect(j.requests.every((r) => r.temperature === 0 && r.json === undefined)).toBe(true);
    // The judge never sees the candidate's system prompt.
    expect(j.requests.some((r) => r.messages.some((m) => m.content.includes('BEST prompt')))).toBe(false);
  });

  it('sends a JSON schema to judges that support it', async () => {
    const j = judge(true);
    await evaluateAlignments({
      candidates: [best],
      queries: queries.slice(0, 3),
      policy: policy().model,
      judge: j.model,
    });
    expect(j.requests[0].json?.name).toBe('answer_scores');
    const schema = j.requests[0].json!.schema as { required: string[] };
    expect(schema.required).toEqual(['helpfulness', 'clarity', 'factuality', 'depth', 'engagement']);
    expect((j.requests[2].json!.schema as { required: string[] }).required).toEqual(['safety']);
  });

  it('applies an alignment as at inference: prompt plus retrieved examples in the system message', async () => {
    const withPool = {
      ...best,
      icl: [
        { query: 'How do leaves work?', answer: 'Leaves catch light.' },
        { query: 'Write a poem about the sea', answer: 'Waves...' },
      ],
    };
    const msgs = await policyMessages(withPool, 'How do plants make food in their leaves?', 1);
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user']);
    expect(msgs[0].content).toMatch(/^BEST prompt/);
    expect(msgs[0].content).toContain('Leaves catch light.');
    expect(msgs[0].content).not.toContain('Waves...');
    expect(await policyMessages(withPool, 'hi', 0)).toEqual([
      { role: 'system', content: 'BEST prompt' },
      { role: 'user', content: 'hi' },
    ]);
    expect(await policyMessages({ label: 'x', systemPrompt: null }, 'hi', 3)).toEqual([
      { role: 'user', content: 'hi' },
    ]);
  });

  it('rejects empty inputs with clear messages and makes labels unique', async () => {
    const base = { queries, policy: policy().model, judge: judge().model };
    await expect(evaluateAlignments({ ...base, candidates: [] })).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
    });
    await expect(
      evaluateAlignments({ ...base, candidates: [best], queries: [{ id: 'x', text: '  ' }] }),
    ).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
      message: expect.stringMatching(/no queries/),
    });
    const { report } = await evaluateAlignments({ ...base, candidates: [best, best], queries: queries.slice(0, 1) });
    expect(report.candidates.map((c) => c.label)).toEqual(['Best', 'Best (2)']);
  });

  it('returns a partial report when stopped, and propagates real failures', async () => {
    const ctrl = new AbortController();
    const { report } = await evaluateAlignments({
      candidates: [best],
      queries,
      policy: policy().model,
      judge: judge().model,
      signal: ctrl.signal,
      onProgress: (e) => {
        if (e.phase === 'judge' && e.done === 6) ctrl.abort();
      },
    });
    expect(report.complete).toBe(false);
    expect(report.candidates[0].rows).toHaveLength(2);
    expect(formatReportTable(report)).toMatch(/Stopped early/);

    const failing = scripted('judge-x', () => '');
    failing.model.chat = async () => {
      throw new AppError(ErrorName.Network, 'The endpoint cannot be reached.');
    };
    await expect(
      evaluateAlignments({ candidates: [best], queries, policy: policy().model, judge: failing.model }),
    ).rejects.toMatchObject({ name: ErrorName.Network });
  });
});

describe('pairwise', () => {
  it('reuses cached answers and judges each pair twice with positions swapped', async () => {
    const p = policy();
    const j = judge();
    const cache = new AnswerCache();
    const regular = queries.slice(0, 2);
    const cands = [best, ...referenceCandidates({ baseline: true })];
    await evaluateAlignments({ candidates: cands, queries: regular, policy: p.model, judge: j.model, cache });
    const policyCalls = p.requests.length;
    const before = j.requests.length;
    const r = await comparePairwise({
      a: cands[0],
      b: cands[1],
      queries: regular,
      cache,
      policy: p.model,
      judge: j.model,
    });
    expect(p.requests.length).toBe(policyCalls);
    expect(j.requests.length - before).toBe(4);
    expect(r.rates).toMatchObject({ n: 2, wins: 2, ties: 0, losses: 0 });
    expect(r.rows[0].verdicts).toEqual(['A', 'B']);
    expect(r.positionDisagreements).toBe(0);
  });

  it('a judge that always prefers the first answer gives only ties', async () => {
    const firstBiased = scripted('biased', () => '{"rationale": "first is best", "winner": "A"}');
    const cache = new AnswerCache();
    cache.set('x', 'q1', { text: 'one', finishReason: 'stop' });
    cache.set('y', 'q1', { text: 'two', finishReason: 'stop' });
    const r = await comparePairwise({
      a: { label: 'x', systemPrompt: 'x' },
      b: { label: 'y', systemPrompt: 'y' },
      queries: queries.slice(0, 1),
      cache,
      judge: firstBiased.model,
    });
    expect(r.rates).toMatchObject({ n: 1, ties: 1, wins: 0 });
    expect(r.positionDisagreements).toBe(1);
  });

  it('counts unparseable verdicts as failures and needs answers or a policy', async () => {
    const bad = scripted('bad', () => 'no idea');
    const cache = new AnswerCache();
    cache.set('x', 'q1', { text: 'one', finishReason: 'stop' });
    cache.set('y', 'q1', { text: 'two', finishReason: 'stop' });
    const a = { label: 'x', systemPrompt: 'x' };
    const b = { label: 'y', systemPrompt: 'y' };
    const r = await comparePairwise({ a, b, queries: queries.slice(0, 1), cache, judge: bad.model });
    expect(r.parseFailures).toBe(1);
    expect(r.rates.n).toBe(0);
    await expect(
      comparePairwise({ a, b, queries: queries.slice(1, 2), cache, judge: bad.model }),
    ).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
    });
    await expect(comparePairwise({ a, b: a, queries, cache, judge: bad.model })).rejects.toMatchObject({
      name: ErrorName.InvalidInput,
    });
  });

  it('runPairwise adds comparisons to a report from its stored answers; toCsv and the table include them', async () => {
    const p = policy();
    const { report } = await evaluateAlignments({
      candidates: [best, ...referenceCandidates({ baseline: true, noSystem: true })],
      queries,
      policy: p.model,
      judge: judge().model,
    });
    const roundTripped = JSON.parse(JSON.stringify(report));
    const withPairs = await runPairwise({ report: roundTripped, judge: judge().model });
    expect(withPairs.pairwise.map((x) => [x.a, x.b])).toEqual([
      ['Best', BASELINE_LABEL],
      ['Best', NO_SYSTEM_LABEL],
    ]);
    expect(withPairs.pairwise[0].rates.wins).toBe(4);
    const csv = toCsv(withPairs);
    // The BOM first, so that Excel reads it as UTF-8.
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFcandidate,query_id,category,kind,Helpfulness,Clarity,Factuality,Depth,Engagement,Safety,mean,parse_error,query,answer',
    );
    // All 5s: no interval, so its ends are empty cells.
    expect(csv).toContain('Best,Overall,3,5,,\r\n');
    expect(csv).toContain(',[good] answer to: How do plants make food?');
    const table = formatReportTable(withPairs);
    expect(table).toMatch(/Best\s+5\.00 \(no spread\)/);
    expect(table).toMatch(/Best vs Baseline\s+100%/);
  });

  it('toCsv quotes commas and neutralises formulas', async () => {
    const hostile = scripted('p', () => '=HYPERLINK("x"), "quoted"');
    const { report } = await evaluateAlignments({
      candidates: [best],
      queries: queries.slice(0, 1),
      policy: hostile.model,
      judge: judge().model,
    });
    const row = toCsv(report).split('\r\n')[1];
    expect(row).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
  });
});
