import type { KubeObject } from '@llmops-rag/contract';
import { describe, expect, it } from 'vitest';
import { asKind, isKind } from './kube-types.js';

const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rag-api-config' }, data: { A: '1' } };

describe('typed accessors over contract KubeObject', () => {
  it('narrows an object of the kind to its shape', () => {
    expect(isKind(configMap, 'ConfigMap') && configMap.data).toEqual({ A: '1' });
    expect(asKind(configMap, 'ConfigMap').data).toEqual({ A: '1' });
  });

  it('refuses an object of another kind, naming it', () => {
    expect(isKind(configMap, 'Deployment')).toBe(false);
    expect(() => asKind(configMap, 'Deployment')).toThrow('ConfigMap/rag-api-config is not a Deployment');
  });
});
