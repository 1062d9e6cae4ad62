import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextInfo } from '../cluster-kinds.js';
import { runDeploy, type DeployOptions } from '../deploy.js';
import { METRICS_ADDON_STEP } from '../phases/metrics-addon.js';
import { BufferOutput, type FakeKube } from '../testing/fakes.js';
import { apiServer, FakeHost } from '../testing/hosts.js';
import { devObjects, makeWorkspace } from '../testing/workspace.js';
import type { KubeObject } from '@llmops-rag/contract';
import { USAGE_STEP } from './usage-check.js';

const ID = '1'.repeat(64);
const MINIKUBE_CTX: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** The synthesized dev objects with the spec's container resources (libs/k8s-manifests/src/profiles/dev.ts). */
function objectsWithResources(): KubeObject[] {
  return devObjects().map((o) => {
    if (o.kind !== 'Deployment') return o;
    const spec = structuredClone(o.spec) as { template: { spec: { containers: { resources?: unknown }[] } } };
    spec.template.spec.containers[0]!.resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
    return { ...o, spec };
  });
}

/** deploy-minikube against the fakes; the cluster's one node is labelled as minikube labels its nodes. */
async function deploy(setup: (kube: FakeKube, host: FakeHost) => void, extra: Partial<DeployOptions> = {}) {
  const ws = makeWorkspace(ID, objectsWithResources());
  const host = new FakeHost(MINIKUBE_CTX, ['docker', 'kubectl', 'minikube'], ID);
  cleanups.push(
    () => rmSync(ws, { recursive: true, force: true }),
    () => host.remove(),
  );
  const kube = apiServer();
  kube.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'minikube', labels: { 'minikube.k8s.io/name': 'minikube' } } }, 'kubelet');
  setup(kube, host);
  const out = new BufferOutput();
  const options: DeployOptions = { mode: 'minikube', profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot: ws, ...extra };
  const run = await runDeploy(options, { runner: host.runner, kubeContext: () => host.context, kubeApi: () => kube, clock: kube.clock, env: {}, out });
  return { run, out, host, step: (name: string) => run.checklist.results.find((r) => r.name === name) };
}

describe('runDeploy: the CPU and memory step on the deploy checklist', () => {
  it('ends the checklist with the pod’s figures beside the requests and limits the Deployment gave it', async () => {
    const { run, out, step } = await deploy((kube) => (kube.metricsApi = 'served'));
    expect(run.ok, out.text).toBe(true);
    expect(run.checklist.results.at(-2)?.name).toBe(USAGE_STEP); // then the release record
    expect(step(USAGE_STEP)).toMatchObject({ ok: true, detail: 'CPU 3m / 100m requested, limit 500m; memory 48Mi / 128Mi requested, limit 512Mi' });
    expect(out.text).toMatch(/✓ Pod CPU and memory \(kubectl top\) \.+ +\S+ {2}CPU 3m \/ 100m requested/);
  });

  it('on minikube without metrics-server: skipped with the addon as the fix, and the deploy still passes', async () => {
    const { run, step } = await deploy(() => undefined);
    expect(run.ok).toBe(true);
    expect(step(USAGE_STEP)).toMatchObject({ skipped: true });
    expect(step(USAGE_STEP)?.detail).toContain('fix: `minikube addons enable metrics-server`');
  });

  it('waits for the first sample no longer than the deploy’s --timeout', async () => {
    const { run, step, out } = await deploy(
      (kube) => {
        kube.metricsApi = 'served';
        kube.metricsFirstSampleAfterLists = 1_000_000;
      },
      { timeoutMs: 45_000 },
    );
    expect(run.ok, out.text).toBe(true);
    expect(step(USAGE_STEP)?.detail).toMatch(/^metrics-server had no sample of rag-api-6c9f-x2x within 45\.0s;/);
    expect(out.text).toContain("waiting up to 45.0s for metrics-server's first sample of rag-api-6c9f-x2x");
    expect(out.text).toContain('  … no sample yet after 15.0s');
  });

  it('--enable-metrics enables the minikube addon before the build; a failure to is a ⚠, not a failed deploy', async () => {
    const enabled = await deploy(() => undefined, { enableMetrics: true });
    expect(enabled.host.runner.calls).toContain('minikube addons enable metrics-server -p minikube');
    expect(enabled.host.addons).toEqual(new Set(['metrics-server']));
    expect(enabled.step(METRICS_ADDON_STEP)).toMatchObject({
      ok: true,
      detail: 'enabled on minikube (metrics-server reports a new pod once it has scraped it twice, up to 2 min later)',
    });
    // Before the image is loaded (the build, without --skip-build), with minikube's own words streamed.
    expect(enabled.out.text).toContain('▶ metrics-server addon: minikube addons enable metrics-server -p minikube\n    💡  metrics-server is an addon');
    expect(enabled.out.text.indexOf("The 'metrics-server' addon is enabled")).toBeLessThan(enabled.out.text.indexOf('▶ Image'));

    const failed = await deploy((_kube, host) => (host.addonFailure = '❌  Exiting due to MK_ADDON_ENABLE: enabled failed'), { enableMetrics: true });
    expect(failed.run.ok).toBe(true);
    expect(failed.step(METRICS_ADDON_STEP)).toMatchObject({
      ok: true,
      warning: true,
      detail:
        '`minikube addons enable metrics-server -p minikube` failed: ❌  Exiting due to MK_ADDON_ENABLE: enabled failed; the usage step will say what it finds',
    });
    expect(failed.out.text).toMatch(/⚠ metrics-server addon \(--enable-metrics\) \.+/);
  });
});
