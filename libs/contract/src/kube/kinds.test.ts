import { describe, expect, it } from 'vitest';
import { APPLY_ORDER, KINDS, PRUNABLE_KINDS } from './kinds.js';

describe('kinds', () => {
  it('applies every kind exactly once, the Namespace first and the workload after what it references', () => {
    expect([...APPLY_ORDER].sort()).toEqual(Object.keys(KINDS).sort());
    expect(APPLY_ORDER[0]).toBe('Namespace');
    for (const referenced of ['ServiceAccount', 'ConfigMap', 'Secret'] as const) {
      expect(APPLY_ORDER.indexOf(referenced)).toBeLessThan(APPLY_ORDER.indexOf('Deployment'));
    }
    expect(APPLY_ORDER.indexOf('HorizontalPodAutoscaler')).toBeGreaterThan(APPLY_ORDER.indexOf('Deployment'));
  });

  it('prunes every namespaced kind and never the Namespace', () => {
    expect(PRUNABLE_KINDS.map((k) => k.kind).sort()).toEqual(
      Object.keys(KINDS)
        .filter((k) => k !== 'Namespace')
        .sort(),
    );
    for (const kind of PRUNABLE_KINDS) expect(KINDS[kind.kind as keyof typeof KINDS]).toEqual(kind);
  });
});
