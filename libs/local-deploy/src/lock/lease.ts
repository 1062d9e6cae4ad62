import type { KubeObject } from '@llmops-rag/contract';
import type { ObjectRef } from '../types.js';
import { holderIdentity, type Holder, type LockCommand } from './holder.js';

/** The one Lease per namespace that deploy, rollback, teardown and dev hold while they change it. */
export const LEASE_NAME = 'llmops-rag-operation';
/** The field manager that writes the Lease (not the deploy's: prune and teardown never select it). */
export const LOCK_MANAGER = 'llmops-rag-lock';
/** A holder renews every RENEW_EVERY_MS; a Lease not renewed for LEASE_DURATION_S is free to take over. */
export const LEASE_DURATION_S = 30;
export const RENEW_EVERY_MS = 10_000;

const ANNOTATION = {
  command: 'llmops-rag.io/lock-command',
  user: 'llmops-rag.io/lock-user',
  host: 'llmops-rag.io/lock-host',
  pid: 'llmops-rag.io/lock-pid',
  startedAt: 'llmops-rag.io/lock-started',
  nonce: 'llmops-rag.io/lock-nonce',
} as const;

export function leaseRef(namespace: string): ObjectRef {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: LEASE_NAME, namespace };
}

export function isLockLease(object: KubeObject): boolean {
  return object.kind === 'Lease' && object.metadata.name === LEASE_NAME;
}

/** A MicroTime as the API server wants it: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * The Lease held by `holder`, renewed at `now`. `from` is the live Lease it replaces (its resourceVersion is the
 * precondition of the update, its transitions counted on when the holder changes).
 */
export function leaseFor(namespace: string, holder: Holder, now: number, from?: KubeObject): KubeObject {
  const previous = from ? readLease(from) : undefined;
  const same = previous?.identity === holderIdentity(holder);
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: LEASE_NAME,
      namespace,
      labels: { 'app.kubernetes.io/part-of': 'llmops-rag', owner: 'llmops-rag-deploy' },
      annotations: {
        [ANNOTATION.command]: holder.command,
        [ANNOTATION.user]: holder.user,
        [ANNOTATION.host]: holder.host,
        [ANNOTATION.pid]: String(holder.pid),
        [ANNOTATION.startedAt]: holder.startedAt,
        [ANNOTATION.nonce]: holder.nonce,
      },
      ...(from?.metadata.resourceVersion ? { resourceVersion: from.metadata.resourceVersion } : {}),
    },
    spec: {
      holderIdentity: holderIdentity(holder),
      leaseDurationSeconds: LEASE_DURATION_S,
      acquireTime: same && previous?.acquireTime ? previous.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (previous?.transitions ?? 0) + (previous?.identity && !same ? 1 : 0),
    },
  };
}

export interface LeaseState {
  /** Empty: nobody holds it (released). */
  identity: string;
  holder?: Holder;
  /** Epoch ms of the last renewal (0: never). */
  renewedAt: number;
  acquireTime?: string;
  durationMs: number;
  transitions: number;
  resourceVersion?: string;
}

export function readLease(lease: KubeObject): LeaseState {
  const spec = (lease.spec ?? {}) as {
    holderIdentity?: string;
    renewTime?: string;
    acquireTime?: string;
    leaseDurationSeconds?: number;
    leaseTransitions?: number;
  };
  const a = lease.metadata.annotations ?? {};
  const command = a[ANNOTATION.command];
  const holder: Holder | undefined = command
    ? {
        command: command as LockCommand,
        user: a[ANNOTATION.user] ?? 'unknown',
        host: a[ANNOTATION.host] ?? 'unknown',
        pid: Number(a[ANNOTATION.pid] ?? 0),
        startedAt: a[ANNOTATION.startedAt] ?? '',
        nonce: a[ANNOTATION.nonce] ?? '',
      }
    : undefined;
  const renewed = spec.renewTime ? Date.parse(spec.renewTime) : NaN;
  return {
    identity: spec.holderIdentity ?? '',
    ...(holder ? { holder } : {}),
    renewedAt: Number.isNaN(renewed) ? 0 : renewed,
    ...(spec.acquireTime ? { acquireTime: spec.acquireTime } : {}),
    durationMs: (spec.leaseDurationSeconds ?? LEASE_DURATION_S) * 1000,
    transitions: spec.leaseTransitions ?? 0,
    ...(lease.metadata.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}),
  };
}

/** Nobody holds it: released, or not renewed within its duration (its holder died or lost the API server). */
export function isFree(state: LeaseState, now: number): boolean {
  return state.identity === '' || now - state.renewedAt > state.durationMs;
}
