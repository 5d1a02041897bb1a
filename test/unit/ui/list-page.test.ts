/** ListPage: which items a page draws, what it says of them, and what a new filter resets. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReactiveElement } from 'lit';
import { ListPage } from '../../../src/ui/controllers/list-page';

afterEach(() => vi.useRealTimers());

function page(o: Partial<ConstructorParameters<typeof ListPage>[1]> = {}) {
  const host = { addController: vi.fn(), requestUpdate: vi.fn() } as unknown as ReactiveElement;
  return new ListPage(host, { id: 'runs', noun: ['run', 'runs'], size: 3, ...o });
}

type Item = { name: string; model: string };
const items: Item[] = Array.from({ length: 8 }, (_, i) => ({
  name: `Run ${7 - i}`,
  model: i % 2 ? 'Llama-3.1' : 'Tiny',
}));
const texts = (x: Item) => [x.name, x.model];
const names = (xs: Item[]) => xs.map((x) => x.name);

describe('ListPage', () => {
  it('draws the first page, in the given order, and says how many of how many', () => {
    const p = page();
    const v = p.view(items, texts);
    expect(names(v.shown)).toEqual(['Run 7', 'Run 6', 'Run 5']);
    expect(v).toMatchObject({ matching: 8, total: 8, anyway: [] });
    expect(p.words(v)).toBe('Showing 3 of 8 runs.');
  });

  it('keeps items that hold the words as typed in one of their texts (case and spacing aside)', () => {
    const p = page({ size: 50 });
    p.setQuery('  RUN   1 ');
    // "run 1" is not found in "Run 3" + "Llama-3.1" read together.
    expect(names(p.view(items, texts).shown)).toEqual(['Run 1']);
    p.setQuery('llama');
    const v = p.view(items, texts);
    expect(v.matching).toBe(4);
    expect(p.words(v)).toBe('4 of 8 runs match “llama”.');
    p.setQuery('nothing');
    expect(p.words(p.view(items, texts))).toBe('No runs match “nothing”. Clear the filter to see all 8.');
  });

  it('a new filter starts at the first page again, and tells the host', () => {
    const onQuery = vi.fn();
    const p = page({ onQuery });
    p.limit = 6;
    p.setQuery('run');
    expect(p.limit).toBe(3);
    expect(onQuery).toHaveBeenCalledOnce();
    expect(p.words(p.view(items, texts))).toBe('Showing 3 of the 8 runs that match “run” (8 in all).');
  });

  it('draws pinned items whatever the filter and the page, and says who they are', () => {
    const p = page({ anyway: (why, k) => (why === 'chosen' ? `the ${k} you chose` : 'the one you renamed') });
    const pin = (x: Item) => (x.name === 'Run 0' || x.name === 'Run 1' ? 'chosen' : x.name === 'Run 2' && 'renamed');
    // Past the page: drawn in their place in the order.
    let v = p.view(items, texts, pin);
    expect(names(v.shown)).toEqual(['Run 7', 'Run 6', 'Run 5', 'Run 2', 'Run 1', 'Run 0']);
    expect(v.anyway).toEqual(['renamed', 'chosen', 'chosen']);
    expect(p.words(v)).toBe('Showing 3 of 8 runs. The one you renamed and the 2 you chose are shown anyway.');
    // One the filter keeps and the page holds is not "shown anyway".
    p.setQuery('run 1');
    v = p.view(items, texts, pin);
    expect(names(v.shown)).toEqual(['Run 2', 'Run 1', 'Run 0']);
    expect(p.words(v)).toBe('1 of 8 runs match “run 1”. The one you renamed and the 1 you chose are shown anyway.');
    p.setQuery('zzz');
    expect(p.words(p.view(items, texts, (x) => x.name === 'Run 0' && 'chosen'))).toBe(
      'No runs match “zzz”. The 1 you chose is shown anyway. Clear the filter to see all 8.',
    );
  });

  it('with no words given, counts the pinned ones by why', () => {
    const p = page();
    p.setQuery('zzz');
    expect(p.words(p.view(items, texts, (x) => x.model === 'Tiny' && 'chosen'))).toBe(
      'No runs match “zzz”. 4 chosen are shown anyway. Clear the filter to see all 8.',
    );
  });

  it('asks the host to render again once typing settles (the count is said then), once for several keys', () => {
    vi.useFakeTimers();
    const host = { addController: vi.fn(), requestUpdate: vi.fn() } as unknown as ReactiveElement;
    const p = new ListPage(host, { id: 'runs', noun: ['run', 'runs'] });
    p.setQuery('r');
    p.setQuery('ru');
    p.setQuery('run');
    expect(host.requestUpdate).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(499);
    expect(host.requestUpdate).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(1);
    expect(host.requestUpdate).toHaveBeenCalledTimes(4);
    // Gone from the page: nothing is asked of it after.
    p.setQuery('runs');
    p.hostDisconnected();
    vi.advanceTimersByTime(1000);
    expect(host.requestUpdate).toHaveBeenCalledTimes(5);
  });
});
