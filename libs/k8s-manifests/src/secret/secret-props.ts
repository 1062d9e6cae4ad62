import type * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import { COMMON_LABELS, NAMES, SECRET_SOURCE_ANNOTATION, SELECTOR_LABELS } from '../names.js';

export type SecretValueSource = 'placeholder' | 'deploy-environment';

const SOURCE_NOTE: Record<SecretValueSource, string> = {
  placeholder: 'placeholders written by synth; real values are injected at deploy time from the environment or .env, in memory',
  'deploy-environment': 'injected at deploy time from the environment or .env; never written to disk',
};

/**
 * The `rag-api-secrets` Secret. `stringData` holds the exact bytes (no base64
 * by hand, so no stray newline from `echo`); the API server encodes it.
 * Used by the chart (placeholders); the deploy swaps in real values in memory (secret/secret-from-env.ts).
 */
export function secretProps(namespace: string, values: Readonly<Record<string, string>>, source: SecretValueSource): k8s.KubeSecretProps {
  return {
    metadata: {
      name: NAMES.secret,
      namespace,
      labels: { ...SELECTOR_LABELS, ...COMMON_LABELS },
      annotations: { [SECRET_SOURCE_ANNOTATION]: SOURCE_NOTE[source] },
    },
    type: 'Opaque',
    stringData: { ...values },
  };
}
