import type { AppEnv } from './app-env.js';
import { envMeta, envSchema, type EnvKey, type EnvKeyMeta, type Placement } from './env-schema.js';

export interface EnvKeyInfo extends EnvKeyMeta {
  key: EnvKey;
}

/**
 * Every key of the schema with its metadata, in schema order. Throws at import
 * if a key was added without metadata, so a half-declared key can't ship.
 */
export const ENV_KEYS: readonly EnvKeyInfo[] = Object.entries(envSchema.shape).map(([key, schema]) => {
  const meta = envMeta.get(schema);
  if (!meta) throw new Error(`libs/config: env key ${key} has no metadata; declare it with .register(envMeta, {...})`);
  if (meta.placement === 'configMap') assertDefaultsForEveryEnv(key, meta);
  return { key: key as EnvKey, ...meta };
});

function assertDefaultsForEveryEnv(key: string, meta: EnvKeyMeta): void {
  for (const env of ['dev', 'staging', 'prod'] as const satisfies AppEnv[]) {
    if (meta.defaults[env] === undefined) {
      throw new Error(`libs/config: ConfigMap key ${key} has no default for APP_ENV=${env}; add defaults.${env}`);
    }
  }
}

export function keysPlacedIn(placement: Placement): EnvKeyInfo[] {
  return ENV_KEYS.filter((k) => k.placement === placement);
}

export const SECRET_KEYS: readonly EnvKey[] = keysPlacedIn('secret').map((k) => k.key);
