import { configMapData, containerFixedValues, secretKeys, type AppEnv, type EnvKeyInfo } from '@llmops-rag/config';

/**
 * Where the chart gets the app's configuration. Defaults to `libs/config`, so
 * a key added to the schema appears in the ConfigMap (or as a Secret key)
 * without touching this library. Injectable for tests.
 */
export interface ConfigSource {
  /** ConfigMap `rag-api-config` data for an environment (already valid for the app). */
  configMapData(appEnv: AppEnv): Record<string, string>;
  /** Keys of the `rag-api-secrets` Secret. */
  secretKeys(): string[];
  /** Keys the container spec fixes itself (PORT, HOST) with their value. */
  containerFixedValues(appEnv: AppEnv): Record<string, string>;
}

export const libsConfigSource: ConfigSource = { configMapData, secretKeys, containerFixedValues };

/** A key's metadata as `ENV_KEYS` lists it; the part a ConfigSource needs. */
export type KeyInfo = Pick<EnvKeyInfo, 'placement' | 'defaults'> & { key: string };

/** A ConfigSource computed from an `ENV_KEYS`-like list (e.g. a test fixture with one more key). */
export function configSourceFromKeys(keys: readonly KeyInfo[]): ConfigSource {
  const placed = (placement: KeyInfo['placement'], appEnv: AppEnv) =>
    Object.fromEntries(keys.filter((k) => k.placement === placement).map((k) => [k.key, requireDefault(k, appEnv)]));
  return {
    configMapData: (appEnv) => placed('configMap', appEnv),
    secretKeys: () => keys.filter((k) => k.placement === 'secret').map((k) => k.key),
    containerFixedValues: (appEnv) => placed('container', appEnv),
  };
}

function requireDefault(info: KeyInfo, appEnv: AppEnv): string {
  const value = info.defaults[appEnv];
  if (value === undefined) throw new Error(`config key ${info.key} has no default for APP_ENV=${appEnv}`);
  return value;
}
