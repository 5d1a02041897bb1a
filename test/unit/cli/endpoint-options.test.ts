import { describe, expect, it } from 'vitest';
import { endpointTarget, targetUsage } from '../../../src/cli/endpoint-options';
import { EVAL_USAGE } from '../../../src/cli/commands/eval-command';
import { OPTIMIZE_USAGE } from '../../../src/cli/commands/optimize-command';
import { ErrorName, isNamed } from '../../../src/core/contracts/errors';
import { DEFAULT_PRESET } from '../../../src/core/plan/presets';
import { PRESET_NAMES } from '../../../src/core/contracts/run-config';

describe('endpointTarget: where the calls go, the same for every command', () => {
  it('takes --api-key first, then $DRPO_API_KEY, then $OPENAI_API_KEY', () => {
    const env = { DRPO_API_KEY: 'drpo', OPENAI_API_KEY: 'openai' };
    expect(endpointTarget({ 'base-url': ' http://h/v1 ', 'api-key': 'flag' }, env)).toEqual({
      baseUrl: 'http://h/v1',
      apiKey: 'flag',
    });
    expect(endpointTarget({ 'base-url': 'http://h/v1' }, env).apiKey).toBe('drpo');
    expect(endpointTarget({ 'base-url': 'http://h/v1' }, { OPENAI_API_KEY: 'openai' }).apiKey).toBe('openai');
    expect(endpointTarget({ 'base-url': 'http://h/v1' }, {}).apiKey).toBeUndefined();
    // An empty --api-key is a choice (a server that needs none): the environment does not override it.
    expect(endpointTarget({ 'base-url': 'http://h/v1', 'api-key': '' }, env).apiKey).toBe('');
  });

  it('a missing or blank --base-url is a bad argument naming an example', () => {
    for (const args of [{}, { 'base-url': '  ' }]) {
      let thrown: unknown;
      try {
        endpointTarget(args, {});
      } catch (err) {
        thrown = err;
      }
      expect(isNamed(thrown, ErrorName.InvalidInput)).toBe(true);
      expect((thrown as Error).message).toMatch(/^Missing --base-url \(the OpenAI-compatible endpoint, e\.g\. http:/);
    }
  });
});

describe('the usage of optimize and eval', () => {
  it('word --base-url and --api-key alike', () => {
    const rows = (usage: string) =>
      usage
        .split('\n')
        .filter((l) => /^\s+--(base-url|api-key) /.test(l))
        .map((l) => l.trim().replace(/\s+/g, ' '));
    expect(rows(OPTIMIZE_USAGE)).toEqual(rows(EVAL_USAGE));
    expect(rows(EVAL_USAGE)).toEqual(rows(targetUsage(30)));
    expect(EVAL_USAGE).toContain('API key (default: $DRPO_API_KEY, then $OPENAI_API_KEY)');
  });

  it('optimize says once what the verdict’s “±” is (one standard error), in lines no wider than the rest', () => {
    const words = OPTIMIZE_USAGE.replace(/\s+/g, ' ');
    expect(words).toContain(
      'The last line gives the verdict against your starting prompt. In the verdict, “+0.50 ± 0.20” is the difference from the starting prompt and one standard error of it',
    );
    expect(words.match(/one standard error/g)).toHaveLength(1);
    for (const line of OPTIMIZE_USAGE.split('\n').filter((l) => l.includes('±')))
      expect(line.length).toBeLessThanOrEqual(100);
  });

  it('optimize offers the presets there are, and says which is the default', () => {
    expect(OPTIMIZE_USAGE).toMatch(
      new RegExp(`--preset NAME +${PRESET_NAMES.join(' \\| ')} \\(default: ${DEFAULT_PRESET}\\)`),
    );
  });
});
