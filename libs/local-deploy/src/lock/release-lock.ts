import type { KubeObject } from '@llmops-rag/contract';
import { FIELD_MANAGER } from '../apply.js';
import type { Checklist } from '../checklist.js';
import type { ContextInfo } from '../cluster-kinds.js';
import { withNamespaceRecord } from '../deploy-record.js';
import type { KubeApi } from '../kube.js';
import type { Output } from '../types.js';
import { holdNamespace, type LockSettings } from './hold.js';
import type { LockCommand } from './holder.js';
import type { NamespaceLock } from './namespace-lock.js';

export interface ReleaseLock {
  lock: NamespaceLock;
  /** The namespace did not exist: it was applied first (with the deploy's record on it) to hold the Lease. */
  created: boolean;
  release: () => Promise<void>;
}

/**
 * The lock a deploy or rollback takes before its first change. A Lease lives in a namespace, so when the app's
 * namespace does not exist yet, its Namespace object (as the deploy applies it, record included) is applied first,
 * and only then is the lock taken: the one change made before the lock, and one any deploy would make the same way.
 */
export async function lockForRelease(
  api: KubeApi,
  out: Output,
  checklist: Checklist,
  request: { objects: readonly KubeObject[]; namespace: string; context: ContextInfo; command: LockCommand; waitMs: number; signal?: AbortSignal | undefined },
  settings: LockSettings = {},
): Promise<ReleaseLock> {
  const namespaceObject = request.objects.find((o) => o.kind === 'Namespace' && o.metadata.name === request.namespace);
  let created = false;
  const ensureNamespace = namespaceObject
    ? async () => {
        const [withRecord] = await withNamespaceRecord(api, [namespaceObject], request.context);
        await api.apply(withRecord as KubeObject, FIELD_MANAGER);
        created = true;
        out.line(`  namespace/${request.namespace} created first, to hold the lock in it`);
      }
    : undefined;
  const held = await holdNamespace(
    api,
    out,
    checklist,
    { namespace: request.namespace, command: request.command, waitMs: request.waitMs, signal: request.signal, ...(ensureNamespace ? { ensureNamespace } : {}) },
    settings,
  );
  if (!held.lock) {
    throw new Error(
      `namespace ${request.namespace} does not exist and the objects do not create it\nfix: deploy first (\`npx nx run k8s-manifests:deploy-minikube\`), which creates it`,
    );
  }
  return { lock: held.lock, created, release: held.release };
}
