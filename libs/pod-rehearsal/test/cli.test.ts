import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceRoot } from '@llmops-rag/platform';
import { stubBin } from '@llmops-rag/workspace-tools';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The rehearse command as the Nx target runs it (a real child process), for
 * what it must decide before Docker is touched: flags and the .env.
 */
const here = dirname(fileURLToPath(import.meta.url));
const workspace = workspaceRoot();
const scratch = mkdtempSync(join(tmpdir(), 'rehearse-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const binDir = (tools: readonly string[]) => stubBin(scratch, tools);

function rehearseCmd(args: readonly string[], PATH: string) {
  const env = { PATH, HOME: scratch, NX_DAEMON: 'false' };
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, '../src/cmd/rehearse.ts'), ...args], {
    cwd: workspace,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { ...result, lastStderrLine: result.stderr.trimEnd().split('\n').at(-1) };
}

describe('rehearse command: refused before Docker is touched', () => {
  it('a repeated flag is a usage error (exit 2)', () => {
    const bin = binDir([]);
    const result = rehearseCmd(['--profile=dev', '--profile=prod'], bin.PATH);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('--profile is given twice (--profile=dev, --profile=prod) but takes one value; pass --profile once');
    expect(result.lastStderrLine).toBe('rehearse-outcome: usage exit=2');
  });

  it('a .env that is a directory refuses (exit 3), like the deploy, before Docker starts', () => {
    const path = join(scratch, 'rehearse-dir.env');
    mkdirSync(path);
    const bin = binDir(['docker']);
    const result = rehearseCmd([`--dotenv=${path}`, `--dir=${scratch}`], bin.PATH);
    expect(result.status, result.stdout + result.stderr).toBe(3);
    expect(result.stderr).toContain(`✗ .env: ${path} is a directory, not a file`);
    expect(result.lastStderrLine).toBe('rehearse-outcome: refused exit=3');
    expect(bin.calls()).toBe('');
  });

  it('warns on stderr for each line it cannot use, with path and line, never the value', () => {
    const secret = 'sk-proj-rehearsal-0123456789SECRET';
    const path = join(scratch, 'warn.env');
    writeFileSync(path, `\uFEFFOPENAI_API_KEY=${secret}\nMY KEY=${secret}\n${secret}\nQ="${secret}\n`);
    const bin = binDir([]);
    const empty = mkdtempSync(join(scratch, 'no-manifests-'));
    const result = rehearseCmd([`--dotenv=${path}`, `--dir=${empty}`], bin.PATH);
    expect(result.stderr).toContain(`⚠ ${path}:2: key "MY KEY" is not a variable name`);
    expect(result.stderr).toContain(`⚠ ${path}:3: not KEY=VALUE (no "="): line ignored`);
    expect(result.stderr).toContain(`⚠ ${path}:4: Q: the value opens a " quote that is never closed`);
    expect(result.stderr).not.toContain(`${path}:1:`);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  });
});
