import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@llmops-rag/contract';
import { CONTROLLER_TIMING, withDeploymentController } from './deployment-controller.js';
import { KubeApiError } from '../kube.js';
import { appDeployment, crashLoopStatus, FakeKube, pod, templateAnnotation } from './fakes.js';

const cm = (annotations: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'dev', annotations } });
const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'dev' };

/** The fake API server is trusted by the deploy tests only as far as it behaves like a real one. */
describe('FakeKube (server-side apply as the API server does it)', () => {
  it('removes a field its manager stops sending, keeps fields other managers own, and moves resourceVersion only on change', async () => {
    const kube = new FakeKube();
    const first = await kube.apply(cm({ a: '1', b: '2' }), 'deploy');
    expect((await kube.apply(cm({ a: '1', b: '2' }), 'deploy')).metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    await kube.apply(cm({ c: '3' }), 'kubectl');
    await kube.apply(cm({ a: '1' }), 'deploy');
    const live = await kube.get(ref);
    expect(live?.metadata.annotations).toEqual({ a: '1', c: '3' });
    expect(live?.metadata.managedFields?.map((f) => f.manager)).toEqual(['deploy', 'kubectl']);
  });

  it('creates what the controllers put into a new namespace, and deleting the namespace deletes everything in it', async () => {
    const kube = new FakeKube();
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }, 'deploy');
    await kube.apply(cm({}), 'someone');
    expect((await kube.listNamespace('dev')).objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/default',
      'ConfigMap/kube-root-ca.crt',
      'ConfigMap/c',
    ]);
    await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' });
    expect((await kube.listNamespace('dev')).objects).toEqual([]);
  });

  it("leaves an owner's dependents terminating until garbage collection", async () => {
    const kube = new FakeKube();
    const owner = await kube.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'dev' } }, 'deploy');
    kube.put(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'd-1', namespace: 'dev', ownerReferences: [{ kind: 'Deployment', name: 'd', uid: owner.metadata.uid }] },
      },
      'kube-controller-manager',
    );
    await kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', namespace: 'dev' });
    expect((await kube.get({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'd-1', namespace: 'dev' }))?.metadata.deletionTimestamp).toBeDefined();
    kube.collectGarbage();
    expect(await kube.get({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'd-1', namespace: 'dev' })).toBeUndefined();
  });

  it('a dry-run apply returns the merged result (the fields the manager dropped removed) and stores nothing', async () => {
    const kube = new FakeKube();
    const stored = await kube.apply(cm({ a: '1', b: '2' }), 'deploy');
    await kube.apply(cm({ c: '3' }), 'kubectl');
    const result = await kube.apply(cm({ a: '9' }), 'deploy', { dryRun: true });
    expect(result.metadata.annotations).toEqual({ a: '9', c: '3' });
    expect((await kube.get(ref))?.metadata.annotations).toEqual({ a: '1', b: '2', c: '3' });
    expect((await kube.get(ref))?.metadata.resourceVersion).not.toBe(stored.metadata.resourceVersion); // kubectl's apply moved it
    const again = await kube.apply(cm({ a: '1', b: '2' }), 'deploy');
    expect(again.metadata.annotations).toEqual({ a: '1', b: '2', c: '3' }); // ownership was not changed by the dry run
    expect(kube.dryRuns).toEqual(['ConfigMap/c']);
  });

  it("follows a running pod's log from now on, and the stream ends when the pod is deleted", async () => {
    const kube = new FakeKube();
    kube.put(pod('p'), 'kubelet');
    kube.logText = 'old 1\nold 2\n';
    const lines: string[] = [];
    const follow = await kube.followLogs('dev', 'p', 'api', (line) => lines.push(line), { tailLines: 1 });
    kube.emitLog('dev', 'p', 'new');
    await kube.delete({ apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'dev' });
    await follow.done;
    kube.emitLog('dev', 'p', 'after');
    expect(lines).toEqual(['old 2', 'new']);
    await expect(kube.followLogs('dev', 'p', 'api', () => undefined)).rejects.toThrow('pods "p" not found');
  });
});

const deployment = appDeployment;
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' };
const { lagMs, startMs, graceMs } = CONTROLLER_TIMING;

