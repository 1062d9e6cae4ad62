import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeOf } from '@llmops-rag/platform';
import type { KubeObject } from '@llmops-rag/contract';
import type { ContextInfo } from '../cluster-kinds.js';
import { IMAGE_ID_ANNOTATION, runDeploy, type DeployOptions } from '../deploy.js';
import { BufferOutput, templateAnnotation, type FakeKube } from '../testing/fakes.js';
import { apiServer, FakeHost } from '../testing/hosts.js';
import { devObjects, makeWorkspace } from '../testing/workspace.js';
import { listReleases } from './store.js';

const ID_V1 = '1'.repeat(64);
const ID_V2 = '2'.repeat(64);
const MINIKUBE: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };
const LABELS = { app: 'rag-api', 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/part-of': 'llmops-rag' };
const CRASH_LOOP = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'api',
      ready: false,
      restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1 } },
    },
  ],
};

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'dev', labels: LABELS },
  data,
});

/** Release 1: the dev objects plus a ConfigMap release 2 no longer has. */
function release1(): KubeObject[] {
  return [...devObjects(), configMap('rag-api-legacy', { LEGACY: 'yes' })];
}

/** Release 2: another LOG_LEVEL, the legacy ConfigMap gone (pruned), a new ConfigMap (created). */
function release2(): KubeObject[] {
  const objects = devObjects().map((o) => (o.kind === 'ConfigMap' ? { ...o, data: { ...(o.data as Record<string, string>), LOG_LEVEL: 'debug' } } : o));
  return [...objects, configMap('rag-api-extra', { EXTRA: 'new' })];
}

/** A minikube host and a cluster whose pods crash-loop for image ID_V2 (`bad`) and become Ready for any other. */
function cluster(options: { failAlways?: boolean } = {}) {
  const host = new FakeHost(MINIKUBE, ['docker', 'kubectl', 'minikube'], ID_V1);
  cleanups.push(() => host.remove());
  const kube = apiServer((deployment) =>
    options.failAlways || templateAnnotation(deployment, IMAGE_ID_ANNOTATION) === `sha256:${ID_V2}` ? CRASH_LOOP : undefined,
  );
  const deploy = async (objects: KubeObject[], id: string, secret: string, extra: Partial<DeployOptions> = {}) => {
    const ws = makeWorkspace(id, objects);
    cleanups.push(() => rmSync(ws, { recursive: true, force: true }));
    host.archiveId = id;
    const out = new BufferOutput();
    const result = await runDeploy(
      { mode: 'minikube', profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot: ws, verify: false, ...extra },
      { runner: host.runner, out, kubeContext: () => host.context, kubeApi: () => kube, env: { OPENAI_API_KEY: secret } },
    );
    return { result, out };
  };
  return { host, kube, deploy };
}

/** What the pods run with, read back from the API server: every value a failed deploy could leave changed. */
async function liveState(kube: FakeKube) {
  const get = (kind: string, name: string) =>
    kube.get({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, name, ...(kind === 'Namespace' ? {} : { namespace: 'dev' }) });
  const deployment = await get('Deployment', 'rag-api');
  return {
    configMap: (await get('ConfigMap', 'rag-api-config'))?.data,
    secret: (await get('Secret', 'rag-api-secrets'))?.data,
    template: (deployment?.spec as { template?: unknown } | undefined)?.template,
    legacy: (await get('ConfigMap', 'rag-api-legacy'))?.data,
    extra: (await get('ConfigMap', 'rag-api-extra'))?.data,
    namespace: (await get('Namespace', 'dev'))?.metadata.annotations,
  };
}

