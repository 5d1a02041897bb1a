import { describe, expect, it } from 'vitest';
import { TitleProgress } from '../../../src/ui/app/title-progress';
import { viewLabel } from '../../../src/ui/app/route';

describe('TitleProgress', () => {
  it('names the view, lets a running run show its progress over it, and gives way once the run ended', () => {
    const doc = { title: '' };
    const t = new TitleProgress(doc);
    t.viewChanged(viewLabel('history'));
    expect(doc.title).toBe('History · DRPO Studio');
    const run = { runId: 'r', running: true, percentDone: () => 42, statusWords: () => 'Running' };
    // The same session object changes state (as the run's session does).
    t.update(run);
    expect(doc.title).toBe('42% · DRPO Studio');
    t.viewChanged(viewLabel('playground'));
    expect(doc.title).toBe('42% · DRPO Studio');
    Object.assign(run, { running: false, statusWords: () => 'Finished' });
    t.update(run);
    expect(doc.title).toBe('Finished · DRPO Studio');
    t.viewChanged(viewLabel('share'));
    expect(doc.title).toBe('Shared alignment · DRPO Studio');
  });

  it('shows the progress of a run another tab drives in the tab that follows it, then how it ended', () => {
    const doc = { title: '' };
    const t = new TitleProgress(doc);
    t.viewChanged(viewLabel('live'));
    const followed = {
      runId: 'r',
      running: false,
      heldElsewhere: true,
      percentDone: () => 30,
      statusWords: () => 'Running',
    };
    t.update(followed);
    expect(doc.title).toBe('30% · DRPO Studio');
    Object.assign(followed, { heldElsewhere: false, statusWords: () => 'Finished' });
    t.update(followed);
    expect(doc.title).toBe('Finished · DRPO Studio');
  });
});