/** Version 2 crash-loops, any other is Ready. */
function cluster() {
  return withDeploymentController(new FakeKube(), (d) => (templateAnnotation(d, 'version') === '2' ? crashLoopStatus() : undefined));
}
async function state(kube: FakeKube) {
  const d = await kube.get(DEPLOYMENT);
  const status = d?.status as { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number } | undefined;
  const rss = await kube.list('apps/v1', 'ReplicaSet', 'dev');
  const pods = await kube.list('v1', 'Pod', 'dev');
  return {
    generation: d?.metadata.generation,
    observed: status?.observedGeneration,
    revision: d?.metadata.annotations?.['deployment.kubernetes.io/revision'],
    counts: status ? [status.replicas, status.updatedReplicas, status.availableReplicas] : undefined,
    replicaSets: rss.map(
      (rs) => `${rs.metadata.name} r${rs.metadata.annotations?.['deployment.kubernetes.io/revision']} x${(rs.spec as { replicas: number }).replicas}`,
    ),
    pods: pods.map((p) => {
      const c = (p.status as { containerStatuses: { ready: boolean; state: { waiting?: { reason: string } } }[] }).containerStatuses[0];
      return `${p.metadata.name} ${c?.state.waiting?.reason ?? 'Running'}${c?.ready ? ' Ready' : ''}${p.metadata.deletionTimestamp ? ' terminating' : ''}`;
    }),
  };
}

describe('the fake deployment controller (asynchronous, as the real one)', () => {
  it('acts after the apply returned: observedGeneration lags, then a ReplicaSet and a creating pod, then Ready', async () => {
    const kube = cluster();
    await kube.apply(deployment('1'), 'deploy');
    expect(await state(kube)).toMatchObject({ generation: 1, observed: undefined, replicaSets: [], pods: [] });
    await kube.clock.sleep(lagMs);
    expect(await state(kube)).toMatchObject({
      observed: 1,
      revision: '1',
      counts: [1, 1, 0],
      replicaSets: ['rag-api-6c9f r1 x1'],
      pods: ['rag-api-6c9f-x2x ContainerCreating'],
    });
    await kube.clock.sleep(startMs + lagMs);
    expect(await state(kube)).toMatchObject({ counts: [1, 1, 1], pods: ['rag-api-6c9f-x2x Running Ready'] });
  });

  it('with readyWhileTerminatingMs, a terminating pod stays Ready that long (its readiness probe has not seen the drain yet), then not Ready until it goes', async () => {
    const kube = withDeploymentController(new FakeKube(), undefined, { readyWhileTerminatingMs: 1000 });
    await kube.apply(deployment('1'), 'deploy');
    await kube.clock.sleep(10_000);
    await kube.apply(deployment('3'), 'deploy');
    await kube.clock.sleep(lagMs + startMs + lagMs);
    expect((await state(kube)).pods).toEqual(['rag-api-6c9f-x2x Running Ready terminating', 'rag-api-6c9f2-x2x Running Ready']);
    await kube.clock.sleep(1000);
    expect((await state(kube)).pods).toEqual(['rag-api-6c9f-x2x Running terminating', 'rag-api-6c9f2-x2x Running Ready']);
    await kube.clock.sleep(graceMs);
    expect((await state(kube)).pods).toEqual(['rag-api-6c9f2-x2x Running Ready']);
  });

  it('keeps the old pod until the new one is Ready, then it lingers terminating (not Ready) for its grace period before it goes', async () => {
    const kube = cluster();
    await kube.apply(deployment('1'), 'deploy');
    await kube.clock.sleep(10_000);
    await kube.apply(deployment('3'), 'deploy');
    await kube.clock.sleep(lagMs);
    expect((await state(kube)).pods).toEqual(['rag-api-6c9f-x2x Running Ready', 'rag-api-6c9f2-x2x ContainerCreating']);
    await kube.clock.sleep(startMs + lagMs);
    expect(await state(kube)).toMatchObject({
      counts: [1, 1, 1],
      replicaSets: ['rag-api-6c9f r1 x0', 'rag-api-6c9f2 r2 x1'],
      pods: ['rag-api-6c9f-x2x Running terminating', 'rag-api-6c9f2-x2x Running Ready'],
    });
    await kube.clock.sleep(graceMs);
    expect((await state(kube)).pods).toEqual(['rag-api-6c9f2-x2x Running Ready']);
  });

  it("a restored template scales its old ReplicaSet back up (next revision); the failed ReplicaSet's pod stays, not terminating, until the controller acts", async () => {
    const kube = cluster();
    await kube.apply(deployment('1'), 'deploy');
    await kube.clock.sleep(10_000);
    await kube.apply(deployment('2'), 'deploy');
    await kube.clock.sleep(10_000);
    expect((await state(kube)).pods).toEqual(['rag-api-6c9f-x2x Running Ready', 'rag-api-6c9f2-x2x CrashLoopBackOff']);
    await kube.apply(deployment('1'), 'deploy');
    // Right after the apply: a new generation not observed yet, the crash-looping pod listed as before.
    expect(await state(kube)).toMatchObject({
      generation: 3,
      observed: 2,
      revision: '2',
      pods: ['rag-api-6c9f-x2x Running Ready', 'rag-api-6c9f2-x2x CrashLoopBackOff'],
    });
    await kube.clock.sleep(lagMs);
    expect(await state(kube)).toMatchObject({
      observed: 3,
      revision: '3',
      counts: [1, 1, 1],
      replicaSets: ['rag-api-6c9f r3 x1', 'rag-api-6c9f2 r2 x0'],
      pods: ['rag-api-6c9f-x2x Running Ready', 'rag-api-6c9f2-x2x CrashLoopBackOff terminating'],
    });
  });

  it('does not move resourceVersion when nothing changed (a status it writes again is no update)', async () => {
    const kube = cluster();
    await kube.apply(deployment('1'), 'deploy');
    await kube.clock.sleep(10_000);
    const before = (await kube.get(DEPLOYMENT))?.metadata.resourceVersion;
    await kube.apply(deployment('1'), 'deploy');
    await kube.clock.sleep(10_000);
    expect((await kube.get(DEPLOYMENT))?.metadata.resourceVersion).toBe(before);
  });
});

