import { createHash } from 'node:crypto';
import { looksLikePlaceholder, PLACEHOLDER_SECRET } from '@llmops-rag/config';
import type { KubeObject } from '@llmops-rag/contract';

export type ValueSource = 'environment' | '.env' | 'placeholder';

/** What the deploy says about each key. Never carries a value. */
export interface SecretKeyReport {
  key: string;
  source: ValueSource;
  /** A provided value that looks like a placeholder (e.g. `changeme`). */
  looksPlaceholder: boolean;
}

export interface BuiltSecret {
  /** The Secret to apply, `data` base64-encoded, in memory only. */
  secret: KubeObject;
  keys: SecretKeyReport[];
  /** Short digest of the values for the pod-template annotation: a changed value rolls the pods. */
  checksum: string;
}

export interface SecretInputs {
  /** The synthesized Secret (name, namespace, labels, annotations, placeholder stringData). */
  template: KubeObject;
  /** The keys, from `secretKeys()` of libs/config. */
  keys: readonly string[];
  /** The process environment; wins over .env. */
  env: Readonly<Record<string, string | undefined>>;
  dotEnv: Readonly<Record<string, string>>;
  appEnv: string;
}

/**
 * The `rag-api-secrets` Secret with values from the environment or .env.
 * Outside dev a missing value is an error naming the key; in dev it falls back
 * to the placeholder and the report says so. Values go into `data` (base64)
 * rather than `stringData` so server-side apply stays idempotent.
 */
export function secretFromEnv(inputs: SecretInputs): BuiltSecret {
  const data: Record<string, string> = {};
  const reports: SecretKeyReport[] = [];
  const missing: string[] = [];
  for (const key of inputs.keys) {
    const fromEnv = inputs.env[key];
    const fromFile = inputs.dotEnv[key];
    const source: ValueSource = fromEnv ? 'environment' : fromFile ? '.env' : 'placeholder';
    const value = fromEnv || fromFile || PLACEHOLDER_SECRET;
    // Same rule as the app's schema: outside dev a placeholder would only crash the pod later.
    if (inputs.appEnv !== 'dev' && looksLikePlaceholder(value)) missing.push(key);
    data[key] = Buffer.from(value, 'utf8').toString('base64');
    reports.push({ key, source, looksPlaceholder: source !== 'placeholder' && looksLikePlaceholder(value) });
  }
  if (missing.length > 0) {
    throw new Error(
      `Secret ${inputs.template.metadata.name}: no real value for ${missing.join(', ')} (APP_ENV=${inputs.appEnv} refuses missing or placeholder values)\n` +
        `fix: export ${missing[0]}=... or add it to the git-ignored .env at the repo root`,
    );
  }
  const { stringData: _placeholders, data: _old, ...rest } = inputs.template as KubeObject & { stringData?: unknown; data?: unknown };
  const secret: KubeObject = { ...rest, type: (inputs.template as { type?: string }).type ?? 'Opaque', data };
  const checksum = createHash('sha256')
    .update(
      Object.entries(data)
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  return { secret, keys: reports, checksum };
}

/** One line per key for the output: the key and where its value came from, never the value. */
export function describeSecretKeys(keys: readonly SecretKeyReport[]): string[] {
  return keys.map(({ key, source, looksPlaceholder }) => {
    if (source === 'placeholder') return `${key}: not set in the environment or .env, using the dev placeholder (fine until the API calls the provider)`;
    return `${key}: from ${source === '.env' ? '.env' : 'the environment'}${looksPlaceholder ? ' (warning: the value looks like a placeholder)' : ''}`;
  });
}
