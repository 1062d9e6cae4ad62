/** A Kubernetes object as plain JSON: what synth writes, `kubectl apply` reads and the API returns. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    managedFields?: { manager?: string; operation?: string }[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** `Deployment/rag-api` (or `Deployment/<unnamed>` for an object read from untrusted input), the way messages name an object. */
export function objectRef(object: { kind?: string; metadata?: { name?: string } }): string {
  return `${object.kind ?? '<no kind>'}/${object.metadata?.name ?? '<unnamed>'}`;
}

/** Whether a parsed document has the least a Kubernetes object needs: a kind and a named metadata. */
export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const { apiVersion, kind, metadata } = value as Partial<KubeObject>;
  return typeof apiVersion === 'string' && typeof kind === 'string' && typeof metadata?.name === 'string';
}

/** The object of that kind and name; throws naming what was looked for and what there is. */
export function findObject<T extends { kind?: string; metadata?: { name?: string } }>(objects: readonly T[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind}/${name} among ${objects.map(objectRef).join(', ') || 'no objects'}`);
  return found;
}
