import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { whichOnPath, workspaceRoot } from '@llmops-rag/platform';
import { stubBin } from '@llmops-rag/workspace-tools';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const workspace = workspaceRoot();
const scratch = mkdtempSync(join(tmpdir(), 'deploy-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const binDir = (tools: readonly string[]) => stubBin(scratch, tools);

/** A kubeconfig whose current context is not a recognised local cluster; its server refuses connections. */
function kubeconfig(context: string): string {
  const path = join(mkdtempSync(join(scratch, 'kube-')), 'config');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: ${context}, context: {cluster: c, user: u}}]\ncurrent-context: ${context}\n`,
  );
  return path;
}

function run(script: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, '../src', script), ...args], {
    cwd: workspace,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lastStderrLine = result.stderr.trimEnd().split('\n').at(-1);
  return { ...result, ms: performance.now() - started, lastStderrLine };
}

const baseEnv = (PATH: string): NodeJS.ProcessEnv => ({ PATH, HOME: scratch, NX_DAEMON: 'false', KUBECONFIG: join(scratch, 'no-kubeconfig') });

describe('deploy CLI (the process the Nx target runs)', () => {
  it('fails fast with the install hint when minikube is not on PATH, before running anything', () => {
    const bin = binDir(['docker', 'kubectl']);
    const result = run('cmd/deploy.ts', ['--cluster=minikube'], baseEnv(bin.PATH));
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain('deploy refused before changing anything:');
    expect(result.stderr).toContain('✗ minikube: not found on PATH');
    expect(result.stderr).toContain('fix: install minikube: https://minikube.sigs.k8s.io/docs/start/');
    expect(result.stderr).not.toContain('docker: not found');
    expect(result.lastStderrLine).toBe('deploy-outcome: refused exit=3');
    // Fast means "refused at once", not after a rollout timeout (180 s): tsx alone can take 5 s on a loaded 2-core VM.
    expect(result.ms).toBeLessThan(20_000);
    expect(bin.calls()).toBe('');
  });

  it('prints its flags with --help and rejects unknown ones', () => {
    const help = run('cmd/deploy.ts', ['--help'], process.env);
    expect(help.status).toBe(0);
    for (const flag of [
      '--profile',
      '--allow-context',
      '--timeout',
      '--skip-build',
      '--dotenv',
      '--outcome-file',
      '--help',
      'deploy-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3 | locked exit=3 | interrupted exit=130',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const bad = run('cmd/deploy.ts', ['--frobnicate'], process.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--frobnicate'");
    expect(bad.lastStderrLine).toBe('deploy-outcome: usage exit=2');
    const teardown = run('cmd/teardown.ts', ['--help'], process.env);
    expect(teardown.status).toBe(0);
    expect(teardown.stdout).toContain('--allow-context');
    expect(teardown.stdout).toContain('teardown-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3');
  });
});

describe('flags: a repeated or empty flag is a usage error (exit 2), before anything runs', () => {
  it('refuses a second --cluster (deploy-minikube -- --cluster=local) and names the target to run instead', () => {
    const bin = binDir(['docker', 'kubectl', 'minikube']);
    const result = run('cmd/deploy.ts', ['--cluster=minikube', '--cluster=local'], baseEnv(bin.PATH));
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('--cluster is given twice (--cluster=minikube, --cluster=local) but takes one value');
    expect(result.stderr).toContain('run the target you mean (npx nx run k8s-manifests:deploy-local) instead of adding --cluster');
    expect(result.lastStderrLine).toBe('deploy-outcome: usage exit=2');
    expect(bin.calls()).toBe('');
  });

  it('refuses any other repeated flag that takes a value', () => {
    const bin = binDir(['docker', 'kubectl', 'minikube']);
    const result = run('cmd/deploy.ts', ['--cluster=minikube', '--timeout=60', '--timeout', '3m'], baseEnv(bin.PATH));
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('--timeout is given twice (--timeout=60, --timeout=3m) but takes one value; pass --timeout once');
    expect(bin.calls()).toBe('');
  });

  it('refuses an empty --allow-context on deploy and on teardown (it used to mean "not given")', () => {
    const bin = binDir(['docker', 'kubectl', 'minikube']);
    for (const [script, verb] of [
      ['cmd/deploy.ts', 'deploy'],
      ['cmd/teardown.ts', 'teardown'],
    ] as const) {
      const result = run(script, ['--allow-context='], baseEnv(bin.PATH));
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        '--allow-context is empty; it needs the exact name of the context to allow: --allow-context="$(kubectl config current-context)", or leave the flag out',
      );
      expect(result.lastStderrLine).toBe(`${verb}-outcome: usage exit=2`);
    }
    expect(bin.calls()).toBe('');
  });

  it('writes the outcome as JSON to --outcome-file, even for a usage error', () => {
    const bin = binDir(['docker', 'kubectl', 'minikube']);
    const file = join(scratch, 'usage-outcome.json');
    const result = run('cmd/deploy.ts', ['--allow-context=', `--outcome-file=${file}`], baseEnv(bin.PATH));
    expect(result.status).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      command: 'deploy',
      outcome: 'usage',
      exitCode: 2,
      reason: expect.stringMatching(/^--allow-context is empty;/),
    });
    const missingFolder = run('cmd/deploy.ts', [`--outcome-file=${join(scratch, 'no-such-dir', 'o.json')}`], baseEnv(bin.PATH));
    expect(missingFolder.status).toBe(2);
    expect(missingFolder.stderr).toContain(`the folder ${join(scratch, 'no-such-dir')} does not exist`);
  });
});

describe('through Nx, where every failure is exit 1, the outcome line and file still say which', () => {
  const nx = (target: string, args: readonly string[], PATH: string) =>
    spawnSync(process.execPath, [join(workspace, 'node_modules/nx/dist/bin/nx.js'), 'run', target, '--', ...args], {
      cwd: workspace,
      env: { ...baseEnv(PATH), NX_TUI: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true' },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('deploy-minikube -- --cluster=local: Nx exits 1, the output says usage exit=2', () => {
    const bin = binDir(['docker', 'kubectl', 'minikube']);
    const file = join(scratch, 'nx-usage.json');
    const result = nx('k8s-manifests:deploy-minikube', ['--cluster=local', `--outcome-file=${file}`], bin.PATH);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/^deploy-outcome: usage exit=2$/m);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ command: 'deploy', outcome: 'usage', exitCode: 2 });
    expect(bin.calls()).toBe('');
  }, 150_000);

  it('deploy-minikube without minikube on PATH: Nx exits 1, the output says refused exit=3', () => {
    const bin = binDir(['docker', 'kubectl']);
    const file = join(scratch, 'nx-refused.json');
    const result = nx('k8s-manifests:deploy-minikube', [`--outcome-file=${file}`], bin.PATH);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/^deploy-outcome: refused exit=3$/m);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ command: 'deploy', outcome: 'refused', exitCode: 3, reason: 'minikube: not found on PATH' });
  }, 150_000);
});

describe('.env is checked in preflight: a file that cannot be used refuses (exit 3) with its path, before anything is built', () => {
  const deployWith = (envFile: string) => {
    const bin = binDir(['kubectl']);
    const env = { ...baseEnv(bin.PATH), KUBECONFIG: kubeconfig('team-ctx') };
    const result = run('cmd/deploy.ts', ['--cluster=local', '--skip-build', '--allow-context=team-ctx', `--dotenv=${envFile}`], env);
    return { ...result, calls: bin.calls() };
  };

  it('a directory', () => {
    const path = join(scratch, 'dir.env');
    mkdirSync(path);
    const result = deployWith(path);
    expect(result.status, result.stdout + result.stderr).toBe(3);
    expect(result.stderr).toContain(`✗ .env: ${path} is a directory, not a file`);
    expect(result.stderr).not.toContain('EISDIR');
    expect(result.lastStderrLine).toBe('deploy-outcome: refused exit=3');
    expect(result.stdout).not.toContain('▶ Manifests');
    expect(result.calls).toBe('');
  });

  it('a FIFO: refused at once, never opened (opening it would hang)', () => {
    const path = join(scratch, 'fifo.env');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const result = deployWith(path);
    expect(result.error, 'the deploy hung on the FIFO').toBeUndefined();
    expect(result.status, result.stdout + result.stderr).toBe(3);
    expect(result.stderr).toContain(`✗ .env: ${path} is a named pipe (FIFO), not a regular file (not opened: reading it could block)`);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('a dangling symlink: names the link and its target (it used to count as no .env)', () => {
    const path = join(scratch, 'dangling.env');
    symlinkSync('../vault/rag.env', path);
    const result = deployWith(path);
    expect(result.status, result.stdout + result.stderr).toBe(3);
    expect(result.stderr).toContain(`✗ .env: ${path} is a symbolic link to ../vault/rag.env, which does not exist`);
    expect(result.stderr).toContain(`fix: create ${resolve(scratch, '../vault/rag.env')}, or remove the link (rm ${path})`);
  });
});

describe('Ctrl-C during a deploy (the real command, in its own process group as a terminal runs it)', () => {
  it('in preflight, while `docker info` has not answered: stops, says nothing was changed, exit 130 with the outcome line', async () => {
    const bin = binDir(['kubectl', 'minikube']);
    // A Docker engine that takes its time to answer: the Ctrl-C comes while the deploy waits for it.
    // (sleep by its full path: the PATH holds only the stubs.)
    writeFileSync(join(bin.PATH, 'docker'), `#!/bin/sh\necho "docker $*" >> "${join(bin.PATH, 'calls.log')}"\nexec ${whichOnPath('sleep')} 30\n`);
    chmodSync(join(bin.PATH, 'docker'), 0o755);
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, '../src/cmd/deploy.ts'), '--cluster=minikube'], {
      cwd: workspace,
      env: baseEnv(bin.PATH),
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for (let i = 0; i < 300 && !bin.calls().includes('docker info'); i++) await sleep(100);
    process.kill(-(child.pid as number), 'SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stdout + stderr).toBe(130);
    expect(stdout).toContain('■ interrupted by SIGINT before anything was changed in the cluster: nothing to restore');
    expect(stdout).toMatch(/✗ Stopped by SIGINT \.+ +\S+ {2}before the first change: nothing to restore/);
    expect(stdout).not.toContain('refused');
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('deploy-outcome: interrupted exit=130');
    expect(bin.calls()).not.toContain('minikube');
  }, 60_000);
});
