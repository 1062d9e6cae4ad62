import { describe, expect, it } from 'vitest';
import { FakeKube, pod } from './fakes.js';

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
