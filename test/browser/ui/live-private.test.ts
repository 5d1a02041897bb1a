/** Private mode: without IndexedDB the worker keeps nothing, so the page's memory store records the run. */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/ui/views/drpo-live-view';
import type { DrpoLiveView } from '../../../src/ui/views/drpo-live-view';
import { resetRunSessions } from '../../../src/ui/controllers/run-controller';
import { openStore } from '../../../src/store/store';
import { makeNode } from '../../support/live-fixtures';
import { FakeClient, testConfig, until } from '../../support/live-fakes';

afterEach(() => resetRunSessions());

describe('drpo-live-view without IndexedDB', () => {
  it('stores the streamed nodes in the page store and passes the run id as the job id', async () => {
    const store = await openStore({ forceMemory: true });
    expect(store.persistent).toBe(false);
    const run = await store.createRun(testConfig(), 'private run');
    const client = new FakeClient();
    const el = document.createElement('drpo-live-view') as DrpoLiveView;
    el.store = store;
    el.client = client.asClient();
    el.runId = run.id;
    document.body.append(el);
    await until(() => el.run.session?.phase === 'ready');
    void el.run.session!.start();
    await until(() => client.starts.length === 1);
    expect(client.starts[0]!.jobId).toBe(run.id);
    client.emit([
      { runId: run.id, at: 1, type: 'node-evaluated', node: makeNode({ id: 'd0-n0' }) },
      { runId: run.id, at: 2, type: 'node-evaluated', node: makeNode({ id: 'd1-n1', parentId: 'd0-n0', depth: 1 }) },
    ]);
    client.finish('completed');
    await until(() => el.run.session?.running === false);
    for (let i = 0; i < 50 && (await store.countNodes(run.id)) < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await store.getNodes(run.id)).map((n) => n.id).sort()).toEqual(['d0-n0', 'd1-n1']);
    el.remove();
    store.close();
  });
});
