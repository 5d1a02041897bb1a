/** The app's stored runs (stored-runs.ts): a notice's reading ranks runs as a full reading of the store does. */
import { describe, expect, it } from 'vitest';
import { StoredRuns } from '../../../src/ui/controllers/stored-runs';
import type { ListedRun } from '../../../src/store/store';

const listed = (id: string, updatedAt: number, resumable = false): ListedRun =>
  ({ id, updatedAt, resumable, result: resumable ? null : { scores: {} } }) as unknown as ListedRun;

describe('StoredRuns', () => {
  it('runs changed in the same millisecond: the newest is the one the store lists first, whichever notice comes last', async () => {
    // Two runs written together (an import, a fast seeding): the store lists the higher id first.
    const runs = new Map([
      ['a', listed('a', 1000)],
      ['b', listed('b', 1000)],
    ]);
    const store = {
      listRuns: async () => [...runs.values()].sort((x, y) => y.updatedAt - x.updatedAt || (x.id < y.id ? 1 : -1)),
      getRunListing: async (id: string) => runs.get(id),
    };
    const lists = new StoredRuns(() => undefined);
    await lists.use(store);
    expect(lists.latest()).toEqual({ any: 'b', finished: 'b' });
    // The notices of that writing arrive after the reading (the last one held in its change window).
    await lists.runChanged('b');
    await lists.runChanged('a');
    expect(lists.latest()).toEqual({ any: 'b', finished: 'b' });
    // A later write makes a run the newest, as a full reading then says too.
    runs.set('a', listed('a', 1001));
    await lists.runChanged('a');
    expect(lists.latest()).toEqual({ any: 'a', finished: 'a' });
    await lists.use(store);
    expect(lists.latest()).toEqual({ any: 'a', finished: 'a' });
  });

  it("lists unfinished runs of the same millisecond in the store's order, however they were heard of", async () => {
    const runs = new Map([['a', listed('a', 1000, true)]]);
    const store = {
      listRuns: async () => [...runs.values()].sort((x, y) => y.updatedAt - x.updatedAt || (x.id < y.id ? 1 : -1)),
      getRunListing: async (id: string) => runs.get(id),
    };
    const lists = new StoredRuns(() => undefined);
    await lists.use(store);
    // 'b' is heard of after 'a' (a notice), in the same millisecond: it comes first, as in a full reading.
    runs.set('b', listed('b', 1000, true));
    await lists.runChanged('b');
    expect(lists.unfinished().map((r) => r.id)).toEqual(['b', 'a']);
    await lists.use(store);
    expect(lists.unfinished().map((r) => r.id)).toEqual(['b', 'a']);
  });
});
