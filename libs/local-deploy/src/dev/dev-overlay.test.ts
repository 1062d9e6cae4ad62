import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@llmops-rag/contract';
import { runDeploy } from '../deploy.js';
import { DIFF_EXIT } from '../diff/diff-options.js';
import { runDiff } from '../diff/run-diff.js';
import { listReleases } from '../release/store.js';
import { BufferOutput } from '../testing/fakes.js';
import { DiffBench } from '../testing/diff-cluster.js';
import { devObjects } from '../testing/workspace.js';
import { devLoopOverlay, OVERLAY_ANNOTATION } from './dev-overlay.js';

/** The spec's probes, as synth writes them for the dev profile. */
const SPEC_PROBES = {
  readinessProbe: {
    httpGet: { path: '/health/ready', port: 8000, scheme: 'HTTP' },
    initialDelaySeconds: 5,
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
  },
  livenessProbe: {
    httpGet: { path: '/health/live', port: 8000, scheme: 'HTTP' },
    initialDelaySeconds: 5,
    periodSeconds: 10,
    timeoutSeconds: 2,
    failureThreshold: 3,
  },
  startupProbe: { httpGet: { path: '/health/live', port: 8000, scheme: 'HTTP' }, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
};

function withSpecProbes(objects: KubeObject[] = devObjects()): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Deployment') return o;
    const copy = structuredClone(o);
    const spec = copy.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
    spec.template.spec.containers = spec.template.spec.containers.map((c) => ({ ...c, ...structuredClone(SPEC_PROBES) }));
    return copy;
  });
}

type Probes = { readinessProbe: Record<string, unknown>; livenessProbe: Record<string, unknown>; startupProbe: Record<string, unknown> };
const probesOf = (deployment: KubeObject | undefined) =>
  (deployment?.spec as { template: { spec: { containers: Probes[] } } }).template.spec.containers[0] as Probes;

const benches: DiffBench[] = [];
afterEach(() => benches.splice(0).forEach((b) => b.remove()));

