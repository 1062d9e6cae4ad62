import { APPLY_ORDER, KINDS, type KubeObject } from '@llmops-rag/contract';
import { describe, expect, it } from 'vitest';
import { sortForApply } from './manifests.js';

const object = (kind: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name: kind.toLowerCase() } });

describe('sortForApply', () => {
  it("applies in contract's APPLY_ORDER whatever order synth wrote the files in", () => {
    const written = [...APPLY_ORDER].reverse().map(object);
    expect(sortForApply(written).map((o) => o.kind)).toEqual([...APPLY_ORDER]);
    expect(Object.keys(KINDS).sort()).toEqual([...APPLY_ORDER].sort());
  });

  it('applies a kind it does not know with the last kind, after the workload and never before the Namespace', () => {
    const sorted = sortForApply([object('Widget'), object('Deployment'), object('Namespace')]).map((o) => o.kind);
    expect(sorted).toEqual(['Namespace', 'Deployment', 'Widget']);
  });
});
