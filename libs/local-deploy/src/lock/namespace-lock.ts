import { systemClock, type Clock } from '../clock.js';
import { stopIfInterrupted } from '../interrupted.js';
import type { KubeApi } from '../kube.js';
import type { Output } from '../types.js';
import type { KubeObject } from '@llmops-rag/contract';
import { LockBusyError, LockLostError } from './errors.js';
import { clockTime, currentHolder, describeHolder, holderIdentity, seconds, type Holder, type LockCommand } from './holder.js';
import { isFree, leaseFor, leaseRef, LOCK_MANAGER, readLease, RENEW_EVERY_MS, LEASE_DURATION_S, type LeaseState } from './lease.js';

export interface LockDeps {
  out: Output;
  /** The lock's time: the Lease's renew and expiry times, and the waits for another holder (default: the system's). */
  clock?: Clock;
  /** Who this process is (tests run two "processes" in one). */
  holder?: Partial<Pick<Holder, 'user' | 'host' | 'pid'>>;
  /** Runs `task` every `ms` until the returned stop is called (default: an unref'd setInterval). A test's "killed" process passes one that never runs. */
  every?: (ms: number, task: () => void) => () => void;
}

export interface LockRequest {
  namespace: string;
  command: LockCommand;
  /** How long to wait for another holder (0: refuse at once, --no-wait). */
  waitMs: number;
  /** Makes the namespace when it does not exist (a first deploy); without it, a missing namespace means there is nothing to lock. */
  ensureNamespace?: () => Promise<void>;
  /** The command's Ctrl-C/SIGTERM: ends the wait for another holder at once (StoppedBeforeChange: nothing was changed). */
  signal?: AbortSignal | undefined;
}

/** How often a waiting operation looks at the Lease again, and says who holds it. */
const POLL_MS = 2000;
const SAY_EVERY_MS = 10_000;

/** `deploy by alice@laptop pid 4242, started 09:29:05 UTC`, or the bare holderIdentity of a Lease someone else wrote. */
export function describeLease(state: LeaseState): string {
  return state.holder ? describeHolder(state.holder) : state.identity || 'nobody';
}

/**
 * Takes the namespace's lock: creates the Lease, or, when one exists, waits until it is released or expires
 * (printing who holds it at least every 10 s) and takes it over with an update carrying the resourceVersion it
 * read, so two waiters cannot both win. Throws LockBusyError when the wait runs out. Returns undefined when the
 * namespace does not exist and `ensureNamespace` is not given (nothing there to change).
 */
