import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '@llmops-rag/platform';
import type { ContextInfo } from '../cluster-kinds.js';
import { PreflightError } from '../preflight-error.js';
import { BufferOutput } from '../testing/fakes.js';
import { decoded, ID_V1, ID_V2, ID_V3, liveState, release, releaseCluster } from '../testing/release-cluster.js';
import { runHistory } from './history.js';
import { toReleaseSecret } from './record.js';
import { runRollback, type RollbackOptions } from './rollback.js';
import { listReleases } from './store.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Three good releases: LOG_LEVEL info (image 1), debug (image 3), warn (image 3). */
async function threeReleases() {
  const cluster = releaseCluster(cleanups);
  const first = await cluster.deploy(release('info'), ID_V1, 'sk-proj-key-0001');
  const state1 = await liveState(cluster.kube);
  await cluster.deploy(release('debug'), ID_V3, 'sk-proj-key-0001');
  await cluster.deploy(release('warn'), ID_V3, 'sk-proj-key-0001');
  expect((await listReleases(cluster.kube, 'dev')).releases.map((r) => r.status)).toEqual(['deployed', 'superseded', 'superseded']);
  expect(first.result.ok, first.out.text).toBe(true);
  return { ...cluster, state1 };
}

function rollback(
  cluster: ReturnType<typeof releaseCluster>,
  extra: Partial<RollbackOptions> = {},
  env: Record<string, string> = { OPENAI_API_KEY: 'sk-proj-key-0001' },
) {
  const out = new BufferOutput();
  const run = runRollback(
    { namespace: 'dev', timeoutMs: 30_000, workspaceRoot: '/nonexistent-workspace', ...extra },
    { runner: cluster.runner, out, kubeContext: () => cluster.host.context, kubeApi: () => cluster.kube, clock: cluster.kube.clock, env },
  );
  return { run, out };
}

