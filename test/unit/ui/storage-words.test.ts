import { describe, expect, it } from 'vitest';
import {
  downloadRefused,
  freeBytes,
  keptLine,
  persistenceAnswer,
  storageLine,
  tooBigWarning,
} from '../../../src/ui/view-models/storage-words';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

describe('storage in words', () => {
  it('says what the site stores and what more fits, never less than nothing', () => {
    expect(storageLine({ usage: 1.2 * GB, quota: 10 * GB, persisted: false })).toBe(
      'This site stores 1.2 GB (downloaded models and saved runs); about 8.8 GB more fits.',
    );
    expect(freeBytes({ usage: 11 * GB, quota: 10 * GB, persisted: false })).toBe(0);
  });

  it('says what best-effort storage means and what to do about it, and the kept case plainly', () => {
    expect(keptLine(false, true)).toMatch(/may clear them when the disk runs short/);
    expect(keptLine(false, true)).toMatch(/export the results you want to keep/);
    expect(keptLine(true, true)).toBe('The browser keeps them until you delete them.');
    // Runs held in memory: never "keeps them", whatever the browser keeps.
    expect(keptLine(true, false)).toMatch(
      /^Downloaded models stay, but runs and alignments last only until this tab closes/,
    );
    expect(persistenceAnswer(true)).toBe('The browser will keep your downloaded models and saved runs.');
    expect(persistenceAnswer(false)).toMatch(/did not promise.*Export the results you want to keep\./s);
  });

  it('warns of a download that will not fit, and of none that fits or whose size is unknown', () => {
    const full = { usage: 9.5 * GB, quota: 10 * GB, persisted: false };
    expect(tooBigWarning(1.7e9, full)).toBe(
      'Needs about 1.6 GB, but only 512 MB more fits here. Delete a downloaded model or free disk space first.',
    );
    expect(tooBigWarning(300 * MB, full)).toBeNull();
    expect(tooBigWarning(null, full)).toBeNull();
    expect(tooBigWarning(1.7e9, null)).toBeNull();
    // A browser that states no quota (0) has said nothing about what fits.
    expect(tooBigWarning(1.7e9, { usage: 0, quota: 0, persisted: false })).toBeNull();
  });

  it('a refused download names the model, what it needs and what fits, with what is known', () => {
    const s = { usage: 9.9 * GB, quota: 10 * GB, persisted: false };
    expect(downloadRefused('Llama 3.2 3B Instruct', 1.7e9, s)).toBe(
      'The browser has no room left for Llama 3.2 3B Instruct. It needs about 1.6 GB; 102 MB more fits.',
    );
    expect(downloadRefused('X', null, s)).toBe('The browser has no room left for X. About 102 MB more fits.');
    expect(downloadRefused('X', 1.7e9, null)).toBe('The browser has no room left for X. It needs about 1.6 GB.');
    expect(downloadRefused('X', null, null)).toBe('The browser has no room left for X.');
  });
});
