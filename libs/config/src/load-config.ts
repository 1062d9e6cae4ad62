import type * as z from 'zod/mini';
import { isAppEnv, type AppEnv } from '@llmops-rag/contract';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { ENV_KEYS, isSecretKey } from './env-keys.js';
import { envSchema, type EnvConfig } from './env-schema.js';
import { looksLikePlaceholder } from './secret-rules.js';
import { showValue } from '@llmops-rag/contract';

export type RawEnv = Readonly<Record<string, string | undefined>>;

/**
 * Parses an environment (usually `process.env`) into the typed config.
 * Unset or empty keys take their per-APP_ENV default. Throws one
 * `ConfigError` with one problem per bad key (its value shown once, cut when
 * long); secret values never appear in it.
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

/** One problem per key, in schema order, with every message zod gave for it. */
function toProblems(error: z.core.$ZodError, input: Record<string, string | undefined>, appEnv: AppEnv): ConfigProblem[] {
  const messages = new Map<string, string[]>();
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '(environment)');
    const forKey = messages.get(key) ?? [];
    if (!forKey.includes(issue.message)) forKey.push(issue.message);
    messages.set(key, forKey);
  }
  const order = (key: string) => ENV_KEYS.findIndex((k) => k.key === key);
  return [...messages]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([key, reasons]) => {
      const value = input[key];
      const hint = ENV_KEYS.find((k) => k.key === key)?.hint ?? 'check the value';
      if (value === undefined) return { key, reason: `is required when APP_ENV=${appEnv} (got nothing)`, hint };
      const shown = showValue(value, { secret: isSecretKey(key) });
      return { key, reason: `${shown} ${reasons.map((r) => stripValue(r, value, key)).join('; ')}`, hint };
    });
}

/** Defence in depth: should a message ever echo a real secret, cut it out. */
function stripValue(message: string, value: string, key: string): string {
  const isRealSecret = isSecretKey(key) && value.length > 0 && !looksLikePlaceholder(value);
  return isRealSecret ? message.split(value).join('<redacted>') : message;
}