describe('FakeKube requests that hang, on a virtual clock', () => {
  it('holds matching requests until resumed, then answers with what is stored then; others answer', async () => {
    const kube = new FakeKube();
    const resume = kube.hang({ kinds: ['ConfigMap'] });
    let answered: KubeObject | undefined;
    const held = kube.get(ref).then((o) => (answered = o));
    kube.put(cm({ b: '2' }));
    const applying = kube.apply(cm({ a: '1' }), 'deploy'); // an apply of a ConfigMap hangs too…
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' })).toBeUndefined(); // …a Namespace does not
    await new Promise((r) => setImmediate(r));
    expect(answered).toBeUndefined();
    resume();
    await held;
    expect(answered?.metadata.annotations).toEqual({ b: '2' }); // served in arrival order, each with what is stored when served
    expect((await applying).metadata.annotations).toEqual({ a: '1', b: '2' });
  }, 2000);

  it('resumes at a time of its clock; time moves only while someone sleeps, and an answer wins over a timer', async () => {
    const kube = new FakeKube();
    kube.hang({}, 45_000);
    const held = kube.list('v1', 'Pod', 'dev');
    await new Promise((r) => setImmediate(r));
    expect(kube.clock.now()).toBe(0);
    await kube.clock.sleep(10_000);
    expect(kube.clock.now()).toBe(10_000);
    await kube.clock.sleep(40_000);
    await expect(held).resolves.toEqual([]);
    const stop = new AbortController();
    const raced = await Promise.race([kube.list('v1', 'Pod', 'dev').then(() => 'answer'), kube.clock.sleep(1000, stop.signal).then(() => 'timer')]);
    stop.abort();
    expect(raced).toBe('answer');
    expect(kube.clock.now()).toBe(50_000);
  });
});

