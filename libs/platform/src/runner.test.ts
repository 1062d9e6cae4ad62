import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { processRunner, tail, whichOnPath } from './runner.js';

const node = process.execPath;
const runner = processRunner();

describe('processRunner (real child processes)', () => {
  it('returns exit code and output, and streams each line as it arrives', async () => {
    const lines: string[] = [];
    const result = await runner.run(node, ['-e', 'console.log("one\\ntwo"); console.error("three"); process.exit(3)'], { onLine: (l) => lines.push(l) });
    expect(result).toMatchObject({ code: 3, stdout: 'one\ntwo\n', stderr: 'three\n', timedOut: false });
    expect(lines.sort()).toEqual(['one', 'three', 'two']);
  });

  it('pipes stdin to the command', async () => {
    const result = await runner.run(node, ['-e', 'process.stdin.pipe(process.stdout)'], { stdin: Readable.from(['piped']) });
    expect(result.stdout).toBe('piped');
  });

  it('kills a command past its timeout and says so', async () => {
    const result = await runner.run(node, ['-e', 'setTimeout(() => {}, 60_000)'], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.code).not.toBe(0);
  });

  it('reports a missing program as exit 127 instead of throwing', async () => {
    // On a PATH this user can search: with a folder it may not enter on it (root's PATH, through runuser), the search
    // ends in EACCES instead (still exit 127).
    const result = await runner.run('no-such-program-llmops', [], { env: { PATH: dirname(node) } });
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('ENOENT');
  });

  it('finds executables on PATH like a shell, and the last output lines', () => {
    expect(whichOnPath('node', process.env.PATH)).toMatch(/node$/);
    expect(whichOnPath('node', '')).toBeUndefined();
    expect(tail({ code: 1, stdout: 'a\nb\n', stderr: 'c\n\n', timedOut: false }, 2)).toBe('b\nc');
  });
});
