import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDotEnv } from './dot-env.js';
import { scanDotEnv } from './dot-env-lines.js';

const SECRET = 'sk-proj-0123456789abcdefSECRET';
const PATH = '/repo/.env';

/** Warnings must name file and line, never a value. */
function expectNoValues(warnings: readonly string[], ...values: string[]) {
  for (const warning of warnings) for (const value of values) expect(warning).not.toContain(value);
}

describe('parseDotEnv: values as Node/dotenv read them', () => {
  it('reads a key after a UTF-8 byte order mark (Node alone would make the BOM part of the key)', () => {
    const text = `\uFEFFOPENAI_API_KEY=${SECRET}\nLOG_LEVEL=debug\n`;
    expect(Object.keys(parseEnv(text))).toContain('\uFEFFOPENAI_API_KEY');
    const { values, warnings } = parseDotEnv(text, PATH);
    expect(values).toEqual({ OPENAI_API_KEY: SECRET, LOG_LEVEL: 'debug' });
    expect(warnings).toEqual([]);
  });

  it('keeps comments, export, quotes, escapes in double quotes and multi-line values as Node does', () => {
    const text = [
      '# local secrets',
      `export OPENAI_API_KEY="${SECRET}"  # inline comment`,
      "SINGLE='a\\nb'",
      'DOUBLE="a\\nb"',
      'HASH_QUOTED="x#y"',
      'SPACED = value with spaces   ',
      'COMMENTED=plain # a comment',
      'PEM="-----BEGIN-----',
      'abc',
      '-----END-----"',
      '',
    ].join('\r\n');
    const { values, warnings } = parseDotEnv(text, PATH);
    expect(values).toEqual({
      OPENAI_API_KEY: SECRET,
      SINGLE: 'a\\nb',
      DOUBLE: 'a\nb',
      HASH_QUOTED: 'x#y',
      SPACED: 'value with spaces',
      COMMENTED: 'plain',
      PEM: '-----BEGIN-----\nabc\n-----END-----',
    });
    expect(warnings).toEqual([]);
  });

  it('reads KEY= followed by spaces as empty, as dotenv does (Node 24 would swallow the next line)', () => {
    const text = `EMPTY=   \nOPENAI_API_KEY=${SECRET}\n`;
    expect(parseEnv(text)).toEqual({ EMPTY: `OPENAI_API_KEY=${SECRET}` });
    expect(parseDotEnv(text, PATH).values).toEqual({ EMPTY: '', OPENAI_API_KEY: SECRET });
  });

  it('drops `export` before a key whatever follows (Node keeps it in `export KEY=` and `export<TAB>KEY=`)', () => {
    const text = 'export EMPTY=\nexport\tTABBED=1\nexport   SPACES=2\n';
    expect(new Set(Object.keys(parseEnv(text)))).toEqual(new Set(['SPACES', 'export EMPTY', 'export\tTABBED']));
    expect(parseDotEnv(text, PATH)).toEqual({ values: { EMPTY: '', TABBED: '1', SPACES: '2' }, warnings: [] });
  });
});