describe('the dev-loop overlay', () => {
  it('changes only the readiness and startup probe timings and marks the Deployment, leaving the objects it was given alone', () => {
    const objects = withSpecProbes();
    const before = JSON.stringify(objects);
    const overlaid = devLoopOverlay().apply(objects);
    expect(JSON.stringify(objects)).toBe(before);
    const deployment = overlaid.find((o) => o.kind === 'Deployment');
    expect(probesOf(deployment)).toMatchObject({
      ...SPEC_PROBES,
      readinessProbe: { ...SPEC_PROBES.readinessProbe, initialDelaySeconds: 0, periodSeconds: 1 },
      startupProbe: { ...SPEC_PROBES.startupProbe, periodSeconds: 1, failureThreshold: 60 },
    });
    expect(deployment?.metadata.annotations).toEqual({ [OVERLAY_ANNOTATION]: 'dev-loop' });
    expect(overlaid.filter((o) => o.kind !== 'Deployment')).toEqual(objects.filter((o) => o.kind !== 'Deployment'));
  });

  it('is deployed in memory only: the release record names it, diff shows the probe lines, and a plain deploy puts the spec values back', async () => {
    const b = new DiffBench(withSpecProbes());
    benches.push(b);
    const out = new BufferOutput();
    const deps = { runner: b.host.runner, kubeContext: () => b.host.context, kubeApi: () => b.kube, clock: b.kube.clock, env: {}, out };
    const dev = await runDeploy(
      { mode: 'minikube', profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot: b.workspace, overlay: devLoopOverlay() },
      deps,
    );
    expect(dev.ok, out.text).toBe(true);
    expect(out.text).toContain('▶ dev-loop overlay (in memory, not in the synth output): readiness probe initialDelaySeconds 0, periodSeconds 1');
    const live = await b.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    expect(probesOf(live).readinessProbe).toMatchObject({ initialDelaySeconds: 0, periodSeconds: 1 });
    // The synth output on disk keeps the spec's values.
    expect(readFileSync(join(b.workspace, 'dist/k8s/dev/deployment-rag-api.yaml'), 'utf8')).toMatch(/initialDelaySeconds: 5\n\s+periodSeconds: 10/);
    expect((await listReleases(b.kube, 'dev')).releases[0]?.description).toBe(
      'deploy + dev-loop overlay (readiness probe initialDelaySeconds 0, periodSeconds 1; startup probe every 1s)',
    );

    const diff = await runDiff({ workspaceRoot: b.workspace }, b.deps());
    expect(diff.exitCode, b.report.text).toBe(DIFF_EXIT.changes);
    expect(b.report.text).toMatch(/-\s+initialDelaySeconds: 0\n-\s+periodSeconds: 1\n\+\s+initialDelaySeconds: 5\n\+\s+periodSeconds: 10\n/);
    expect(b.report.text).toMatch(new RegExp(`^-\\s+${OVERLAY_ANNOTATION.replace('.', '\\.')}: dev-loop$`, 'm'));

    await b.deploy();
    const plain = await b.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    expect(probesOf(plain).readinessProbe).toMatchObject({ initialDelaySeconds: 5, periodSeconds: 10 });
    expect(probesOf(plain).startupProbe).toMatchObject({ periodSeconds: 2, failureThreshold: 30 });
    expect(plain?.metadata.annotations?.[OVERLAY_ANNOTATION]).toBeUndefined();
    b.report.lines.length = 0;
    expect((await runDiff({ workspaceRoot: b.workspace }, b.deps())).exitCode, b.report.text).toBe(DIFF_EXIT.unchanged);
  });

  it('with the live-update supervisor: a ConfigMap, two volumes and the args only in what dev deploys; a plain deploy removes all of it', async () => {
    const b = new DiffBench(withSpecProbes());
    benches.push(b);
    const out = new BufferOutput();
    const deps = { runner: b.host.runner, kubeContext: () => b.host.context, kubeApi: () => b.kube, clock: b.kube.clock, env: {}, out };
    const overlay = devLoopOverlay({ script: '// the supervisor\n' });
    const base = { mode: 'minikube' as const, profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot: b.workspace };
    expect((await runDeploy({ ...base, overlay }, deps)).ok, out.text).toBe(true);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', name: 'rag-api-dev-loop', namespace: 'dev' };
    expect((await b.kube.get(configMap))?.data).toEqual({ 'supervisor.js': '// the supervisor\n' });
    const live = await b.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    const template = (live?.spec as { template: { spec: { containers: Record<string, unknown>[]; volumes?: unknown[] } } }).template;
    expect(template.spec.containers[0]).toMatchObject({
      args: ['/dev-loop/supervisor/supervisor.js', '--image-app=/app', '--live-dir=/dev-loop/app', '--sync-port=8099', '--ready-path=/health/ready'],
      volumeMounts: [
        { name: 'dev-loop-supervisor', mountPath: '/dev-loop/supervisor', readOnly: true },
        { name: 'dev-loop-app', mountPath: '/dev-loop/app' },
      ],
    });
    expect(template.spec.volumes).toEqual([
      { name: 'dev-loop-supervisor', configMap: { name: 'rag-api-dev-loop' } },
      { name: 'dev-loop-app', emptyDir: { sizeLimit: '256Mi' } },
    ]);

    await b.deploy();
    expect(await b.kube.get(configMap)).toBeUndefined();
    const plain = await b.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    const plainTemplate = (plain?.spec as { template: { spec: { containers: Record<string, unknown>[]; volumes?: unknown[] } } }).template;
    expect(plainTemplate.spec.containers[0]?.args).toBeUndefined();
    expect(plainTemplate.spec.containers[0]?.volumeMounts).toBeUndefined();
    expect(plainTemplate.spec.volumes).toBeUndefined();
    b.report.lines.length = 0;
    expect((await runDiff({ workspaceRoot: b.workspace }, b.deps())).exitCode, b.report.text).toBe(DIFF_EXIT.unchanged);
  });
});
