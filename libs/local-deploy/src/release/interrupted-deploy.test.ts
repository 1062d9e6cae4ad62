import { afterEach, describe, expect, it } from 'vitest';
import type { Runner } from '@llmops-rag/platform';
import { BufferOutput, type FakeKube } from '../testing/fakes.js';
import { decoded, ID_V1, ID_V2, liveState, release, releaseCluster } from '../testing/release-cluster.js';
import { currentHolder } from '../lock/holder.js';
import { leaseFor, leaseRef, readLease } from '../lock/lease.js';
import { runRollback } from './rollback.js';
import { listReleases } from './store.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A pod that never gets Ready and is not hopeless either: the rollout wait runs until its timeout (30 s here) or a signal. */
const containerCreating = {
  phase: 'Pending',
  containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
};

/**
 * A controller whose signal fires 1.5 s (on the fake cluster's clock) into the next deploy's first wait: time stands
 * still until something sleeps, and the first thing a deploy sleeps in is the rollout wait, after its apply.
 */
function abortDuringRollout(kube: FakeKube, signal = 'SIGINT'): AbortController {
  const controller = new AbortController();
  kube.clock.at(kube.clock.now() + 1500, () => controller.abort(signal));
  return controller;
}

describe('a deploy interrupted by SIGINT/SIGTERM (fake API server)', () => {
  it('during the rollout wait: stops waiting at once, restores the previous release, records the interruption and prints the checklist', async () => {
    const { kube, deploy } = releaseCluster(cleanups, { failingStatus: containerCreating });
    expect((await deploy(release('info'), ID_V1, 'sk-proj-first-0001')).result.revision).toBe(1);
    const before = await liveState(kube);

    const controller = abortDuringRollout(kube);
    const started = kube.clock.now();
    const bad = await deploy(release('debug'), ID_V2, 'sk-proj-second-0002', { signal: controller.signal });
    // The wait's timeout is 30 s: the signal, not the timeout, ended it (the restore's wait comes after).
    expect(kube.clock.now() - started).toBeLessThan(10_000);
    expect(bad.out.text).toMatch(/▶ Rollout\n( {2}rollout: .*\n)+\n■ interrupted by SIGINT/);
    expect(bad.result).toMatchObject({ ok: false, interrupted: 'SIGINT', rolledBackTo: 1 });
    expect(bad.result.revision).toBeUndefined();
    expect(bad.out.text).toMatch(/\n■ interrupted by SIGINT during the rollout wait \(1\/1 updated, 0\/1 available, 1 old pending termination\)\n/);
    expect(bad.out.text).toContain('▶ Atomic rollback: restoring revision 1');
    expect(bad.out.text).toMatch(/✗ Rollout of deployment\/rag-api \.+ +\S+ {2}interrupted by SIGINT during the rollout wait/);
    expect(bad.out.text).toMatch(/✓ Roll back to revision 1 \.+/);
    expect(bad.out.text).toMatch(/✓ Failed release recorded \.+ +\S+ {2}revision 2 failed/);

    const after = await liveState(kube);
    expect(after).toEqual(before);
    expect(decoded(after.secret)).toEqual({ OPENAI_API_KEY: 'sk-proj-first-0001' });
    const { releases } = await listReleases(kube, 'dev');
    expect(releases.map((r) => [r.revision, r.status, r.description])).toEqual([
      [2, 'failed', 'interrupted by SIGINT during the rollout wait (1/1 updated, 0/1 available, 1 old pending termination); rolled back to revision 1'],
      [1, 'deployed', 'deploy'],
    ]);
  }, 60_000);

  it('--no-atomic: stops waiting, leaves the cluster as it was and records that', async () => {
    const { kube, deploy } = releaseCluster(cleanups, { failingStatus: containerCreating });
    await deploy(release('info'), ID_V1, 'sk-proj-first-0001');
    const controller = abortDuringRollout(kube, 'SIGTERM');
    const bad = await deploy(release('debug'), ID_V2, 'sk-proj-second-0002', { signal: controller.signal, atomic: false });
    expect(bad.result).toMatchObject({ ok: false, interrupted: 'SIGTERM' });
    expect(bad.out.text).toContain('--no-atomic: the cluster is left as the interrupted deploy made it.');
    expect(bad.out.text).not.toContain('Atomic rollback');
    expect((await liveState(kube)).configMap).toMatchObject({ LOG_LEVEL: 'debug' });
    const { releases } = await listReleases(kube, 'dev');
    expect(releases[0]).toMatchObject({
      revision: 2,
      status: 'failed',
      description: 'interrupted by SIGTERM during the rollout wait (1/1 updated, 0/1 available, 1 old pending termination); left as it was (--no-atomic)',
    });
  }, 60_000);

  it('before the first change (during the image load): finishes that step, changes nothing and says so', async () => {
    const controller = new AbortController();
    let armed = false;
    // The image load is where the signal comes: the load itself completes (a safe point), nothing after it runs.
    const abortDuringLoad = (runner: Runner): Runner => ({
      which: (c) => runner.which(c),
      run: async (c, args, o) => {
        const result = await runner.run(c, args, o);
        if (armed && c.endsWith('minikube') && args.includes('load')) controller.abort('SIGINT');
        return result;
      },
    });
    const { kube, deploy } = releaseCluster(cleanups, { wrapRunner: abortDuringLoad });
    await deploy(release('info'), ID_V1, 'sk-proj-first-0001');
    armed = true;
    const before = await liveState(kube);
    const versions = (await kube.listNamespace('dev')).objects.map((o) => o.metadata.resourceVersion);

    const stopped = await deploy(release('debug'), ID_V2, 'sk-proj-second-0002', { signal: controller.signal });
    expect(stopped.result).toMatchObject({ ok: false, interrupted: 'SIGINT' });
    expect(stopped.out.text).toContain('\n■ interrupted by SIGINT before anything was changed in the cluster: nothing to restore');
    expect(stopped.out.text).toMatch(/✓ Image in cluster \.+/);
    expect(stopped.out.text).toMatch(/✗ Stopped by SIGINT \.+ +\S+ {2}before the first change: nothing to restore/);
    expect(stopped.out.text).not.toContain('▶ Apply');
    expect(await liveState(kube)).toEqual(before);
    expect((await kube.listNamespace('dev')).objects.map((o) => o.metadata.resourceVersion)).toEqual(versions);
    expect((await listReleases(kube, 'dev')).releases.map((r) => r.revision)).toEqual([1]);
  }, 60_000);

  it("while it waits for another operation's lock: stops waiting at once, changes nothing, leaves the other holder its lock", async () => {
    const { kube, deploy } = releaseCluster(cleanups);
    await deploy(release('info'), ID_V1, 'sk-proj-first-0001');
    const before = await liveState(kube);
    // Alice's deploy holds the namespace (a fresh Lease); this one would wait up to its 30 s timeout.
    const t = { now: 1_000_000 };
    await kube.create(leaseFor('dev', currentHolder('deploy', t.now, { user: 'alice', host: 'laptop', pid: 4242 }), t.now), 'llmops-rag-lock');
    const controller = new AbortController();
    let sleeps = 0;
    const lock = {
      clock: {
        now: () => t.now,
        sleep: async (ms: number) => {
          t.now += ms;
          if (++sleeps === 2) controller.abort('SIGINT');
          await new Promise((r) => setTimeout(r, 5));
        },
      },
      holder: { user: 'bob', host: 'desk', pid: 7 },
    };
    const stopped = await deploy(release('debug'), ID_V2, 'sk-proj-second-0002', { signal: controller.signal }, {}, lock);
    expect(sleeps).toBe(2);
    expect(stopped.result).toMatchObject({ ok: false, interrupted: 'SIGINT' });
    expect(stopped.out.text).toContain('⏳ namespace dev is locked by deploy by alice@laptop pid 4242');
    expect(stopped.out.text).toContain('■ interrupted by SIGINT before anything was changed in the cluster: nothing to restore');
    expect(stopped.out.text).not.toContain('▶ Apply');
    expect(await liveState(kube)).toEqual(before);
    expect(readLease((await kube.get(leaseRef('dev')))!).holder?.user).toBe('alice');
    expect((await listReleases(kube, 'dev')).releases.map((r) => r.revision)).toEqual([1]);
  }, 60_000);

  it('a rollback interrupted during its rollout restores what ran before it and records "rollback to N"', async () => {
    // Revision 1's pods (ID_V1) never get Ready, so the rollback to it waits until the signal.
    const { kube, deploy, host } = releaseCluster(cleanups, { failing: ID_V1, failingStatus: containerCreating });
    // Revision 1 (a first deploy, left as it was by --no-atomic) is recorded, so there is a revision 1 to return to.
    await deploy(release('info'), ID_V1, 'sk-proj-first-0001', { signal: abortDuringRollout(kube).signal, atomic: false });
    expect((await deploy(release('debug'), ID_V2, 'sk-proj-second-0002')).result.revision).toBe(2);
    const before = await liveState(kube);

    const controller = abortDuringRollout(kube);
    const out = new BufferOutput();
    const result = await runRollback(
      { namespace: 'dev', to: 1, timeoutMs: 30_000, workspaceRoot: '/nonexistent', envFile: '/nonexistent/.env', signal: controller.signal },
      { runner: host.runner, out, kubeContext: () => host.context, kubeApi: () => kube, clock: kube.clock, env: {} },
    );
    expect(result).toMatchObject({ ok: false, interrupted: 'SIGINT', rolledBackTo: 2 });
    expect(out.text).toContain('▶ Atomic rollback: restoring revision 2');
    expect(out.text).toContain('Rollback checklist');
    expect(await liveState(kube)).toEqual(before);
    const { releases } = await listReleases(kube, 'dev');
    expect(releases[0]).toMatchObject({
      revision: 3,
      status: 'failed',
      description: expect.stringMatching(/^rollback to 1 .*failed: interrupted by SIGINT during the rollout wait .*; rolled back to revision 2$/),
    });
  }, 90_000);
});