describe('parseDotEnv: a warning for every line that could not be used (path:line, never the value)', () => {
  it('warns for a key with spaces, a line without =, binary garbage and KEY: VALUE', () => {
    const text = [`MY KEY=${SECRET}`, SECRET, `\u0000\u0001\u0002${SECRET}\u0007`, `OPENAI_API_KEY: ${SECRET}`, 'GOOD=1', `=${SECRET}`].join('\n');
    const { values, warnings } = parseDotEnv(text, PATH);
    expect(values.GOOD).toBe('1');
    expect(warnings).toEqual([
      `${PATH}:1: key "MY KEY" is not a variable name, so it is never used; use letters, digits and _ only (e.g. MY_KEY)`,
      `${PATH}:2: not KEY=VALUE (no "="): line ignored; write KEY=VALUE or start a comment with #`,
      `${PATH}:3: not KEY=VALUE (no "=") and holds control characters (binary data?): line ignored; write KEY=VALUE or start a comment with #`,
      `${PATH}:4: reads KEY: VALUE, which is not read (no "="): line ignored; write KEY=VALUE`,
      `${PATH}:6: nothing before "=", so there is no key: line ignored; write KEY=VALUE`,
    ]);
    expectNoValues(warnings, SECRET, SECRET.slice(0, 12));
  });

  it('keeps an unterminated quote as Node does (quote included) and warns on that line', () => {
    const text = `A=1\nOPENAI_API_KEY="${SECRET}\nB=2\n`;
    const { values, warnings } = parseDotEnv(text, PATH);
    expect(values).toEqual(parseEnv(text));
    expect(values.OPENAI_API_KEY).toBe(`"${SECRET}`);
    expect(warnings).toEqual([
      `${PATH}:2: OPENAI_API_KEY: the value opens a " quote that is never closed, so the value is the rest of the line with the quote in it; close the quote (OPENAI_API_KEY="…") or remove it`,
    ]);
  });

  it('warns when an unclosed quote runs on to a later quote and swallows the lines between', () => {
    const text = `OPENAI_API_KEY='${SECRET}\nLOG_LEVEL=debug\nOTHER='x'\n`;
    const { values, warnings } = parseDotEnv(text, PATH);
    expect(values.LOG_LEVEL).toBeUndefined();
    expect(warnings).toEqual([
      `${PATH}:1: OPENAI_API_KEY: the ' quote opened here closes only on line 3, so the lines between are part of the value, not keys; close the quote on line 1`,
    ]);
    expectNoValues(warnings, SECRET);
  });

  it('cuts an unquoted value at # as Node and dotenv document, and warns when the # was glued to the value', () => {
    const text = `OPENAI_API_KEY=${SECRET}#tail\nSTARTS=#x\nCOMMENT=v # fine\nEMPTY= # fine too\n`;
    const { values, warnings } = parseDotEnv(text, PATH);
    expect(values).toEqual({ OPENAI_API_KEY: SECRET, STARTS: '', COMMENT: 'v', EMPTY: '' });
    expect(warnings.map((w) => w.split(': ')[0])).toEqual([`${PATH}:1`, `${PATH}:2`]);
    expect(warnings[0]).toContain('the unquoted value contains "#"');
    expect(warnings[0]).toContain('quote the value (OPENAI_API_KEY="…#…")');
    expectNoValues(warnings, SECRET, 'tail');
  });

  it('warns about text after a closing quote, a repeated key, and a lone carriage return', () => {
    const text = `A="x"${SECRET}\nA=2\nB=1\r2\n`;
    const { warnings } = parseDotEnv(text, PATH);
    expect(warnings).toEqual([
      `${PATH}:1: A: text after the closing " quote is ignored; put all of the value inside the quotes`,
      `${PATH}:2: A is set again (first on line 1); the last one wins`,
      `${PATH}:3: holds a carriage return without a newline (old Mac line ending?), which is dropped, joining the text around it; save the file with \\n line endings`,
    ]);
  });

  it('says nothing about blank lines, comments and indented comments', () => {
    expect(parseDotEnv('\n  \n# c\n   # indented\nA=""\n  # after a quoted value\n\n', PATH).warnings).toEqual([]);
  });
});

describe('scanDotEnv mirrors util.parseEnv (the classifier behind the warnings)', () => {
  const assigned = (text: string) => Object.fromEntries(scanDotEnv(text).entries.map((e) => [e.key, e.value]));

  it('assigns exactly what util.parseEnv assigns, on the tricky cases', () => {
    for (const text of [
      '\uFEFFA=1',
      'A="abc\nB="b"\nC=c',
      'A=   \nB=b',
      '=A=1\nB=2',
      '=\nA=1',
      'export A=\nB=1',
      'A="x"\n  # c=1\nB=2',
      'A="a\\"b"',
      'A=1\rB=2',
      "A='l1\nl2'",
      'A=`x y`#c',
      'A="x" y # z',
    ]) {
      expect(assigned(text), JSON.stringify(text)).toEqual(parseEnv(text));
    }
  });

  it('assigns exactly what util.parseEnv assigns on 20,000 random texts', () => {
    const pieces = ['A', 'b', '_', '=', '=', ' ', '\t', '\n', '\n', '\r', '#', '"', "'", '`', '\\n', '\\', 'export ', 'x', '\u0000', 'é', '\uFEFF'];
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 20_000; round++) {
      let text = '';
      for (let i = next(32); i > 0; i--) text += pieces[next(pieces.length)];
      expect(assigned(text), JSON.stringify(text)).toEqual(parseEnv(text));
    }
  });

  it('gives each assignment and each dropped line its line number', () => {
    const scan = scanDotEnv('# c\n\nA=1\r\nnot a pair\nB="x\ny"\nC=3\n');
    expect(scan.entries.map((e) => [e.key, e.line, e.endLine])).toEqual([
      ['A', 3, 3],
      ['B', 5, 6],
      ['C', 7, 7],
    ]);
    expect(scan.dropped).toEqual([{ line: 4, reason: 'no-equals', binary: false, colon: false }]);
  });
});
