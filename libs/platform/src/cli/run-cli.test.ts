import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../workspace-root.js';

const root = workspaceRoot();

/** The fixture command as a real child process: its exit code, stdout and stderr. */
function run(...args: string[]) {
  const fixture = join(import.meta.dirname, '../testing/cli-fixture.ts');
  return spawnSync(join(root, 'node_modules/.bin/tsx'), ['--tsconfig', 'libs/platform/tsconfig.json', fixture, ...args], { cwd: root, encoding: 'utf8' });
}

const lastLine = (text: string) => text.trim().split('\n').pop();

describe('runCli', () => {
  it('ends every run with the outcome line and the matching exit code', () => {
    expect(run()).toMatchObject({ status: 0 });
    expect(lastLine(run().stderr)).toBe('fixture-outcome: ok exit=0');
    const step = run('--fail=step');
    expect([step.status, lastLine(step.stderr)]).toEqual([1, 'fixture-outcome: failed exit=1']);
  });

  it('maps a flag problem to exit 2 with the message and no stack', () => {
    const usage = run('--fail=a', '--fail=b');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--fail is given twice (--fail=a, --fail=b) but takes one value; pass --fail once');
    expect(usage.stderr).not.toMatch(/\n\s+at /);
    expect(lastLine(usage.stderr)).toBe('fixture-outcome: usage exit=2');
  });

  it('maps a RefusedError to exit 3, printing each problem and its fix', () => {
    const refused = run('--fail=refused');
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('fixture refused before changing anything:\n✗ engine: not running\n    fix: start it');
    expect(lastLine(refused.stderr)).toBe('fixture-outcome: refused exit=3');
  });

  it('writes the outcome as JSON to --outcome-file, with the first line of the reason', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outcome-')), 'outcome.json');
    expect(run('--fail=crash', `--outcome-file=${file}`).status).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ command: 'fixture', outcome: 'failed', exitCode: 1, reason: 'boom' });
  });
});