describe('rollback (fake API server)', () => {
  it('--to=1 restores revision 1 exactly (ConfigMap, Secret, pod template), verifies it and records it as revision 4', async () => {
    const cluster = await threeReleases();
    const { run, out } = rollback(cluster, { to: 1 });
    const result = await run;
    expect(result.ok, out.text).toBe(true);
    expect(result.revision).toBe(4);
    expect(await liveState(cluster.kube)).toEqual(cluster.state1);
    // Revision 1's own build, not revision 3's: the image is part of the restored template.
    expect((await liveState(cluster.kube)).image).toBe('llmops-rag-api:id-111111111111');
    expect(out.text).toContain('Secret rag-api-secrets: kept the live values (same keys as revision 1: OPENAI_API_KEY)');
    expect(out.text).toMatch(/Secret rag-api-secrets: checksum [0-9a-f]{16} equals revision 1's/);
    expect(out.text).toContain('revision 1 runs its own build, llmops-rag-api:id-111111111111');
    expect(out.text).not.toContain('⚠ revision 1 ran image');
    expect(out.text).toMatch(/✓ GET \/health\/ready/); // the deploy's verify checklist ran
    expect(out.text).toContain('Rollback checklist:');
    const { releases } = await listReleases(cluster.kube, 'dev');
    expect(releases.map((r) => [r.revision, r.status, r.description])).toEqual([
      [4, 'deployed', 'rollback to 1'],
      [3, 'superseded', 'deploy'],
      [2, 'superseded', 'deploy'],
      [1, 'superseded', 'deploy'],
    ]);
    expect(releases[0]?.digest).toBe(releases[3]?.digest);
    expect(releases[0]?.imageId).toBe(`sha256:${ID_V1}`);
  });

  it('warns that new pods run the latest build when revision N was deployed from an archive without the id tag', async () => {
    const cluster = releaseCluster(cleanups);
    await cluster.deploy(release('info'), ID_V1, 'sk-proj-key-0001', {}, { idTag: false });
    await cluster.deploy(release('debug'), ID_V3, 'sk-proj-key-0001', {}, { idTag: false });
    const { run, out } = rollback(cluster, { to: 1 });
    const result = await run;
    expect(result.ok, out.text).toBe(true);
    expect((await liveState(cluster.kube)).image).toBe('llmops-rag-api:latest');
    expect(out.text).toContain(
      `⚠ revision 1 ran image sha256:111111111111 under llmops-rag-api:latest (deployed before the image was pinned to its ID tag); ` +
        `the cluster's llmops-rag-api:latest is the one revision 2 loaded (sha256:333333333333). ` +
        "New pods start from that image: to run revision 1's code, check out its commit and deploy.",
    );
  });

  it('without --to returns to the release before the current one', async () => {
    const cluster = await threeReleases();
    cluster.kube.env.LOG_LEVEL = 'debug'; // what revision 2's pod prints as its env
    const { run, out } = rollback(cluster);
    const result = await run;
    expect(result.ok, out.text).toBe(true);
    expect((await liveState(cluster.kube)).configMap).toMatchObject({ LOG_LEVEL: 'debug' });
    expect((await listReleases(cluster.kube, 'dev')).releases[0]?.description).toBe('rollback to 2');
  });

  it('after --no-atomic left a failed release in place, the default is the last good one', async () => {
    const cluster = releaseCluster(cleanups);
    await cluster.deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    const before = await liveState(cluster.kube);
    await cluster.deploy(release('debug'), ID_V2, 'sk-proj-key-0001', { atomic: false });
    const { run, out } = rollback(cluster);
    expect((await run).ok, out.text).toBe(true);
    expect(await liveState(cluster.kube)).toEqual(before);
  });

  it('refuses when the cluster holds the only good release (an atomic deploy already rolled back)', async () => {
    const cluster = releaseCluster(cleanups);
    await cluster.deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    await cluster.deploy(release('debug'), ID_V2, 'sk-proj-key-0001');
    const { run } = rollback(cluster);
    await expect(run).rejects.toThrow(PreflightError);
    await expect(run).rejects.toThrow('revision 1 is what the cluster holds and no earlier release rolled out (revisions: 1, 2)');
  });

  it('an unknown --to is a usage error naming the flag, the value and the revisions there', async () => {
    const cluster = await threeReleases();
    const { run } = rollback(cluster, { to: 7 });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow('--to=7: no revision 7 in namespace dev; the revisions there are 1, 2, 3');
    expect((await listReleases(cluster.kube, 'dev')).releases).toHaveLength(3);
  });

  it("rebuilds the Secret from the environment when the live one's keys differ, and says the checksum differs", async () => {
    const cluster = await threeReleases();
    const live = await cluster.kube.get({ apiVersion: 'v1', kind: 'Secret', name: 'rag-api-secrets', namespace: 'dev' });
    cluster.kube.put({ ...live!, data: { RENAMED_KEY: Buffer.from('x').toString('base64') } }, 'kubectl-edit');
    const { run, out } = rollback(cluster, { to: 1 }, { OPENAI_API_KEY: 'sk-proj-rotated-0009' });
    const result = await run;
    expect(out.text).toContain('Secret rag-api-secrets: built from the environment/.env (the live Secret has keys RENAMED_KEY, revision 1 has OPENAI_API_KEY)');
    expect(out.text).toContain('OPENAI_API_KEY: from the environment');
    expect(out.text).toMatch(/checksum [0-9a-f]{16} differs from revision 1's [0-9a-f]{16}: the values changed since/);
    expect(out.text).not.toContain('sk-proj-rotated-0009');
    expect(decoded((await liveState(cluster.kube)).secret)).toMatchObject({ OPENAI_API_KEY: 'sk-proj-rotated-0009' });
    expect(result.revision).toBe(4);
  });

  it("says in its description that the Secret values were kept from the live Secret when they are not the revision's", async () => {
    const cluster = releaseCluster(cleanups);
    await cluster.deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    await cluster.deploy(release('debug'), ID_V1, 'sk-proj-rotated-0002');
    const { run, out } = rollback(cluster, { to: 1 });
    expect((await run).ok, out.text).toBe(true);
    expect((await listReleases(cluster.kube, 'dev')).releases[0]?.description).toBe(
      'rollback to 1 (Secret rag-api-secrets values kept from the live Secret; revision 1 had other values)',
    );
    expect(decoded((await liveState(cluster.kube)).secret)).toEqual({ OPENAI_API_KEY: 'sk-proj-rotated-0002' });
  });

  it('a failed rollback keeps its intent in the record: "rollback to 2 failed: …; rolled back to revision 3"', async () => {
    const cluster = releaseCluster(cleanups);
    await cluster.deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    await cluster.deploy(release('debug'), ID_V2, 'sk-proj-key-0001', { atomic: false }); // its image crash-loops
    await cluster.deploy(release('warn'), ID_V1, 'sk-proj-key-0001');
    const { run, out } = rollback(cluster, { to: 2 });
    const result = await run;
    expect(result.ok).toBe(false);
    expect(result.rolledBackTo).toBe(3);
    const { releases } = await listReleases(cluster.kube, 'dev');
    expect(releases.map((r) => [r.revision, r.status])).toEqual([
      [4, 'failed'],
      [3, 'deployed'],
      [2, 'failed'],
      [1, 'superseded'],
    ]);
    expect(releases[0]?.description).toMatch(/^rollback to 2 failed: rollout failed: pod rag-api-\w+-\w+: CrashLoopBackOff; rolled back to revision 3$/);
    expect(out.text).toContain('rolled back to revision 3');
  });

  it('after an interrupted deploy, the default is the release deployed before it (the last known state)', async () => {
    const cluster = await threeReleases();
    const { kube } = cluster;
    // Revision 4 was left pending by a process that died: its Lease expired long ago.
    const { by: _by, ...latest } = (await listReleases(kube, 'dev')).releases[0]!;
    kube.put(
      toReleaseSecret({ ...latest, revision: 4, status: 'pending', phase: 'applying', holderIdentity: 'gone', description: 'deploy' }, 'dev'),
      'llmops-rag-release',
    );
    kube.env.LOG_LEVEL = 'warn'; // what revision 3's pod prints as its env
    const { run, out } = rollback(cluster);
    expect((await run).ok, out.text).toBe(true);
    expect(out.text).toContain('revision 4 was interrupted: back to revision 3, the last release deployed');
    expect(out.text).toContain('⚠ revision 4 was interrupted while applying; the cluster may hold part of it');
    expect((await listReleases(kube, 'dev')).releases.map((r) => [r.revision, r.status, r.description.split(';')[0]])).toEqual([
      [5, 'deployed', 'rollback to 3'],
      [4, 'interrupted', 'deploy'],
      [3, 'superseded', 'deploy'],
      [2, 'superseded', 'deploy'],
      [1, 'superseded', 'deploy'],
    ]);
  });

  it('refuses a context that is not local, for rollback and history, before reading anything', async () => {
    const cluster = releaseCluster(cleanups);
    const eks: ContextInfo = { name: 'prod-eks', cluster: 'prod', server: 'https://ABC.eks.amazonaws.com' };
    const noApi = () => {
      throw new Error('must not reach the cluster');
    };
    const deps = { runner: cluster.runner, out: new BufferOutput(), kubeContext: () => eks, kubeApi: noApi, env: {} };
    await expect(runRollback({ namespace: 'dev', timeoutMs: 1000, workspaceRoot: '/nonexistent' }, deps)).rejects.toThrow(
      /refusing to roll back "prod-eks"[\s\S]*--allow-context=prod-eks/,
    );
    await expect(runHistory({ namespace: 'dev' }, deps)).rejects.toThrow(/refusing to read the releases of "prod-eks"[\s\S]*--allow-context=prod-eks/);
  });
});
