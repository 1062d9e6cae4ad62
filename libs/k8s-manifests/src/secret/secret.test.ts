import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findObject } from '@llmops-rag/contract';
import { readDotEnv, secretFromEnv, synthProfile, devProfile, validateSchemas } from '../index.js';

const realLooking = 'sk-test-0123456789abcdefABCDEF';

describe('deploy-time Secret from the synthesized template', () => {
  it('keeps the synthesized metadata and is schema-valid with the real value as exact bytes', () => {
    const template = findObject(synthProfile(devProfile).objects, 'Secret', 'rag-api-secrets');
    const { secret } = secretFromEnv({
      template: template as never,
      keys: ['OPENAI_API_KEY'],
      env: { OPENAI_API_KEY: realLooking },
      dotEnv: {},
      appEnv: 'dev',
    });
    expect(secret.metadata).toMatchObject({ name: 'rag-api-secrets', namespace: 'dev' });
    expect(Buffer.from((secret.data as Record<string, string>).OPENAI_API_KEY ?? '', 'base64').toString()).toBe(realLooking);
    expect(validateSchemas([secret as never])).toEqual([]);
  });
});

describe('readDotEnv', () => {
  it('reads KEY=VALUE lines in memory, with comments and quotes; nothing when the file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-manifests-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, `# local secrets\nOPENAI_API_KEY="${realLooking}"\nLOG_LEVEL=debug\n`);
    expect(readDotEnv(file)).toEqual({ OPENAI_API_KEY: realLooking, LOG_LEVEL: 'debug' });
    expect(readDotEnv(join(dir, 'missing.env'))).toEqual({});
  });
});
