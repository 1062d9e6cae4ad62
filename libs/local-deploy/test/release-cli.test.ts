import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceRoot } from '@llmops-rag/platform';
import { stubBin } from '@llmops-rag/workspace-tools';
import { afterAll, describe, expect, it } from 'vitest';

/** history and rollback as the processes the Nx targets run, with a PATH of logging stub tools. */
const here = dirname(fileURLToPath(import.meta.url));
const workspace = workspaceRoot();
const scratch = mkdtempSync(join(tmpdir(), 'release-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function kubeconfig(context: string): string {
  const path = join(mkdtempSync(join(scratch, 'kube-')), 'config');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://10.20.0.5:6443'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: ${context}, context: {cluster: c, user: u}}]\ncurrent-context: ${context}\n`,
  );
  return path;
}

function run(script: string, args: readonly string[], PATH: string, KUBECONFIG = join(scratch, 'no-kubeconfig')) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, '../src', script), ...args], {
    cwd: workspace,
    env: { PATH, HOME: scratch, NX_DAEMON: 'false', KUBECONFIG },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { ...result, lastStderrLine: result.stderr.trimEnd().split('\n').at(-1) };
}

describe('history and rollback commands', () => {
  it('print their help (and deploy documents --no-atomic)', () => {
    const bin = stubBin(scratch, ['kubectl']);
    const history = run('cmd/history.ts', ['--help'], bin.PATH);
    expect(history.status, history.stderr).toBe(0);
    for (const text of ['npx nx run k8s-manifests:history', '--allow-context', 'history-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3'])
      expect(history.stdout).toContain(text);
    const rollback = run('cmd/rollback.ts', ['-h'], bin.PATH);
    expect(rollback.status, rollback.stderr).toBe(0);
    for (const text of [
      '--to=<revision>',
      '--allow-context',
      '--no-atomic',
      '--timeout',
      '--dotenv',
      'rollback-outcome: ok exit=0',
      'interrupted exit=130',
      '130/143 stopped by',
    ])
      expect(rollback.stdout).toContain(text);
    const deploy = run('cmd/deploy.ts', ['--help'], bin.PATH);
    expect(deploy.stdout).toContain('--no-atomic');
    expect(deploy.stdout).toContain('"rolled back to revision N"');
  });

  it('rollback --to that is not a revision number is a usage error naming the flag and the value, before anything runs', () => {
    const bin = stubBin(scratch, ['kubectl', 'docker', 'minikube']);
    const result = run('cmd/rollback.ts', ['--to=last'], bin.PATH);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('--to=last: expected a revision number (1, 2, …) as `npx nx run k8s-manifests:history` lists them');
    expect(result.lastStderrLine).toBe('rollback-outcome: usage exit=2');
    expect(bin.calls()).toBe('');
  });

  it('both refuse a context that is not a local cluster (exit 3), naming --allow-context', () => {
    const bin = stubBin(scratch, ['kubectl']);
    const config = kubeconfig('team-ctx');
    const history = run('cmd/history.ts', [], bin.PATH, config);
    expect(history.status, history.stderr).toBe(3);
    expect(history.stderr).toContain('refusing to read the releases of "team-ctx" (server https://10.20.0.5:6443)');
    expect(history.stderr).toContain('--allow-context=team-ctx');
    expect(history.lastStderrLine).toBe('history-outcome: refused exit=3');
    const rollback = run('cmd/rollback.ts', ['--to=2'], bin.PATH, config);
    expect(rollback.status, rollback.stderr).toBe(3);
    expect(rollback.stderr).toContain('refusing to roll back "team-ctx"');
    expect(rollback.lastStderrLine).toBe('rollback-outcome: refused exit=3');
  });

  /** `nx run <target> <args>` as a user types it, with a PATH of stub tools. */
  const nx = (target: string, args: readonly string[], PATH: string, KUBECONFIG = join(scratch, 'no-kubeconfig')) => {
    const result = spawnSync(process.execPath, [join(workspace, 'node_modules/nx/dist/bin/nx.js'), 'run', target, ...args], {
      cwd: workspace,
      env: { PATH, HOME: scratch, KUBECONFIG, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { ...result, output: `${result.stdout}\n${result.stderr}` };
  };

  it('through Nx (k8s-manifests:rollback): the outcome line and file say usage exit=2', () => {
    const bin = stubBin(scratch, ['kubectl']);
    const file = join(scratch, 'nx-rollback.json');
    const result = nx('k8s-manifests:rollback', ['--', '--to=0', `--outcome-file=${file}`], bin.PATH);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/^rollback-outcome: usage exit=2$/m);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      command: 'rollback',
      outcome: 'usage',
      exitCode: 2,
      reason: expect.stringMatching(/^--to=0:/),
    });
  }, 150_000);

  it('nx run k8s-manifests:rollback --allow-context=x -- --to=N: the flags before `--` count too (Nx alone passes only the ones after it)', () => {
    const bin = stubBin(scratch, ['kubectl']);
    const file = join(scratch, 'nx-before-dash.json');
    // A shared context whose API server refuses connections: allowed by the flag, the rollback gets as far as reading the releases.
    const config = kubeconfig('team-ctx');
    writeFileSync(config, readFileSync(config, 'utf8').replace('https://10.20.0.5:6443', 'https://127.0.0.1:1'));
    const result = nx('k8s-manifests:rollback', ['--allow-context=team-ctx', `--outcome-file=${file}`, '--', '--to=2'], bin.PATH, config);
    expect(result.output).toContain(
      `note: nx run passes only the flags after "--"; also using --allow-context=team-ctx --outcome-file=${file} (given before it)`,
    );
    expect(result.output).not.toContain('refusing to roll back');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ command: 'rollback', outcome: 'failed', exitCode: 1 });
    // The same flag before and after `--` is given twice, as without Nx.
    const twice = nx('k8s-manifests:history', ['--allow-context=team-ctx', '--', '--allow-context=other'], bin.PATH, config);
    expect(twice.output).toMatch(/^history-outcome: usage exit=2$/m);
    expect(twice.output).toContain('--allow-context is given twice (--allow-context=team-ctx, --allow-context=other)');
  }, 300_000);
});
