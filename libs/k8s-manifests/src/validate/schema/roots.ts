import { KINDS, type KindName } from '@llmops-rag/contract';

/**
 * The API types the manifests may contain (libs/contract's `KINDS`), keyed by
 * `apiVersion/kind`, with the kubernetes-models module and interface that
 * describe each. The schema generator starts from these; an object of any
 * other type is rejected.
 */
export interface SchemaRoot {
  /** Module under `kubernetes-models/` (without extension). */
  module: string;
  /** The exported interface describing the wire format. */
  interface: string;
}

export type SchemaRootKey = { [N in KindName]: `${(typeof KINDS)[N]['apiVersion']}/${N}` }[KindName];

export function rootKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** kubernetes-models names each module `<apiVersion>/<kind>` and its interface `I<kind>`. */
export const SCHEMA_ROOTS = Object.fromEntries(
  Object.values(KINDS).map(({ apiVersion, kind }) => [rootKey(apiVersion, kind), { module: rootKey(apiVersion, kind), interface: `I${kind}` }]),
) as Record<SchemaRootKey, SchemaRoot>;
