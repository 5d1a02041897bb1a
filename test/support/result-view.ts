/** The Result view of a finished run whose result is `shown`, mounted on a fake store (browser tests). */
import '../../src/ui/views/drpo-result-view';
import type { DrpoResultView } from '../../src/ui/views/drpo-result-view';
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';
import { AppState } from '../../src/ui/app/app-state';
import { FakeStore, until } from './live-fakes';
import { mountEl } from './dom';

/** The Result view of run `runId` in `store` (a real store or a fake's), mounted, not yet drawn. */
export function mountRunResult(store: DrpoResultView['store'], runId: string, state = new AppState()): DrpoResultView {
  const el = document.createElement('drpo-result-view') as DrpoResultView;
  el.appState = state;
  el.store = store;
  el.runId = runId;
  mountEl(el);
  return el;
}

export async function mountResultView(shown: AlignmentArtifact, store = new FakeStore(), state = new AppState()) {
  store.addRun('done', 'completed', [], { artifact: shown });
  const el = mountRunResult(store.asStore(), 'done', state);
  // Drawn once its prompt shows (its heading may be the name it is saved under, not the run's).
  await until(() => el.shadowRoot?.querySelector('pre.prompt')?.textContent === shown.systemPrompt);
  const toasts: string[] = [];
  el.addEventListener('toast-requested', (e) => toasts.push((e as CustomEvent<{ message: string }>).detail.message));
  return { el, store, state, sr: el.shadowRoot!, toasts };
}
