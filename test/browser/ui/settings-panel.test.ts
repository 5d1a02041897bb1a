/**
 * The settings panel's events up: past-tense names (`settings-changed`, `budget-changed`) that bubble and are
 * composed, so a view that holds the panel in its shadow root, or any ancestor beyond it, hears them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/ui/components/drpo-settings-panel';
import type { DrpoSettingsPanel } from '../../../src/ui/components/drpo-settings-panel';
import { PRESETS } from '../../../src/core/plan/presets';
import { mountEl, settle, unmountAll } from '../../support/dom';

afterEach(unmountAll);

describe('drpo-settings-panel events', () => {
  it('sends settings-changed and budget-changed out of the shadow root that holds it', async () => {
    const host = mountEl(document.createElement('div'));
    const panel = document.createElement('drpo-settings-panel') as DrpoSettingsPanel;
    Object.assign(panel, { settings: PRESETS.quick.settings, budget: {}, preset: 'quick' });
    host.attachShadow({ mode: 'open' }).append(panel);
    await settle(panel);
    const heard: { type: string; detail: unknown }[] = [];
    const listen = (e: Event) => heard.push({ type: e.type, detail: (e as CustomEvent).detail });
    for (const type of ['settings-changed', 'budget-changed']) document.addEventListener(type, listen);
    try {
      const commit = (id: string, value: string) => {
        const box = panel.shadowRoot!.querySelector<HTMLInputElement>(`[id="${id}"]`)!;
        box.value = value;
        box.dispatchEvent(new Event('change'));
      };
      commit('depth', '4');
      commit('budget.maxCalls', '500');
      expect(heard).toEqual([
        { type: 'settings-changed', detail: { patch: { depth: 4 } } },
        { type: 'budget-changed', detail: { budget: { maxCalls: 500 } } },
      ]);
    } finally {
      for (const type of ['settings-changed', 'budget-changed']) document.removeEventListener(type, listen);
    }
  });
});
