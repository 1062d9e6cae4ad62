import { loadConfig, type EnvConfig, type RawEnv } from '@llmops-rag/config';

/** A real config parsed by the real schema, quiet logs unless a test wants them. */
export function testConfig(env: RawEnv = {}): EnvConfig {
  return loadConfig({ LOG_LEVEL: 'silent', ...env });
}
