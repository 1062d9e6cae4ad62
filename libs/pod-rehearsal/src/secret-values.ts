import type { Secret } from './kube-types.js';

export type SecretValueSource = 'environment' | '.env' | 'manifest';

/** A Secret with the values the rehearsal will inject; values stay in memory. */
export interface ResolvedSecret {
  name: string;
  values: Record<string, string>;
  sources: Record<string, SecretValueSource>;
}

/** The Secret's own values: `data` (base64) overlaid by `stringData`, as the API server merges them. */
export function manifestSecretValues(secret: Secret): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, encoded] of Object.entries(secret.data ?? {})) values[key] = Buffer.from(encoded, 'base64').toString('utf8');
  return { ...values, ...(secret.stringData ?? {}) };
}

/**
 * Each key of the Secret gets the value of the same-named variable from the
 * process environment, else the git-ignored .env, else the manifest's own
 * value (synth writes placeholders there). That is what the deploy injects.
 */
export function resolveSecret(secret: Secret, env: Readonly<Record<string, string | undefined>>, dotEnv: Readonly<Record<string, string>>): ResolvedSecret {
  const values: Record<string, string> = {};
  const sources: Record<string, SecretValueSource> = {};
  for (const [key, manifestValue] of Object.entries(manifestSecretValues(secret))) {
    const fromEnv = env[key];
    const fromFile = dotEnv[key];
    if (fromEnv) [values[key], sources[key]] = [fromEnv, 'environment'];
    else if (fromFile) [values[key], sources[key]] = [fromFile, '.env'];
    else [values[key], sources[key]] = [manifestValue, 'manifest'];
  }
  return { name: secret.metadata.name, values, sources };
}