const decoded = (data: unknown) =>
  Object.fromEntries(Object.entries((data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describe('atomic deploy (fake API server with a deployment controller)', () => {
  it('restores ConfigMap, Secret and pod template exactly, re-creates what it pruned, deletes what it created, says so and exits 1', async () => {
    const { kube, deploy } = await cluster();
    const good = await deploy(release1(), ID_V1, 'sk-proj-first-0001');
    expect(good.result.ok, good.out.text).toBe(true);
    expect(good.result.revision).toBe(1);
    const before = await liveState(kube);
    expect(decoded(before.secret)).toEqual({ OPENAI_API_KEY: 'sk-proj-first-0001' });

    const bad = await deploy(release2(), ID_V2, 'sk-proj-second-0002');
    expect(bad.result.ok).toBe(false);
    expect(exitCodeOf(bad.result)).toBe(1);
    expect(bad.result.rolledBackTo).toBe(1);
    expect(bad.result.revision).toBeUndefined();
    // The failed rollout's diagnostics, then the rollback.
    expect(bad.out.text).toContain('✗ rollout failed: pod rag-api-6c9f2-x2x: CrashLoopBackOff');
    expect(bad.out.text).toContain('configmap/rag-api-legacy pruned (no longer synthesized)');
    expect(bad.out.text).toContain('configmap/rag-api-legacy re-created');
    expect(bad.out.text).toContain('configmap/rag-api-extra deleted (this deploy created it)');
    expect(bad.out.text).toMatch(/\nrolled back to revision 1\n/);
    expect(bad.out.text).toMatch(
      /✓ Roll back to revision 1 \.+ +\S+ {2}\d+ restored; re-created configmap\/rag-api-legacy; deleted configmap\/rag-api-extra; Ready again/,
    );

    const after = await liveState(kube);
    expect(after).toEqual(before);
    expect(decoded(after.secret)).toEqual({ OPENAI_API_KEY: 'sk-proj-first-0001' });
    const deployment = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    expect((deployment?.status as { readyReplicas?: number }).readyReplicas).toBe(1);

    const { releases } = await listReleases(kube, 'dev');
    expect(releases.map((r) => [r.revision, r.status])).toEqual([
      [2, 'failed'],
      [1, 'deployed'],
    ]);
    expect(releases[0]?.description).toBe('rollout failed: pod rag-api-6c9f2-x2x: CrashLoopBackOff; rolled back to revision 1');
  });

  it('--no-atomic leaves the failed release in place and records it as failed, superseding the last good one', async () => {
    const { kube, deploy } = await cluster();
    await deploy(release1(), ID_V1, 'sk-proj-first-0001');
    const bad = await deploy(release2(), ID_V2, 'sk-proj-second-0002', { atomic: false });
    expect(bad.result.ok).toBe(false);
    expect(bad.result.rolledBackTo).toBeUndefined();
    expect(bad.out.text).not.toContain('rolled back');
    expect(bad.out.text).toContain('--no-atomic: the cluster is left as the failed deploy made it.');
    expect(bad.out.text).toContain('`npx nx run k8s-manifests:rollback -- --to=1` returns to the last good release.');
    const after = await liveState(kube);
    expect(after.configMap).toMatchObject({ LOG_LEVEL: 'debug' });
    expect(decoded(after.secret)).toEqual({ OPENAI_API_KEY: 'sk-proj-second-0002' });
    expect(
      templateAnnotation({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: after.template } }, IMAGE_ID_ANNOTATION),
    ).toBe(`sha256:${ID_V2}`);
    expect(after.legacy).toBeUndefined();
    expect(after.extra).toEqual({ EXTRA: 'new' });
    const { releases } = await listReleases(kube, 'dev');
    expect(releases.map((r) => [r.revision, r.status, r.description])).toEqual([
      [2, 'failed', 'rollout failed: pod rag-api-6c9f2-x2x: CrashLoopBackOff; left as it failed (--no-atomic)'],
      [1, 'superseded', 'deploy'],
    ]);
  });

  it('a failed first deploy deletes what it created, the namespace it created, and unsets the context namespace again', async () => {
    const { host, kube, deploy } = await cluster({ failAlways: true });
    expect(host.context.namespace).toBeUndefined();
    const bad = await deploy(release1(), ID_V1, 'sk-proj-first-0001');
    expect(bad.result.ok).toBe(false);
    expect(bad.out.text).toContain('▶ Atomic rollback: restoring nothing (a first deploy: what it created is deleted)');
    expect(bad.out.text).toContain(
      'undone: deployment/rag-api, service/rag-api-service, secret/rag-api-secrets, configmap/rag-api-legacy, configmap/rag-api-config, serviceaccount/rag-api deleted; ' +
        'namespace dev deleted (created by the deploy, nothing else in it)',
    );
    expect([...kube.objects.keys()].filter((k) => k.includes('/dev/') || k === 'Namespace//dev')).toEqual([]);
    expect(host.kubeconfig.rawContext('minikube')).not.toHaveProperty('namespace');
  });

  it('a failed first deploy into a namespace it did not create keeps the namespace and says what remains in it', async () => {
    const { kube, deploy } = await cluster({ failAlways: true });
    kube.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }, 'kubectl-create');
    kube.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-notes', namespace: 'dev' }, data: { a: 'b' } }, 'kubectl-create');
    const bad = await deploy(devObjects(), ID_V1, 'sk-proj-first-0001');
    expect(bad.result.ok).toBe(false);
    expect(bad.out.text).toMatch(/undone: deployment\/rag-api, .* deleted\n/);
    kube.collectGarbage(); // the ReplicaSet and pod of the deleted Deployment go with it
    const left = [...kube.objects.keys()].filter((k) => k.includes('/dev/')).sort();
    expect(left).toEqual(['ConfigMap/dev/kube-root-ca.crt', 'ConfigMap/dev/team-notes', 'ServiceAccount/dev/default']);
    // Its labels and annotations are the ones it had: the deploy's record on it is gone again.
    expect((await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' }))?.metadata.annotations).toBeUndefined();
    expect((await listReleases(kube, 'dev')).releases).toEqual([]);
  });

  it('restores from the live objects when the cluster was deployed before releases were recorded', async () => {
    const { kube, deploy } = await cluster();
    await deploy(release1(), ID_V1, 'sk-proj-first-0001');
    // An older deploy kept no history.
    for (const key of [...kube.objects.keys()].filter((k) => k.startsWith('Secret/dev/llmops-rag.release.'))) kube.objects.delete(key);
    const before = await liveState(kube);
    const bad = await deploy(release2(), ID_V2, 'sk-proj-second-0002');
    expect(bad.result.ok).toBe(false);
    expect(bad.result.rolledBackTo).toBeUndefined();
    expect(bad.out.text).toContain('rolled back to the objects live before it (no earlier release recorded)');
    expect(await liveState(kube)).toEqual(before);
  });
});
