import { describe, expect, it } from 'vitest';
import { describeSecretKeys, secretFromEnv } from './secret-from-env.js';
import type { KubeObject } from '@llmops-rag/contract';

const TEMPLATE: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'rag-api-secrets', namespace: 'dev', labels: { app: 'rag-api' } },
  type: 'Opaque',
  stringData: { OPENAI_API_KEY: 'placeholder-not-a-real-key' },
};
const REAL = 'sk-test-1234567890abcdef';
const decode = (secret: KubeObject, key: string) => Buffer.from((secret.data as Record<string, string>)[key] ?? '', 'base64').toString();

describe('secretFromEnv', () => {
  it('takes the value from the environment over .env, as base64 data without stringData', () => {
    const built = secretFromEnv({
      template: TEMPLATE,
      keys: ['OPENAI_API_KEY'],
      env: { OPENAI_API_KEY: REAL },
      dotEnv: { OPENAI_API_KEY: 'sk-from-file' },
      appEnv: 'dev',
    });
    expect(decode(built.secret, 'OPENAI_API_KEY')).toBe(REAL);
    expect(built.secret.stringData).toBeUndefined();
    expect(built.secret.metadata).toEqual(TEMPLATE.metadata);
    expect(built.keys).toEqual([{ key: 'OPENAI_API_KEY', source: 'environment', looksPlaceholder: false }]);
  });

  it('falls back to .env, then to the placeholder in dev, and says so', () => {
    const fromFile = secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: {}, dotEnv: { OPENAI_API_KEY: REAL }, appEnv: 'dev' });
    expect(fromFile.keys[0]?.source).toBe('.env');
    const placeholder = secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: { OPENAI_API_KEY: '' }, dotEnv: {}, appEnv: 'dev' });
    expect(decode(placeholder.secret, 'OPENAI_API_KEY')).toBe('placeholder-not-a-real-key');
    expect(describeSecretKeys(placeholder.keys)).toEqual([
      'OPENAI_API_KEY: not set in the environment or .env, using the dev placeholder (fine until the API calls the provider)',
    ]);
  });

  it('refuses a missing value outside dev, naming the key only', () => {
    expect(() => secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: {}, dotEnv: {}, appEnv: 'prod' })).toThrow(
      /no real value for OPENAI_API_KEY \(APP_ENV=prod refuses missing or placeholder values\)\nfix: export OPENAI_API_KEY=/,
    );
    expect(() => secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: { OPENAI_API_KEY: 'changeme' }, dotEnv: {}, appEnv: 'prod' })).toThrow(
      /no real value for OPENAI_API_KEY/,
    );
  });

  it('never puts a value in what it reports, and flags placeholder-looking values', () => {
    const built = secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: { OPENAI_API_KEY: 'changeme' }, dotEnv: {}, appEnv: 'dev' });
    const report = describeSecretKeys(built.keys).join('\n');
    expect(report).toBe('OPENAI_API_KEY: from the environment (warning: the value looks like a placeholder)');
    expect(report).not.toContain('changeme');
    expect(JSON.stringify(built.keys)).not.toContain('changeme');
  });

  it('changes the checksum when a value changes, and only then', () => {
    const a = secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: { OPENAI_API_KEY: REAL }, dotEnv: {}, appEnv: 'dev' });
    const b = secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: {}, dotEnv: { OPENAI_API_KEY: REAL }, appEnv: 'dev' });
    const c = secretFromEnv({ template: TEMPLATE, keys: ['OPENAI_API_KEY'], env: { OPENAI_API_KEY: `${REAL}x` }, dotEnv: {}, appEnv: 'dev' });
    expect(a.checksum).toBe(b.checksum);
    expect(a.checksum).not.toBe(c.checksum);
    expect(a.checksum).toMatch(/^[0-9a-f]{16}$/);
  });
});
