import type { AppEnv } from '@llmops-rag/contract';
import { ENV_KEYS, keysPlacedIn, secretKeys, type EnvKeyInfo } from './env-keys.js';
import { loadConfig } from './load-config.js';

/**
 * The `rag-api-config` ConfigMap data for an environment: every key placed in
 * the ConfigMap with its default for that environment. For the real schema the
 * data is parsed by it first, so a ConfigMap the app would reject is never
 * produced. `keys` is injectable so tests can project a fixture schema.
 */
export function configMapData(appEnv: AppEnv, keys: readonly EnvKeyInfo[] = ENV_KEYS): Record<string, string> {
  const data: Record<string, string> = {};
  for (const { key, defaults } of keysPlacedIn('configMap', keys)) data[key] = defaults[appEnv] as string;
  if (keys === ENV_KEYS) loadConfig({ ...data, ...secretStandIns(), APP_ENV: appEnv });
  return data;
}

/** Keys the container spec fixes itself, with their value (e.g. PORT → 8000). */
export function containerFixedValues(appEnv: AppEnv, keys: readonly EnvKeyInfo[] = ENV_KEYS): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { key, defaults } of keysPlacedIn('container', keys)) values[key] = defaults[appEnv] as string;
  return values;
}

/** ConfigMap validation must not trip over the secret, which is injected at deploy time. */
function secretStandIns(): Record<string, string> {
  return Object.fromEntries(secretKeys().map((key) => [key, 'validated-at-deploy-time-0000']));
}
