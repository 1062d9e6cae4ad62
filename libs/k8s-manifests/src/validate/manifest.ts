/** A Kubernetes object as synthesized: plain JSON, the shape `kubectl apply` reads. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `Deployment/rag-api` (or `Deployment/<unnamed>`), the way errors name an object. */
export function objectRef(object: Pick<Manifest, 'kind' | 'metadata'>): string {
  return `${object.kind ?? '<no kind>'}/${object.metadata?.name ?? '<unnamed>'}`;
}
