import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@llmops-rag/contract';
import { LAST_APPLIED_ANNOTATION, maskSecrets } from './mask.js';
import { normalize } from './normalize.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const secret = (data: Record<string, string>, extra: Partial<KubeObject> = {}, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'dev', annotations },
  data,
  ...extra,
});

describe('maskSecrets', () => {
  it('hides every value, marking only the keys whose value differs as before/after', () => {
    const [live, desired] = maskSecrets(
      secret({ SAME: b64('one'), CHANGED: b64('old'), GONE: b64('x') }),
      secret({ SAME: b64('one'), CHANGED: b64('new'), NEW: b64('y') }),
    );
    expect(live?.data).toEqual({ SAME: '***', CHANGED: '*** (before)', GONE: '***' });
    expect(desired?.data).toEqual({ SAME: '***', CHANGED: '*** (after)', NEW: '***' });
  });

  it('masks a Secret with only one side (to create, to prune)', () => {
    expect(maskSecrets(undefined, secret({ K: b64('v') }))[1]?.data).toEqual({ K: '***' });
    expect(maskSecrets(secret({ K: b64('v') }), undefined)[0]?.data).toEqual({ K: '***' });
  });

  it("masks kubectl's last-applied annotation and leaves the other annotations readable", () => {
    const [live, desired] = maskSecrets(
      secret({}, {}, { [LAST_APPLIED_ANNOTATION]: '{"stringData":{"K":"old"}}', note: 'kept' }),
      secret({}, {}, { [LAST_APPLIED_ANNOTATION]: '{"stringData":{"K":"new"}}', note: 'kept' }),
    );
    expect(live?.metadata.annotations).toEqual({ [LAST_APPLIED_ANNOTATION]: '*** (before)', note: 'kept' });
    expect(desired?.metadata.annotations).toEqual({ [LAST_APPLIED_ANNOTATION]: '*** (after)', note: 'kept' });
  });

  it('leaves other kinds alone', () => {
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { K: 'visible' } };
    expect(maskSecrets(configMap, configMap)).toEqual([configMap, configMap]);
  });

  it('compares stringData as the base64 data the API server stores: the same value is not a change', () => {
    const [live, desired] = maskSecrets(normalize(secret({ K: b64('same') })), normalize(secret({}, { data: undefined, stringData: { K: 'same' } })));
    expect(live?.data).toEqual({ K: '***' });
    expect(desired?.data).toEqual({ K: '***' });
    expect(desired?.stringData).toBeUndefined();
  });
});

describe('normalize', () => {
  it('drops status and the metadata the server maintains, keeps the rest', () => {
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        namespace: 'dev',
        labels: { a: 'b' },
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        creationTimestamp: 't',
        managedFields: [{ manager: 'm' }],
      },
      data: { K: 'v' },
      status: { x: 1 },
    };
    expect(normalize(live)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'dev', labels: { a: 'b' } }, data: { K: 'v' } });
  });
});
