import { describe, expect, it, afterEach } from 'vitest';
import { renderMarkdown, escapeHtml } from '../../../src/ui/templates/safe-markdown';
import { describeError } from '../../../src/ui/helpers/error-messages';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import { httpError } from '../../../src/llm/openai/http-errors';
import { XSS, pwned } from '../../support/shell-fakes';

describe('safe-markdown', () => {
  afterEach(() => {
    delete (window as unknown as { __pwned?: number }).__pwned;
  });

  it('renders the subset', () => {
    const out = renderMarkdown(
      '# Title\n\nSome **bold** and *it* and `x<y`.\n\n- a\n- b\n\n1. one\n\n```\nif (a < b) {}\n```\n[site](https://example.com)',
    );
    expect(out).toContain('<h3>Title</h3>');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toContain('<em>it</em>');
    expect(out).toContain('<code>x&lt;y</code>');
    expect(out).toContain('<ul><li>a</li><li>b</li></ul>');
    expect(out).toContain('<ol><li>one</li></ol>');
    expect(out).toContain('<pre><code>if (a &lt; b) {}</code></pre>');
    expect(out).toMatch(/<a href="https:\/\/example.com"[^>]*>site<\/a>/);
  });

  it('every link opens a new tab without opener or referrer (model text never navigates the app)', () => {
    const host = document.createElement('div');
    host.innerHTML = renderMarkdown(
      'See [docs](https://example.com/a) and [mail](mailto:a@b.c).\n\n- [x](http://x.org)',
    );
    const links = [...host.querySelectorAll('a')];
    expect(links).toHaveLength(3);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
  });

  it('keeps hostile input inert', async () => {
    const out = renderMarkdown(XSS);
    expect(out).not.toMatch(/<script|<img|<svg|href="javascript/i);
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('${window.__pwned = 1}');
    const host = document.createElement('div');
    host.innerHTML = out;
    document.body.append(host);
    await new Promise((r) => setTimeout(r, 50));
    expect(pwned()).toBe(false);
    expect(host.querySelectorAll('a, script, img, svg').length).toBe(0);
    const attrs = [...host.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name));
    expect(attrs.filter((a) => a.startsWith('on'))).toEqual([]);
    expect(host.textContent).toContain('<img src=x onerror=');
    host.remove();
  });

  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('describeError', () => {
  it('maps known names to words and keeps the message and detail', () => {
    const w = describeError(new AppError(ErrorName.Auth, 'Unauthorized', { detail: 'HTTP 401', status: 401 }));
    expect(w.title).toMatch(/API key/);
    expect(w.message).toBe('Unauthorized (HTTP 401)');
    expect(w.retryable).toBe(false);
  });
  it('a 404 says where to look once (the hint), and a reply that broke off does not send the user to the address', () => {
    const missing = describeError(httpError(404, '', { url: 'http://h/v1/chat/completions', model: 'llama3' }));
    expect(`${missing.title} ${missing.hint} ${missing.message}`.match(/ends in \/v1/g)).toHaveLength(1);
    const cut = describeError(new AppError(ErrorName.StreamCut, 'The answer stream stopped before it was complete.'));
    expect(cut.title).toBe('The answer broke off');
    expect(cut.hint).not.toMatch(/base URL|\/v1/);
    expect(cut.retryable).toBe(true);
  });
  it('has words for every ErrorName', () => {
    for (const name of Object.values(ErrorName)) {
      const w = describeError({ name, message: 'm' });
      expect(w.title.length, name).toBeGreaterThan(3);
      expect(w.hint.length, name).toBeGreaterThan(10);
    }
  });
  it('an outage that outlasted its wait says so and how to go on, not the advice for a server never reached', () => {
    const w = describeError({
      name: ErrorName.EndpointDown,
      message: 'The endpoint stopped answering and did not come back within 1 min (the outage wait).',
      detail: 'http://127.0.0.1:8080/v1: fetch failed',
      retryable: true,
    });
    expect(w.title).toBe('The endpoint did not come back within the outage wait');
    expect(w.hint).toMatch(
      /Retry.*raise Outage wait \(seconds\) in Setup → OpenAI-compatible endpoint → Connection settings/,
    );
    expect(`${w.title} ${w.message} ${w.hint}`).not.toMatch(/CORS|base URL|could not reach/i);
    expect(w.retryable).toBe(true);
  });
  it('copes with strings, unknown names and nulls', () => {
    expect(describeError('boom').message).toBe('boom');
    expect(describeError({ name: 'Weird', message: 'x' }).title).toBe('Something went wrong');
    expect(describeError(null).title).toBe('Something went wrong');
    expect(describeError(new TypeError('Failed to fetch')).title).toMatch(/reach/);
    expect(describeError({ name: ErrorName.Timeout, message: 't', retryable: false }).retryable).toBe(false);
  });
});
