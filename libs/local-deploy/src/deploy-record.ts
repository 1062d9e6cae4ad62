import type { ContextInfo } from './cluster-kinds.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { KubeApi } from './kube.js';

/**
 * What a later teardown needs to know, kept in the cluster on the app's
 * Namespace (so a teardown from another checkout, or after `dist/` was wiped,
 * finds it): whether the deploy created the namespace, and what each kube
 * context's default namespace was before the deploy switched it.
 *
 * Both are annotations the deploy applies with its own field manager. With
 * server-side apply, a field the manager stops sending is removed, so every
 * later deploy must send them again: `withDeployRecord` carries the live
 * values forward.
 */
export const CREATED_BY_ANNOTATION = 'llmops-rag.io/created-by';
/** JSON `{"<context>": "<namespace>" | null}`; null means the context had no namespace set. */
export const PREVIOUS_NAMESPACE_ANNOTATION = 'llmops-rag.io/context-namespace-before';
/** The value of CREATED_BY_ANNOTATION. */
export const CREATOR = 'llmops-rag-deploy';

export interface DeployRecord {
  /** The deploy created the namespace (it did not exist when the deploy first applied it). */
  createdByDeploy: boolean;
  /** Context name → its default namespace before the deploy set it (null: unset). */
  previousNamespaces: Record<string, string | null>;
}

export function readDeployRecord(namespace: KubeObject | undefined): DeployRecord {
  const annotations = namespace?.metadata.annotations ?? {};
  return { createdByDeploy: annotations[CREATED_BY_ANNOTATION] === CREATOR, previousNamespaces: parsePrevious(annotations[PREVIOUS_NAMESPACE_ANNOTATION]) };
}

function parsePrevious(text: string | undefined): Record<string, string | null> {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v === null || typeof v === 'string')) as Record<string, string | null>;
  } catch {
    return {};
  }
}

/**
 * The synthesized Namespace with the record added: `created-by` when the
 * namespace does not exist yet (or the record already says so), and the
 * context's current default namespace when the deploy is about to change it
 * (a context already on the app's namespace keeps what was recorded before).
 */
export function withDeployRecord(namespace: KubeObject, live: KubeObject | undefined, context: ContextInfo): KubeObject {
  const record = readDeployRecord(live);
  const previous = { ...record.previousNamespaces };
  if (context.namespace !== namespace.metadata.name) previous[context.name] = context.namespace ?? null;
  const annotations = {
    ...namespace.metadata.annotations,
    ...(!live || record.createdByDeploy ? { [CREATED_BY_ANNOTATION]: CREATOR } : {}),
    ...(Object.keys(previous).length > 0 ? { [PREVIOUS_NAMESPACE_ANNOTATION]: JSON.stringify(previous) } : {}),
  };
  return { ...namespace, metadata: { ...namespace.metadata, annotations } };
}

/**
 * The objects as the deploy sends them: the synthesized Namespace (if any) carries the record, built from the
 * live Namespace and the context. Used by the apply phase and by diff, so both send the same Namespace.
 */
export async function withNamespaceRecord(api: KubeApi, objects: readonly KubeObject[], context: ContextInfo): Promise<KubeObject[]> {
  const namespace = objects.find((o) => o.kind === 'Namespace');
  if (!namespace) return [...objects];
  const live = await api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace.metadata.name });
  return objects.map((o) => (o === namespace ? withDeployRecord(o, live, context) : o));
}
