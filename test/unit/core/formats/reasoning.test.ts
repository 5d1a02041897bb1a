import { describe, expect, it } from 'vitest';
import { answerOf, splitReasoning } from '../../../../src/core/formats/reasoning';

describe('splitReasoning', () => {
  it('keeps the answer after a thinking block (Qwen3, DeepSeek-R1)', () => {
    expect(splitReasoning('<think>\nThe user wants a haiku. {"not": "json"}\n</think>\n\nRain on the roof.')).toEqual({
      answer: 'Rain on the roof.',
      reasoning: 'The user wants a haiku. {"not": "json"}',
      thinking: false,
    });
  });

  it('reads a block whose opening tag was in the prompt (only the closing tag shows)', () => {
    expect(splitReasoning('Let me think.\n</think>\n{"score": 4}')).toMatchObject({
      answer: '{"score": 4}',
      reasoning: 'Let me think.',
    });
  });

  it('an unclosed block is all thinking: a reply cut off while thinking has no answer', () => {
    expect(splitReasoning('<think>Step one, step two')).toEqual({
      answer: '',
      reasoning: 'Step one, step two',
      thinking: true,
    });
  });

  it('leaves a reply without thinking as it is, including one that only mentions the tags later', () => {
    for (const text of ['Plain answer.', '  indented', 'Use <think> tags like <think>this</think> in XML.', '<', '']) {
      expect(splitReasoning(text)).toEqual({ answer: text, reasoning: '', thinking: false });
    }
    expect(answerOf('Use </think> to close it.')).toBe('to close it.'); // a bare closing tag ends a block
  });

  it('while streaming, the start of an opening tag is thinking, not an answer to show', () => {
    expect(splitReasoning('<thi', true)).toMatchObject({ answer: '', thinking: true });
    expect(splitReasoning('<thi')).toMatchObject({ answer: '<thi', thinking: false });
    expect(splitReasoning('<b>bold', true)).toMatchObject({ answer: '<b>bold', thinking: false });
  });

  it('an empty thinking block (thinking turned off) leaves the answer', () => {
    expect(answerOf('<think>\n\n</think>\n\nHello!')).toBe('Hello!');
  });
});
