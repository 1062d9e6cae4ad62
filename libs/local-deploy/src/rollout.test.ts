import { describe, expect, it } from 'vitest';
import { formatDiagnostics, likelyFixes, summarizePod } from './diagnostics.js';
import { asPod } from './kube.js';
import { newReplicaSet, rolloutProgress, waitForRollout, type RolloutTarget } from './rollout.js';
import { BufferOutput, errImageNeverPullStatus, FakeKube, pod } from './testing/fakes.js';
import type { KubeObject } from '@llmops-rag/contract';

const TARGET: RolloutTarget = { namespace: 'dev', deployment: 'rag-api', selector: 'app=rag-api', container: 'api' };

function deployment(status: Record<string, unknown>, generation = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'rag-api', namespace: 'dev', generation, uid: 'dep-uid', annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 1 },
    status,
  };
}
/** A ReplicaSet of the Deployment as the controller makes it (revision, pod-template-hash, owner). */
function replicaSet(revision: number, hash: string, availableReplicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `rag-api-${hash}`,
      namespace: 'dev',
      labels: { app: 'rag-api', 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', uid: 'dep-uid', controller: true }],
    },
    status: { replicas: 1, availableReplicas },
  };
}
function podOf(hash: string, status: Record<string, unknown> = {}): KubeObject {
  const p = pod(`rag-api-${hash}-x`, status);
  p.metadata.labels = { app: 'rag-api', 'pod-template-hash': hash };
  return p;
}
const DONE = { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
const CREATING = { phase: 'Pending', containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] };

/** A fake clock: sleeping advances it, and `onTick` lets the test change the cluster between polls. */
function clock(onTick: (t: number) => void = () => {}) {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      onTick(t);
    },
  };
}

describe('rolloutProgress', () => {
  it('follows kubectl rollout status', () => {
    const current = replicaSet(2, 'new', 1) as never;
    expect(rolloutProgress(deployment(DONE) as never, current).done).toBe(true);
    expect(rolloutProgress(deployment({ ...DONE, observedGeneration: 1 }) as never, current).done).toBe(false);
    expect(rolloutProgress(deployment({ ...DONE, replicas: 2 }) as never, current)).toMatchObject({
      done: false,
      summary: '1/1 updated, 1/1 available, 1 old pending termination',
    });
  });

  it("counts only the new ReplicaSet's pods as available, never the old ones still serving", () => {
    // maxSurge 1, maxUnavailable 0: the old pod is available, the new one is ContainerCreating.
    const surging = deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    const current = newReplicaSet(surging as never, [replicaSet(1, 'old', 1), replicaSet(2, 'new', 0)] as never);
    expect(current?.metadata.name).toBe('rag-api-new');
    expect(rolloutProgress(surging as never, current)).toMatchObject({ done: false, summary: '1/1 updated, 0/1 available, 1 old pending termination' });
  });

  it('finds no new ReplicaSet before the controller observed the latest generation', () => {
    expect(newReplicaSet(deployment({ ...DONE, observedGeneration: 1 }) as never, [replicaSet(2, 'new', 1)] as never)).toBeUndefined();
  });
});

