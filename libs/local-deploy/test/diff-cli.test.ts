import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceRoot } from '@llmops-rag/platform';
import { stubBin } from '@llmops-rag/workspace-tools';
import { afterAll, describe, expect, it } from 'vitest';

// `nx run k8s-manifests:diff` runs src/cmd/diff.ts: here as that process, with a PATH of logging stub tools.
const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'diff-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function kubeconfig(context: string, server: string): string {
  const path = join(mkdtempSync(join(scratch, 'kube-')), 'config');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: '${server}'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: ${context}, context: {cluster: c, user: u}}]\ncurrent-context: ${context}\n`,
  );
  return path;
}

function diff(args: readonly string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, '../src/cmd/diff.ts'), ...args], {
    cwd: workspaceRoot(),
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { ...result, lastStderrLine: result.stderr.trimEnd().split('\n').at(-1) };
}

describe('diff CLI (the process the Nx target runs)', () => {
  it('refuses a shared cluster with exit 3 before reading it, and records the outcome', () => {
    const bin = stubBin(scratch, ['kubectl']);
    const outcomeFile = join(scratch, 'outcome.json');
    const env = { PATH: bin.PATH, HOME: scratch, KUBECONFIG: kubeconfig('prod-eks', 'https://ABC.gr7.ap-southeast-2.eks.amazonaws.com') };
    const result = diff([`--outcome-file=${outcomeFile}`], env);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain('diff refused before changing anything:');
    expect(result.stderr).toContain('✗ kube context: refusing to diff against "prod-eks" (server https://ABC.gr7.ap-southeast-2.eks.amazonaws.com)');
    expect(result.stderr).toContain('pass --allow-context=prod-eks');
    expect(result.stdout).toBe('');
    expect(result.lastStderrLine).toBe('diff-outcome: refused exit=3');
    expect(JSON.parse(readFileSync(outcomeFile, 'utf8'))).toMatchObject({ command: 'diff', outcome: 'refused', exitCode: 3 });
    expect(bin.calls()).toBe('');
  });

  it('prints its flags with --help and rejects a deploy-only flag as usage (exit 2)', () => {
    const help = diff(['--help'], process.env);
    expect(help.status).toBe(0);
    for (const text of ['--allow-context', '--dotenv', '--outcome-file', 'diff-outcome: unchanged exit=0 | changes exit=1'])
      expect(help.stdout).toContain(text);
    const bad = diff(['--skip-build'], process.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--skip-build'");
    expect(bad.lastStderrLine).toBe('diff-outcome: usage exit=2');
  });
});
