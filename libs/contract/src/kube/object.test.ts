import { describe, expect, it } from 'vitest';
import { findObject, isKubeObject, objectRef, type KubeObject } from './object.js';

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rag-api-config' }, data: { A: '1' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rag-api' } },
];

describe('findObject', () => {
  it('returns the object of that kind and name', () => {
    expect(findObject(objects, 'ConfigMap', 'rag-api-config').data).toEqual({ A: '1' });
  });

  it('throws naming what it looked for and what there is', () => {
    expect(() => findObject(objects, 'Deployment', 'other')).toThrow('no Deployment/other among ConfigMap/rag-api-config, Deployment/rag-api');
    expect(() => findObject([], 'Service', 'x')).toThrow('no Service/x among no objects');
  });
});

describe('objectRef and isKubeObject', () => {
  it('names objects, also incomplete ones', () => {
    expect(objectRef(objects[1] as KubeObject)).toBe('Deployment/rag-api');
    expect(objectRef({ kind: 'Service' })).toBe('Service/<unnamed>');
    expect(objectRef({})).toBe('<no kind>/<unnamed>');
  });

  it('accepts only documents with apiVersion, kind and a named metadata', () => {
    expect(isKubeObject(objects[0])).toBe(true);
    expect(isKubeObject({ kind: 'ConfigMap', metadata: { name: 'a' } })).toBe(false);
    expect(isKubeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toBe(false);
    expect(isKubeObject('resources:')).toBe(false);
    expect(isKubeObject(null)).toBe(false);
  });
});
