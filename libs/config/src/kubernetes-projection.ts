import type { AppEnv } from './app-env.js';
import { keysPlacedIn } from './env-keys.js';
import type { EnvKey } from './env-schema.js';
import { loadConfig } from './load-config.js';

/**
 * The `rag-api-config` ConfigMap data for an environment: every key placed in
 * the ConfigMap with its default for that environment. The data is parsed by
 * the schema first, so a ConfigMap the app would reject is never produced.
 */
export function configMapData(appEnv: AppEnv): Record<string, string> {
  const data: Record<string, string> = {};
  for (const { key, defaults } of keysPlacedIn('configMap')) data[key] = defaults[appEnv] as string;
  loadConfig({ ...data, ...secretStandIns(), APP_ENV: appEnv });
  return data;
}

/** The keys of the `rag-api-secrets` Secret (values are injected at deploy time). */
export function secretKeys(): EnvKey[] {
  return keysPlacedIn('secret').map((k) => k.key);
}

/** Keys the container spec fixes itself, with their value (e.g. PORT → 8000). */
export function containerFixedValues(appEnv: AppEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { key, defaults } of keysPlacedIn('container')) values[key] = defaults[appEnv] as string;
  return values;
}

/** Validation of ConfigMap defaults must not fail on the (deploy-time) secret. */
function secretStandIns(): Record<string, string> {
  return Object.fromEntries(secretKeys().map((key) => [key, 'validated-at-deploy-time-0000']));
}
