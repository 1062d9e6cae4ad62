import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { artifactPaths, IMAGE_ID_ANNOTATION, runDeploy, type DeployDeps } from '../../src/deploy.js';
import { imageIdsInArchive } from '../../src/image-archive.js';
import { workspaceRoot, type Runner } from '@llmops-rag/platform';
import { runTeardown } from '../../src/teardown.js';
import { readSynthOutput } from '../../src/manifests.js';
import { listReleases } from '../../src/release/store.js';
import { makeWorkspace } from '../../src/testing/workspace.js';
import { imageIdTag, imageRef, type KubeObject } from '@llmops-rag/contract';
import { e2ePlan, planTitle, startE2eCluster, type E2eCluster } from './e2e-cluster.js';

/**
 * deploy-local end to end on a real cluster: the one LLMOPS_E2E_KUBECONFIG gives, else k3s in a privileged
 * container (testcontainers) (e2e-cluster.ts), the image archive imported into it, the deploy code run
 * against its kubeconfig exactly as `nx run k8s-manifests:deploy-local` would,
 * then Ready pods, a port-forward, the four endpoints and the pod's CPU and memory from k3s' metrics-server; the same cluster
 * deployed to as one the deploy does not recognise (image ID annotation,
 * --load-command); an atomic rollback (a revision whose pod cannot start is
 * rolled back to the live release, its ConfigMap, Secret and template exactly);
 * then teardown next to someone else's object, and the context's namespace restored to what it was. Skipped, with the
 * reason printed, where no cluster is given and Docker or the rancher/k3s image is not available. The k3s-only case
 * (the same cluster unrecognised, `docker cp` into the container) runs on k3s only.
 * Ryuk follows TESTCONTAINERS_RYUK_DISABLED as the environment sets it.
 */
const root = workspaceRoot();
const plan = await e2ePlan();
if (plan.source === 'none') console.log(`[e2e] SKIPPED: ${plan.reason}`);

