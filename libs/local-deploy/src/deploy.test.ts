import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextInfo } from './cluster-kinds.js';
import { IMAGE_ID_ANNOTATION, runDeploy, type DeployOptions } from './deploy.js';
import { PreflightError } from './preflight-error.js';
import { BufferOutput, crashLoopStatus, type FakeKube } from './testing/fakes.js';
import { apiServer, FakeHost } from './testing/hosts.js';
import { makeWorkspace, writeImageArchive } from './testing/workspace.js';

const ID_V1 = '1'.repeat(64);
const ID_V2 = '2'.repeat(64);
const MINIKUBE_CTX: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };
const workspaces: string[] = [];
const hosts: FakeHost[] = [];
afterEach(() => {
  workspaces.splice(0).forEach((w) => rmSync(w, { recursive: true, force: true }));
  hosts.splice(0).forEach((h) => h.remove());
});

/** A minikube that really holds loaded images, behind the fake process boundary; the kubeconfig is a real file changed by real kubectl. */
function minikubeHost(tools = ['docker', 'kubectl', 'minikube']) {
  const host = new FakeHost(MINIKUBE_CTX, tools, ID_V1);
  hosts.push(host);
  return { cluster: host, runner: host.runner, setArchiveId: (id: string) => (host.archiveId = id) };
}

