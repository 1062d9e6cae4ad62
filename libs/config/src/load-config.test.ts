import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { PLACEHOLDER_SECRET } from './env-schema.js';

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('works with no environment at all (dev defaults)', () => {
    expect(loadConfig({})).toEqual({
      APP_ENV: 'dev',
      AWS_REGION: 'ap-southeast-2',
      DOCUMENTS_BUCKET: 'llmops-rag-documents-dev',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_SECONDS: 5,
      OPENAI_API_KEY: PLACEHOLDER_SECRET,
      PORT: 8000,
      HOST: '0.0.0.0',
    });
  });

  it('takes per-environment defaults from APP_ENV and coerces numbers', () => {
    const config = loadConfig({ APP_ENV: 'prod', OPENAI_API_KEY: 'sk-live-0123456789abcdef', PORT: '9000' });
    expect(config.DOCUMENTS_BUCKET).toBe('llmops-rag-documents-prod');
    expect(config.PORT).toBe(9000);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ AWS_REGION: '  ', PORT: '' }).AWS_REGION).toBe('ap-southeast-2');
  });

  it('ignores unrelated environment variables', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin' })).not.toHaveProperty('HOME');
  });

  it('reports every bad key in one error, each with a reason and a fix', () => {
    const error = problemsOf({
      APP_ENV: 'prod',
      AWS_REGION: 'mars-north-1',
      DOCUMENTS_BUCKET: 'My_Bucket',
      LOG_LEVEL: 'loud',
      PORT: '70000',
      SHUTDOWN_DRAIN_SECONDS: '1.5',
    });
    expect(error.keys.sort()).toEqual(
      ['AWS_REGION', 'DOCUMENTS_BUCKET', 'LOG_LEVEL', 'OPENAI_API_KEY', 'PORT', 'SHUTDOWN_DRAIN_SECONDS'].sort(),
    );
    expect(error.message).toContain('AWS_REGION: "mars-north-1" is not an AWS region code');
    expect(error.message).toContain('DOCUMENTS_BUCKET: "My_Bucket" may contain only lowercase letters');
    expect(error.message).toContain('LOG_LEVEL: "loud" must be one of fatal, error, warn, info, debug, trace, silent');
    expect(error.message).toContain('PORT: "70000" must be at most 65535');
    expect(error.message).toContain('SHUTDOWN_DRAIN_SECONDS: "1.5" must be a whole number');
    expect(error.message).toContain('OPENAI_API_KEY: is required when APP_ENV=prod');
    for (const problem of error.problems) expect(problem.hint.length).toBeGreaterThan(10);
    expect(error.message.match(/fix: /g)).toHaveLength(error.problems.length);
  });

  it('names an unknown APP_ENV and still checks the other keys', () => {
    const error = problemsOf({ APP_ENV: 'qa', PORT: 'http' });
    expect(error.keys).toEqual(['APP_ENV', 'PORT']);
    expect(error.message).toContain('APP_ENV: "qa" must be one of dev, staging, prod');
  });

  it.each(['prod', 'staging'])('APP_ENV=%s refuses a missing or placeholder secret', (appEnv) => {
    expect(problemsOf({ APP_ENV: appEnv }).keys).toEqual(['OPENAI_API_KEY']);
    for (const value of [PLACEHOLDER_SECRET, 'placeholder', 'changeme', '<your-key>']) {
      const error = problemsOf({ APP_ENV: appEnv, OPENAI_API_KEY: value });
      expect(error.message).toContain(`is a placeholder, refused when APP_ENV=${appEnv}`);
    }
  });

  it('never prints a secret value, even when it is rejected', () => {
    const secret = 'sk-proj-REALLOOKINGSECRET0123456789';
    const error = problemsOf({ APP_ENV: 'prod', OPENAI_API_KEY: secret, AWS_REGION: 'nope' });
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.problems)).not.toContain(secret);
  });
});
