/**
 * A line classifier for `.env` text that walks it exactly as Node 24's
 * `util.parseEnv` (src/node_dotenv.cc, `Dotenv::ParseContent`) does, so the
 * caller can tell which lines that parser dropped or read in a surprising
 * way. The values themselves still come from `util.parseEnv`; `value` here is
 * only there so tests can prove the walk matches it.
 *
 * Node's rules, in order, for each logical line (after removing every `\r`
 * and skipping spaces, tabs and newlines):
 * - a line starting with `#` is a comment;
 * - no `=` before the end of the line: the line is dropped;
 * - the key is the text before `=`, trimmed; a leading `export ` is removed;
 *   `KEY=` followed directly by a newline is the empty value;
 * - a value starting with `"`, `'` or `` ` `` ends at the next same quote,
 *   even lines later; the rest of the closing line is ignored. `\n` is
 *   expanded in double quotes only. Without a closing quote the value is the
 *   rest of the line, quote included;
 * - otherwise the value is the rest of the line, cut at the first `#`, trimmed.
 */

/** One assignment Node makes, with the line numbers (1-based) it came from. */
export interface DotEnvEntry {
  key: string;
  value: string;
  line: number;
  /** Last line the value took (a quoted value can span lines). */
  endLine: number;
  form: 'empty' | 'unquoted' | 'quoted' | 'unterminated-quote';
  quote?: '"' | "'" | '`';
  /** Unquoted: the raw text Node cut at `#`, so the caller can tell a comment from a `#` in the value. */
  raw?: string;
  /** Spaces or tabs stood between `=` and the value. */
  spaceAfterEquals?: boolean;
  /** Quoted: what followed the closing quote on its line (Node ignores it). */
  afterQuote?: string;
  /** `KEY=` followed only by spaces or tabs: Node then takes the next line as the value (dotenv does not). */
  blankValueTakesNextLine?: boolean;
}

/** A line Node's parser ignored. */
export interface DotEnvDropped {
  line: number;
  reason: 'no-equals' | 'empty-key';
  /** The line holds control characters (binary data). Never the text itself. */
  binary: boolean;
  /** The line reads `KEY: value` (YAML style), which Node does not accept. */
  colon: boolean;
}

export interface DotEnvScan {
  entries: DotEnvEntry[];
  dropped: DotEnvDropped[];
  /** Lines ending in a lone `\r`: Node removes it, joining them with the next line. */
  loneCarriageReturns: number[];
}

const WS = ' \t\n';
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they mark binary garbage in .env
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function scanDotEnv(input: string): DotEnvScan {
  const loneCarriageReturns = lineNumbersOf(input, /\r(?!\n)/g);
  const text = input.replaceAll('\r', '');
  const lineAt = lineIndex(text);
  const entries: DotEnvEntry[] = [];
  const dropped: DotEnvDropped[] = [];
  const drop = (from: number, to: number, reason: DotEnvDropped['reason']) => {
    const line = text.slice(from, to);
    // `=a` is dropped, then Node reads `a` as a line of its own: one report for the line.
    if (dropped.at(-1)?.line === lineAt(from)) return;
    dropped.push({ line: lineAt(from), reason, binary: CONTROL.test(line), colon: /^\s*(?:export\s+)?[\w.-]+:\s/.test(line) });
  };

  let end = text.length;
  while (end > 0 && WS.includes(text[end - 1] as string)) end--;
  const skipSpace = (from: number) => {
    let i = from;
    while (i < end && WS.includes(text[i] as string)) i++;
    return i;
  };
  const lineEnd = (from: number) => {
    const nl = text.indexOf('\n', from);
    return nl === -1 || nl >= end ? end : nl;
  };

  let pos = skipSpace(0);
  while (pos < end) {
    const first = text[pos];
    if (first === '\n' || first === '#') {
      pos = Math.min(lineEnd(pos) + 1, end);
      continue;
    }
    const eol = lineEnd(pos);
    const equals = indexWithin(text, '=', pos, eol);
    if (equals === -1) {
      const line = text.slice(pos, eol).trim();
      // A blank or indented comment line after a quoted/empty value: Node skips it here, harmlessly.
      if (line !== '' && !line.startsWith('#')) drop(pos, eol, 'no-equals');
      if (eol >= end) break;
      pos = skipSpace(eol + 1);
      continue;
    }
    const keyLine = lineAt(pos);
    let key = text.slice(pos, equals).replace(/^[ \t\n]+|[ \t\n]+$/g, '');
    pos = equals + 1;
    if (pos >= end || text[pos] === '\n') {
      // Node stores this one before it looks at an empty key or `export `.
      entries.push({ key, value: '', line: keyLine, endLine: keyLine, form: 'empty' });
      continue;
    }
    const blankValueTakesNextLine = /^[ \t]*\n/.test(text.slice(pos, end));
    pos = skipSpace(pos);
    if (key === '') {
      drop(equals, equals, 'empty-key');
      continue;
    }
    if (key.startsWith('export ')) key = key.slice(7).replace(/^[ \t\n]+|[ \t\n]+$/g, '');
    const extra = blankValueTakesNextLine ? { blankValueTakesNextLine } : {};
    if (pos >= end) {
      entries.push({ key, value: '', line: keyLine, endLine: keyLine, form: 'empty', ...extra });
      break;
    }
    const quote = text[pos] as string;
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = text.indexOf(quote, pos + 1);
      if (close !== -1) {
        const inner = text.slice(pos + 1, close);
        const closeEol = lineEnd(close);
        entries.push({
          key,
          value: quote === '"' ? inner.replaceAll('\\n', '\n') : inner,
          line: keyLine,
          endLine: lineAt(close),
          form: 'quoted',
          quote,
          afterQuote: text.slice(close + 1, closeEol),
          ...extra,
        });
        pos = Math.min(closeEol + 1, end);
        continue;
      }
      entries.push({ key, value: text.slice(pos, lineEnd(pos)), line: keyLine, endLine: lineAt(pos), form: 'unterminated-quote', quote, ...extra });
    } else {
      const raw = text.slice(pos, lineEnd(pos));
      const hash = raw.indexOf('#');
      const value = (hash === -1 ? raw : raw.slice(0, hash)).replace(/^[ \t\n]+|[ \t\n]+$/g, '');
      const spaceAfterEquals = text[equals + 1] === ' ' || text[equals + 1] === '\t';
      entries.push({ key, value, line: keyLine, endLine: lineAt(pos), form: 'unquoted', raw, spaceAfterEquals, ...extra });
    }
    const next = lineEnd(pos);
    pos = next >= end ? end : skipSpace(next + 1);
  }
  return { entries, dropped, loneCarriageReturns };
}

function indexWithin(text: string, char: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text[i] === char) return i;
  return -1;
}

/** position → 1-based line number. */
function lineIndex(text: string): (pos: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function lineNumbersOf(text: string, pattern: RegExp): number[] {
  const lineAt = lineIndex(text);
  return [...text.matchAll(pattern)].map((m) => lineAt(m.index));
}
