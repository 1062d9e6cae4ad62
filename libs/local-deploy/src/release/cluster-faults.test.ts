import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeOf } from '@llmops-rag/platform';
import { withDeadlines } from '../kube-deadline.js';
import { ID_V1, ID_V2, liveState, release, releaseCluster } from '../testing/release-cluster.js';
import { listReleases } from './store.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A pod that stays ContainerCreating: the rollout wait goes on until something else ends it. */
const CREATING = { phase: 'Pending', containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] };

describe('a deploy when the cluster changes or stops answering under it (fake API server on a virtual clock)', () => {
  it('stops and says so when its Deployment is deleted during the rollout wait (a teardown), re-creating nothing (issue 18, item 3)', async () => {
    const { kube, deploy } = releaseCluster(cleanups, { failingStatus: CREATING });
    expect((await deploy(release('info'), ID_V1, 'sk-proj-first-0001')).result.ok).toBe(true);
    // 3s into the next deploy's wait, everything of the app goes, release history included, as a teardown deletes it.
    kube.clock.at(kube.clock.now() + 3000, () => {
      for (const object of [...kube.objects.values()].filter((o) => o.metadata.namespace === 'dev' && o.metadata.managedFields?.length)) {
        void kube.delete({ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: 'dev' });
      }
    });
    const bad = await deploy(release('debug'), ID_V2, 'sk-proj-second-0002');
    expect(bad.result.ok).toBe(false);
    expect(exitCodeOf(bad.result)).toBe(1);
    expect(bad.out.text).toContain('✗ deployment/rag-api was deleted while this deploy waited (by a teardown or by hand): not restoring it');
    expect(bad.out.text).not.toContain('Atomic rollback');
    expect(bad.result.checklist.results.find((r) => r.name === 'Rollout of deployment/rag-api')?.ok).toBe(false);
    kube.collectGarbage(); // deleted in the foreground, the Deployment goes once the garbage collector has removed its pods
    const after = await liveState(kube);
    expect([after.configMap, after.secret, after.template]).toEqual([undefined, undefined, undefined]);
    expect((await listReleases(kube, 'dev')).releases).toEqual([]);
  });

  it('ends, bounded, when the API server stops answering during the rollout: no step waits forever (issue 18, item 6)', async () => {
    const { kube, deploy } = releaseCluster(cleanups, { failingStatus: CREATING, wrapApi: (k) => withDeadlines(k, { clock: k.clock }) });
    expect((await deploy(release('info'), ID_V1, 'sk-proj-first-0001')).result.ok).toBe(true);
    const start = kube.clock.now();
    // 1.5s into the wait the API server stops answering, for 10 minutes.
    kube.clock.at(start + 1500, () => void kube.hang({}, start + 600_000));
    const bad = await deploy(release('debug'), ID_V2, 'sk-proj-second-0002', { timeoutMs: 15_000 });
    expect(kube.clock.now() - start).toBeLessThan(120_000);
    expect(bad.result.ok).toBe(false);
    expect(bad.out.text).toContain('  rollout: API server not answering for ');
    expect(bad.out.text).toMatch(/✗ rollout failed: timed out after 15s: the API server has not answered for \d+s/);
    expect(bad.out.text).toContain('→ the API server stopped answering: check the control plane is up');
    // The restore cannot reach it either: said plainly, and so is the record that could not be written.
    expect(bad.out.text).toContain('✗ atomic rollback failed: the API server did not answer get Namespace/dev within 30s');
    expect(bad.out.text).toContain('the cluster may hold part of each release');
    expect(bad.out.text).toMatch(/✗ recording the release failed: the API server did not answer \S+ \S+ within 30s/);
    expect(bad.out.text).not.toMatch(/HTTP-Code|Headers/);
  });
});