describe('waitForRollout', () => {
  it('waits until the new pod is Ready, printing progress that does not count the old pod as available', async () => {
    const kube = new FakeKube();
    // A rolling update: the old pod still serves (the Deployment counts it available), the new one is being created.
    kube.put(deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 }));
    kube.put(replicaSet(1, 'old', 1));
    kube.put(replicaSet(2, 'new', 0));
    kube.put(podOf('old'));
    kube.put(podOf('new', CREATING));
    const c = clock((t) => {
      if (t === 3000) {
        kube.objects.delete('Pod/dev/rag-api-old-x');
        kube.objects.delete('ReplicaSet/dev/rag-api-old');
        kube.put(deployment(DONE));
        kube.put(replicaSet(2, 'new', 1));
        kube.put(podOf('new'));
      }
    });
    const out = new BufferOutput();
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 60_000, ...c }, out);
    expect(result).toMatchObject({ ok: true, detail: '1/1 updated, 1/1 available' });
    expect(out.lines[0]).toBe(
      '  rollout: 1/1 updated, 0/1 available, 1 old pending termination — rag-api-old-x Running Ready (old); rag-api-new-x Pending/ContainerCreating (0s)',
    );
  });

  it('stops early on ErrImageNeverPull with diagnostics and the fix', async () => {
    const kube = new FakeKube();
    kube.put(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 }));
    kube.put(replicaSet(2, 'x1', 0));
    kube.put(pod('rag-api-x1', errImageNeverPullStatus()));
    kube.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'dev' },
      type: 'Warning',
      reason: 'ErrImageNeverPull',
      message: 'Container image "llmops-rag-api:latest" is not present with pull policy of Never',
      involvedObject: { kind: 'Pod', name: 'rag-api-x1' },
      lastTimestamp: '2025-11-29T05:00:00Z',
    });
    const hint = '`kind load image-archive dist/images/llmops-rag-api.tar --name dev` (from the repo root)';
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 180_000, imageLoadHint: hint, ...clock() }, new BufferOutput());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.reason).toBe('pod rag-api-x1: ErrImageNeverPull');
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toContain('rag-api-x1  phase=Pending ready=no restarts=0');
    expect(text).toContain('api: waiting ErrImageNeverPull (Container image "llmops-rag-api:latest" is not present with pull policy of Never)');
    expect(text).toContain('Warning ErrImageNeverPull pod/rag-api-x1');
    // The container never started: the API's reason, not "(no logs: HTTP-Code: 400)".
    expect(text).toContain(
      'Last log lines of rag-api-x1:\n  (no logs: container api has not started: ErrImageNeverPull — Container image "llmops-rag-api:latest" is not present with pull policy of Never)',
    );
    expect(text).not.toContain('HTTP-Code');
    expect(text).toContain(
      `→ the pod's image (named in the message above) is not on the node and dev never pulls (imagePullPolicy: Never): deploy again without --skip-build, or load it yourself: ${hint}`,
    );
    expect(text).not.toContain('minikube image load');
  });

  it("prints the API server's reason when logs cannot be read", async () => {
    const kube = new FakeKube();
    kube.put(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }));
    kube.put(replicaSet(2, 'p', 0));
    // Restarted once, but the kubelet already dropped the previous container's logs.
    kube.put(pod('rag-api-p', { containerStatuses: [{ name: 'api', ready: false, restartCount: 1, state: { running: {} } }] }));
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 1000, ...clock() }, new BufferOutput());
    if (result.ok) throw new Error('expected a failure');
    expect(result.diagnostics.logs?.lines).toEqual(['(no logs: previous terminated container "api" in pod "rag-api-p" not found)']);
  });

  it('times out with the state it reached and the last log lines', async () => {
    const kube = new FakeKube();
    kube.put(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }));
    kube.put(replicaSet(2, 'r', 0));
    kube.put(
      pod('rag-api-r', {
        containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { running: { startedAt: '2025-11-29T05:00:00Z' } } }],
      }),
    );
    kube.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e2', namespace: 'dev' },
      type: 'Warning',
      reason: 'Unhealthy',
      count: 12,
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      involvedObject: { kind: 'Pod', name: 'rag-api-r' },
    });
    kube.logText = '{"level":30,"msg":"Application startup complete"}\n{"level":40,"msg":"readiness check failing"}\n';
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 5000, ...clock() }, new BufferOutput());
    if (result.ok) throw new Error('expected a failure');
    expect(result.diagnostics.reason).toBe('timed out after 5s (1/1 updated, 0/1 available)');
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toContain('running but not Ready (readiness probe not passing yet)');
    expect(text).toContain('Warning Unhealthy pod/rag-api-r: Readiness probe failed: HTTP probe failed with statuscode: 503 (x12)');
    expect(text).toContain('Last log lines of rag-api-r:\n  {"level":30,"msg":"Application startup complete"}');
    expect(text).toContain('→ the readiness probe fails: /health/ready does not answer 200');
  });
});

describe('diagnostics', () => {
  it('recognises an OOMKilled crash loop', () => {
    const summary = summarizePod(
      asPod(
        pod('rag-api-oom', {
          containerStatuses: [
            {
              name: 'api',
              ready: false,
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' } },
              lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
            },
          ],
        }),
      ),
    );
    expect(summary.details).toEqual(['api: waiting CrashLoopBackOff (back-off 1m20s restarting failed container); last exit 137 (OOMKilled); 4 restarts']);
    const fixes = likelyFixes(summary.reasons, []);
    expect(fixes[0]).toContain('OOMKilled');
    expect(fixes[0]).toContain('resources.limits.memory');
  });

  it('recognises a crash at startup and an unschedulable pod', () => {
    expect(likelyFixes(['CrashLoopBackOff', 'Error'], [])[0]).toContain('the app exits at startup: read the log lines above; a ConfigError names the env key');
    expect(likelyFixes([], [{ reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient memory.' }])[0]).toContain(
      'no node can fit the pod',
    );
    expect(likelyFixes([], [{ reason: 'FailedCreate', message: 'pods "rag-api-1" is forbidden: violates PodSecurity "restricted:latest"' }])[0]).toContain(
      'Pod Security',
    );
  });

  it('suggests the load command of the cluster at hand for ErrImageNeverPull, and no minikube command without one', () => {
    expect(likelyFixes(['ErrImageNeverPull'], [], 'dev', '`k3d image import dist/images/llmops-rag-api.tar -c dev`')[0]).toContain(
      'load it yourself: `k3d image import',
    );
    const unknown = likelyFixes(['ErrImageNeverPull'], [])[0];
    expect(unknown).toContain('sudo ctr -n k8s.io images import dist/images/llmops-rag-api.tar');
    expect(unknown).not.toContain('minikube');
  });

  it('falls back to what to look at when nothing matched', () => {
    expect(likelyFixes([], [], 'dev')[0]).toContain('kubectl describe pods -n dev -l app=rag-api');
  });
});
