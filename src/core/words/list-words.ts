import { formatWholeCount } from '../formats/bytes';

/**
 * A count with its noun agreeing: "1 query", "3 queries", "80,000 queries" (`many` when the plural is not
 * one + "s"). A whole count gets its thousands separated, as every count does; a fraction (a budget of
 * "1.5 million tokens") is said as given.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${Number.isInteger(n) ? formatWholeCount(n) : n} ${n === 1 ? one : many}`;
}

/** A list in words, for messages: "a", "a and b", "a, b and c" (`last` "or": "a, b or c"). */
export function listInWords(items: readonly string[], last: 'and' | 'or' = 'and'): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/**
 * The first `shown` problems as the end of one sentence, "a; b; c (and 2 more).", with its period added
 * once: a problem may end with one of its own ("… Update the app to open it.").
 */
export function problemsSentence(problems: readonly string[], shown = 3): string {
  const more = problems.length > shown ? ` (and ${problems.length - shown} more)` : '';
  const text = `${problems.slice(0, shown).join('; ')}${more}`;
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/**
 * `name`, or when `taken` already holds it, "name (2)", "name (3)"…: the first that is free. One rule for two
 * things shown under one name (evaluation rows, saved datasets). `max` (characters) shortens the name before its
 * number, so the number is never the part cut off by a length limit.
 */
export function numberedName(name: string, taken: (candidate: string) => boolean, max = Infinity): string {
  const candidates = nameCandidates(name, max);
  for (;;) {
    const candidate = candidates.next().value;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * The names numberedName tries, in its order: `name`, "name (2)", "name (3)"… (endless). For a caller that asks
 * about each one where numberedName cannot wait (the store looks each up in an index: store-impl.ts).
 */
export function* nameCandidates(name: string, max = Infinity): Generator<string, never> {
  yield name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    yield `${name.slice(0, Math.max(0, max - suffix.length)).trimEnd()}${suffix}`;
  }
}

/**
 * Why a run about to start will be saved under a numbered name (the store's nextRunName), said beside the Run
 * view's name field as it is typed, in the words a refused rename uses ("Another run is already called …").
 */
export function numberedRunWords(taken: { name: string; by: 'alignment' | 'run' }, name: string): string {
  const holder = taken.by === 'run' ? 'Another run' : 'A saved alignment';
  return `${holder} is already called “${taken.name}”: this one will be saved as “${name}”.`;
}

/**
 * Why a new record was saved under a numbered name (the store's `nameTaken`): "“Helper” already names another
 * saved alignment". Said beside the name it got, where the save or import is said.
 */
export function takenNameWords(taken: { name: string; by: 'alignment' | 'run' }): string {
  return `“${taken.name}” already names ${taken.by === 'run' ? 'a run' : 'another saved alignment'}`;
}
