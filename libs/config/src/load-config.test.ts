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
    expect(error.keys.sort()).toEqual(['AWS_REGION', 'DOCUMENTS_BUCKET', 'LOG_LEVEL', 'OPENAI_API_KEY', 'PORT', 'SHUTDOWN_DRAIN_SECONDS'].sort());
    expect(error.message).toContain('AWS_REGION: "mars-north-1" is not an AWS region code');
    expect(error.message).toContain('DOCUMENTS_BUCKET: "My_Bucket" may contain only lowercase letters');
    expect(error.message).toContain('LOG_LEVEL: "loud" must be one of fatal, error, warn, info, debug, trace, silent');
    expect(error.message).toContain('PORT: "70000" must be at most 65535');
    expect(error.message).toContain('SHUTDOWN_DRAIN_SECONDS: "1.5" must be a whole number in plain decimal digits');
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

  it.each(['0x4656', '0X10', '1e1', '1E3', '+8000', '8000.0', '8_000', ' 8000', '8000 ', '8000\n', '０８０００', 'Infinity', '0b1', '0o17'])(
    'every integer key refuses %j: decimal digits only',
    (value) => {
      const integerKeys = Object.entries(loadConfig({}))
        .filter(([, parsed]) => typeof parsed === 'number')
        .map(([key]) => key);
      expect(integerKeys.sort()).toEqual(['PORT', 'SHUTDOWN_DRAIN_SECONDS']);
      const error = problemsOf(Object.fromEntries(integerKeys.map((key) => [key, value])));
      expect(error.keys.sort()).toEqual(integerKeys);
      for (const key of integerKeys) {
        expect(error.message).toContain(`${key}: ${JSON.stringify(value)} must be a whole number in plain decimal digits`);
      }
    },
  );

  it('reads decimal integers, leading zeros included, and checks their range', () => {
    expect(loadConfig({ PORT: '18006', SHUTDOWN_DRAIN_SECONDS: '010' })).toMatchObject({ PORT: 18006, SHUTDOWN_DRAIN_SECONDS: 10 });
    expect(problemsOf({ PORT: '0' }).message).toContain('PORT: "0" must be at least 1');
    expect(problemsOf({ SHUTDOWN_DRAIN_SECONDS: '-1' }).message).toContain('SHUTDOWN_DRAIN_SECONDS: "-1" must be at least 0');
    expect(problemsOf({ PORT: '9'.repeat(400) }).message).toMatch(/PORT: "9{80}"… \(400 bytes\) must be at most 65535/);
  });

  it.each(['cn-north-1', 'eu-isoe-west-1', 'us-gov-west-1', 'us-isob-east-1', 'us-isof-south-1', 'eusc-de-east-1'])('accepts the real region %s', (region) => {
    expect(loadConfig({ AWS_REGION: region }).AWS_REGION).toBe(region);
  });

  it.each(['prod', 'staging'])('APP_ENV=%s refuses obvious placeholders for the secret, never printing them', (appEnv) => {
    for (const value of ['TODO', 'sk-xxxxxxxxxxxx', 'your-key-here', 'sk-...', '<openai-key>']) {
      const error = problemsOf({ APP_ENV: appEnv, OPENAI_API_KEY: value });
      expect(error.keys).toEqual(['OPENAI_API_KEY']);
      expect(error.message).toContain(`OPENAI_API_KEY: <redacted, ${value.length} characters> is a placeholder, refused when APP_ENV=${appEnv}`);
      expect(error.message).not.toContain(value);
    }
  });

  it.each(['dev', 'prod'])('APP_ENV=%s refuses a secret with whitespace around or inside it, never printing it', (appEnv) => {
    const key = 'sk-proj-8Jd93kLmQ02xZabcdef';
    for (const value of [` ${key}`, `${key} `, `${key}\n`, `${key}\r\n`, `sk-proj 8Jd93kLmQ02xZabcdef`]) {
      const error = problemsOf({ APP_ENV: appEnv, OPENAI_API_KEY: value });
      expect(error.keys).toEqual(['OPENAI_API_KEY']);
      expect(error.message).toMatch(/OPENAI_API_KEY: <redacted, \d+ characters> (has leading or trailing whitespace|contains whitespace)/);
      expect(error.message).not.toContain('8Jd93');
    }
    expect(loadConfig({ APP_ENV: appEnv, OPENAI_API_KEY: key }).OPENAI_API_KEY).toBe(key);
  });

  it('refuses a HOST that is neither an IP address nor a host name', () => {
    expect(loadConfig({ HOST: '::' }).HOST).toBe('::');
    expect(loadConfig({ HOST: 'rag-api.dev.svc.cluster.local' }).HOST).toBe('rag-api.dev.svc.cluster.local');
    expect(problemsOf({ HOST: 'http://0.0.0.0' }).message).toContain('HOST: "http://0.0.0.0" is not an IP address or host name');
  });

  it('shows a long bad value once per key, cut after 80 characters, so every later key is still reported', () => {
    const huge = 'A'.repeat(25_600);
    const error = problemsOf({ AWS_REGION: huge, DOCUMENTS_BUCKET: huge, LOG_LEVEL: huge, PORT: 'http' });
    expect(error.keys).toEqual(['AWS_REGION', 'DOCUMENTS_BUCKET', 'LOG_LEVEL', 'PORT']);
    expect(error.message.length).toBeLessThan(2_000);
    expect(error.message.match(/… \(25600 bytes\)/g)).toHaveLength(3);
    expect(error.message).toContain(
      `DOCUMENTS_BUCKET: "${'A'.repeat(80)}"… (25600 bytes) must be 3-63 characters long (got 25600); may contain only lowercase letters, digits, dots and hyphens`,
    );
    expect(error.message).toContain('PORT: "http" must be a whole number');
  });

  it('cuts a long unknown APP_ENV in the heading too', () => {
    const error = problemsOf({ APP_ENV: 'q'.repeat(5_000) });
    expect(error.message.split('\n')[0]).toBe(`Invalid environment configuration (APP_ENV="${'q'.repeat(80)}"… (5000 bytes)), 1 problem:`);
  });

  it('never prints a secret value, even when it is rejected', () => {
    const secret = 'sk-proj-REALLOOKINGSECRET0123456789';
    const error = problemsOf({ APP_ENV: 'prod', OPENAI_API_KEY: secret, AWS_REGION: 'nope' });
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.problems)).not.toContain(secret);
  });
});
