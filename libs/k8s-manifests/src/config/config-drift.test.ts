import { describe, expect, it } from 'vitest';
import { ENV_KEYS, keysPlacedIn } from '@llmops-rag/config';
import { findObject } from '@llmops-rag/contract';
import { CONFIG_CHECKSUM_ANNOTATION, configSourceFromKeys, devProfile, prodProfile, validateObjects } from '../index.js';
import { deploymentOf, objectsOf } from '../testing/objects.js';

/** A schema fixture: the real keys plus one new ConfigMap key and one new secret key. */
const fixtureKeys = [
  ...ENV_KEYS,
  { key: 'RETRIEVAL_TOP_K', placement: 'configMap' as const, defaults: { dev: '4', staging: '6', prod: '8' } },
  { key: 'BEDROCK_API_TOKEN', placement: 'secret' as const, defaults: {} },
];

describe('config schema drift', () => {
  it('every ConfigMap key of libs/config is in the ConfigMap, and nothing else', () => {
    for (const profile of [devProfile, prodProfile]) {
      const data = findObject(objectsOf(profile), 'ConfigMap', 'rag-api-config').data as Record<string, string>;
      expect(Object.keys(data).sort()).toEqual(
        keysPlacedIn('configMap')
          .map((k) => k.key)
          .sort(),
      );
    }
  });

  it('a key added to the schema appears in the ConfigMap and the Secret without touching the chart', () => {
    const source = configSourceFromKeys(fixtureKeys);
    const dev = objectsOf(devProfile, { configSource: source });
    const prod = objectsOf(prodProfile, { configSource: source });
    expect(findObject(dev, 'ConfigMap', 'rag-api-config').data).toMatchObject({ RETRIEVAL_TOP_K: '4' });
    expect(findObject(prod, 'ConfigMap', 'rag-api-config').data).toMatchObject({ RETRIEVAL_TOP_K: '8' });
    expect(Object.keys(findObject(prod, 'Secret', 'rag-api-secrets').stringData as object).sort()).toEqual(['BEDROCK_API_TOKEN', 'OPENAI_API_KEY']);
    expect(validateObjects(prodProfile, prod).ok).toBe(true);
  });

  it('a ConfigMap change changes the pod-template checksum (the pods roll)', () => {
    const checksum = (objects: ReturnType<typeof objectsOf>) => deploymentOf(objects).spec?.template.metadata?.annotations?.[CONFIG_CHECKSUM_ANNOTATION];
    const before = checksum(objectsOf(devProfile));
    const after = checksum(objectsOf(devProfile, { configSource: configSourceFromKeys(fixtureKeys) }));
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it('the grace period follows SHUTDOWN_DRAIN_SECONDS from the schema defaults', () => {
    const longDrain = ENV_KEYS.map((k) => (k.key === 'SHUTDOWN_DRAIN_SECONDS' ? { ...k, defaults: { dev: '20', staging: '20', prod: '20' } } : k));
    const objects = objectsOf(prodProfile, { configSource: configSourceFromKeys(longDrain) });
    expect(deploymentOf(objects).spec?.template.spec?.terminationGracePeriodSeconds).toBe(30);
  });
});