export async function acquireLock(api: KubeApi, request: LockRequest, deps: LockDeps): Promise<NamespaceLock | undefined> {
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const { namespace } = request;
  const started = now();
  const holder = currentHolder(request.command, started, deps.holder);
  let lastSaid = -Infinity;
  let ensured = 0;
  const wait = async (what: string, busy: { heldBy: string; problem: string; fix: string }) => {
    const waited = now() - started;
    if (waited >= request.waitMs) {
      throw new LockBusyError(namespace, busy.heldBy, `${busy.problem}${request.waitMs > 0 ? `; waited ${seconds(waited)}` : ''}`, busy.fix);
    }
    if (now() - lastSaid >= SAY_EVERY_MS) {
      deps.out.line(`  ⏳ ${what}; waiting (${seconds(waited)} of ${seconds(request.waitMs)})`);
      lastSaid = now();
    }
    stopIfInterrupted(request.signal);
    await clock.sleep(Math.min(POLL_MS, request.waitMs - waited), request.signal);
    stopIfInterrupted(request.signal);
  };

  for (;;) {
    try {
      const created = await api.create(leaseFor(namespace, holder, now()), LOCK_MANAGER);
      deps.out.line(
        `  🔒 namespace ${namespace} locked by this ${request.command} (Lease ${leaseRef(namespace).name}, renewed every ${seconds(RENEW_EVERY_MS)})`,
      );
      return new NamespaceLock(api, namespace, holder, created, undefined, deps);
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 404 && /namespace/i.test(String((error as Error).message))) {
        if (!request.ensureNamespace) return undefined;
        if (ensured++ > 3) throw error;
        await request.ensureNamespace();
        continue;
      }
      if (code === 403 && /being terminated/i.test(String((error as Error).message))) {
        await wait(`namespace ${namespace} is being deleted (a teardown?)`, {
          heldBy: 'the namespace being deleted',
          problem: `namespace ${namespace} is being deleted`,
          fix: `wait until \`kubectl get namespace ${namespace}\` says NotFound, then run it again`,
        });
        continue;
      }
      if (code !== 409) throw error;
    }
    const live = await api.get(leaseRef(namespace));
    if (!live) continue; // released between the create and the read: try again
    const state = readLease(live);
    if (isFree(state, now())) {
      const taken = await takeOver(api, namespace, holder, live, now());
      if (!taken) continue; // another waiter won the update: read again
      if (state.identity) {
        deps.out.line(
          `  🔒 took over the lock from ${describeLease(state)}, not renewed for ${seconds(now() - state.renewedAt)} ` +
            `(a Lease not renewed within ${LEASE_DURATION_S} s is free: its holder was killed or lost the API server)`,
        );
      } else {
        deps.out.line(`  🔒 namespace ${namespace} locked by this ${request.command}`);
      }
      return new NamespaceLock(api, namespace, holder, taken, state.identity ? state : undefined, deps);
    }
    const who = describeLease(state);
    await wait(`namespace ${namespace} is locked by ${who} (renewed ${seconds(now() - state.renewedAt)} ago)`, {
      heldBy: who,
      problem: `held by ${who}, renewed ${seconds(now() - state.renewedAt)} ago`,
      fix:
        `let it finish, or stop it (Ctrl-C in its terminal${state.holder ? `, or \`kill ${state.holder.pid}\` on ${state.holder.host}` : ''}); ` +
        `a lock whose process died frees itself ${LEASE_DURATION_S} s after its last renewal. Give --timeout to wait longer`,
    });
  }
}

/** The update that takes a free Lease, with the resourceVersion read as its precondition; undefined when another writer got there first (409). */
async function takeOver(api: KubeApi, namespace: string, holder: Holder, live: KubeObject, now: number): Promise<KubeObject | undefined> {
  try {
    return await api.replace(leaseFor(namespace, holder, now, live), LOCK_MANAGER);
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 409 || code === 404) return undefined;
    throw error;
  }
}

/**
 * A held lock: renewed every RENEW_EVERY_MS until released. When a renewal finds the Lease taken over (or
 * deleted), or none has succeeded for the Lease's duration, the lock is lost: `assertHeld` throws and `signal` aborts,
 * so the operation stops changing the namespace.
 */
export class NamespaceLock {
  private lost?: string;
  private renewing?: Promise<void>;
  private lastRenewed: number;
  private readonly stopRenewal: () => void;
  private readonly controller = new AbortController();
  private readonly now: () => number;
  private released = false;
  private readonly out: Output;

  constructor(
    private readonly api: KubeApi,
    readonly namespace: string,
    readonly holder: Holder,
    private lease: KubeObject,
    /** The expired Lease this one took over, when it did. */
    readonly tookOverFrom: LeaseState | undefined,
    deps: LockDeps,
  ) {
    const clock = deps.clock ?? systemClock;
    this.now = () => clock.now();
    this.out = deps.out;
    this.lastRenewed = this.now();
    const every =
      deps.every ??
      ((ms: number, task: () => void) => {
        const timer = setInterval(task, ms);
        timer.unref();
        return () => clearInterval(timer);
      });
    this.stopRenewal = every(RENEW_EVERY_MS, () => void this.renew());
  }

  /** The Lease's holderIdentity: what a pending release record names as its writer. */
  get identity(): string {
    return holderIdentity(this.holder);
  }

  /** Now, as an ISO time, by the lock's clock (the times a release records). */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** Aborts when the lock is lost. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the lock was lost, or undefined while it is held. */
  get lostBecause(): string | undefined {
    if (this.lost) return this.lost;
    const silent = this.now() - this.lastRenewed;
    if (!this.released && silent > LEASE_DURATION_S * 1000) return `no renewal succeeded for ${seconds(silent)}: another operation may have taken it over`;
    return undefined;
  }

  /** Throws LockLostError when the lock is lost: call before each change. */
  assertHeld(): void {
    const why = this.lostBecause;
    if (why) throw new LockLostError(this.namespace, why);
  }

  /** One renewal: an update carrying the resourceVersion of our last write. */
  renew(): Promise<void> {
    if (this.released || this.lost) return Promise.resolve();
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        this.lease = await this.api.replace(leaseFor(this.namespace, this.holder, this.now(), this.lease), LOCK_MANAGER);
        this.lastRenewed = this.now();
        return;
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === 404) return this.lose('its Lease was deleted (was the namespace deleted?)');
        if (code !== 409) return; // the API server did not answer: try again next time; lostBecause counts the silence
        const live = await this.api.get(leaseRef(this.namespace)).catch(() => undefined);
        if (!live) return this.lose('its Lease was deleted (was the namespace deleted?)');
        const state = readLease(live);
        if (state.identity !== this.identity) {
          return this.lose(`taken over by ${describeLease(state)} at ${clockTime(state.renewedAt)}`);
        }
        this.lease = live; // someone else touched it (kubectl annotate…): still ours, renew on top of it
      }
    }
  }

  private lose(why: string): void {
    this.lost = why;
    this.stopRenewal();
    this.controller.abort(new LockLostError(this.namespace, why));
  }

  /** Deletes the Lease if it is still ours (precondition: the resourceVersion of our last write). Never throws: a Lease left behind expires by itself. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopRenewal();
    await this.renewing;
    if (this.lost) return;
    try {
      await this.api.delete(leaseRef(this.namespace), {
        ...(this.lease.metadata.resourceVersion ? { resourceVersion: this.lease.metadata.resourceVersion } : {}),
      });
    } catch (error) {
      this.out.line(
        `  ⚠ could not release the lock on namespace ${this.namespace} (${(error as Error).message}); it frees itself within ${LEASE_DURATION_S} s`,
      );
    }
  }
}
