import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, PLACEHOLDER_SECRET } from '@llmops-rag/config';
import { buildSecret, deployEnv, devProfile, prodProfile, SECRET_SOURCE_ANNOTATION, validateSchemas } from '../src/index.js';

const realLooking = 'sk-test-0123456789abcdefABCDEF';

describe('buildSecret (deploy time, in memory)', () => {
  it('puts the value from the environment into stringData, exact bytes', () => {
    const secret = buildSecret(prodProfile, { OPENAI_API_KEY: realLooking });
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rag-api-secrets', namespace: 'prod' }, type: 'Opaque' });
    expect(secret.stringData).toEqual({ OPENAI_API_KEY: realLooking });
    expect(secret.metadata?.annotations?.[SECRET_SOURCE_ANNOTATION]).toMatch(/never written to disk/);
    expect(validateSchemas([secret])).toEqual([]);
  });

  it('refuses a missing or placeholder value outside dev, without echoing it', () => {
    expect(() => buildSecret(prodProfile, {})).toThrow(ConfigError);
    try {
      buildSecret(prodProfile, { OPENAI_API_KEY: PLACEHOLDER_SECRET });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).keys).toEqual(['OPENAI_API_KEY']);
    }
  });

  it('dev falls back to the placeholder', () => {
    expect(buildSecret(devProfile, {}).stringData).toEqual({ OPENAI_API_KEY: PLACEHOLDER_SECRET });
  });

  it('deployEnv reads .env in memory; the process environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-manifests-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, `OPENAI_API_KEY=${realLooking}\nLOG_LEVEL=debug\n`);
    expect(deployEnv({}, file)).toMatchObject({ OPENAI_API_KEY: realLooking, LOG_LEVEL: 'debug' });
    expect(deployEnv({ OPENAI_API_KEY: 'sk-from-env-999999', LOG_LEVEL: '' }, file)).toMatchObject({ OPENAI_API_KEY: 'sk-from-env-999999', LOG_LEVEL: 'debug' });
    expect(deployEnv({ A: 'b' }, join(dir, 'missing.env'))).toEqual({ A: 'b' });
  });
});
