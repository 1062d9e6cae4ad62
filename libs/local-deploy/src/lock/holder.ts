import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';

/** The operations that change a namespace, and so take its lock. */
export type LockCommand = 'deploy' | 'rollback' | 'teardown' | 'dev';

/** Who holds (or held) the lock: enough for a person to find the process, and to tell two of them apart. */
export interface Holder {
  command: LockCommand;
  user: string;
  host: string;
  pid: number;
  /** ISO time the operation took the lock. */
  startedAt: string;
  /** Random per operation: two operations of one process (dev's deploys, tests) are still two holders. */
  nonce: string;
}

/** This process as a lock holder; `overrides` lets tests run two "processes" in one. */
export function currentHolder(command: LockCommand, startedAt: number, overrides: Partial<Pick<Holder, 'user' | 'host' | 'pid'>> = {}): Holder {
  return {
    command,
    user: overrides.user ?? safeUser(),
    host: overrides.host ?? hostname(),
    pid: overrides.pid ?? process.pid,
    startedAt: new Date(startedAt).toISOString(),
    nonce: randomBytes(4).toString('hex'),
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The Lease's holderIdentity: unique per operation, readable on its own (`alice@laptop pid 4242 deploy 1a2b3c4d`). */
export function holderIdentity(holder: Holder): string {
  return `${holder.user}@${holder.host} pid ${holder.pid} ${holder.command} ${holder.nonce}`;
}

/** `deploy by alice@laptop pid 4242, started 09:29:05 UTC`. */
export function describeHolder(holder: Holder): string {
  return `${holder.command} by ${holder.user}@${holder.host} pid ${holder.pid}, started ${clockTime(holder.startedAt)}`;
}

/** `09:29:05 UTC`: the time of day of an ISO time, in UTC (the same on every machine that reads the cluster). */
export function clockTime(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : `${date.toISOString().slice(11, 19)} UTC`;
}

/** `41 s`, `3 min 5 s`. */
export function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
