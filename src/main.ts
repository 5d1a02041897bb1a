/** Page entry: define the root element and start its client and store. */
import './ui/app/drpo-app';
import type { DrpoApp } from './ui/app/drpo-app';

const app = document.querySelector<DrpoApp>('drpo-app');
if (app) void customElements.whenDefined('drpo-app').then(() => app.init());
