import { describe, expect, it } from 'vitest';
import { callKey, callKeyModel } from '../../../../src/core/calls/call-gateway';

describe('callKeyModel', () => {
  it('reads back the role and model id callKey put in, model ids with ":" included', () => {
    for (const modelId of ['scripted-small', 'llama3.2:1b', 'qwen:latest:extra']) {
      const key = callKey('judge', modelId, { messages: [{ role: 'user', content: 'a:b:c' }] });
      expect(callKeyModel(key)).toEqual({ role: 'judge', modelId });
    }
  });
});
