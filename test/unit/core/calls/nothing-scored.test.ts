import { describe, expect, it } from 'vitest';
import { nothingScoredError } from '../../../../src/core/calls/nothing-scored';
import { ErrorName } from '../../../../src/core/contracts/errors';

describe('nothingScoredError', () => {
  it('says what to change for each cause: answers cut while thinking, empty answers, an unreadable judge', () => {
    const cut = nothingScoredError('prompt', { answers: [{ text: '', finishReason: 'length' }], unreadable: 0 });
    expect(cut).toMatchObject({ name: ErrorName.NothingScored, retryable: false });
    expect(cut.detail).toMatch(/reasoning model .* turn its thinking off .* or raise the policy’s max tokens/);
    const empty = nothingScoredError('answer', { answers: [{ text: ' ', finishReason: 'stop' }], unreadable: 0 });
    expect(empty.message).toBe('No answer could be scored: every answer the model gave was empty.');
    expect(empty.detail).toMatch(/empty answers: ask it one question outside the run/);
    // The same words serve the page and the CLI, which has no chat.
    expect(empty.detail).not.toMatch(/chat/);
    const judge = nothingScoredError('prompt', { answers: [{ text: 'Hi', finishReason: 'stop' }], unreadable: 3 });
    expect(judge.message).toMatch(/none of the judge's replies could be read \(3 unreadable\)/);
    expect(judge.detail).toMatch(/bind a larger judge model/);
  });
});
