import { describe, expect, it } from 'vitest';
import type { Secret } from './kube-types.js';
import { cpuCores, cpuShares, memoryBytes } from './docker-limits.js';
import { manifestSecretValues, resolveSecret } from './secret-values.js';

describe('Kubernetes quantities', () => {
  it('reads binary and decimal memory suffixes', () => {
    expect(memoryBytes('512Mi', 'm')).toBe(536_870_912);
    expect(memoryBytes('1Gi', 'm')).toBe(2 ** 30);
    expect(memoryBytes('128M', 'm')).toBe(128_000_000);
    expect(memoryBytes(1024, 'm')).toBe(1024);
  });
  it('reads CPU in cores and millicores', () => {
    expect(cpuCores('500m', 'c')).toBe(0.5);
    expect(cpuCores('2', 'c')).toBe(2);
    expect(cpuShares(0.1)).toBe(102);
    expect(cpuShares(0.001)).toBe(2);
  });
  it('names the field and the expected form on garbage', () => {
    expect(() => memoryBytes('lots', 'resources.limits.memory')).toThrow(/resources.limits.memory: "lots" is not a Kubernetes quantity/);
  });
  it('reads every form of the Kubernetes grammar (contract parseQuantity) and refuses a negative limit', () => {
    expect(memoryBytes('1e3', 'm')).toBe(1000);
    expect(cpuCores('.5', 'c')).toBe(0.5);
    expect(() => memoryBytes('-1Gi', 'resources.limits.memory')).toThrow('resources.limits.memory: "-1Gi" is negative');
  });
});

describe('secret values', () => {
  const secret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { A: Buffer.from('from-data').toString('base64'), B: Buffer.from('old').toString('base64') },
    stringData: { B: 'placeholder-b', C: 'placeholder-c' },
  };

  it('merges data and stringData like the API server', () => {
    expect(manifestSecretValues(secret)).toEqual({ A: 'from-data', B: 'placeholder-b', C: 'placeholder-c' });
  });

  it('takes the environment first, then .env, then the manifest', () => {
    const resolved = resolveSecret(secret, { A: 'env-a', B: '' }, { B: 'file-b' });
    expect(resolved.values).toEqual({ A: 'env-a', B: 'file-b', C: 'placeholder-c' });
    expect(resolved.sources).toEqual({ A: 'environment', B: '.env', C: 'manifest' });
  });
});
