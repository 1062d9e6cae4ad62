import { describe, expect, it } from 'vitest';
import { FakeKube } from './fakes.js';

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
});
