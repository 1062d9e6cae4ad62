import { describe, expect, it } from 'vitest';
import { BufferOutput, FakeKube } from '../testing/fakes.js';
import { LockBusyError, LockLostError, exitWithLockOutcome } from './errors.js';
import { currentHolder } from './holder.js';
import { leaseFor, leaseRef, readLease } from './lease.js';
import { acquireLock, type LockDeps } from './namespace-lock.js';

const T0 = Date.parse('2026-12-07T09:29:05Z');

/** A cluster with namespace dev, and a clock that only the waiting operation's sleeps move. */
async function cluster() {
  const kube = new FakeKube();
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }, 'deploy');
  const clock = { t: T0 };
  const slept: number[] = [];
  const deps = (user: string, extra: Partial<Omit<LockDeps, 'out'>> = {}): LockDeps & { out: BufferOutput } => ({
    out: new BufferOutput(),
    clock: {
      now: () => clock.t,
      sleep: async (ms: number) => {
        slept.push(ms);
        clock.t += ms;
      },
    },
    holder: { user, host: 'laptop', pid: user === 'alice' ? 4242 : 5151 },
    every: () => () => undefined, // renewal is driven by hand in these tests
    ...extra,
  });
  return { kube, clock, slept, deps };
}

/** A Lease another process wrote at `at`: `deploy by alice@laptop pid 4242`. */
async function heldByAlice(kube: FakeKube, at: number) {
  return kube.create(leaseFor('dev', currentHolder('deploy', at, { user: 'alice', host: 'laptop', pid: 4242 }), at), 'llmops-rag-lock');
}

