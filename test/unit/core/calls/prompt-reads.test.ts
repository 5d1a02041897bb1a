/** Prompts a server cut to its context window: told from short counts that have other causes. */
import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../../../src/core/calls/call-gateway';
import {
  copyPromptReads,
  cutPrompts,
  cutPromptsKnown,
  notePromptRead,
  windowFor,
} from '../../../../src/core/calls/prompt-reads';
import type { ChatRequest, CompletionRequest } from '../../../../src/core/contracts/chat-model';
import type { Role } from '../../../../src/core/contracts/run-config';

/** A prompt of about `tokens` tokens (4 characters each). */
const chat = (tokens: number, n?: number): ChatRequest => ({
  messages: [{ role: 'user', content: 'x'.repeat(tokens * 4) }],
  ...(n ? { n } : {}),
});

/** Stats after calls of [estimated tokens sent, tokens the server said it read] (role: optimizer). */
function reads(
  calls: [number, number][],
  role: Role = 'optimizer',
  make: (tokens: number) => ChatRequest | CompletionRequest = chat,
) {
  const stats = emptyStats();
  for (const [sent, read] of calls) notePromptRead(stats, role, make(sent), read);
  return stats;
}

describe('cut prompts', () => {
  it('a 4096-token window (Ollama’s usual): longer prompts of different lengths all read 4096, the rest less', () => {
    const cut = cutPrompts(
      reads([
        [1200, 1150],
        [5400, 4096],
        [3000, 2900],
        [7000, 4096],
      ]),
    );
    expect(cut).toEqual({ calls: 2, roles: ['optimizer'], window: 4096, longest: 7000 });
    expect(windowFor(7000)).toBe(8192);
    expect(windowFor(7400)).toBe(16384);
  });

  it('no claim from counts of uncached tokens only: a first call of the prefix read more than the "cut" ones', () => {
    // Judge prompts share all but the answer: the uncached tails are alike, the first call read it all.
    expect(
      cutPrompts(
        reads([
          [1500, 1480],
          [1700, 540],
          [1900, 545],
          [2100, 1],
        ]),
      ),
    ).toBeNull();
    // Repeats served whole from the server's cache read about 1 token: alike, but never a ceiling.
    expect(
      cutPrompts(
        reads([
          [3000, 2950],
          [3000, 1],
          [3300, 1],
        ]),
      ),
    ).toBeNull();
  });

  it('no claim from one cut, from reads far apart, or from prompts of one length', () => {
    expect(cutPrompts(reads([[6000, 4096]]))).toBeNull();
    expect(
      cutPrompts(
        reads([
          [6000, 2100],
          [8000, 4096],
        ]),
      ),
    ).toBeNull();
    expect(
      cutPrompts(
        reads([
          [6000, 4096],
          [6100, 4096],
        ]),
      ),
    ).toBeNull();
  });

  it('ignores what cannot be compared: no count, n requests summed, short prompts', () => {
    const stats = emptyStats();
    notePromptRead(stats, 'judge', chat(6000), 0);
    notePromptRead(stats, 'judge', chat(6000, 3), 4096);
    expect(stats.promptReads?.judge).toBeUndefined();
    // Short prompts count toward what the server can read, never as cuts.
    expect(
      reads([
        [800, 100],
        [900, 100],
      ]).promptReads?.optimizer,
    ).toEqual({ most: 100 });
  });

  it('reads completion prompts too', () => {
    const completion = (tokens: number): CompletionRequest => ({ prompt: 'x'.repeat(tokens * 4) });
    expect(
      cutPrompts(
        reads(
          [
            [5000, 2048],
            [6000, 2048],
          ],
          'policy',
          completion,
        ),
      ),
    ).toMatchObject({ window: 2048 });
  });

  it('a role whose model reads more does not hide another role’s window', () => {
    const stats = reads(
      [
        [5400, 4096],
        [6000, 4096],
      ],
      'optimizer',
    );
    notePromptRead(stats, 'judge', chat(9000), 8900);
    expect(cutPrompts(stats)).toMatchObject({ calls: 2, window: 4096 });
  });

  it('a hand-edited record that is not one is left out, and the rest still tells the cut', () => {
    const cut = reads([
      [5400, 4096],
      [6000, 4096],
    ]).promptReads!.optimizer!;
    const junk = { policy: null, judge: 'x', aspect: { most: 'many' }, nobody: { most: 1 }, optimizer: cut };
    const stats = { ...emptyStats(), promptReads: junk as never };
    expect(copyPromptReads(stats.promptReads)).toEqual({ optimizer: cut });
    expect(cutPrompts(stats)).toMatchObject({ calls: 2, roles: ['optimizer'], window: 4096 });
    // A cut that is not one is dropped with it, the count of what was read kept.
    expect(copyPromptReads({ judge: { most: 9, cut: { calls: 2 } } } as never)).toEqual({ judge: { most: 9 } });
    expect(copyPromptReads('x' as never)).toBeUndefined();
    expect(cutPrompts({ ...emptyStats(), promptReads: [null] as never })).toBeNull();
  });
});

describe('cut prompts known from calls beside', () => {
  // Two conversations' calls on one model: the server showed a 1200-token ceiling on prompts of 1800 and 2400.
  const known = reads(
    [
      [1800, 1200],
      [2400, 1200],
      [600, 600],
    ],
    'policy',
  );

  it('one cut read at the ceiling the calls beside showed is a cut, said of this record alone', () => {
    const one = reads([[2000, 1205]], 'policy');
    expect(cutPrompts(one)).toBeNull();
    expect(cutPromptsKnown(one, known)).toEqual({ calls: 1, roles: ['policy'], window: 1205, longest: 2000 });
    // Its own ceiling needs nothing beside it.
    const two = reads(
      [
        [2000, 1200],
        [2600, 1200],
      ],
      'policy',
    );
    expect(cutPromptsKnown(two, null)).toEqual(cutPrompts(two));
  });

  it('no claim from one short read off the ceiling, beside a call of its own reading more, or of another role', () => {
    // Read well under the ceiling (what a server counting only uncached tokens reports): not the window.
    expect(cutPromptsKnown(reads([[2000, 900]], 'policy'), known)).toBeNull();
    // A call of its own read more than the ceiling: the server does read past it.
    expect(
      cutPromptsKnown(
        reads(
          [
            [2000, 1200],
            [1400, 1390],
          ],
          'policy',
        ),
        known,
      ),
    ).toBeNull();
    // The ceiling was another role's (another model in a run).
    expect(cutPromptsKnown(reads([[2000, 1200]], 'judge'), known)).toBeNull();
    // Nothing beside shows a ceiling: one read alone stays no claim.
    expect(cutPromptsKnown(reads([[2000, 1200]], 'policy'), reads([[1800, 1200]], 'policy'))).toBeNull();
  });
});
