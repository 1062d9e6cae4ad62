import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@llmops-rag/contract';
import { systemClock, type Clock } from '../clock.js';
import { SECRET_CHECKSUM_ANNOTATION } from '../deploy.js';
import { LockBusyError } from '../lock/errors.js';
import { leaseFor } from '../lock/lease.js';
import { currentHolder } from '../lock/holder.js';
import { runTeardown } from '../teardown.js';
import { BufferOutput, templateAnnotation } from '../testing/fakes.js';
import { decoded, ID_V1, liveState, release, releaseCluster } from '../testing/release-cluster.js';
import { runHistory } from './history.js';
import { secretChecksum } from './redact.js';
import { listReleases } from './store.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const T0 = Date.parse('2026-12-07T09:29:05Z');
const quickSleep = () => new Promise<void>((r) => setTimeout(r, 1));
/** The lock's clock read from a test's own time `c.t` (its waits still take real time). */
const at = (c: { t: number }): Clock => ({ now: () => c.t, sleep: (ms, signal) => systemClock.sleep(ms, signal) });
/** A process that never renews its Lease (killed, or a test that drives time by hand). */
const noRenewal = () => () => undefined;

describe('one writer per namespace (fake API server)', () => {
  it('two deploys started at once: one writes while the other waits for the lock, then deploys; distinct revisions, and the deployed one describes the live Secret', async () => {
    const { kube, deploy } = releaseCluster(cleanups);
    expect((await deploy(release('info'), ID_V1, 'sk-proj-first-0001')).result.ok).toBe(true);
    // Which deploy each write of the Secret or the Deployment comes from, in order.
    const writes: string[] = [];
    const apply = kube.apply.bind(kube);
    kube.apply = async (object: KubeObject, manager, options) => {
      if (!options?.dryRun && object.kind === 'Secret' && object.metadata.name === 'rag-api-secrets') {
        writes.push(`${decoded((object as { data?: unknown }).data).OPENAI_API_KEY}:secret`);
      }
      if (!options?.dryRun && object.kind === 'Deployment') writes.push(`${templateAnnotation(object, SECRET_CHECKSUM_ANNOTATION)}:deployment`);
      return apply(object, manager, options);
    };
    const lock = (user: string) => ({
      holder: { user, host: 'laptop', pid: user === 'alice' ? 4242 : 5151 },
      clock: { now: () => Date.now(), sleep: quickSleep },
    });
    const [a, b] = await Promise.all([
      deploy(release('debug'), ID_V1, 'sk-proj-alice-0002', {}, {}, lock('alice')),
      deploy(release('warn'), ID_V1, 'sk-proj-bob-0003', {}, {}, lock('bob')),
    ]);
    expect(a.result.ok, a.out.text).toBe(true);
    expect(b.result.ok, b.out.text).toBe(true);
    const checksum = (value: string) => secretChecksum({ OPENAI_API_KEY: Buffer.from(value).toString('base64') });
    const [alice, bob] = [checksum('sk-proj-alice-0002'), checksum('sk-proj-bob-0003')];
    // Never interleaved: all of one deploy's writes, then all of the other's.
    expect([
      ['sk-proj-alice-0002:secret', `${alice}:deployment`, 'sk-proj-bob-0003:secret', `${bob}:deployment`],
      ['sk-proj-bob-0003:secret', `${bob}:deployment`, 'sk-proj-alice-0002:secret', `${alice}:deployment`],
    ]).toContainEqual(writes);
    const second = writes[0]?.startsWith('sk-proj-alice') ? b : a;
    expect(second.out.text).toMatch(
      /⏳ namespace dev is locked by deploy by (alice|bob)@laptop pid \d+, started \d\d:\d\d:\d\d UTC \(renewed \d+ s ago\); waiting/,
    );

    const { releases } = await listReleases(kube, 'dev');
    expect(releases.map((r) => [r.revision, r.status])).toEqual([
      [3, 'deployed'],
      [2, 'superseded'],
      [1, 'superseded'],
    ]);
    const live = await liveState(kube);
    expect(releases[0]?.secrets['rag-api-secrets']?.checksum).toBe(secretChecksum(live.secret as Record<string, string>));
    expect(await kube.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'llmops-rag-operation', namespace: 'dev' })).toBeUndefined();
  });

  it('a deploy killed between the ConfigMap and the Deployment: history says interrupted, and the next plain deploy takes over its lock and recovers', async () => {
    const { kube, deploy, runner, host } = releaseCluster(cleanups);
    expect((await deploy(release('info'), ID_V1, 'sk-proj-first-0001')).result.ok).toBe(true);

    // Alice's deploy hangs at the Deployment's apply and is never heard of again (kill -9): no renewal, no record.
    const clock = { t: T0 };
    let hung: () => void = () => undefined;
    const reachedDeployment = new Promise<void>((r) => (hung = r));
    const apply = kube.apply.bind(kube);
    let killing = true;
    kube.apply = async (object: KubeObject, manager, options) => {
      if (killing && object.kind === 'Deployment' && !options?.dryRun) {
        hung();
        return new Promise<KubeObject>(() => undefined);
      }
      return apply(object, manager, options);
    };
    void deploy(
      release('debug'),
      ID_V1,
      'sk-proj-alice-0002',
      {},
      {},
      {
        holder: { user: 'alice', host: 'laptop', pid: 4242 },
        clock: at(clock),
        every: noRenewal,
      },
    );
    await reachedDeployment;
    killing = false;
    expect((await liveState(kube)).configMap).toMatchObject({ LOG_LEVEL: 'debug' }); // the ConfigMap was applied
    clock.t += 41_000;

    const out = new BufferOutput();
    await runHistory({ namespace: 'dev' }, { runner, out, kubeContext: () => host.context, kubeApi: () => kube, lock: { clock: at(clock) } });
    expect(out.text).toMatch(/\n2 +\S+ +interrupted .* deploy \(interrupted while applying; not yet recovered\)\n1 +\S+ +deployed /);
    expect(out.text).toContain(
      '⚠ revision 2 (deploy by alice@laptop pid 4242, started 09:29:05 UTC) was interrupted while applying (since 09:29:05 UTC); the cluster may hold part of it',
    );
    expect(out.text).toContain('fix: a plain deploy (npx nx run k8s-manifests:deploy-minikube) or a rollback brings the namespace to a recorded release');

    const next = await deploy(
      release('warn'),
      ID_V1,
      'sk-proj-bob-0003',
      {},
      {},
      { holder: { user: 'bob', host: 'desk', pid: 99 }, clock: at(clock), every: noRenewal },
    );
    expect(next.result.ok, next.out.text).toBe(true);
    expect(next.out.text).toContain('🔒 took over the lock from deploy by alice@laptop pid 4242, started 09:29:05 UTC, not renewed for 41 s');
    expect(next.out.text).toContain('⚠ revision 2 (deploy by alice@laptop pid 4242, started 09:29:05 UTC) was interrupted while applying');
    expect(next.result.revision).toBe(3);
    const { releases } = await listReleases(kube, 'dev');
    expect(releases.map((r) => [r.revision, r.status])).toEqual([
      [3, 'deployed'],
      [2, 'interrupted'],
      [1, 'superseded'],
    ]);
    expect(releases[1]?.description).toMatch(/^deploy; interrupted while applying, found by deploy by bob@desk pid 99 at \d\d:\d\d:\d\d UTC$/);
    expect((await liveState(kube)).configMap).toMatchObject({ LOG_LEVEL: 'warn' });
  });

  it('a pending release whose operation still holds the lock is shown in progress, and a teardown meanwhile refuses with --no-wait, deleting nothing', async () => {
    const { kube, deploy, runner, host } = releaseCluster(cleanups);
    await deploy(release('info'), ID_V1, 'sk-proj-first-0001');
    let release2: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release2 = r));
    let waiting: () => void = () => undefined;
    const atDeployment = new Promise<void>((r) => (waiting = r));
    const apply = kube.apply.bind(kube);
    kube.apply = async (object: KubeObject, manager, options) => {
      if (object.kind === 'Deployment' && !options?.dryRun) {
        waiting();
        await gate;
      }
      return apply(object, manager, options);
    };
    const running = deploy(release('debug'), ID_V1, 'sk-proj-alice-0002', {}, {}, { holder: { user: 'alice', host: 'laptop', pid: 4242 }, every: noRenewal });
    await atDeployment;

    const history = new BufferOutput();
    await runHistory({ namespace: 'dev' }, { runner, out: history, kubeContext: () => host.context, kubeApi: () => kube });
    expect(history.text).toMatch(/\n2 +\S+ +pending .* deploy \(in progress: applying, deploy by alice@laptop pid 4242, started \d\d:\d\d:\d\d UTC\)\n/);
    expect(history.text).toMatch(/🔒 namespace dev is locked by deploy by alice@laptop pid 4242/);
    expect(history.text).not.toContain('interrupted');

    const teardown = runTeardown(
      { namespace: 'dev', label: { key: 'app.kubernetes.io/part-of', value: 'llmops-rag' }, timeoutMs: 10_000, wait: false },
      { runner, out: new BufferOutput(), kubeContext: () => host.context, kubeApi: () => kube, lock: { holder: { user: 'bob', host: 'desk', pid: 7 } } },
    );
    await expect(teardown).rejects.toBeInstanceOf(LockBusyError);
    await expect(teardown).rejects.toThrow(/lock on namespace dev: held by deploy by alice@laptop pid 4242/);
    expect(kube.deleted).not.toContain('Deployment/rag-api');
    release2();
    expect((await running).result.ok).toBe(true);
  });

  it('a deploy whose lock is taken over mid-way stops before its next change and records nothing more', async () => {
    const { kube, deploy } = releaseCluster(cleanups);
    await deploy(release('info'), ID_V1, 'sk-proj-first-0001');
    const clock = { t: T0 };
    let renew: () => void = () => undefined;
    const apply = kube.apply.bind(kube);
    kube.apply = async (object: KubeObject, manager, options) => {
      const applied = await apply(object, manager, options);
      if (object.kind === 'Deployment' && !options?.dryRun) {
        // Its process stalled (a laptop lid) for 45 s; another one took the expired lock; its renewal finds that out.
        clock.t += 45_000;
        const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'llmops-rag-operation', namespace: 'dev' };
        const live = (await kube.get(ref))!;
        await kube.replace(leaseFor('dev', currentHolder('rollback', clock.t, { user: 'carol', host: 'ci', pid: 1 }), clock.t, live), 'llmops-rag-lock');
        renew();
      }
      return applied;
    };
    const run = await deploy(
      release('debug'),
      ID_V1,
      'sk-proj-alice-0002',
      {},
      {},
      {
        clock: at(clock),
        every: (_ms, task) => {
          renew = task;
          return () => undefined;
        },
      },
    );
    expect(run.result.ok).toBe(false);
    expect(run.out.text).toContain(
      '✗ lost the lock on namespace dev: taken over by rollback by carol@ci pid 1, started 09:29:50 UTC at 09:29:50 UTC; stopped here and changed nothing more',
    );
    expect(run.out.text).not.toContain('Atomic rollback');
    // Its record stays pending: carol's operation (the lock holder now) reports it as interrupted.
    expect((await listReleases(kube, 'dev')).releases.map((r) => [r.revision, r.status])).toEqual([
      [2, 'pending'],
      [1, 'deployed'],
    ]);
  });
});