describe('the namespace lock (a coordination.k8s.io/v1 Lease on the fake API server)', () => {
  it('takes a free namespace with a create, naming the holder in the Lease; release deletes it', async () => {
    const { kube, deps } = await cluster();
    const d = deps('bob');
    const lock = await acquireLock(kube, { namespace: 'dev', command: 'deploy', waitMs: 0 }, d);
    const lease = await kube.get(leaseRef('dev'));
    expect(lease?.spec).toMatchObject({ leaseDurationSeconds: 30, renewTime: '2026-12-07T09:29:05.000000Z', leaseTransitions: 0 });
    expect(readLease(lease!).holder).toMatchObject({ command: 'deploy', user: 'bob', host: 'laptop', pid: 5151, startedAt: '2026-12-07T09:29:05.000Z' });
    expect(d.out.text).toContain('🔒 namespace dev locked by this deploy');
    await lock?.release();
    expect(await kube.get(leaseRef('dev'))).toBeUndefined();
  });

  it('waits while a live holder renews it, saying who and since when at least every 10 s, then refuses (exit 3, outcome locked)', async () => {
    const { kube, clock, slept, deps } = await cluster();
    await heldByAlice(kube, T0);
    const d = deps('bob');
    // Alice's process is alive: it renews its Lease every 10 s while Bob waits.
    const sleep = d.clock!.sleep;
    d.clock = {
      now: d.clock!.now,
      sleep: async (ms: number) => {
        await sleep(ms);
        const live = (await kube.get(leaseRef('dev')))!;
        if ((clock.t - T0) % 10_000 === 0) await kube.replace(leaseFor('dev', readLease(live).holder!, clock.t, live), 'llmops-rag-lock');
      },
    };
    const error = await acquireLock(kube, { namespace: 'dev', command: 'teardown', waitMs: 45_000 }, d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as Error).message).toBe(
      '✗ lock on namespace dev: held by deploy by alice@laptop pid 4242, started 09:29:05 UTC, renewed 5 s ago; waited 45 s\n' +
        '    fix: let it finish, or stop it (Ctrl-C in its terminal, or `kill 4242` on laptop); a lock whose process died frees itself 30 s after its last renewal. Give --timeout to wait longer',
    );
    const waiting = d.out.lines.filter((l) => l.includes('⏳'));
    expect(waiting[0]).toBe('  ⏳ namespace dev is locked by deploy by alice@laptop pid 4242, started 09:29:05 UTC (renewed 0 s ago); waiting (0 s of 45 s)');
    expect(waiting).toHaveLength(5); // 0, 10, 20, 30, 40 s
    expect(slept.reduce((a, b) => a + b, 0)).toBe(45_000);
    expect(readLease((await kube.get(leaseRef('dev')))!).holder?.user).toBe('alice');
    // The command maps it to its own outcome.
    const said: string[] = [];
    expect(await exitWithLockOutcome('teardown', Promise.reject(error), (t) => said.push(t))).toEqual({
      exitCode: 3,
      name: 'locked',
      reason: 'lock on namespace dev: held by deploy by alice@laptop pid 4242, started 09:29:05 UTC',
    });
    expect(said[0]).toContain('teardown refused before changing anything');
  });

  it('--no-wait refuses at once, without sleeping', async () => {
    const { kube, slept, deps } = await cluster();
    await heldByAlice(kube, T0);
    await expect(acquireLock(kube, { namespace: 'dev', command: 'deploy', waitMs: 0 }, deps('bob'))).rejects.toThrow(
      'lock on namespace dev: held by deploy by alice@laptop pid 4242, started 09:29:05 UTC, renewed 0 s ago\n',
    );
    expect(slept).toEqual([]);
  });

  it('takes over a Lease not renewed for longer than its duration (its holder was killed) and says from whom', async () => {
    const { kube, clock, deps } = await cluster();
    await heldByAlice(kube, T0);
    clock.t = T0 + 41_000;
    const d = deps('bob');
    const lock = await acquireLock(kube, { namespace: 'dev', command: 'deploy', waitMs: 0 }, d);
    expect(d.out.text).toContain(
      '🔒 took over the lock from deploy by alice@laptop pid 4242, started 09:29:05 UTC, not renewed for 41 s (a Lease not renewed within 30 s is free',
    );
    expect(lock?.tookOverFrom?.holder?.user).toBe('alice');
    const lease = readLease((await kube.get(leaseRef('dev')))!);
    expect(lease).toMatchObject({ transitions: 1, holder: { user: 'bob' } });
  });

  it('of two waiters taking over the same expired Lease, the update with the stale resourceVersion loses (409) and the loser sees the winner', async () => {
    const { kube, clock, deps } = await cluster();
    await heldByAlice(kube, T0);
    clock.t = T0 + 60_000;
    const [bob, carol] = [deps('bob'), deps('carol')];
    const results = await Promise.allSettled([
      acquireLock(kube, { namespace: 'dev', command: 'deploy', waitMs: 0 }, bob),
      acquireLock(kube, { namespace: 'dev', command: 'rollback', waitMs: 0 }, carol),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    const winner = readLease((await kube.get(leaseRef('dev')))!).holder;
    expect(lost.reason).toBeInstanceOf(LockBusyError);
    expect((lost.reason as Error).message).toContain(`held by ${winner?.command} by ${winner?.user}@laptop`);
  });

  it('a renewal that finds the Lease taken over loses the lock: assertHeld throws, and release leaves the new holder alone', async () => {
    const { kube, clock, deps } = await cluster();
    let renew: () => void = () => undefined;
    const d = deps('bob', {
      every: (_ms, task) => {
        renew = task;
        return () => undefined;
      },
    });
    const lock = (await acquireLock(kube, { namespace: 'dev', command: 'deploy', waitMs: 0 }, d))!;
    clock.t += 10_000;
    renew();
    await lock.renew();
    expect(readLease((await kube.get(leaseRef('dev')))!).renewedAt).toBe(T0 + 10_000);
    expect(() => lock.assertHeld()).not.toThrow();

    // Bob's process stalls past the Lease's duration; Alice takes it over.
    clock.t += 45_000;
    const live = (await kube.get(leaseRef('dev')))!;
    await kube.replace(leaseFor('dev', currentHolder('deploy', clock.t, { user: 'alice', host: 'laptop', pid: 4242 }), clock.t, live), 'llmops-rag-lock');
    expect(() => lock.assertHeld()).toThrow(LockLostError); // its own clock already says so
    await lock.renew();
    expect(lock.signal.aborted).toBe(true);
    expect(lock.lostBecause).toBe('taken over by deploy by alice@laptop pid 4242, started 09:30:00 UTC at 09:30:00 UTC');
    await lock.release();
    expect(readLease((await kube.get(leaseRef('dev')))!).holder?.user).toBe('alice');
  });

  it('a namespace that does not exist: made first when the request can (a deploy), else nothing to lock', async () => {
    const kube = new FakeKube();
    const out = new BufferOutput();
    expect(await acquireLock(kube, { namespace: 'dev', command: 'teardown', waitMs: 0 }, { out, every: () => () => undefined })).toBeUndefined();
    const lock = await acquireLock(
      kube,
      {
        namespace: 'dev',
        command: 'deploy',
        waitMs: 0,
        ensureNamespace: async () => void (await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }, 'deploy')),
      },
      { out, every: () => () => undefined },
    );
    expect(lock).toBeDefined();
    expect(await kube.get(leaseRef('dev'))).toBeDefined();
  });
});
