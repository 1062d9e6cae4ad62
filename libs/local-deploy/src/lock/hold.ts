import type { Checklist } from '../checklist.js';
import type { KubeApi } from '../kube.js';
import type { Output } from '../types.js';
import type { LockCommand } from './holder.js';
import { LEASE_NAME } from './lease.js';
import { describeLease, acquireLock, type LockDeps, type LockRequest, type NamespaceLock } from './namespace-lock.js';

/** Dev holds one lock for its whole session: its deploys reuse it, and it is released when dev stops. */
export interface LockSession {
  /** What the Lease names as the operation (`dev`, not each of its deploys). */
  command?: LockCommand;
  lock?: NamespaceLock;
}

/** What tests (and dev) pass to the lock: a clock, a sleep, who "this process" is, the renewal timer, a session. */
export type LockSettings = Omit<LockDeps, 'out'> & { session?: LockSession };

export interface HeldLock {
  /** Undefined: the namespace does not exist and the request did not make it (nothing to lock, nothing to change). */
  lock: NamespaceLock | undefined;
  /** Releases the lock unless a session keeps it. */
  release: () => Promise<void>;
}

/**
 * The checklist step `Lock on namespace <ns>`: takes the lock (waiting or refusing as acquireLock does), or reuses
 * the one a dev session holds while it is still held.
 */
export async function holdNamespace(api: KubeApi, out: Output, checklist: Checklist, request: LockRequest, settings: LockSettings = {}): Promise<HeldLock> {
  const { session, ...deps } = settings;
  return checklist.step(`Lock on namespace ${request.namespace}`, async () => {
    const kept = session?.lock;
    if (kept && !kept.lostBecause) return { detail: `held by this ${kept.holder.command} session`, value: { lock: kept, release: async () => undefined } };
    // A session lock gone quiet (the process was suspended): let go of it before taking the lock again.
    await kept?.release();
    const lock = await acquireLock(api, { ...request, command: session?.command ?? request.command }, { ...deps, out });
    if (session) session.lock = lock;
    const detail = !lock
      ? `namespace ${request.namespace} does not exist: nothing to lock`
      : lock.tookOverFrom
        ? `taken over from ${describeLease(lock.tookOverFrom)}`
        : `held (Lease ${request.namespace}/${LEASE_NAME})`;
    return { detail, value: { lock, release: async () => (session ? undefined : lock?.release()) } };
  });
}
