/**
 * The one failure for a run or an evaluation that judged not one answer. Before it, such a run "finished"
 * with the starting prompt scored 1 (empty answers) or unscored, and an evaluation saved a table of dashes.
 */
import { AppError, ErrorName } from '../contracts/errors';
import { CUT_ADVICE } from './empty-replies';

export interface Unjudged {
  /** Answers the model gave, with how each ended ('length': cut at max_tokens). */
  answers: readonly { text: string; finishReason: string }[];
  /** Judge replies that could not be read. */
  unreadable: number;
}

/** The error to fail with when nothing was judged (`what`: "prompt" for a run, "answer" for an evaluation). */
export function nothingScoredError(what: 'prompt' | 'answer', seen: Unjudged): AppError {
  const allEmpty = seen.answers.length > 0 && seen.answers.every((a) => !a.text.trim());
  const cut = allEmpty && seen.answers.every((a) => a.finishReason === 'length');
  const why = allEmpty
    ? 'every answer the model gave was empty'
    : `none of the judge's replies could be read (${seen.unreadable} unreadable)`;
  const detail = cut
    ? `Every answer hit its token limit before any text. ${CUT_ADVICE}`
    : allEmpty
      ? // Said in words that hold for the page and the CLI alike (the CLI has no chat).
        'The model or its server may be sending empty answers: ask it one question outside the run to see what comes back.'
      : 'The judge model may be too small to follow the scoring format: bind a larger judge model.';
  return new AppError(ErrorName.NothingScored, `No ${what} could be scored: ${why}.`, { detail, retryable: false });
}
