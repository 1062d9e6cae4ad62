import { createHash } from 'node:crypto';
import { secretFromEnv } from '@llmops-rag/k8s-manifests';
import type { KubeObject } from '@llmops-rag/contract';
import type { SecretSummary } from './record.js';

/**
 * What a release records of the applied objects: each Secret without `data`/`stringData`, and instead its
 * key names and the checksum of its values (the one the deploy puts on the pod template). Nothing else changes.
 */
export function redactSecrets(objects: readonly KubeObject[]): { objects: KubeObject[]; secrets: Record<string, SecretSummary> } {
  const secrets: Record<string, SecretSummary> = {};
  const redacted = objects.map((object) => {
    if (object.kind !== 'Secret') return structuredClone(object);
    const { data, stringData, ...rest } = object as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
    const encoded = { ...data, ...Object.fromEntries(Object.entries(stringData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])) };
    secrets[object.metadata.name] = { keys: Object.keys(encoded).sort(), checksum: secretChecksum(encoded) };
    return structuredClone(rest) as KubeObject;
  });
  return { objects: redacted, secrets };
}

/**
 * The checksum of a Secret's `data` (base64 values) exactly as the deploy computes it for the
 * `checksum/secret` pod-template annotation: k8s-manifests' secretFromEnv owns the formula, so it is asked.
 */
export function secretChecksum(data: Readonly<Record<string, string>>): string {
  const env = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  const template: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'checksum' } };
  return secretFromEnv({ template, keys: Object.keys(data), env, dotEnv: {}, appEnv: 'dev' }).checksum;
}

/** JSON with every object's keys sorted, so equal content gives equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** `sha256:<hex>` of the canonical JSON of the objects as recorded (Secret values already replaced by their checksum). */
export function releaseDigest(objects: readonly KubeObject[]): string {
  return `sha256:${createHash('sha256').update(canonicalJson(objects)).digest('hex')}`;
}
