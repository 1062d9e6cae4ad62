import { parseEnv } from 'node:util';
import { readDotEnvFile } from './dot-env-file.js';
import { scanDotEnv, type DotEnvScan } from './dot-env-lines.js';
import { dotEnvWarnings } from './dot-env-warnings.js';

export { DotEnvFileError } from './dot-env-file.js';

export interface ParsedDotEnv {
  values: Record<string, string>;
  /** One per line that was dropped or read in a surprising way: `<path>:<line>: …`. Never a value. */
  warnings: string[];
}

/**
 * `.env` text → values, parsed by Node's own `util.parseEnv` (the `--env-file`
 * parser) after corrections where Node 24 reads a line differently from
 * dotenv, whose format it follows: a UTF-8 byte order mark is removed (Node
 * makes it part of the first key); `KEY=` followed only by spaces is the empty
 * value (Node takes the next line as its value and loses that line's key);
 * `export` before a key is dropped whatever follows it (Node keeps it in the
 * key of `export KEY=` and of `export<TAB>KEY=…`).
 */
export function parseDotEnv(text: string, path = '.env'): ParsedDotEnv {
  let content = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let scan = scanDotEnv(content);
  // Each pass only shortens lines that hold a key, so this ends.
  for (let fixes = linesToFix(content, scan); fixes.size > 0; fixes = linesToFix(content, scan)) {
    content = content
      .split('\n')
      .map((line, i) => fixes.get(i + 1)?.(line) ?? line)
      .join('\n');
    scan = scanDotEnv(content);
  }
  return { values: parseEnv(content) as Record<string, string>, warnings: dotEnvWarnings(path, scan) };
}

const EXPORT_PREFIX = /^[ \t]*export[ \t]+(?=[^\s=])/;

/** Line number → how to rewrite that line so Node reads it as dotenv does. */
function linesToFix(content: string, scan: DotEnvScan): Map<number, (line: string) => string> {
  const lines = content.split('\n');
  const fixes = new Map<number, (line: string) => string>();
  for (const entry of scan.entries) {
    if (entry.blankValueTakesNextLine) fixes.set(entry.line, (line) => line.replace(/[ \t\r]+$/, ''));
    else if (EXPORT_PREFIX.test(lines[entry.line - 1] ?? '')) fixes.set(entry.line, (line) => line.replace(EXPORT_PREFIX, ''));
  }
  return fixes;
}

/**
 * The git-ignored `.env` at `path` as KEY → value, in memory; nothing when
 * there is no such file. Throws a DotEnvFileError (path, problem, fix) when
 * it is not a readable regular UTF-8 file; reports each line it could not
 * use through `onWarning`. Used by the deploy (in its preflight, before
 * anything is built) and by the rehearsal.
 */
export function readDotEnv(
  path: string,
  onWarning: (warning: string) => void = (warning) => process.stderr.write(`warning: ${warning}\n`),
): Record<string, string> {
  const text = readDotEnvFile(path);
  if (text === undefined) return {};
  const { values, warnings } = parseDotEnv(text, path);
  for (const warning of warnings) onWarning(warning);
  return values;
}
