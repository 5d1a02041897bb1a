/** Roles bound to a model the app cannot use as bound: Setup shows and says it; Run can refuse to start. */
import { describe, expect, it } from 'vitest';
import { AppState } from '../../../src/ui/app/app-state';
import { unavailableRoles, unavailableRolesMessage } from '../../../src/ui/view-models/role-availability';

const url = 'http://127.0.0.1:4174/v1';
const on = (modelId: string) => ({ engine: 'openai' as const, endpointId: 'endpoint-1', modelId });

describe('role availability', () => {
  it('a bound model the server no longer lists is named with its roles and the server', () => {
    const s = new AppState({
      roles: {
        policy: on('scripted-small'),
        aspect: on('scripted-small'),
        optimizer: on('scripted-small'),
        judge: on('scripted-judge'),
      },
      endpoints: [{ id: 'endpoint-1', baseUrl: url, remember: false, models: ['scripted-small', 'scripted-judge'] }],
    }).value;
    expect(unavailableRoles(s)).toEqual([]);
    expect(unavailableRolesMessage(s)).toBeNull();
    const changed = { ...s, endpoints: [{ ...s.endpoints[0]!, models: ['other-a', 'other-b'] }] };
    expect(unavailableRoles(changed).map((g) => [g.role, g.why])).toEqual([
      ['policy', 'not-listed'],
      ['aspect', 'not-listed'],
      ['judge', 'not-listed'],
      ['optimizer', 'not-listed'],
    ]);
    expect(unavailableRolesMessage(changed)).toBe(
      `The policy model, aspect selector and optimizer use scripted-small, which ${url} did not list at the last ` +
        `connection test. The judge uses scripted-judge, which ${url} did not list at the last connection test. ` +
        'Choose another model on the Setup page (Advanced shows every role).',
    );
  });

  it('a local model that is not loaded, and an endpoint the page does not know, are said too', () => {
    const s = new AppState({
      roles: { policy: { engine: 'webllm', modelId: 'Tiny' }, judge: { ...on('big'), endpointId: 'gone' } },
    }).value;
    expect(unavailableRolesMessage(s)).toMatch(/The policy model uses Tiny, a local model that is not loaded\./);
    expect(unavailableRolesMessage(s)).toMatch(/The judge uses big, on an endpoint this page is not connected to\./);
    const loaded = { ...s, loaded: [{ engine: 'webllm' as const, modelId: 'Tiny', contextWindow: 4096 }] };
    expect(unavailableRoles(loaded).map((g) => g.role)).toEqual(['judge']);
  });
});