describe('FakeKube (create, replace and deletes as the API server does them)', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } };
  const lease = (holderIdentity: string, resourceVersion?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'op', namespace: 'dev', ...(resourceVersion ? { resourceVersion } : {}) },
    spec: { holderIdentity, leaseDurationSeconds: 30 },
  });
  const leaseRef = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'op', namespace: 'dev' };

  it('create refuses a name that exists (409 AlreadyExists) and a namespace that does not (404); Leases are stored like any object', async () => {
    const kube = new FakeKube();
    await expect(kube.create(lease('a'), 'lock')).rejects.toMatchObject({ code: 404, reason: 'NotFound', message: 'namespaces "dev" not found' });
    await kube.apply(ns, 'deploy');
    const created = await kube.create(lease('a'), 'lock');
    expect(created.metadata.uid).toBeDefined();
    await expect(kube.create(lease('b'), 'lock')).rejects.toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'leases.coordination.k8s.io "op" already exists',
    });
    expect((await kube.get(leaseRef))?.spec).toEqual({ holderIdentity: 'a', leaseDurationSeconds: 30 });
    expect((await kube.list('coordination.k8s.io/v1', 'Lease', 'dev')).map((l) => l.metadata.name)).toEqual(['op']);
    expect((await kube.get(leaseRef))?.metadata.managedFields?.map((f) => f.manager)).toEqual(['lock']);
  });

  it('replace with a stale resourceVersion is a 409 Conflict (optimistic concurrency); with the current one it moves it on', async () => {
    const kube = new FakeKube();
    await kube.apply(ns, 'deploy');
    const first = await kube.create(lease('a'), 'lock');
    const second = await kube.replace(lease('b', first.metadata.resourceVersion), 'lock');
    expect(second.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);
    expect(second.metadata.uid).toBe(first.metadata.uid);
    await expect(kube.replace(lease('c', first.metadata.resourceVersion), 'lock')).rejects.toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: expect.stringContaining('Operation cannot be fulfilled on leases.coordination.k8s.io "op": the object has been modified'),
    });
    await expect(kube.delete(leaseRef, { resourceVersion: first.metadata.resourceVersion })).rejects.toMatchObject({ code: 409 });
    expect((await kube.get(leaseRef))?.spec).toMatchObject({ holderIdentity: 'b' });
    expect(await kube.delete(leaseRef, { resourceVersion: second.metadata.resourceVersion })).toBe(true);
    await expect(kube.replace(lease('d'), 'lock')).rejects.toMatchObject({ code: 404 });
  });

  it('a Deployment deleted in the foreground stays listed, with a deletionTimestamp, until its dependents are gone', async () => {
    const kube = new FakeKube();
    const owner = await kube.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'dev' } }, 'deploy');
    kube.put(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'd-1', namespace: 'dev', ownerReferences: [{ kind: 'Deployment', name: 'd', uid: owner.metadata.uid }] },
      },
      'kube-controller-manager',
    );
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', namespace: 'dev' };
    expect(await kube.delete(ref)).toBe(true);
    const terminating = await kube.get(ref);
    expect(terminating?.metadata.deletionTimestamp).toBeDefined();
    expect(terminating?.metadata.finalizers).toEqual(['foregroundDeletion']);
    // An apply does not bring it back.
    await kube.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'dev', labels: { a: 'b' } } }, 'deploy');
    expect((await kube.get(ref))?.metadata.deletionTimestamp).toBeDefined();
    kube.collectGarbage();
    expect(await kube.get(ref)).toBeUndefined();
    // Without dependents, a delete is immediate.
    await kube.apply(cm({}), 'deploy');
    await kube.delete(ref);
    await kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'dev' });
    expect(await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'dev' })).toBeUndefined();
  });

  it('with legacyServiceAccountTokens (before 1.24), every ServiceAccount gets a token Secret that goes with it', async () => {
    const kube = new FakeKube();
    kube.legacyServiceAccountTokens = true;
    await kube.apply(ns, 'deploy');
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: 'dev' } }, 'deploy');
    const tokens = () => kube.list('v1', 'Secret', 'dev').then((s) => s.map((x) => [x.metadata.name.replace(/-[0-9a-z]{5}$/, '-*'), x.type]));
    expect(await tokens()).toEqual([
      ['default-token-*', 'kubernetes.io/service-account-token'],
      ['app-token-*', 'kubernetes.io/service-account-token'],
    ]);
    await kube.delete({ apiVersion: 'v1', kind: 'ServiceAccount', name: 'app', namespace: 'dev' });
    expect(await tokens()).toEqual([['default-token-*', 'kubernetes.io/service-account-token']]);
  });
});

describe('FakeKube metrics API (metrics.k8s.io, what `kubectl top` reads)', () => {
  const top = (kube: FakeKube) => kube.list('metrics.k8s.io/v1beta1', 'PodMetrics', 'dev', 'app=rag-api');

  it('absent: a list rejects as a real API server does for a group nobody serves (404, its plain-text page)', async () => {
    const kube = new FakeKube();
    kube.put(pod('p'), 'kubelet');
    const error = await top(kube).catch((e: unknown) => e);
    // The same KubeApiError kube-client makes of the real answer (pinned in kube-client.test.ts).
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ code: 404, message: '404 page not found' });
    kube.metricsApi = 'unavailable';
    expect(await top(kube).catch((e: unknown) => e)).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
  });

  it('served: a Running pod appears only after its first sample, with each container in metrics-server units; a Pending one never', async () => {
    const kube = new FakeKube();
    kube.metricsApi = 'served';
    kube.metricsFirstSampleAfterLists = 2;
    kube.put(pod('p'), 'kubelet');
    kube.put(pod('q', { phase: 'Pending', containerStatuses: [] }), 'kubelet');
    expect(await top(kube)).toEqual([]);
    expect(await top(kube)).toEqual([]);
    const [sample, ...rest] = await top(kube);
    expect(rest).toEqual([]);
    expect(sample).toMatchObject({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: 'p', namespace: 'dev', labels: { app: 'rag-api' } },
      window: '15.04s',
      containers: [{ name: 'api', usage: { cpu: '2315543n', memory: '49152Ki' } }],
    });
  });

  it("a pod the deployment controller creates carries its template's container requests and limits", async () => {
    const kube = withDeploymentController(new FakeKube());
    const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
    await kube.apply(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'rag-api', namespace: 'dev' },
        spec: { template: { metadata: { labels: { app: 'rag-api' } }, spec: { containers: [{ name: 'api', image: 'x', resources }] } } },
      },
      'deploy',
    );
    await kube.clock.sleep(CONTROLLER_TIMING.lagMs);
    const [created] = await kube.list('v1', 'Pod', 'dev');
    expect((created?.spec as { containers: { resources?: unknown }[] }).containers[0]?.resources).toEqual(resources);
  });
});
