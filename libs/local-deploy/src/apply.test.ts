import { describe, expect, it } from 'vitest';
import { applyAll, FIELD_MANAGER, prune, pruneCandidates } from './apply.js';
import { RELEASE_MANAGER, toReleaseSecret } from './release/record.js';
import { BufferOutput, FakeKube } from './testing/fakes.js';
import type { KubeObject } from '@llmops-rag/contract';

const LABEL = { 'app.kubernetes.io/part-of': 'llmops-rag', app: 'rag-api' };
const cm = (name: string, data: Record<string, string> = { APP_ENV: 'dev' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'dev', labels: LABEL },
  data,
});
const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', labels: LABEL } };

describe('applyAll', () => {
  it('reports created, then unchanged on a second identical apply, then configured on a change', async () => {
    const kube = new FakeKube();
    const out = new BufferOutput();
    expect(await applyAll(kube, [ns, cm('rag-api-config')], out)).toEqual([
      { object: 'Namespace/dev', action: 'created' },
      { object: 'ConfigMap/rag-api-config', action: 'created' },
    ]);
    expect((await applyAll(kube, [ns, cm('rag-api-config')], out)).map((a) => a.action)).toEqual(['unchanged', 'unchanged']);
    expect((await applyAll(kube, [ns, cm('rag-api-config', { APP_ENV: 'dev', LOG_LEVEL: 'debug' })], out)).map((a) => a.action)).toEqual([
      'unchanged',
      'configured',
    ]);
    expect(out.lines).toContain('  configmap/rag-api-config configured');
  });

  it('names the object and a fix when the API refuses', async () => {
    const kube = new FakeKube();
    kube.apply = async () => {
      throw Object.assign(new Error('HTTP-Code: 422'), {
        code: 422,
        body: JSON.stringify({ message: 'Deployment.apps "rag-api" is invalid: spec.selector: field is immutable' }),
      });
    };
    await expect(applyAll(kube, [cm('rag-api-config')], new BufferOutput())).rejects.toThrow(
      /server-side apply of ConfigMap\/rag-api-config failed: Deployment.apps "rag-api" is invalid: spec.selector: field is immutable\nfix: an immutable field changed/,
    );
  });
});

describe('prune', () => {
  it('deletes only labelled objects this deploy applied that are no longer synthesized', async () => {
    const kube = new FakeKube();
    kube.put(cm('rag-api-config'), FIELD_MANAGER);
    kube.put(cm('rag-api-old-config'), FIELD_MANAGER); // was synthesized before, not any more
    kube.put(cm('someone-elses', {}), 'kubectl-client-side-apply'); // labelled, but not ours
    kube.put({ ...cm('unlabelled'), metadata: { name: 'unlabelled', namespace: 'dev' } }, FIELD_MANAGER);
    const out = new BufferOutput();
    const pruned = await prune(kube, [ns, cm('rag-api-config')], { namespace: 'dev', label: { key: 'app.kubernetes.io/part-of', value: 'llmops-rag' } }, out);
    expect(pruned).toEqual(['ConfigMap/rag-api-old-config']);
    expect(kube.deleted).toEqual(['ConfigMap/rag-api-old-config']);
    expect(out.text).toContain('configmap/rag-api-old-config pruned (no longer synthesized)');
  });

  it('prunes nothing when everything is current', async () => {
    const kube = new FakeKube();
    kube.put(cm('rag-api-config'), FIELD_MANAGER);
    expect(await prune(kube, [cm('rag-api-config')], { namespace: 'dev', label: { key: 'app', value: 'rag-api' } }, new BufferOutput())).toEqual([]);
  });
});

describe('prune and release records', () => {
  const scope = { namespace: 'dev', label: { key: 'app.kubernetes.io/part-of', value: 'llmops-rag' } };
  const record = (revision: number) =>
    toReleaseSecret(
      { revision, time: '2026-11-30T00:00:00Z', profile: 'dev', digest: 'sha256:00', status: 'deployed', description: 'deploy', objects: [], secrets: {} },
      'dev',
    );

  it('never selects a release Secret, even one carrying the app label and written by the deploy field manager', async () => {
    const kube = new FakeKube();
    kube.put(record(1), RELEASE_MANAGER);
    const disguised = record(2);
    disguised.metadata.labels = { ...disguised.metadata.labels, ...LABEL };
    kube.put(disguised, FIELD_MANAGER);
    kube.put(cm('rag-api-old-config'), FIELD_MANAGER); // a real prune candidate, so the selection is known to work
    expect((await pruneCandidates(kube, [ns], scope)).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/rag-api-old-config']);
    await prune(kube, [ns], scope, new BufferOutput());
    expect(kube.deleted).toEqual(['ConfigMap/rag-api-old-config']);
    expect(await kube.get({ apiVersion: 'v1', kind: 'Secret', name: 'llmops-rag.release.v2', namespace: 'dev' })).toBeDefined();
  });
});
