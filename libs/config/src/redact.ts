import { SECRET_KEYS } from './env-keys.js';
import type { EnvConfig } from './env-schema.js';

export const REDACTED = '[redacted]';

/** A copy of the config that is safe to print or log. */
export function redactConfig(config: EnvConfig): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of SECRET_KEYS) if (key in copy) copy[key] = REDACTED;
  return copy;
}

/** pino `redact.paths` covering every secret key wherever a config is logged. */
export function secretLogPaths(): string[] {
  return SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
}
