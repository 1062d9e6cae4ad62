import { describe, expect, it } from 'vitest';
import { FIELD_MANAGER } from './apply.js';
import { runTeardown, type TeardownOptions } from './teardown.js';
import { BufferOutput, FakeKube, FakeRunner } from './testing/fakes.js';
import { devObjects } from './testing/workspace.js';

const OPTIONS: TeardownOptions = { namespace: 'dev', label: { key: 'app.kubernetes.io/part-of', value: 'llmops-rag' }, timeoutMs: 10_000 };
const KIND = { name: 'kind-dev', cluster: 'kind-dev', server: 'https://127.0.0.1:40123', namespace: 'dev' };

describe('runTeardown', () => {
  it('deletes the deploy\'s objects and namespace and resets the context namespace, leaving others\' objects', async () => {
    const kube = new FakeKube();
    for (const o of devObjects()) kube.put(o, FIELD_MANAGER);
    kube.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand-made', namespace: 'dev', labels: { 'app.kubernetes.io/part-of': 'llmops-rag' } } }, 'kubectl-edit');
    const runner = new FakeRunner(['kubectl', 'docker']);
    const out = new BufferOutput();
    const result = await runTeardown(OPTIONS, { runner, out, kubeContext: () => KIND, kubeApi: () => kube, sleep: async () => {} });
    expect(result.ok, out.text).toBe(true);
    expect(kube.deleted).toEqual(['Deployment/rag-api', 'Service/rag-api-service', 'ConfigMap/rag-api-config', 'Secret/rag-api-secrets', 'ServiceAccount/rag-api', 'Namespace/dev']);
    expect(runner.calls).toContain('kubectl config set-context kind-dev --namespace=default');
    expect(out.text).toMatch(/✓ Namespace dev \.+ +\S+ {2}deleted/);
  });

  it('keeps a namespace the deploy did not create', async () => {
    const kube = new FakeKube();
    kube.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }, 'kubectl-create');
    const out = new BufferOutput();
    await runTeardown(OPTIONS, { runner: new FakeRunner(['kubectl']), out, kubeContext: () => ({ ...KIND, namespace: 'other' }), kubeApi: () => kube });
    expect(kube.deleted).toEqual([]);
    expect(out.text).toContain('namespace dev was not created by the deploy: left in place');
  });

  it('refuses a remote context like the deploy does', async () => {
    const eks = { name: 'prod', cluster: 'prod', server: 'https://x.eks.amazonaws.com' };
    await expect(
      runTeardown(OPTIONS, { runner: new FakeRunner(['kubectl']), out: new BufferOutput(), kubeContext: () => eks, kubeApi: () => new FakeKube() }),
    ).rejects.toThrow(/refusing to tear down "prod"/);
  });
});
