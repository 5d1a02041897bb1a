import { describe, expect, it } from 'vitest';
import {
  answerOf,
  opensThinkingInPrompt,
  splitReasoning,
  withoutReasoning,
} from '../../../../src/core/formats/reasoning';

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
    // A closing tag ends a block only on a line's end; mentioned in a sentence, it is part of the answer.
    expect(answerOf('Qwen3 ends its reasoning with </think> and then answers.')).toBe(
      'Qwen3 ends its reasoning with </think> and then answers.',
    );
    expect(answerOf('Thinking it over.</think>\r\nThe answer.')).toBe('The answer.');
    expect(answerOf('Thinking it over.</think>')).toBe('');
  });

  it('while streaming, the start of an opening tag is thinking, not an answer to show', () => {
    expect(splitReasoning('<thi', { partial: true })).toMatchObject({ answer: '', thinking: true });
    expect(splitReasoning('<thi')).toMatchObject({ answer: '<thi', thinking: false });
    expect(splitReasoning('<b>bold', { partial: true })).toMatchObject({ answer: '<b>bold', thinking: false });
  });

  it('a template that opened the block in the prompt: streamed text is thinking until the closing tag', () => {
    const opened = { partial: true, openedInPrompt: true };
    expect(splitReasoning('', opened)).toMatchObject({ answer: '', thinking: true });
    expect(splitReasoning('Okay, the user says hi.', opened)).toEqual({
      answer: '',
      reasoning: 'Okay, the user says hi.',
      thinking: true,
    });
    expect(splitReasoning('Okay.\n</think>', opened)).toMatchObject({
      answer: '',
      reasoning: 'Okay.',
      thinking: false,
    });
    expect(splitReasoning('Okay.\n</think>\n\nHello!', opened)).toMatchObject({ answer: 'Hello!', thinking: false });
    // The model may still write the opening tag itself.
    expect(splitReasoning('<think>Okay.</think>\nHello!', opened)).toMatchObject({ answer: 'Hello!' });
    // Finished without a closing tag, it is all answer, as answerOf reads the adapter's reply.
    const finished = 'Hello! No thinking here.';
    expect(splitReasoning(finished, { openedInPrompt: true }).answer).toBe(answerOf(finished));
    expect(answerOf(finished)).toBe(finished);
  });

  it('knows which served models open the block in their template, and that web-llm prompts never do', () => {
    const served = (modelId: string) => opensThinkingInPrompt({ engine: 'openai', modelId });
    for (const id of [
      'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
      'deepseek-r1:8b',
      'DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf',
      'Qwen/QwQ-32B',
      'qwq:32b',
      'Qwen/Qwen3-30B-A3B-Thinking-2507',
    ]) {
      expect(served(id), id).toBe(true);
    }
    for (const id of ['Qwen/QwQ-32B-Preview', 'qwen3:8b', 'llama3.2:1b', 'deepseek-v3', 'gpt-4o-mini']) {
      expect(served(id), id).toBe(false);
    }
    expect(opensThinkingInPrompt({ engine: 'webllm', modelId: 'DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC' })).toBe(false);
  });

  it('an empty thinking block (thinking turned off) leaves the answer', () => {
    expect(answerOf('<think>\n\n</think>\n\nHello!')).toBe('Hello!');
  });

  it('a choice that had thinking loses its log-probabilities (they cover the thinking); others keep theirs', () => {
    const logprobs = [{ token: '4', logprob: -0.1, top: [] }];
    const r = withoutReasoning({
      model: 'm',
      choices: [
        { text: '<think>"score": 1</think>\n{"score": 4}', finish_reason: 'stop', logprobs },
        { text: '{"score": 4}', finish_reason: 'stop', logprobs },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 9 },
    });
    expect(r.choices[0]).toEqual({ text: '{"score": 4}', finish_reason: 'stop' });
    expect(r.choices[1]!.logprobs).toBe(logprobs);
    expect(r.usage.completion_tokens).toBe(9);
  });
});
