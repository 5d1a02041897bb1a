import { describe, expect, it } from 'vitest';
import { callKey, callKeyModel, rolesAnswered } from '../../../../src/core/calls/call-gateway';

describe('callKeyModel', () => {
  it('reads back the role and model id callKey put in, model ids with ":" included', () => {
    for (const modelId of ['scripted-small', 'llama3.2:1b', 'qwen:latest:extra']) {
      const key = callKey('judge', modelId, { messages: [{ role: 'user', content: 'a:b:c' }] });
      expect(callKeyModel(key)).toEqual({ role: 'judge', modelId });
    }
  });
});

describe('rolesAnswered', () => {
  it('names the roles whose bound model has replies in the cache', () => {
    const ask = { messages: [{ role: 'user' as const, content: 'Hi' }] };
    const cache = { [callKey('judge', 'llama3.2:1b', ask)]: {}, [callKey('policy', 'old-model', ask)]: {} };
    const roles = { policy: { modelId: 'new-model' }, judge: { modelId: 'llama3.2:1b' } };
    expect(rolesAnswered(cache, roles)).toEqual(['judge']);
    expect(rolesAnswered({}, roles)).toEqual([]);
  });
});
