import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextInfo } from './cluster-kinds.js';
import { runDeploy, type DeployOptions } from './deploy.js';
import { PreflightError } from './preflight-error.js';
import { BufferOutput } from './testing/fakes.js';
import { apiServer, FakeHost } from './testing/hosts.js';
import { makeWorkspace } from './testing/workspace.js';

const ID = '1'.repeat(64);
const SECRET = 'sk-proj-from-dotenv-0123456789';
const MINIKUBE_CTX: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((clean) => clean()));

function setup() {
  const ws = makeWorkspace(ID);
  const host = new FakeHost(MINIKUBE_CTX, ['docker', 'kubectl', 'minikube'], ID);
  cleanups.push(
    () => rmSync(ws, { recursive: true, force: true }),
    () => host.remove(),
  );
  const kube = apiServer();
  const out = new BufferOutput();
  const options: DeployOptions = { mode: 'minikube', profile: 'minikube', timeoutMs: 30_000, skipBuild: false, workspaceRoot: ws };
  const deps = { runner: host.runner, kubeContext: () => host.context, kubeApi: () => kube, clock: kube.clock, env: {}, out };
  return { ws, host, kube, out, run: () => runDeploy(options, deps) };
}

describe('the deploy reads .env in preflight, as Node/dotenv do', () => {
  it('finds the key after a BOM and prints a warning per unusable line in preflight, never a value', async () => {
    const { ws, kube, out, run } = setup();
    writeFileSync(join(ws, '.env'), `\uFEFFOPENAI_API_KEY=${SECRET}\nMY KEY=${SECRET}\n${SECRET}\n`);
    const result = await run();
    expect(result.ok, out.text).toBe(true);
    const secret = await kube.get({ apiVersion: 'v1', kind: 'Secret', name: 'rag-api-secrets', namespace: 'dev' });
    expect(Buffer.from((secret?.data as Record<string, string>).OPENAI_API_KEY ?? '', 'base64').toString()).toBe(SECRET);
    expect(out.text).toContain('OPENAI_API_KEY: from .env');
    const envFile = join(ws, '.env');
    const preflight = out.text.slice(0, out.text.indexOf('▶ Build image'));
    expect(preflight).toContain(`  ⚠ ${envFile}:2: key "MY KEY" is not a variable name, so it is never used`);
    expect(preflight).toContain(`  ⚠ ${envFile}:3: not KEY=VALUE (no "="): line ignored`);
    expect(out.text).not.toContain(SECRET);
  });

  it('refuses a .env directory with its path before the image is built', async () => {
    const { ws, host, run } = setup();
    mkdirSync(join(ws, '.env'));
    const promise = run();
    await expect(promise).rejects.toThrow(PreflightError);
    await expect(promise).rejects.toThrow(`✗ .env: ${join(ws, '.env')} is a directory, not a file`);
    expect(host.runner.calls.filter((c) => c.startsWith('nx ') || c.includes('image load'))).toEqual([]);
  });

  it('refuses a dangling .env symlink instead of treating it as absent', async () => {
    const { ws, host, run } = setup();
    symlinkSync('secrets/rag.env', join(ws, '.env'));
    await expect(run()).rejects.toThrow(`✗ .env: ${join(ws, '.env')} is a symbolic link to secrets/rag.env, which does not exist`);
    expect(host.runner.calls.filter((c) => c.startsWith('nx '))).toEqual([]);
  });
});
