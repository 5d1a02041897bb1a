/**
 * How long and how freely the Playground's panes answer. Both panes answer alike (a fair comparison gives each
 * side the same room): the answer length by Evaluate's and `drpo eval`'s rule (`answerLength`: the length the
 * alignment's run answered with, else the default), and the temperature its run answered at, else 0 as Evaluate
 * answers. The alignment was tuned and scored on answers of that length and temperature: a Paper alignment cut
 * off at 512 tokens, or A and B sampled at 0.7, would differ by their cut or by chance as much as by their prompts.
 */
import { answerLength, answerLengthSource } from '../../core/eval/report/compare';
import { recordedAnswerTemperature } from '../../core/formats/alignment-facts';
import type { AlignmentArtifact } from '../../core/contracts/alignment';

/** Evaluate's answer temperature, and every preset's: repeatable answers. */
export const DEFAULT_PLAYGROUND_TEMPERATURE = 0;

export interface PlaygroundAnswers {
  maxTokens: number;
  temperature: number;
  /** The two, in words, for the line under the selects. */
  words: string;
}

export function playgroundAnswers(al: AlignmentArtifact | null): PlaygroundAnswers {
  const chosen = al ? [{ artifact: al }] : [];
  const length = answerLength(chosen);
  const lengthWhy = answerLengthSource(length, chosen.length);
  const recorded = al ? recordedAnswerTemperature(al) : undefined;
  const temperature = recorded ?? DEFAULT_PLAYGROUND_TEMPERATURE;
  const tempWhy = !al ? '' : recorded !== undefined ? ', as in its run' : ', the default';
  const words =
    `Both panes answer up to ${length.maxTokens} tokens${lengthWhy ? `, ${lengthWhy}` : ''}; ` +
    `temperature ${temperature}${tempWhy}.`;
  return { maxTokens: length.maxTokens, temperature, words };
}
