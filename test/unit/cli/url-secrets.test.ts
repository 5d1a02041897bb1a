/**
 * A key written into --base-url (`?api_key=…`, `?subscription-key=…`, `?X-Amz-Signature=…`, `#access_token=…`,
 * user:password) is never repeated: not in the
 * hints that give a command to copy (resume, closest candidate), not in notes or error messages, not in any
 * file the command writes.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/drpo';
import { sampleArtifact } from '../../support/artifacts';
import { captureIo, cliFixture, type Captured } from '../../support/cli-io';

const fx = cliFixture('drpo-keys-');

const KEY = 'sk-QUERYKEY-not-real-1234';
const TOKEN = 'TOKEN-not-real-5678';
const PASSWORD = 'PASSWORD-not-real-9012';
/** Keys under names no list of exact names has: Azure APIM's, an AWS signed URL's, an OAuth fragment's. */
const SUBSCRIPTION = 'SUBSCRIPTION-not-real-3456';
const SIGNATURE = 'SIGNATURE-not-real-7890';
const FRAGMENT = 'FRAGMENT-not-real-2468';
const SECRETS = [KEY, TOKEN, PASSWORD, SUBSCRIPTION, SIGNATURE, FRAGMENT];
/** The scripted server's address with credentials under many names, one plain parameter, and a keyed fragment. */
const keyed = (url = fx.server.url) =>
  `${url}?api_key=${KEY}&region=eu&token=${TOKEN}&subscription-key=${SUBSCRIPTION}` +
  `&X-Amz-Signature=${SIGNATURE}#access_token=${FRAGMENT}`;
const optimize = (url = keyed()) => ['optimize', '--base-url', url, '--model', 'scripted-small', '--preset', 'quick'];

/** Every file under the test folder, with its text. */
function files(dir = fx.dir): [string, string][] {
  return readdirSync(dir).flatMap((name): [string, string][] => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [[full, readFileSync(full, 'utf8')]];
  });
}

/** Neither what the command printed nor any file it left holds a credential. */
function expectNoSecret(io: Captured): void {
  for (const secret of SECRETS) {
    expect(io.out()).not.toContain(secret);
    expect(io.err()).not.toContain(secret);
    for (const [file, text] of files()) expect(text, file).not.toContain(secret);
  }
}

