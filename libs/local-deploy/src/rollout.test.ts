import { describe, expect, it } from 'vitest';
import { formatDiagnostics, likelyFixes, summarizePod } from './diagnostics.js';
import { asPod } from './kube.js';
import { newReplicaSet, rolloutProgress, waitForRollout, type RolloutTarget } from './rollout.js';
import { withDeploymentController } from './testing/deployment-controller.js';
import { appDeployment, BufferOutput, crashLoopStatus, errImageNeverPullStatus, FakeKube, pod, templateAnnotation } from './testing/fakes.js';
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
    kube.clock.at(3000, () => {
      kube.objects.delete('Pod/dev/rag-api-old-x');
      kube.objects.delete('ReplicaSet/dev/rag-api-old');
      kube.put(deployment(DONE));
      kube.put(replicaSet(2, 'new', 1));
      kube.put(podOf('new'));
    });
    const out = new BufferOutput();
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 60_000, clock: kube.clock }, out);
    expect(result).toMatchObject({ ok: true, detail: '1/1 updated, 1/1 available' });
    expect(out.lines[0]).toBe(
      '  rollout: 1/1 updated, 0/1 available, 1 old pending termination — rag-api-old-x Running Ready (old); rag-api-new-x Pending/ContainerCreating (0s)',
    );
  });

  it('stops early on ErrImageNeverPull with diagnostics and the fix', async () => {
    const kube = new FakeKube();
    kube.put(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 }));
    kube.put(replicaSet(2, 'x1', 0));
    kube.put(podOf('x1', errImageNeverPullStatus()));
    kube.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'dev' },
      type: 'Warning',
      reason: 'ErrImageNeverPull',
      message: 'Container image "llmops-rag-api:latest" is not present with pull policy of Never',
      involvedObject: { kind: 'Pod', name: 'rag-api-x1-x' },
      lastTimestamp: '2025-11-29T05:00:00Z',
    });
    const hint = '`kind load image-archive dist/images/llmops-rag-api.tar --name dev` (from the repo root)';
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 180_000, imageLoadHint: hint, clock: kube.clock }, new BufferOutput());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.reason).toBe('pod rag-api-x1-x: ErrImageNeverPull');
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toContain('rag-api-x1-x  phase=Pending ready=no restarts=0');
    expect(text).toContain('api: waiting ErrImageNeverPull (Container image "llmops-rag-api:latest" is not present with pull policy of Never)');
    expect(text).toContain('Warning ErrImageNeverPull pod/rag-api-x1-x');
    // The container never started: the API's reason, not "(no logs: HTTP-Code: 400)".
    expect(text).toContain(
      'Last log lines of rag-api-x1-x:\n  (no logs: container api has not started: ErrImageNeverPull — Container image "llmops-rag-api:latest" is not present with pull policy of Never)',
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
    kube.put(podOf('p', { containerStatuses: [{ name: 'api', ready: false, restartCount: 1, state: { running: {} } }] }));
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 1000, clock: kube.clock }, new BufferOutput());
    if (result.ok) throw new Error('expected a failure');
    expect(result.diagnostics.logs?.lines).toEqual(['(no logs: previous terminated container "api" in pod "rag-api-p-x" not found)']);
  });

  it('times out with the state it reached and the last log lines', async () => {
    const kube = new FakeKube();
    kube.put(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }));
    kube.put(replicaSet(2, 'r', 0));
    kube.put(
      podOf('r', {
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
      involvedObject: { kind: 'Pod', name: 'rag-api-r-x' },
    });
    kube.logText = '{"level":30,"msg":"Application startup complete"}\n{"level":40,"msg":"readiness check failing"}\n';
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 5000, clock: kube.clock }, new BufferOutput());
    if (result.ok) throw new Error('expected a failure');
    expect(result.diagnostics.reason).toBe('timed out after 5s (1/1 updated, 0/1 available)');
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toContain('running but not Ready (readiness probe not passing yet)');
    expect(text).toContain('Warning Unhealthy pod/rag-api-r-x: Readiness probe failed: HTTP probe failed with statuscode: 503 (x12)');
    expect(text).toContain('Last log lines of rag-api-r-x:\n  {"level":30,"msg":"Application startup complete"}');
    expect(text).toContain('→ the readiness probe fails: /health/ready does not answer 200');
  });
});

