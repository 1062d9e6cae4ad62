import type { z } from 'zod';
import { isAppEnv, type AppEnv } from './app-env.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { ENV_KEYS, isSecretKey } from './env-keys.js';
import { envSchema, type EnvConfig } from './env-schema.js';
import { looksLikePlaceholder } from './rules.js';

export type RawEnv = Readonly<Record<string, string | undefined>>;

/**
 * Parses an environment (usually `process.env`) into the typed config.
 * Unset or empty keys take their per-APP_ENV default. Throws one
 * `ConfigError` naming every bad key; secret values never appear in it.
 */
export function loadConfig(env: RawEnv): EnvConfig {
  const rawAppEnv = present(env.APP_ENV) ?? 'dev';
  const appEnv: AppEnv = isAppEnv(rawAppEnv) ? rawAppEnv : 'dev';

  const input: Record<string, string | undefined> = {};
  for (const { key, defaults } of ENV_KEYS) input[key] = present(env[key]) ?? defaults[appEnv];

  const result = envSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(rawAppEnv, toProblems(result.error, input, appEnv));
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function toProblems(error: z.ZodError, input: Record<string, string | undefined>, appEnv: AppEnv): ConfigProblem[] {
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(environment)');
    const info = ENV_KEYS.find((k) => k.key === key);
    const value = input[key];
    const shown = describeValue(key, value);
    const reason =
      value === undefined ? `is required when APP_ENV=${appEnv} (got nothing)` : `${shown} ${stripValue(issue.message, value, key)}`;
    return { key, reason, hint: info?.hint ?? 'check the value' };
  });
}

function describeValue(key: string, value: string | undefined): string {
  if (value === undefined) return '(unset)';
  if (isSecretKey(key)) return `<redacted, ${value.length} characters>`;
  return JSON.stringify(value);
}

/** Defence in depth: should a message ever echo a real secret, cut it out. */
function stripValue(message: string, value: string, key: string): string {
  const isRealSecret = isSecretKey(key) && value.length > 0 && !looksLikePlaceholder(value);
  return isRealSecret ? message.split(value).join('<redacted>') : message;
}