describe('drpo optimize with a key in --base-url', () => {
  it('the resume hint and the checkpoint leave the key out, and a resume elsewhere does too', async () => {
    const io = captureIo(fx.dir, {
      onOut: (s) => {
        if (s.includes('"node-evaluated"')) fx.server.setFaults({ mode: 'http-401', paths: ['/chat/completions'] });
      },
    });
    expect(await runCli([...optimize(), '--out', 'a.json', '--json'], io)).toBe(2);
    // The hint names no address (the checkpoint records the normalized one, without the query and fragment
    // that never reach the server), so a key under any name is left out.
    expect(io.err()).toContain('Resume with: drpo optimize --resume a.json.cli-');
    expectNoSecret(io);

    // Resumed at another (unreachable, keyed) address: the note naming both addresses and the error keep it out.
    const [checkpoint] = readdirSync(fx.dir).filter((f) => f.endsWith('.checkpoint.json'));
    const elsewhere = captureIo(fx.dir);
    const code = await runCli([...optimize(keyed('http://127.0.0.1:39/v1')), '--resume', checkpoint!], elsewhere);
    expect(code).toBe(2);
    expect(elsewhere.err()).toMatch(/note: the checkpoint's calls went to/);
    expect(elsewhere.err()).toMatch(/Could not reach the model server at http:\/\/127\.0\.0\.1:39\/v1\./);
    expectNoSecret(elsewhere);
  });

  it('the closest-candidate hint names the address without the key', async () => {
    // Seed 2: the scripted judge lets a rewrite lead the race and fall short on the kept-back questions.
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--seed', '2'], io)).toBe(0);
    expect(io.out()).toContain(`drpo eval --base-url ${fx.server.url} --model scripted-small --alignment`);
    expectNoSecret(io);
  });

  const mistyped: [string, string, RegExp][] = [
    ['no http://', `127.0.0.1:8080/v1?api_key=${KEY}&token=${TOKEN}`, /missing http:\/\//],
    ['a port fetch refuses', `http://127.0.0.1:1/v1?api_key=${KEY}&token=${TOKEN}`, /Port 1 is one/],
    ['not an address', `http://[oops/v1?api_key=${KEY}&token=${TOKEN}`, /not a valid web address/],
    ['user:password', `http://user:${PASSWORD}@127.0.0.1:8080/v1`, /API key field/],
    ['no http://, subscription-key', `127.0.0.1:8080/v1?subscription-key=${SUBSCRIPTION}`, /\(query left out\)/],
    ['a refused port, X-Amz-Signature', `http://127.0.0.1:1/v1?X-Amz-Signature=${SIGNATURE}`, /Port 1 is one/],
    ['not an address, #access_token', `http://[oops/v1#access_token=${FRAGMENT}`, /not a valid web address/],
  ];
  // A password with an unencoded ?, # or / is cut by the URL parser: no piece of it is repeated either.
  for (const [label, url] of [
    ['a ? in the password', 'http://user:PWLEFT?PWRIGHT@127.0.0.1:8080/v1'],
    ['a # in the password', 'http://user:PWLEFT#PWRIGHT@127.0.0.1:8080/v1'],
    ['a password starting with digits', 'http://user:98765?PWRIGHT@127.0.0.1:8080/v1'],
  ]) {
    it(`a mistyped address (${label}) is refused without any piece of the password`, async () => {
      const io = captureIo(fx.dir);
      expect(await runCli(optimize(url), io)).toBe(1);
      expect(io.err()).toMatch(/put the API key in the API key field \(--api-key on the command line\)/);
      for (const part of ['PWLEFT', 'PWRIGHT', '98765']) expect(io.err()).not.toContain(part);
    });
  }

  for (const [label, url, message] of mistyped) {
    it(`a mistyped address (${label}) is refused without repeating the key`, async () => {
      const io = captureIo(fx.dir);
      expect(await runCli(optimize(url), io)).toBe(1);
      expect(io.err()).toMatch(message);
      expectNoSecret(io);
    });
  }
});

describe('drpo eval with a key in --base-url', () => {
  it('prints and writes nothing of the key', async () => {
    writeFileSync(path.join(fx.dir, 'a.json'), JSON.stringify(sampleArtifact({ name: 'A' })));
    const io = captureIo(fx.dir);
    const argv = ['eval', '--base-url', keyed(), '--model', 'scripted-small', '--alignment', 'a.json', '--limit', '2'];
    expect(await runCli([...argv, '--starting', '--csv', 'r.csv'], io)).toBe(0);
    expectNoSecret(io);
  });

  it('a mistyped keyed address is refused without the key (subscription-key, no http://)', async () => {
    const io = captureIo(fx.dir);
    const argv = ['eval', '--base-url', `127.0.0.1:8080/v1?subscription-key=${SUBSCRIPTION}`, '--model', 'm'];
    expect(await runCli([...argv, '--baseline'], io)).toBe(1);
    expect(io.err()).toContain('"127.0.0.1:8080/v1" (query left out) is missing http://');
    expectNoSecret(io);
  });

  it('an unreachable keyed address is named without the key', async () => {
    const io = captureIo(fx.dir);
    const argv = ['eval', '--base-url', keyed('http://127.0.0.1:39/v1'), '--model', 'm', '--baseline'];
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err()).toContain('http://127.0.0.1:39/v1');
    expectNoSecret(io);
  });
});

describe('--base-url given twice', () => {
  const twice = async (a: string, b: string): Promise<Captured> => {
    const io = captureIo(fx.dir);
    expect(await runCli(['eval', '--base-url', a, '--base-url', b, '--model', 'm', '--baseline'], io)).toBe(1);
    return io;
  };

  it('names both addresses without the key or user:password', async () => {
    const io = await twice(keyed('http://127.0.0.1:39/v1'), `http://user:${PASSWORD}@127.0.0.1:40?api_key=${KEY}`);
    expect(io.err()).toContain(
      '--base-url is given twice ("http://127.0.0.1:39/v1" and "http://127.0.0.1:40"): give it once.',
    );
    expectNoSecret(io);
  });

  it('of one address with two keys, says that only what is not shown differs', async () => {
    const io = await twice(
      `http://127.0.0.1:39/v1?api_key=${KEY}`,
      `http://user:${PASSWORD}@127.0.0.1:39/v1?api_key=${TOKEN}`,
    );
    expect(io.err()).toContain(
      '--base-url is given twice (both "http://127.0.0.1:39/v1", differing only in user:password or the query, which are not shown): give it once.',
    );
    expectNoSecret(io);
    // A key under a name no rule knows is in the query too: never shown.
    const other = await twice('http://127.0.0.1:39/v1?x=sk-live-AAAA', 'http://127.0.0.1:39/v1?x=sk-live-BBBB');
    expect(other.err()).toContain('differing only in user:password or the query, which are not shown');
    expect(other.err()).not.toMatch(/sk-live/);
  });

  it('of one address written two ways, says so without naming a key it may hold', async () => {
    const io = await twice(`http://127.0.0.1:39?api_key=${KEY}`, 'http://127.0.0.1:39/v1/');
    expect(io.err()).toContain(
      '--base-url is given twice (both read as "http://127.0.0.1:39/v1", written two ways): give it once.',
    );
    expectNoSecret(io);
    // Case and a default port are how it is written, not a key that differs.
    const cased = await twice('HTTP://LocalHost:80/v1', 'http://localhost/v1');
    expect(cased.err()).toContain('(both read as "http://localhost/v1", written two ways)');
  });

  it('is one value when only spaces around it differ, as the command trims them', async () => {
    const io = captureIo(fx.dir);
    const argv = ['eval', '--base-url', 'http://127.0.0.1:39/v1', '--base-url', ' http://127.0.0.1:39/v1 '];
    expect(await runCli([...argv, '--model', 'm', '--model', 'm ', '--baseline'], io)).toBe(2);
    expect(io.err()).not.toMatch(/given twice/);
    expect(io.err()).toMatch(/Could not reach the model server at http:\/\/127\.0\.0\.1:39\/v1\./);
  });
});