describe.skipIf(plan.source === 'none')(`deploy-local on ${planTitle(plan)}`, () => {
  let cluster: E2eCluster;
  /** The context's namespace before the first deploy, as the file says it (absent is "unset", not "default"). */
  let namespaceBefore: unknown;

  beforeAll(async () => {
    cluster = await startE2eCluster(plan);
    namespaceBefore = rawContext()?.namespace;
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const deps = (lines: string[], wrap?: (runner: Runner) => Runner): DeployDeps => cluster.deps(lines, wrap);

  /** The context entry as written in the kubeconfig file: an absent `namespace` is "unset", not "default". */
  function rawContext(): Record<string, unknown> | undefined {
    const config = parse(readFileSync(cluster.kubeconfigPath, 'utf8')) as {
      'current-context': string;
      contexts: { name: string; context: Record<string, unknown> }[];
    };
    return config.contexts.find((c) => c.name === config['current-context'])?.context;
  }

  async function podTemplateImageId(d: DeployDeps): Promise<string | undefined> {
    const deployment = await d.kubeApi().get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    return (deployment?.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations?.[IMAGE_ID_ANNOTATION];
  }

  async function podTemplateImage(d: DeployDeps): Promise<string | undefined> {
    const deployment = await d.kubeApi().get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    return (deployment?.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers.find(
      (c) => c.name === 'api',
    )?.image;
  }

  const archiveId = () => `sha256:${imageIdsInArchive(artifactPaths(root).imageArchive).ids[0]}`;

  it('builds, imports the image, deploys, waits for Ready and answers on all four endpoints; a second run changes nothing', async () => {
    const first: string[] = [];
    const run = await runDeploy(
      { mode: 'local', profile: 'minikube', timeoutMs: 300_000, skipBuild: false, workspaceRoot: root, ...cluster.deployFlags },
      deps(first),
    );
    const byName = Object.fromEntries(run.checklist.results.map((r) => [r.name, r]));
    expect(run.ok, first.join('\n')).toBe(true);
    if (cluster.k3s) expect(byName['Kube context is local']?.detail).toMatch(/→ k3s-container/);
    expect(byName['Pods Running and Ready']?.ok).toBe(true);
    for (const path of ['/health', '/health/ready', '/health/live', '/']) expect(byName[`GET ${path}`]?.ok, path).toBe(true);
    expect(byName['GET /health/ready']?.detail).toBe('{"status":"ready","checks":{"api":"ok"}}');
    // k3s ships metrics-server: the spec's `kubectl top pod` step has figures (✓, or ⚠ when memory needs a look), never skipped.
    const usage = byName['Pod CPU and memory (kubectl top)'];
    expect(usage?.skipped, usage?.detail).toBeFalsy();
    expect(usage?.ok, usage?.detail).toBe(true);
    expect(usage?.detail).toMatch(/^CPU \d+m \/ 100m requested, limit 500m; memory \d+Mi \/ 128Mi requested, limit 512Mi/);
    expect(await podTemplateImageId(deps([]))).toBe(archiveId());
    // The archive nx built carries the build's immutable tag, the Deployment runs it, and k3s' containerd holds it.
    const pinned = imageRef(imageIdTag(archiveId()));
    expect(imageIdsInArchive(artifactPaths(root).imageArchive).repoTags).toContain(pinned);
    expect(await podTemplateImage(deps([]))).toBe(pinned);

    const second: string[] = [];
    const again = await runDeploy(
      { mode: 'local', profile: 'minikube', timeoutMs: 120_000, skipBuild: true, workspaceRoot: root, ...cluster.deployFlags },
      deps(second),
    );
    const detail = (name: string) => again.checklist.results.find((r) => r.name === name)?.detail;
    expect(again.ok, second.join('\n')).toBe(true);
    expect(detail('Image in cluster')).toMatch(cluster.deployFlags.loadCommand ? /loaded by --load-command$/ : /already present$/);
    expect(detail('Apply (server-side)')).toMatch(/0 created, 0 configured, \d+ unchanged$/);
  }, 900_000);

  it.skipIf(plan.source !== 'k3s')(
    'on the same cluster unrecognised (allowed by flag): annotates the image ID, prints the k3s import command, and runs --load-command',
    async () => {
      const k3s = cluster.k3s as NonNullable<E2eCluster['k3s']>;
      // Hide the k3s container from detection, as on a cluster the deploy does not know.
      const unrecognised = (runner: Runner): Runner => ({
        which: (c) => runner.which(c),
        run: (c, args, o) =>
          c === 'docker' && args[0] === 'ps' ? Promise.resolve({ code: 0, stdout: '', stderr: '', timedOut: false }) : runner.run(c, args, o),
      });
      const context = 'default';
      const printed: string[] = [];
      const run = await runDeploy(
        { mode: 'local', profile: 'minikube', allowContext: context, timeoutMs: 120_000, skipBuild: true, workspaceRoot: root },
        deps(printed, unrecognised),
      );
      expect(run.ok, printed.join('\n')).toBe(true);
      expect(printed.join('\n')).toContain('sudo k3s ctr images import dist/images/llmops-rag-api.tar');
      expect(await podTemplateImageId(deps([]))).toBe(archiveId());

      const container = k3s.getId();
      const loadCommand = `docker cp "$IMAGE_ARCHIVE" ${container}:/tmp/e2e-image.tar && docker exec ${container} ctr -n k8s.io images import /tmp/e2e-image.tar`;
      const loaded: string[] = [];
      const again = await runDeploy(
        { mode: 'local', profile: 'minikube', allowContext: context, timeoutMs: 120_000, skipBuild: true, workspaceRoot: root, loadCommand },
        deps(loaded, unrecognised),
      );
      expect(again.ok, loaded.join('\n')).toBe(true);
      expect(again.checklist.results.find((r) => r.name === 'Image in cluster')?.detail).toMatch(/loaded by --load-command$/);
    },
    600_000,
  );

  it('atomic deploy: a revision whose pod cannot start is rolled back to the last release, ConfigMap, Secret and template exactly, and Ready again', async () => {
    const d = deps([]);
    const api = d.kubeApi();
    const read = async () => {
      const get = (kind: string, name: string) => api.get({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, name, namespace: 'dev' });
      return {
        configMap: (await get('ConfigMap', 'rag-api-config'))?.data,
        secret: (await get('Secret', 'rag-api-secrets'))?.data,
        template: ((await get('Deployment', 'rag-api'))?.spec as { template?: unknown } | undefined)?.template,
        extra: await get('ConfigMap', 'rag-api-e2e-extra'),
      };
    };
    const current = (await listReleases(api, 'dev')).releases.find((r) => r.status === 'deployed');
    expect(current, 'the earlier deploys recorded a release').toBeDefined();
    const before = await read();

    // The bad revision: another LOG_LEVEL, a new ConfigMap, and a container env that references a key
    // the ConfigMap does not have (the kubelet reports CreateContainerConfigError at once).
    const bad: KubeObject[] = readSynthOutput(artifactPaths(root).manifestsDir).map((o) => {
      if (o.kind === 'ConfigMap' && o.metadata.name === 'rag-api-config') return { ...o, data: { ...(o.data as Record<string, string>), LOG_LEVEL: 'debug' } };
      if (o.kind !== 'Deployment') return o;
      const spec = structuredClone(o.spec) as { template: { spec: { containers: { env?: unknown[] }[] } } };
      const container = spec.template.spec.containers[0] as { env?: unknown[] };
      container.env = [...(container.env ?? []), { name: 'E2E_MISSING', valueFrom: { configMapKeyRef: { name: 'rag-api-config', key: 'no-such-key' } } }];
      return { ...o, spec };
    });
    const extra = bad.find((o) => o.kind === 'ConfigMap') as KubeObject;
    bad.push({ ...extra, metadata: { ...extra.metadata, name: 'rag-api-e2e-extra' }, data: { E2E: 'yes' } });
    const ws = makeWorkspace('0'.repeat(64), bad);
    copyFileSync(artifactPaths(root).imageArchive, artifactPaths(ws).imageArchive);
    try {
      const lines: string[] = [];
      const run = await runDeploy(
        { mode: 'local', profile: 'minikube', timeoutMs: 180_000, skipBuild: true, workspaceRoot: ws, ...cluster.deployFlags },
        deps(lines),
      );
      const text = lines.join('\n');
      expect(run.ok, text).toBe(false);
      expect(run.rolledBackTo).toBe(current?.revision);
      expect(text).toContain('CreateContainerConfigError');
      expect(text).toContain(`rolled back to revision ${current?.revision}`);
      const after = await read();
      expect(after.configMap).toEqual(before.configMap);
      expect(after.secret).toEqual(before.secret);
      expect(after.template).toEqual(before.template);
      expect(after.extra).toBeUndefined();
      const deployment = await api.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
      expect((deployment?.status as { readyReplicas?: number } | undefined)?.readyReplicas).toBe(1);
      const { releases } = await listReleases(api, 'dev');
      expect(releases[0]?.status).toBe('failed');
      expect(releases.find((r) => r.status === 'deployed')?.revision).toBe(current?.revision);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  }, 600_000);

  it("teardown keeps the namespace while someone else's object is in it, restores the unset context namespace, and --delete-namespace removes it", async () => {
    const d = deps([]);
    const api = d.kubeApi();
    await api.apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-notes', namespace: 'dev' }, data: { owner: 'someone else' } },
      'e2e-someone-else',
    );
    const options = { namespace: 'dev', label: { key: 'app.kubernetes.io/part-of', value: 'llmops-rag' }, timeoutMs: 180_000 };
    const lines: string[] = [];
    const kept = await runTeardown(options, { runner: d.runner, out: d.out, kubeContext: d.kubeContext, kubeApi: d.kubeApi });
    lines.push(...kept.checklist.results.map((r) => `${r.name}: ${r.detail}`));
    expect(kept.ok, lines.join('\n')).toBe(true);
    // Deleted in the foreground: gone, or still terminating while its pods stop.
    expect(
      (await api.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' }))?.metadata.deletionTimestamp ?? 'gone',
    ).toBeTruthy();
    expect(await api.get({ apiVersion: 'v1', kind: 'Secret', name: 'rag-api-secrets', namespace: 'dev' })).toBeUndefined();
    expect(await api.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'team-notes', namespace: 'dev' })).toBeDefined();
    const ns = await api.get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' });
    expect(ns?.metadata.deletionTimestamp).toBeUndefined();
    expect(kept.checklist.results.find((r) => r.name === 'Namespace dev')?.detail).toBe('kept: 1 object the deploy did not apply (listed above)');
    // The context's namespace is what it was before the first deploy (k3s: unset, so absent again).
    expect(rawContext()?.namespace).toEqual(namespaceBefore);
    if (cluster.k3s) expect(rawContext()).not.toHaveProperty('namespace');

    const forced = await runTeardown({ ...options, deleteNamespace: true }, { runner: d.runner, out: d.out, kubeContext: d.kubeContext, kubeApi: d.kubeApi });
    expect(forced.ok).toBe(true);
    expect(await api.get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' })).toBeUndefined();
  }, 600_000);
});
