import type { KubeApi } from '../kube.js';
import { clockTime } from '../lock/holder.js';
import { isFree, leaseRef, readLease, type LeaseState } from '../lock/lease.js';
import type { NamespaceLock } from '../lock/namespace-lock.js';
import type { Output } from '../types.js';
import type { ReleaseRecord } from './record.js';
import { changeRelease } from './store.js';

/** A pending release is in progress only while the operation that wrote it still holds a live lock. */
export function isInProgress(record: ReleaseRecord, lease: LeaseState | undefined, now: number): boolean {
  return record.status === 'pending' && lease !== undefined && lease.identity === record.holderIdentity && !isFree(lease, now);
}

/** The lock as it is now, read without taking it (history). */
export async function readLock(api: KubeApi, namespace: string): Promise<LeaseState | undefined> {
  const lease = await api.get(leaseRef(namespace));
  return lease ? readLease(lease) : undefined;
}

/** `revision 7 (deploy by alice@laptop pid 4242, started 09:29:05 UTC) was interrupted while applying (since 09:29:09 UTC); the cluster may hold part of it`. */
export function describeInterruption(record: ReleaseRecord): string {
  const by = record.by ? ` (${record.by})` : '';
  const since = record.phaseTime ? ` (since ${clockTime(record.phaseTime)})` : '';
  const part =
    record.phase === 'waiting for rollout'
      ? 'its objects were all applied; whether its pods became Ready nobody checked'
      : record.phase === 'restoring'
        ? 'the cluster may hold part of it and part of the release it was restoring'
        : 'the cluster may hold part of it';
  return `revision ${record.revision}${by} was interrupted while ${record.phase ?? 'applying'}${since}; ${part}`;
}

/**
 * Under the lock: every pending release not written by this operation was interrupted (its writer no longer holds
 * the lock). Each is said plainly and marked `interrupted`; the operation then brings the namespace to a recorded release.
 */
export async function settleInterrupted(
  api: KubeApi,
  namespace: string,
  releases: readonly ReleaseRecord[],
  lock: NamespaceLock,
  out: Output,
): Promise<ReleaseRecord[]> {
  // This operation has not claimed its own yet: every pending record is older than it, and its writer is gone.
  const found = releases.filter((r) => r.status === 'pending');
  for (const record of found) {
    out.line(`  ⚠ ${describeInterruption(record)}`);
    await changeRelease(api, namespace, record.revision, (r) => ({
      status: 'interrupted',
      description: `${r.description}; interrupted while ${r.phase ?? 'applying'}, found by ${lock.holder.command} by ${lock.holder.user}@${lock.holder.host} pid ${lock.holder.pid} at ${clockTime(lock.isoNow())}`,
    }));
  }
  if (found.length)
    out.line(
      `  this ${lock.holder.command} brings namespace ${namespace} to a recorded release; history keeps the interrupted one${found.length > 1 ? 's' : ''}`,
    );
  return found;
}
