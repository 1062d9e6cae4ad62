import type { KubeObject } from '@llmops-rag/contract';

/** Metadata the API server maintains: never part of what a deploy sends, and different on every write. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'] as const;

/**
 * An object as the diff compares it: without `status` and the server's own metadata. The server's defaults
 * stay: the dry-run result carries them as the live object does, so they cancel out. A Secret's `stringData`
 * is folded into `data` (base64), as the API server stores it.
 */
export function normalize(object: KubeObject): KubeObject {
  const { status: _status, metadata, ...rest } = structuredClone(object);
  for (const field of SERVER_METADATA) delete metadata[field];
  const normalized: KubeObject = { ...rest, metadata };
  return object.kind === 'Secret' ? foldStringData(normalized) : normalized;
}

function foldStringData(secret: KubeObject): KubeObject {
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (!stringData) return secret;
  const { stringData: _plain, ...rest } = secret;
  const encoded = Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')]));
  return { ...rest, data: { ...(secret.data as Record<string, string> | undefined), ...encoded } };
}
