import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { envMeta } from './env-schema.js';
import { describeEnvKeys, secretKeys } from './env-keys.js';
import { configMapData } from './kubernetes-projection.js';

describe('schema metadata is the single list of keys', () => {
  it('a key added to a schema appears in the ConfigMap and Secret projections with no other list edited', () => {
    const fixture = z.object({
      APP_ENV: z.string().register(envMeta, {
        placement: 'configMap',
        description: 'env',
        defaults: { dev: 'dev', staging: 'staging', prod: 'prod' },
        hint: 'set it',
      }),
      VECTOR_DB_HOST: z.string().register(envMeta, {
        placement: 'configMap',
        description: 'Vector database host (Phase 3).',
        defaults: { dev: 'qdrant.dev.svc', staging: 'qdrant.staging.svc', prod: 'qdrant.prod.svc' },
        hint: 'set a host name',
      }),
      VECTOR_DB_TOKEN: z.string().register(envMeta, {
        placement: 'secret',
        description: 'Vector database token.',
        defaults: {},
        hint: 'export it',
      }),
    });
    const keys = describeEnvKeys(fixture);
    expect(configMapData('prod', keys)).toEqual({ APP_ENV: 'prod', VECTOR_DB_HOST: 'qdrant.prod.svc' });
    expect(secretKeys(keys)).toEqual(['VECTOR_DB_TOKEN']);
  });

  it('a key without metadata is refused, naming it', () => {
    const fixture = z.object({ UNDECLARED: z.string() });
    expect(() => describeEnvKeys(fixture)).toThrow(/env key UNDECLARED has no metadata/);
  });

  it('a ConfigMap key missing a per-environment default is refused, naming the environment', () => {
    const fixture = z.object({
      HALF: z.string().register(envMeta, { placement: 'configMap', description: 'x', defaults: { dev: 'a' }, hint: 'y' }),
    });
    expect(() => describeEnvKeys(fixture)).toThrow(/HALF has no default for APP_ENV=staging, prod/);
  });
});
