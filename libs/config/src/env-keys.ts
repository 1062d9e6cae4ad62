import type * as z from 'zod/mini';
import { APP_ENVS } from '@llmops-rag/contract';
import { envMeta, envSchema, type EnvKey, type EnvKeyMeta, type Placement } from './env-schema.js';

export interface EnvKeyInfo extends EnvKeyMeta {
  key: EnvKey;
}

/**
 * Every key of an env schema with its metadata, in schema order. Throws if a
 * key has no metadata or a ConfigMap key lacks a default for some environment,
 * so a half-declared key fails at import instead of shipping.
 */
export function describeEnvKeys(schema: z.ZodMiniObject): EnvKeyInfo[] {
  return Object.entries(schema.shape).map(([key, field]) => {
    const meta = envMeta.get(field as z.ZodMiniType);
    if (!meta) throw new Error(`libs/config: env key ${key} has no metadata; declare it with .register(envMeta, {...})`);
    if (meta.placement === 'configMap') {
      const missing = APP_ENVS.filter((env) => meta.defaults[env] === undefined);
      if (missing.length > 0) {
        throw new Error(`libs/config: ConfigMap key ${key} has no default for APP_ENV=${missing.join(', ')}; add defaults.${missing[0]}`);
      }
    }
    return { key: key as EnvKey, ...meta };
  });
}

export const ENV_KEYS: readonly EnvKeyInfo[] = describeEnvKeys(envSchema);

export function keysPlacedIn(placement: Placement, keys: readonly EnvKeyInfo[] = ENV_KEYS): EnvKeyInfo[] {
  return keys.filter((k) => k.placement === placement);
}

/** The keys of the `rag-api-secrets` Secret (values are injected at deploy time). */
export function secretKeys(keys: readonly EnvKeyInfo[] = ENV_KEYS): EnvKey[] {
  return keysPlacedIn('secret', keys).map((k) => k.key);
}

export const SECRET_KEYS: readonly EnvKey[] = secretKeys();

export function isSecretKey(key: string): boolean {
  return (SECRET_KEYS as readonly string[]).includes(key);
}
