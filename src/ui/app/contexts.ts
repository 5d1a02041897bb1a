/** @lit/context keys: the root element provides these, views consume them. */
import { createContext } from '@lit/context';
import type { AppState } from './app-state';
import type { WorkerClient } from '../../client/worker-client';
import type { Store } from '../../store/store';

export const appStateContext = createContext<AppState>(Symbol('drpo-app-state'));
export const clientContext = createContext<WorkerClient>(Symbol('drpo-worker-client'));
export const storeContext = createContext<Store>(Symbol('drpo-store'));
