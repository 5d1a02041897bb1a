import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import { buildRunConfig } from '../../../../src/core/plan/presets';
import { createRetriever } from '../../../../src/core/drpo/retrieval';
import { buildChatMessages } from '../../../../src/core/drpo/templates';
import type { IclExample, Query } from '../../../../src/core/contracts/run-config';
import { ScriptedDrpoModel } from '../../../fixtures/scripted-drpo-model';
import { models } from '../../../support/engine';

const DIR = path.resolve(process.cwd(), '../shared/data/drpo');
const have = existsSync(path.join(DIR, 'icl-examples.json')) && existsSync(path.join(DIR, 'train-queries.jsonl'));

describe.skipIf(!have)('with the published DRPO data', () => {
  const icl = (have ? JSON.parse(readFileSync(path.join(DIR, 'icl-examples.json'), 'utf8')) : []) as IclExample[];
  const train: Query[] = have
    ? readFileSync(path.join(DIR, 'train-queries.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, 20)
        .map((l, i) => ({ id: `t${i}`, text: (JSON.parse(l) as { query: string }).query }))
    : [];

  it('formats the published examples without their <START>/<END> markers', async () => {
    const r = createRetriever(icl);
    const picked = await r.retrieve(icl[0]!.query, 2);
    expect(picked[0]).toBe(icl[0]);
    const system = buildChatMessages('Be helpful.', picked, 'q')[0]!.content;
    expect(system).not.toContain('<START>');
    expect(system).not.toContain('<END>');
  });

  it('runs a short quick search with real queries and seed examples', async () => {
    const config = buildRunConfig('quick', { trainQueries: train, icl, settings: { depth: 2, validationSize: 0 } });
    const r = await runDrpo(config, { models: models(new ScriptedDrpoModel()) }, { runId: 'shared' });
    expect(r.status).toBe('completed');
    expect(r.artifact!.icl).toHaveLength(icl.length);
  });
});
