import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const workspace = resolve(here, '../../../..');
const bin = mkdtempSync(join(tmpdir(), 'deploy-cli-bin-'));
const calls = join(bin, 'calls.log');
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** PATH with node, a stub docker and a stub kubectl (each logs its call), and no minikube. */
function pathWithoutMinikube(): string {
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const tool of ['docker', 'kubectl']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${calls}"\nexit 0\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  return bin;
}

function runCli(script: string, args: string[], env: NodeJS.ProcessEnv) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'cli', script), ...args], { cwd: workspace, env, encoding: 'utf8', timeout: 30_000 });
  return { ...result, ms: performance.now() - started };
}

describe('deploy CLI (the process the Nx target runs)', () => {
  it('fails fast with the install hint when minikube is not on PATH, before running anything', () => {
    const PATH = pathWithoutMinikube();
    const result = runCli('deploy.ts', ['--cluster=minikube'], { PATH, HOME: process.env.HOME ?? tmpdir(), NX_DAEMON: 'false' });
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain('deploy refused before changing anything:');
    expect(result.stderr).toContain('✗ minikube: not found on PATH');
    expect(result.stderr).toContain('fix: install minikube: https://minikube.sigs.k8s.io/docs/start/');
    expect(result.stderr).not.toContain('docker: not found');
    expect(result.ms).toBeLessThan(5000);
    expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '').toBe('');
  });

  it('prints its flags with --help and rejects unknown ones', () => {
    const help = runCli('deploy.ts', ['--help'], process.env);
    expect(help.status).toBe(0);
    for (const flag of ['--profile', '--allow-context', '--timeout', '--skip-build', '--help']) expect(help.stdout).toContain(flag);
    const bad = runCli('deploy.ts', ['--frobnicate'], process.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--frobnicate'");
    const teardown = runCli('teardown.ts', ['--help'], process.env);
    expect(teardown.status).toBe(0);
    expect(teardown.stdout).toContain('--allow-context');
  });
});
