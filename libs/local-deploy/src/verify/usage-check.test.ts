import { describe, expect, it } from 'vitest';
import { Checklist, formatChecklist } from '../checklist.js';
import { KubeApiError } from '../kube.js';
import { BufferOutput, FakeKube, pod } from '../testing/fakes.js';
import type { KubeObject } from '@llmops-rag/contract';
import { checkPodUsage, reportPodUsage, USAGE_STEP } from './usage-check.js';

const TARGET = { namespace: 'dev', deployment: 'rag-api', selector: 'app=rag-api', container: 'api' };
const POD = 'rag-api-6c9f-x2x';
/** The spec's Deployment resources (libs/k8s-manifests/src/profiles/dev.ts). */
const SPEC_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

function withResources(object: KubeObject, resources: Record<string, unknown>): KubeObject {
  (object.spec as { containers: { resources?: unknown }[] }).containers[0]!.resources = resources;
  return object;
}

function cluster(metricsApi: FakeKube['metricsApi'], resources: Record<string, unknown> = SPEC_RESOURCES, node?: KubeObject): FakeKube {
  const kube = new FakeKube();
  kube.metricsApi = metricsApi;
  kube.put(withResources(pod(POD), resources), 'kubelet');
  if (node) kube.put(node, 'kubelet');
  return kube;
}

const node = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const MINIKUBE_NODE = node('minikube', { 'minikube.k8s.io/name': 'minikube', 'minikube.k8s.io/version': 'v1.34.0' });
const KIND_NODE = node('kind-control-plane', { 'kubernetes.io/hostname': 'kind-control-plane' });

async function check(kube: FakeKube, wait = { waitMs: 2000, pollMs: 20 }) {
  const checklist = new Checklist();
  const out = new BufferOutput();
  const started = performance.now();
  await checkPodUsage(kube, TARGET, POD, checklist, { ...wait, out });
  return { result: checklist.results[0], checklist, out, tookMs: performance.now() - started };
}

