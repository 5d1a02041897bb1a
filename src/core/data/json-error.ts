/**
 * Where a JSON text's first syntax error is and what it is, in plain words. JSON.parse's own messages
 * differ by browser and often give no position (V8: `Unexpected token ']', "…" is not valid JSON`;
 * Safari gives no position at all), so the text is scanned here, the same in every browser and in Node.
 */

export interface JsonError {
  /** 1-based, counted in `\n` line breaks. */
  line: number;
  /** 1-based, in characters of its line. */
  column: number;
  /** What is wrong there, e.g. `a comma after the last item, before the closing "]"`. */
  problem: string;
  /** The text held a complete value and then more: several values, as a JSONL file has one per line. */
  moreAfterEnd?: true;
}

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERAL = /true|false|null/y;

/** The character at `i` for a message: `"o"`, or words for what cannot be shown. */
function shown(c: string | undefined): string {
  if (c === undefined) return 'the end of the file';
  if (c === '\n' || c === '\r') return 'a line break';
  if (c === '\t') return 'a tab';
  if (c === '"') return 'a quote (")';
  if (c < ' ') return 'a control character';
  return `"${c}"`;
}

function at(text: string, i: number, problem: string): JsonError {
  const before = text.slice(0, i);
  const lastBreak = before.lastIndexOf('\n');
  let line = 1;
  for (let k = before.indexOf('\n'); k >= 0; k = before.indexOf('\n', k + 1)) line++;
  return { line, column: i - lastBreak, problem };
}

/**
 * The first syntax error of `text` read as one JSON value, or undefined when there is none. Iterative (an
 * explicit stack of open brackets), so a file of a million "[" cannot overflow the call stack.
 */
export function findJsonError(text: string): JsonError | undefined {
  const n = text.length;
  let i = 0;
  const open: ('[' | '{')[] = [];
  const ws = () => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  /** A string starting at i (a quote); undefined when it is well formed (i is then past it). */
  const string = (): JsonError | undefined => {
    const start = i;
    i++;
    for (;;) {
      // Past the plain characters: stop at a quote (34), a backslash (92) or a control character (below 32).
      while (i < n) {
        const code = text.charCodeAt(i);
        if (code === 34 || code === 92 || code < 32) break;
        i++;
      }
      const c = text[i];
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c === undefined) return at(text, start, 'a text in quotes that is never closed (its closing " is missing)');
      if (c === '\\') {
        if (!match(ESCAPE))
          return at(text, i, 'a backslash that starts no valid escape (write \\\\ for a backslash itself)');
        continue;
      }
      return at(text, i, `${shown(c)} inside quotes (write a line break as \\n and a tab as \\t)`);
    }
  };
  /** A field name and its colon, then i is at the field's value. */
  const key = (): JsonError | undefined => {
    ws();
    const c = text[i];
    if (c !== '"') {
      if (c === undefined) return at(text, i, 'the file ends where a field name was expected');
      if (c === "'") return at(text, i, 'a field name in single quotes (JSON needs "double quotes")');
      return at(text, i, `${shown(c)} where a field name in "double quotes" was expected`);
    }
    const bad = string();
    if (bad) return bad;
    ws();
    if (text[i] !== ':') {
      const found = i < n ? `${shown(text[i])} where` : 'the file ends where';
      return at(text, i, `${found} a ":" after the field name was expected`);
    }
    i++;
    return undefined;
  };

  for (;;) {
    // A value is expected at i.
    ws();
    const c = text[i];
    if (c === '[' || c === '{') {
      const close = c === '[' ? ']' : '}';
      open.push(c);
      i++;
      ws();
      if (text[i] === close) {
        open.pop();
        i++;
      } else {
        if (c === '{') {
          const bad = key();
          if (bad) return bad;
        }
        continue;
      }
    } else if (c === '"') {
      const bad = string();
      if (bad) return bad;
    } else if (c === "'") {
      return at(text, i, 'text in single quotes (JSON needs "double quotes")');
    } else if (c === undefined) {
      return at(text, i, 'the file ends where a value was expected');
    } else if (!match(NUMBER) && !match(LITERAL)) {
      return at(text, i, `${shown(c)} where a value was expected (text goes in "double quotes")`);
    }
    // After a value: a comma and the next one, a closing bracket, or the end.
    for (;;) {
      ws();
      const top = open[open.length - 1];
      if (top === undefined) {
        if (i >= n) return undefined;
        return { ...at(text, i, `more text after the end of the JSON (${shown(text[i])})`), moreAfterEnd: true };
      }
      const close = top === '[' ? ']' : '}';
      const what = top === '[' ? 'item' : 'field';
      if (text[i] === close) {
        open.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') {
        if (i >= n) return at(text, i, `the file ends before the closing "${close}"`);
        // The usual cause: two items (or fields) with no comma between them.
        if (/["[{\d\-tfn]/.test(text[i]!)) return at(text, i, `a missing comma: the next ${what} starts here`);
        return at(text, i, `${shown(text[i])} where a comma or the closing "${close}" was expected`);
      }
      const comma = i;
      i++;
      ws();
      if (text[i] === close) return at(text, comma, `a comma after the last ${what}, before the closing "${close}"`);
      if (top === '{') {
        const bad = key();
        if (bad) return bad;
      }
      break;
    }
  }
}

/** "line 3, column 1: a comma after the last item, …" (the line left out of a one-line text). */
export function jsonErrorInWords(e: JsonError, oneLine = false): string {
  return `${oneLine ? '' : `line ${e.line}, `}column ${e.column}: ${e.problem}`;
}
