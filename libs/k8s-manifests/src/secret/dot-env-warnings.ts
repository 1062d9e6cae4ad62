import type { DotEnvEntry, DotEnvScan } from './dot-env-lines.js';

/** What dotenv accepts as a name; anything else can never be looked up. */
const KEY = /^[\w.-]+$/;
/** A line inside a multi-line quoted value that reads like an assignment of its own. */
const ASSIGNMENT_LINE = /^\s*(?:export\s+)?[\w.-]+\s*=/;

const NO_KEY = 'nothing before "=", so there is no key: line ignored; write KEY=VALUE';

/**
 * One warning per line the parser dropped or read in a way the author likely
 * did not mean, as `<path>:<line>: <problem>; <fix>`. Keys may be named
 * (truncated, escaped); values never are.
 */
export function dotEnvWarnings(path: string, scan: DotEnvScan): string[] {
  const found: { line: number; text: string }[] = [];
  const warn = (line: number, text: string) => found.push({ line, text });

  for (const line of scan.loneCarriageReturns) {
    warn(
      line,
      'holds a carriage return without a newline (old Mac line ending?), which is dropped, joining the text around it; save the file with \\n line endings',
    );
  }
  for (const { line, reason, binary, colon } of scan.dropped) {
    if (reason === 'empty-key') warn(line, NO_KEY);
    else if (colon) warn(line, 'reads KEY: VALUE, which is not read (no "="): line ignored; write KEY=VALUE');
    else
      warn(
        line,
        `not KEY=VALUE (no "=")${binary ? ' and holds control characters (binary data?)' : ''}: line ignored; write KEY=VALUE or start a comment with #`,
      );
  }
  const firstLineOf = new Map<string, number>();
  for (const entry of scan.entries) {
    const problem = entryProblem(entry);
    if (problem) warn(entry.line, problem);
    const earlier = firstLineOf.get(entry.key);
    if (earlier !== undefined && KEY.test(entry.key)) warn(entry.line, `${entry.key} is set again (first on line ${earlier}); the last one wins`);
    if (earlier === undefined) firstLineOf.set(entry.key, entry.line);
  }
  return found.sort((a, b) => a.line - b.line).map(({ line, text }) => `${path}:${line}: ${text}`);
}

function entryProblem(entry: DotEnvEntry): string | undefined {
  const { key } = entry;
  if (key === '') return NO_KEY;
  if (!KEY.test(key)) {
    const hint = key.startsWith('#')
      ? 'an indented comment after an empty or quoted value is read as KEY=VALUE; start the comment at the beginning of the line'
      : 'use letters, digits and _ only (e.g. MY_KEY)';
    return `key ${showKey(key)} is not a variable name, so it is never used; ${hint}`;
  }
  if (entry.form === 'unterminated-quote') {
    return `${key}: the value opens a ${entry.quote} quote that is never closed, so the value is the rest of the line with the quote in it; close the quote (${key}=${entry.quote}…${entry.quote}) or remove it`;
  }
  if (entry.form === 'quoted') {
    if (entry.endLine > entry.line && valueHasAssignmentLine(entry.value)) {
      return `${key}: the ${entry.quote} quote opened here closes only on line ${entry.endLine}, so the lines between are part of the value, not keys; close the quote on line ${entry.line}`;
    }
    if (entry.afterQuote !== undefined && !/^\s*(#.*)?$/.test(entry.afterQuote)) {
      return `${key}: text after the closing ${entry.quote} quote is ignored; put all of the value inside the quotes`;
    }
  }
  if (entry.form === 'unquoted' && entry.raw !== undefined && glued(entry.raw, entry.spaceAfterEquals === true)) {
    return `${key}: the unquoted value contains "#", and everything from "#" on is a comment (as in dotenv and node --env-file), so the value was cut there; quote the value (${key}="…#…") if "#" belongs to it`;
  }
  return undefined;
}

/** A `#` right after `=` or after a non-space: meant as part of the value, not as the start of a ` # comment`. */
function glued(raw: string, spaceAfterEquals: boolean): boolean {
  const hash = raw.indexOf('#');
  if (hash === -1) return false;
  return hash === 0 ? !spaceAfterEquals : !/[ \t]/.test(raw[hash - 1] as string);
}

function valueHasAssignmentLine(value: string): boolean {
  return value
    .split('\n')
    .slice(1)
    .some((line) => ASSIGNMENT_LINE.test(line));
}

function showKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}