describe('waitForRollout against the fake controller (it acts after the apply, old pods linger)', () => {
  const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' };
  /** Version 2 crash-loops, any other becomes Ready; version 1 is rolled out. */
  async function rolledOut() {
    const kube = withDeploymentController(new FakeKube(), (d) => (templateAnnotation(d, 'version') === '2' ? crashLoopStatus() : undefined));
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }, 'deploy');
    await kube.apply(appDeployment('1'), 'deploy');
    expect(await waitForRollout(kube, TARGET, { timeoutMs: 30_000, clock: kube.clock }, new BufferOutput())).toMatchObject({ ok: true });
    return kube;
  }
  /** The lines' `(Ns)` suffixes. */
  const times = (out: BufferOutput) => out.lines.map((l) => Number(/\((\d+)s\)$/.exec(l)?.[1]));

  it("judges the restored ReplicaSet, not the failed ReplicaSet's pod the controller has not deleted yet (issue 18, item 1)", async () => {
    const kube = await rolledOut();
    await kube.apply(appDeployment('2'), 'deploy');
    const failed = await waitForRollout(kube, TARGET, { timeoutMs: 30_000, clock: kube.clock }, new BufferOutput());
    expect(failed).toMatchObject({ ok: false, diagnostics: { reason: 'pod rag-api-6c9f2-x2x: CrashLoopBackOff' } });
    // The restore: right after this apply the crash-looping pod is still listed, not terminating.
    await kube.apply(appDeployment('1'), 'deploy');
    const out = new BufferOutput();
    const restored = await waitForRollout(kube, TARGET, { timeoutMs: 30_000, clock: kube.clock }, out);
    expect(restored, out.text).toMatchObject({ ok: true, detail: '1/1 updated, 1/1 available' });
    expect(out.lines[0]).toBe(
      '  rollout: waiting for the controller to observe generation 3 — rag-api-6c9f-x2x Running Ready; rag-api-6c9f2-x2x Running/CrashLoopBackOff,Error (old) (0s)',
    );
  });

  it('ends as `gone` when the Deployment is deleted during the wait (a teardown), without diagnostics', async () => {
    const kube = await rolledOut();
    await kube.apply(appDeployment('3'), 'deploy');
    kube.clock.at(kube.clock.now() + 1500, () => void kube.delete(DEPLOYMENT));
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 30_000, clock: kube.clock }, new BufferOutput());
    expect(result).toEqual({
      ok: false,
      gone: true,
      diagnostics: { reason: 'deployment/rag-api was deleted while this deploy waited (by a teardown or by hand)', pods: [], events: [], namespace: 'dev' },
    });
  });

  it('ends as `gone` when the namespace is being deleted', async () => {
    const kube = await rolledOut();
    await kube.apply(appDeployment('3'), 'deploy');
    kube.clock.at(kube.clock.now() + 1500, () => {
      const namespace = kube.objects.get('Namespace//dev');
      if (namespace) namespace.metadata.deletionTimestamp = '2025-11-29T05:00:00Z';
    });
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 30_000, clock: kube.clock }, new BufferOutput());
    expect(result).toMatchObject({
      ok: false,
      gone: true,
      diagnostics: { reason: 'deployment/rag-api was deleted with its namespace while this deploy waited (by a teardown or by hand)' },
    });
  });

  it('--timeout holds while the API server stalls for 45s: it ends at the deadline plus one bounded last look, printing every 10s (issue 18, item 6)', async () => {
    const kube = await rolledOut();
    await kube.apply(appDeployment('3'), 'deploy');
    const start = kube.clock.now();
    kube.hang({}, start + 45_000);
    const out = new BufferOutput();
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 15_000, clock: kube.clock }, out);
    const took = kube.clock.now() - start;
    expect(took).toBeGreaterThanOrEqual(15_000);
    expect(took).toBeLessThanOrEqual(20_000);
    if (result.ok) throw new Error('expected a failure');
    expect(result.diagnostics.reason).toBe('timed out after 15s: the API server has not answered for 20s');
    expect(result.diagnostics.unanswered).toBe('the API server did not answer: pods, events and logs not read');
    // Then, at 20s, the failure itself.
    expect(out.lines).toEqual(['  rollout: API server not answering for 10s (10s)']);
    const at = [0, ...times(out), took / 1000];
    expect(at.every((t, i) => i === 0 || t - (at[i - 1] as number) <= 10)).toBe(true);
  });

  it('a pod that became Ready while the API server did not answer is judged Ready by the last look, not rolled back', async () => {
    const kube = await rolledOut();
    const start = kube.clock.now();
    await kube.apply(appDeployment('3'), 'deploy');
    // The API stops answering after 1.5s (the new pod is still ContainerCreating) and is back 2s after the deadline.
    kube.clock.at(start + 1500, () => void kube.hang({}, start + 17_000));
    const out = new BufferOutput();
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 15_000, clock: kube.clock }, out);
    expect(result, out.text).toMatchObject({ ok: true, detail: '1/1 updated, 1/1 available' });
    expect(kube.clock.now() - start).toBe(17_000);
    // The last line was at 1s, the unanswered request went out at 2s.
    expect(out.text).toContain('  rollout: API server not answering for 9s (11s)');
  });

  it('a signal ends the wait at once, also while the API server does not answer', async () => {
    const kube = await rolledOut();
    const start = kube.clock.now();
    await kube.apply(appDeployment('3'), 'deploy');
    const controller = new AbortController();
    kube.clock.at(start + 1500, () => void kube.hang({}, start + 600_000));
    kube.clock.at(start + 4000, () => controller.abort('SIGINT'));
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 300_000, clock: kube.clock, signal: controller.signal }, new BufferOutput());
    expect(result).toMatchObject({
      ok: false,
      interrupted: true,
      diagnostics: { reason: expect.stringMatching(/^interrupted by SIGINT during the rollout wait/) },
    });
    expect(kube.clock.now() - start).toBe(4000);
  });
});

describe('waitForRollout with a signal', () => {
  it('returns at once when the signal aborts, even in the middle of a poll interval, saying how far the rollout got', async () => {
    const kube = new FakeKube();
    kube.put(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }));
    kube.put(replicaSet(2, 'new', 0));
    kube.put(podOf('new', CREATING));
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort('SIGTERM'), 200);
    // A 60 s poll interval and a 10 min timeout: only the signal can end this wait within the test's time.
    const result = await waitForRollout(kube, TARGET, { timeoutMs: 600_000, pollMs: 60_000, signal: controller.signal }, new BufferOutput());
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({
      ok: false,
      interrupted: true,
      diagnostics: { reason: 'interrupted by SIGTERM during the rollout wait (1/1 updated, 0/1 available)' },
    });
  });

  it('a signal that already fired ends the wait before it reads anything', async () => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    const result = await waitForRollout(new FakeKube(), TARGET, { timeoutMs: 1000, signal: controller.signal }, new BufferOutput());
    expect(result).toMatchObject({
      ok: false,
      interrupted: true,
      diagnostics: { reason: 'interrupted by SIGINT during the rollout wait (not looked at yet)' },
    });
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