describe('the checklist step: pod CPU and memory beside requests and limits (spec 3.3 step 4)', () => {
  it('shows the sample as kubectl top does, beside the live pod spec requests and limits', async () => {
    const { result, checklist } = await check(cluster('served'));
    expect(result).toMatchObject({
      name: USAGE_STEP,
      ok: true,
      detail: 'CPU 3m / 100m requested, limit 500m; memory 48Mi / 128Mi requested, limit 512Mi',
    });
    expect(result?.warning).toBeUndefined();
    expect(formatChecklist(checklist.results)).toMatch(/^ {2}✓ Pod CPU and memory \(kubectl top\) \.+ +\S+ {2}CPU 3m \/ 100m requested/m);
  });

  it('waits for a sample that arrives late, saying so while it waits', async () => {
    const kube = cluster('served');
    kube.metricsFirstSampleAfterLists = 3;
    const { result, out, tookMs } = await check(kube);
    expect(result).toMatchObject({ ok: true, detail: expect.stringContaining('memory 48Mi / 128Mi requested') });
    expect(out.text).toContain(
      `waiting up to 2.0s for metrics-server's first sample of ${POD} (it reports a new pod once it has scraped it twice, 15-60s apart): no sample yet`,
    );
    expect(tookMs).toBeGreaterThanOrEqual(3 * 20 - 5);
    expect(result?.durationMs).toBeGreaterThanOrEqual(3 * 20 - 5); // the checklist shows the wait
  });

  it('skips (never fails) where no sample comes within the bound, and says how to see it later', async () => {
    const kube = cluster('served');
    kube.metricsFirstSampleAfterLists = 1000;
    const { result, checklist, tookMs } = await check(kube, { waitMs: 150, pollMs: 40 });
    expect(result).toMatchObject({ skipped: true, ok: true });
    expect(result?.detail).toMatch(
      /^metrics-server had no sample of rag-api-6c9f-x2x within 1\d\dms; `kubectl top pod -n dev -l app=rag-api` shows it once scraped$/,
    );
    expect(tookMs).toBeLessThan(1000);
    expect(checklist.failed).toBe(false);
  });

  it("skips with minikube's addon as the fix where a minikube cluster has no metrics API", async () => {
    const { result, checklist, tookMs } = await check(cluster('absent', SPEC_RESOURCES, MINIKUBE_NODE));
    expect(result).toMatchObject({ skipped: true, ok: true });
    expect(result?.detail).toBe(
      'no metrics API on this cluster (metrics.k8s.io/v1beta1: 404 page not found); fix: `minikube addons enable metrics-server` ' +
        '(or deploy with `npx nx run k8s-manifests:deploy-minikube -- --enable-metrics`)',
    );
    expect(tookMs).toBeLessThan(500); // an absent API is not waited for
    expect(checklist.failed).toBe(false);
  });

  it('names the minikube profile in the fix', async () => {
    const { result } = await check(cluster('absent', SPEC_RESOURCES, node('work', { 'minikube.k8s.io/name': 'work' })));
    expect(result?.detail).toContain(
      '`minikube addons enable metrics-server -p work` (or deploy with `npx nx run k8s-manifests:deploy-minikube -- --enable-metrics --profile=work`)',
    );
  });

  it("skips with metrics-server's release manifest as the fix on any other cluster", async () => {
    const { result } = await check(cluster('absent', SPEC_RESOURCES, KIND_NODE));
    expect(result).toMatchObject({ skipped: true });
    expect(result?.detail).toContain(
      'fix: install metrics-server: `kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml`',
    );
    expect(result?.detail).toContain('--kubelet-insecure-tls');
    expect(result?.detail).not.toContain('minikube');
  });

  it('waits through a registered metrics API that does not answer yet (503), then skips naming metrics-server', async () => {
    const { result, out } = await check(cluster('unavailable'), { waitMs: 100, pollMs: 30 });
    expect(result).toMatchObject({ skipped: true });
    expect(result?.detail).toBe(
      'the metrics API did not answer (503 the server is currently unable to handle the request); check metrics-server: `kubectl -n kube-system get pods -l k8s-app=metrics-server` and its logs',
    );
    expect(out.text).toContain('metrics API not answering yet (503 the server is currently unable to handle the request)');
  });

  it('skips without waiting when the metrics API refuses the read (403), with its words', async () => {
    const kube = cluster('served');
    const list = kube.list.bind(kube);
    kube.list = async (apiVersion, kind, namespace, selector) => {
      if (apiVersion.startsWith('metrics.k8s.io/')) {
        throw new KubeApiError(
          403,
          'pods.metrics.k8s.io is forbidden: User "dev" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "dev"',
          'Forbidden',
        );
      }
      return list(apiVersion, kind, namespace, selector);
    };
    const { result, tookMs } = await check(kube);
    expect(result).toMatchObject({ skipped: true });
    expect(result?.detail).toBe(
      'could not read the metrics API (403 pods.metrics.k8s.io is forbidden: User "dev" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "dev"); ' +
        '`kubectl top pod -n dev -l app=rag-api` shows the same',
    );
    expect(tookMs).toBeLessThan(500);
  });

  it('warns (⚠, not ✗) when memory is above its request', async () => {
    const kube = cluster('served');
    kube.podUsage = { cpu: '41000000n', memory: '143360Ki' };
    const { result, checklist } = await check(kube);
    expect(result).toMatchObject({ ok: true, warning: true });
    expect(result?.detail).toBe(
      'CPU 41m / 100m requested, limit 500m; memory 140Mi / 128Mi requested, limit 512Mi — ' +
        'memory 140Mi is above its 128Mi request: the node reserved less than the pod uses; raise requests.memory in libs/k8s-manifests/src/profiles/',
    );
    expect(checklist.failed).toBe(false);
    expect(formatChecklist(checklist.results)).toMatch(/^ {2}⚠ Pod CPU and memory/m);
  });

  it('warns when memory is within 20% of its limit', async () => {
    const kube = cluster('served', { requests: { cpu: '100m', memory: '480Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    kube.podUsage = { cpu: '2315543n', memory: '420Mi' };
    const { result } = await check(kube);
    expect(result).toMatchObject({ ok: true, warning: true });
    expect(result?.detail).toMatch(
      / — memory 420Mi is 82% of its 512Mi limit: the container is OOM-killed at the limit; raise limits\.memory there or find what grows$/,
    );
    expect(result?.detail).not.toContain('above its');
  });

  it('says what is unset instead of inventing a request or limit', async () => {
    const { result } = await check(cluster('served', {}));
    expect(result).toMatchObject({ ok: true, detail: 'CPU 3m / no request, no limit; memory 48Mi / no request, no limit' });
    expect(result?.warning).toBeUndefined();
  });

  it('is skipped when there is no Ready pod to measure', async () => {
    const checklist = new Checklist();
    await checkPodUsage(cluster('served'), TARGET, undefined, checklist, { waitMs: 100, pollMs: 20 });
    expect(checklist.results).toEqual([{ name: USAGE_STEP, ok: true, skipped: true, durationMs: 0, detail: 'no Ready pod to measure' }]);
  });
});

describe("reportPodUsage: the dev loop's status line after a rollout", () => {
  it("prints the pod's figures once sampled", async () => {
    const out = new BufferOutput();
    await reportPodUsage(cluster('served'), TARGET, POD, out, new AbortController().signal);
    expect(out.lines).toEqual([`📊 ${POD}: CPU 3m / 100m requested, limit 500m; memory 48Mi / 128Mi requested, limit 512Mi`]);
  });

  it('says nothing for a pod that is gone by then, or once the loop stopped', async () => {
    const kube = cluster('served');
    kube.metricsFirstSampleAfterLists = 1000;
    const out = new BufferOutput();
    const stop = new AbortController();
    const report = reportPodUsage(kube, TARGET, POD, out, stop.signal);
    await new Promise((r) => setTimeout(r, 50));
    const stoppedAt = performance.now();
    stop.abort();
    await report;
    expect(performance.now() - stoppedAt).toBeLessThan(500); // not after its next 5 s poll
    expect(out.lines).toEqual([]);

    kube.metricsFirstSampleAfterLists = 0;
    await kube.delete({ apiVersion: 'v1', kind: 'Pod', name: POD, namespace: 'dev' });
    kube.put(withResources(pod('rag-api-6c9f2-x2x'), SPEC_RESOURCES), 'kubelet');
    await reportPodUsage(kube, TARGET, POD, out, new AbortController().signal);
    expect(out.lines).toEqual([]);
  });
});
