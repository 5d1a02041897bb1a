/** Evaluate audit: an error's words say the server's message once, and a rejected key says where to fix it. */
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../src/ui/helpers/error-messages';
import { httpError } from '../../../src/llm/openai/http-errors';
import { AppError, ErrorName, serializeError } from '../../../src/core/contracts/errors';
import { mapWebLlmError } from '../../../src/llm/webllm/webllm-errors';

describe('describeError', () => {
  it('says the server’s words once, keeping where the request went', () => {
    const url = 'http://127.0.0.1:8123/v1/chat/completions';
    const w = describeError(serializeError(httpError(401, '{"error":{"message":"Invalid API key"}}', { url })));
    expect(w.message).toBe(`The server refused the request (HTTP 401): Invalid API key (HTTP 401 from ${url})`);
    expect(w.message.match(/Invalid API key/g)).toHaveLength(1);
    expect(w.hint).toMatch(/API key in Setup → Endpoint/);
  });

  it('keeps a detail that adds something, and drops one the message already holds', () => {
    expect(describeError({ name: 'Http', message: 'Bad request', detail: 'HTTP 400 from u: field x' }).message).toBe(
      'Bad request (HTTP 400 from u: field x)',
    );
    expect(describeError({ name: 'Http', message: 'Bad request: field x', detail: 'field x' }).message).toBe(
      'Bad request: field x',
    );
  });
});

describe('error words', () => {
  it('a failed download says "check your connection" once, however the message put it', () => {
    // The adapter's own error for a download the browser could not fetch.
    const words = describeError(mapWebLlmError(new TypeError('Failed to fetch')));
    expect(words.title).toBe('The model download failed');
    expect(`${words.message} ${words.hint}`.match(/check your connection/gi)).toHaveLength(1);
    expect(words.hint).toMatch(/free disk space/);
    expect(describeError(new AppError(ErrorName.ModelDownload, 'HTTP 404 for params_shard_3.bin')).hint).toMatch(
      /Check your connection and free disk space/,
    );
  });
});
