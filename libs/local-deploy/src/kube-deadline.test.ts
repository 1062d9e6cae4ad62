import { describe, expect, it } from 'vitest';
import { KubeApiError } from './kube.js';
import { ApiNotAnswering, withDeadlines } from './kube-deadline.js';
import { FakeKube } from './testing/fakes.js';

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'dev' }, data: { a: '1' } };
const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'dev' };

describe('withDeadlines (every API call has a timeout)', () => {
  it('rejects a call the API server does not answer within the timeout, naming it, at that time', async () => {
    const kube = new FakeKube();
    const api = withDeadlines(kube, { clock: kube.clock, callTimeoutMs: 30_000 });
    kube.hang({ verbs: ['apply'] });
    const error = await api.apply(cm, 'deploy').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiNotAnswering);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as Error).message).toBe('the API server did not answer apply ConfigMap/c within 30s');
    expect(kube.clock.now()).toBe(30_000);
    // Other calls still answer at once, and their errors pass through as they are.
    expect(await api.get(ref)).toBeUndefined();
    expect(kube.clock.now()).toBe(30_000);
    await expect(api.logs('dev', 'nope', 'api', { tailLines: 1 })).rejects.toThrow('pods "nope" not found');
    // Listing a namespace is many requests: four times the budget.
    kube.hang({ verbs: ['list'] });
    await expect(api.listNamespace('dev')).rejects.toThrow('the API server did not answer list namespace dev within 120s');
    expect(kube.clock.now()).toBe(150_000);
  });

  it('returns the answer of a call that answers before the timeout', async () => {
    const kube = new FakeKube();
    const api = withDeadlines(kube, { clock: kube.clock, callTimeoutMs: 30_000 });
    kube.hang({}, 12_000);
    const applied = await api.apply(cm, 'deploy');
    expect(applied.data).toEqual({ a: '1' });
    expect(kube.clock.now()).toBe(12_000);
  });
});
