import { describe, expect, it } from 'vitest';
import { ENV_KEYS, secretKeys } from './env-keys.js';
import { configMapData, containerFixedValues } from './kubernetes-projection.js';
import { loadConfig } from './load-config.js';
import { redactConfig, secretLogPaths } from './redact.js';

describe('Kubernetes projection of the schema', () => {
  it('the dev ConfigMap holds the spec values', () => {
    expect(configMapData('dev')).toMatchObject({
      APP_ENV: 'dev',
      AWS_REGION: 'ap-southeast-2',
      DOCUMENTS_BUCKET: 'llmops-rag-documents-dev',
    });
  });

  it('every key lands in exactly one place: ConfigMap, Secret or the container spec', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const placed = [...Object.keys(configMapData(env)), ...secretKeys(), ...Object.keys(containerFixedValues(env))];
      expect(placed.sort()).toEqual(ENV_KEYS.map((k) => k.key).sort());
    }
  });

  it('the Secret holds the API key and nothing else; the container fixes PORT and HOST', () => {
    expect(secretKeys()).toEqual(['OPENAI_API_KEY']);
    expect(containerFixedValues('dev')).toEqual({ PORT: '8000', HOST: '0.0.0.0' });
  });

  it('each ConfigMap, plus a real secret, is a config the app accepts for that environment', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const config = loadConfig({ ...configMapData(env), OPENAI_API_KEY: 'sk-live-abcdef0123456789' });
      expect(config.APP_ENV).toBe(env);
    }
  });

  it('every key has a description and a hint', () => {
    for (const key of ENV_KEYS) {
      expect(key.description, key.key).toMatch(/\w{3,}/);
      expect(key.hint, key.key).toMatch(/\w{3,}/);
    }
  });
});

describe('redaction', () => {
  it('redacts secret keys in a config dump', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-abcdef0123456789' });
    expect(JSON.stringify(redactConfig(config))).not.toContain('sk-abcdef0123456789');
    expect(redactConfig(config).OPENAI_API_KEY).toBe('[redacted]');
    expect(redactConfig(config).AWS_REGION).toBe('ap-southeast-2');
  });

  it('gives pino paths for every secret key at any of three depths', () => {
    expect(secretLogPaths()).toEqual(['OPENAI_API_KEY', '*.OPENAI_API_KEY', '*.*.OPENAI_API_KEY']);
  });
});
