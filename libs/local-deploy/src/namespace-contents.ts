import type { KubeObject } from '@llmops-rag/contract';
import { isLockLease } from './lock/lease.js';
import { isReleaseSecret } from './release/record.js';

/** Objects the cluster itself puts into every namespace. */
const NAMESPACE_DEFAULTS = new Set(['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt']);
const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

/**
 * A token Secret the token controller of a cluster before 1.24 made for ServiceAccount `default` (every namespace has
 * one) or for a ServiceAccount the teardown deleted (the controller deletes it with its account).
 */
function controllerToken(object: KubeObject, removed: Removed): boolean {
  if (object.kind !== 'Secret' || (object as { type?: string }).type !== TOKEN_SECRET_TYPE) return false;
  const account = object.metadata.annotations?.['kubernetes.io/service-account.name'];
  return account === 'default' || removed.refs.has(`ServiceAccount/${account}`);
}

/** What the teardown just deleted: their `Kind/name`s and uids. */
export interface Removed {
  refs: ReadonlySet<string>;
  uids: ReadonlySet<string>;
}

/**
 * The objects in a namespace that someone other than the deploy put there,
 * given everything listed in it. Not counted:
 * - what the teardown deleted and is still terminating (a Deployment deleted
 *   in the foreground stays listed until its pods are gone);
 * - dependents (ownerReferences): the garbage collector deletes them with
 *   their owner; a foreign owner in the namespace is itself listed;
 * - Events, and the ServiceAccount `default` and ConfigMap `kube-root-ca.crt`
 *   that controllers create in every namespace, and the service-account token
 *   Secrets (`default-token-…`) the token controller of clusters before 1.24 adds;
 * - the deploy's own bookkeeping: its release records and its lock Lease;
 * - the Endpoints of a deleted Service (the endpoints controller removes them).
 */
export function foreignObjects(objects: readonly KubeObject[], removed: Removed): KubeObject[] {
  const deletedServices = new Set([...removed.refs].filter((r) => r.startsWith('Service/')).map((r) => r.slice('Service/'.length)));
  return objects.filter((o) => {
    const ref = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'Event' || NAMESPACE_DEFAULTS.has(ref) || controllerToken(o, removed)) return false;
    if (isReleaseSecret(o) || isLockLease(o)) return false;
    const uid = typeof o.metadata.uid === 'string' ? o.metadata.uid : undefined;
    if (uid ? removed.uids.has(uid) : removed.refs.has(ref)) return false;
    if (o.kind === 'Endpoints' && deletedServices.has(o.metadata.name)) return false;
    const owners = (o.metadata.ownerReferences as unknown[] | undefined) ?? [];
    return owners.length === 0;
  });
}

/** `configmap/team-notes (by kubectl-create)`: what it is and who wrote it. */
export function describeForeign(object: KubeObject): string {
  const managers = [...new Set((object.metadata.managedFields ?? []).map((f) => f.manager).filter(Boolean))];
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  return `${object.kind.toLowerCase()}${group}/${object.metadata.name}${managers.length ? ` (by ${managers.join(', ')})` : ''}`;
}
