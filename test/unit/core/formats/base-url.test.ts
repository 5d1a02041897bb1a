import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl, publicUrl, shownAddress } from '../../../../src/core/formats/base-url';
import { ErrorName, serializeError } from '../../../../src/core/contracts/errors';

/** The error normalizeBaseUrl refuses `raw` with, as it crosses to the page or the CLI. */
function refusalOf(raw: string) {
  let thrown: unknown;
  try {
    normalizeBaseUrl(raw);
  } catch (err) {
    thrown = err;
  }
  return serializeError(thrown);
}

describe('publicUrl: an address as it may be shown or stored', () => {
  it('drops user:password and credential parameters, and keeps the rest as typed', () => {
    expect(publicUrl('https://u:p@h/v1?api_key=x&a=1')).toBe('https://h/v1?a=1');
    expect(publicUrl('https://h/v1?key=x&token=y&access_token=z&sig=s&code=c')).toBe('https://h/v1');
    // Names written otherwise are the same names: API-KEY, an escaped underscore.
    expect(publicUrl('http://127.0.0.1:8080/v1?API-KEY=x&api%5Fkey=y&region=eu')).toBe(
      'http://127.0.0.1:8080/v1?region=eu',
    );
    expect(publicUrl('http://127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080/v1');
  });

  it('a credential word anywhere in a parameter name, in any case, drops the parameter', () => {
    expect(
      publicUrl(
        'https://h/v1?subscription-key=a&X-Amz-Signature=b&X-Amz-Credential=c&access_key=d&client_secret=e' +
          '&api_token=f&pwd=g&SessionId=h&auth_code=i&region=eu',
      ),
    ).toBe('https://h/v1?region=eu');
    expect(publicUrl('h:8080/v1?Subscription-Key=a&region=eu')).toBe('h:8080/v1?region=eu');
  });

  it('a fragment holding values (#access_token=…) goes; a plain anchor stays', () => {
    expect(publicUrl('https://h/v1#access_token=SECRET&state=x')).toBe('https://h/v1');
    expect(publicUrl('https://h/v1?region=eu#top')).toBe('https://h/v1?region=eu#top');
    expect(publicUrl('http://[oops/v1#access_token=SECRET')).toBe('http://[oops/v1');
  });

  it('text that is not a URL gets the same cuts', () => {
    expect(publicUrl('127.0.0.1:8080/v1?api_key=x&a=1')).toBe('127.0.0.1:8080/v1?a=1');
    expect(publicUrl('http://[oops/v1?token=x')).toBe('http://[oops/v1');
    expect(publicUrl('http://u:p@[oops/v1?a=1#top')).toBe('http://[oops/v1?a=1#top');
    expect(publicUrl('not a url')).toBe('not a url');
  });
});

describe('normalizeBaseUrl: a refused address is told without its key', () => {
  for (const raw of [
    'localhost:8080/v1?api_key=SECRET',
    'http://[oops/v1?api_key=SECRET',
    'http://127.0.0.1:1/v1?token=SECRET',
    'ftp://h/v1?key=SECRET',
    // Any name, and a fragment: the messages leave the whole query and fragment out.
    '127.0.0.1:8080/v1?subscription-key=SECRET',
    'http://[oops/v1?X-Amz-Signature=SECRET&X-Amz-Credential=SECRET',
    'localhost:8080/v1#access_token=SECRET',
    'http://127.0.0.1:1/v1?region=SECRET',
    'http://:8080/v1?subscription-key=SECRET',
  ]) {
    it(raw, () => {
      const e = refusalOf(raw);
      expect(e.name).toBe(ErrorName.InvalidUrl);
      expect(`${e.message} ${e.detail ?? ''}`).not.toContain('SECRET');
    });
  }

  it('the message names what was left out: a fragment alone is not called a query', () => {
    expect(() => normalizeBaseUrl('localhost:8080/v1#frag')).toThrowError(
      '"localhost:8080/v1" (the part after # left out) is missing http:// or https://. Did you mean http://localhost:8080/v1?',
    );
    expect(() => normalizeBaseUrl('http://exa mple.com/v1#access_token=SECRET')).toThrowError(
      '"http://exa mple.com/v1" (the part after # left out) is not a valid web address.',
    );
    // A query (with or without a fragment after it) is the query left out.
    expect(() => normalizeBaseUrl('localhost:8080/v1?key=SECRET#frag')).toThrowError(
      '"localhost:8080/v1" (query left out) is missing http:// or https://. Did you mean http://localhost:8080/v1?',
    );
  });

  it('the message says the query was left out, and shows the rest as typed', () => {
    expect(() => normalizeBaseUrl('127.0.0.1:8080/v1?subscription-key=SECRET')).toThrowError(
      '"127.0.0.1:8080/v1" (query left out) is missing http:// or https://. Did you mean http://127.0.0.1:8080/v1?',
    );
    expect(() => normalizeBaseUrl('127.0.0.1:8080/v1')).toThrowError(
      '"127.0.0.1:8080/v1" is missing http:// or https://. Did you mean http://127.0.0.1:8080/v1?',
    );
  });

  it('a query never reaches the calls’ address', () => {
    expect(normalizeBaseUrl('http://h:8080/v1?api_key=SECRET')).toBe('http://h:8080/v1');
    expect(normalizeBaseUrl('http://h:8080/v1?subscription-key=SECRET#access_token=SECRET')).toBe('http://h:8080/v1');
  });

  describe('a password with an unencoded ?, # or / is refused without any piece of it', () => {
    // The URL parser ends user:password at the first ?, # or /: the rest of the password would land in the
    // host, port, path, query or fragment, and the first part in the host.
    for (const raw of [
      'http://LEFTUSER:LEFTPW?RIGHTPW@host:8080/v1',
      'http://LEFTUSER:LEFTPW#RIGHTPW@host/v1',
      'http://LEFTUSER:LEFTPW/RIGHTPW@host/v1',
      'http://LEFTUSER:4242?RIGHTPW@127.0.0.1:8080/v1',
      'http://LEFTUSER:4242/RIGHTPW@127.0.0.1:8080/v1',
      'LEFTUSER:LEFTPW?RIGHTPW@host:8080/v1',
      'ftp://LEFTUSER:LEFTPW?RIGHTPW@host/v1',
      'http://LEFTUSER:LEFTPW@host/v1',
    ]) {
      it(raw, () => {
        const e = refusalOf(raw);
        expect(e.name).toBe(ErrorName.InvalidUrl);
        expect(e.message).toContain('put the API key in the API key field (--api-key on the command line)');
        for (const part of ['LEFTUSER', 'LEFTPW', 'RIGHTPW', '4242']) {
          expect(`${e.message} ${e.detail ?? ''}`).not.toContain(part);
          expect(shownAddress(raw)).not.toContain(part);
          expect(publicUrl(raw)).not.toContain(part);
        }
      });
    }
  });

  it('shownAddress: the normalized address, or the typed text cut at its query', () => {
    expect(shownAddress('http://h:8080/?X-Amz-Signature=SECRET')).toBe('http://h:8080/v1');
    expect(shownAddress('http://u:p@[oops/v1?subscription-key=SECRET#x')).toBe('http://[oops/v1');
  });
});