/** The image the applied Deployment's app container names. */
async function appImage(kube: FakeKube): Promise<string | undefined> {
  const deployment = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
  return (deployment?.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers.find((c) => c.name === 'api')
    ?.image;
}

function options(workspaceRoot: string, extra: Partial<DeployOptions> = {}): DeployOptions {
  return { mode: 'minikube', profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot, ...extra };
}

describe('runDeploy (deploy-minikube)', () => {
  it('deploys and verifies, then a second run with no change loads nothing and changes nothing', async () => {
    const ws = makeWorkspace(ID_V1);
    workspaces.push(ws);
    const host = minikubeHost();
    const kube = apiServer();
    const deps = { runner: host.runner, kubeContext: () => host.cluster.context, kubeApi: () => kube, clock: kube.clock, env: {} };

    const first = new BufferOutput();
    const run1 = await runDeploy(options(ws), { ...deps, out: first });
    expect(run1.ok, first.text).toBe(true);
    expect(host.runner.calls).toContain(`minikube -p minikube image load ${join(ws, 'dist/images/llmops-rag-api.tar')}`);
    expect(host.runner.calls).toContain('kubectl config set-context minikube --namespace=dev');
    const detail = (name: string, r = run1) => r.checklist.results.find((x) => x.name === name)?.detail;
    // The Namespace was created just before, to hold the lock in it (the lock step says so).
    expect(first.text).toContain('namespace/dev created first, to hold the lock in it');
    expect(detail('Apply (server-side)')).toBe('6 objects: 5 created, 0 configured, 1 unchanged');
    expect(detail('Secret from environment/.env (in memory)')).toBe('1 key, placeholder for OPENAI_API_KEY');
    expect(first.text).toContain('OPENAI_API_KEY: not set in the environment or .env, using the dev placeholder');
    expect(first.text).toMatch(/✓ GET \/health\/ready \.+ +\S+ {2}\{"status":"ready","checks":\{"api":"ok"\}\}/);
    const deployment = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    expect((deployment?.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations[IMAGE_ID_ANNOTATION]).toBe(
      `sha256:${ID_V1}`,
    );
    expect(await appImage(kube)).toBe('llmops-rag-api:id-111111111111');

    host.runner.calls.length = 0;
    const second = new BufferOutput();
    const run2 = await runDeploy(options(ws), { ...deps, out: second });
    expect(run2.ok, second.text).toBe(true);
    expect(host.runner.calls.some((c) => c.includes('image load'))).toBe(false);
    expect(host.runner.calls.some((c) => c.includes('set-context'))).toBe(false);
    expect(detail('Image in cluster', run2)).toBe('sha256:111111111111 already present');
    expect(detail('Apply (server-side)', run2)).toBe('6 objects: 0 created, 0 configured, 6 unchanged');
    expect(detail('Prune objects no longer synthesized', run2)).toBe('nothing to prune');
    expect(detail('Context default namespace dev', run2)).toBe('already dev');
  });

  it('rolls the pods when a rebuilt image is loaded (same latest tag, new id)', async () => {
    const ws = makeWorkspace(ID_V1);
    workspaces.push(ws);
    const host = minikubeHost();
    const kube = apiServer();
    const deps = { runner: host.runner, kubeContext: () => host.cluster.context, kubeApi: () => kube, clock: kube.clock, env: {}, out: new BufferOutput() };
    await runDeploy(options(ws), deps);
    writeImageArchive(join(ws, 'dist', 'images', 'llmops-rag-api.tar'), ID_V2);
    host.setArchiveId(ID_V2);
    const run = await runDeploy(options(ws), deps);
    expect(run.checklist.results.find((r) => r.name === 'Image in cluster')?.detail).toBe('sha256:222222222222 loaded');
    expect(run.checklist.results.find((r) => r.name === 'Apply (server-side)')?.detail).toBe('6 objects: 0 created, 1 configured, 5 unchanged');
    expect(await appImage(kube)).toBe('llmops-rag-api:id-222222222222');
  });

  it("pins the Deployment to the archive's immutable id tag, and loads unless the cluster holds that tag at the same ID", async () => {
    const ws = makeWorkspace(ID_V1);
    workspaces.push(ws);
    const host = minikubeHost();
    // Loaded before archives carried the id tag: the same image, but only under latest.
    host.cluster.images.set('docker.io/library/llmops-rag-api:latest', ID_V1);
    const kube = apiServer();
    const out = new BufferOutput();
    const deps = { runner: host.runner, kubeContext: () => host.cluster.context, kubeApi: () => kube, clock: kube.clock, env: {}, out };
    const first = await runDeploy(options(ws), deps);
    expect(first.ok, out.text).toBe(true);
    expect(first.checklist.results.find((r) => r.name === 'Image in cluster')?.detail).toBe('sha256:111111111111 loaded');
    expect(out.text).toContain('llmops-rag-api:id-111111111111 was not in the cluster');
    expect(host.cluster.loadedTags).toEqual([['docker.io/library/llmops-rag-api:latest', 'docker.io/library/llmops-rag-api:id-111111111111']]);
    expect(await appImage(kube)).toBe('llmops-rag-api:id-111111111111');

    // latest moved to another build (e.g. a docker load by hand): the id tag the Deployment names is still there.
    host.cluster.images.set('docker.io/library/llmops-rag-api:latest', ID_V2);
    const second = await runDeploy(options(ws), deps);
    expect(second.checklist.results.find((r) => r.name === 'Image in cluster')?.detail).toBe('sha256:111111111111 already present');
    expect(out.text).toContain('llmops-rag-api:id-111111111111 already in the minikube cluster with the same id');
    expect(host.cluster.loadedTags).toHaveLength(1);
  });

  it('keeps latest, and says so, for an archive built before the id tag existed', async () => {
    const ws = makeWorkspace(ID_V1);
    workspaces.push(ws);
    writeImageArchive(join(ws, 'dist', 'images', 'llmops-rag-api.tar'), ID_V1, { idTag: false });
    const host = minikubeHost();
    host.cluster.images.set('docker.io/library/llmops-rag-api:latest', ID_V1);
    const kube = apiServer();
    const out = new BufferOutput();
    const run = await runDeploy(options(ws), {
      runner: host.runner,
      kubeContext: () => host.cluster.context,
      kubeApi: () => kube,
      clock: kube.clock,
      env: {},
      out,
    });
    expect(run.ok, out.text).toBe(true);
    expect(run.checklist.results.find((r) => r.name === 'Image in cluster')?.detail).toBe('sha256:111111111111 already present');
    expect(await appImage(kube)).toBe('llmops-rag-api:latest');
    expect(out.text).toContain(
      'the image archive has no llmops-rag-api:id-… tag (built before it existed): the Deployment keeps llmops-rag-api:latest, so a rollback cannot bring this image back; ' +
        'rebuild: npx nx run rag-api:docker-archive --skip-nx-cache',
    );
  });

  it('takes the secret from .env, applies it, and never prints the value', async () => {
    const ws = makeWorkspace(ID_V1);
    workspaces.push(ws);
    writeFileSync(join(ws, '.env'), 'OPENAI_API_KEY=sk-proj-from-dotenv-0001\n');
    const host = minikubeHost();
    const kube = apiServer();
    const out = new BufferOutput();
    const run = await runDeploy(options(ws), {
      runner: host.runner,
      kubeContext: () => host.cluster.context,
      kubeApi: () => kube,
      clock: kube.clock,
      env: {},
      out,
    });
    expect(run.ok).toBe(true);
    const secret = await kube.get({ apiVersion: 'v1', kind: 'Secret', name: 'rag-api-secrets', namespace: 'dev' });
    expect(Buffer.from((secret?.data as Record<string, string>).OPENAI_API_KEY ?? '', 'base64').toString()).toBe('sk-proj-from-dotenv-0001');
    expect(secret?.stringData).toBeUndefined();
    expect(out.text).toContain('OPENAI_API_KEY: from .env');
    expect(out.text).not.toContain('sk-proj-from-dotenv-0001');
  });

  it('refuses before doing anything slow when minikube is not on PATH', async () => {
    const host = minikubeHost(['docker', 'kubectl']);
    const promise = runDeploy(options('/nonexistent', { skipBuild: false }), {
      runner: host.runner,
      kubeContext: () => MINIKUBE_CTX,
      kubeApi: () => {
        throw new Error('must not reach the cluster');
      },
      env: {},
      out: new BufferOutput(),
    });
    await expect(promise).rejects.toThrow(PreflightError);
    await expect(promise).rejects.toThrow('minikube: not found on PATH\n    fix: install minikube: https://minikube.sigs.k8s.io/docs/start/');
    expect(host.runner.calls).toEqual([]);
  });

  it('refuses a shared context without building, loading or applying', async () => {
    const host = minikubeHost();
    const eks: ContextInfo = { name: 'prod-eks', cluster: 'prod', server: 'https://ABC.eks.amazonaws.com' };
    await expect(
      runDeploy(options('/nonexistent', { skipBuild: false }), {
        runner: host.runner,
        kubeContext: () => eks,
        kubeApi: () => {
          throw new Error('must not reach the cluster');
        },
        env: {},
        out: new BufferOutput(),
      }),
    ).rejects.toThrow(/refusing to deploy to "prod-eks"[\s\S]*--allow-context=prod-eks/);
    expect(host.runner.calls.filter((c) => /nx|image load|set-context/.test(c))).toEqual([]);
  });

  it('runs the Nx build and synth targets unless --skip-build, reporting a cache hit', async () => {
    const ws = makeWorkspace(ID_V1);
    workspaces.push(ws);
    const host = minikubeHost();
    const kube = apiServer();
    const run = await runDeploy(options(ws, { skipBuild: false }), {
      runner: host.runner,
      kubeContext: () => host.cluster.context,
      kubeApi: () => kube,
      clock: kube.clock,
      env: { PATH: '/usr/bin' },
      out: new BufferOutput(),
    });
    expect(host.runner.calls.filter((c) => c.startsWith('nx '))).toEqual([
      'nx run rag-api:docker --outputStyle=stream',
      'nx run k8s-manifests:synth --outputStyle=stream',
    ]);
    expect(run.checklist.results.find((r) => r.name.startsWith('Build image'))?.detail).toBe('from Nx cache');
  });

  it('prints the diagnostics and a ✗ rollout when the pod cannot start', async () => {
    const ws = makeWorkspace(ID_V1);
    workspaces.push(ws);
    const host = minikubeHost();
    const kube = apiServer(crashLoopStatus());
    kube.logText = 'ConfigError: invalid environment\n  AWS_REGION: is not an AWS region code';
    const out = new BufferOutput();
    const run = await runDeploy(options(ws), {
      runner: host.runner,
      kubeContext: () => host.cluster.context,
      kubeApi: () => kube,
      clock: kube.clock,
      env: {},
      out,
    });
    expect(run.ok).toBe(false);
    expect(out.text).toContain('✗ rollout failed: pod rag-api-6c9f-x2x: CrashLoopBackOff');
    expect(out.text).toContain('Last log lines of rag-api-6c9f-x2x (previous, crashed container):\n  ConfigError: invalid environment');
    expect(out.text).toContain('→ the app exits at startup');
    expect(out.text).toMatch(/✗ Rollout of deployment\/rag-api \.+/);
    expect(run.checklist.results.some((r) => r.name.startsWith('GET'))).toBe(false);
  });
});
