import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FIELD_MANAGER } from './apply.js';
import type { ContextInfo } from './cluster-kinds.js';
import type { Clock } from './clock.js';
import { runDeploy } from './deploy.js';
import { runTeardown, type TeardownOptions } from './teardown.js';
import { BufferOutput, FakeKube, FakeRunner, type FakeKube as Kube } from './testing/fakes.js';
import { apiServer, FakeHost } from './testing/hosts.js';
import { devObjects, makeWorkspace } from './testing/workspace.js';

const ID = '1'.repeat(64);
const OPTIONS: TeardownOptions = { namespace: 'dev', label: { key: 'app.kubernetes.io/part-of', value: 'llmops-rag' }, timeoutMs: 10_000 };
const KIND: ContextInfo = { name: 'kind-dev', cluster: 'kind-dev', server: 'https://127.0.0.1:40123' };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/**
 * A kind cluster after `deploy-local` ran `runs` times from a context whose
 * namespace was `contextNamespace` (undefined: unset), on a fake API server
 * that behaves like a real one (SSA field ownership, namespace cascade,
 * garbage collection) and a real kubeconfig changed by real kubectl.
 */
async function deployed(options: { contextNamespace?: string; runs?: number; before?: (kube: Kube) => void } = {}) {
  const ws = makeWorkspace(ID);
  const host = new FakeHost({ ...KIND, ...(options.contextNamespace ? { namespace: options.contextNamespace } : {}) }, ['docker', 'kubectl', 'kind'], ID);
  cleanups.push(
    () => rmSync(ws, { recursive: true, force: true }),
    () => host.remove(),
  );
  const kube = apiServer();
  options.before?.(kube);
  for (let i = 0; i < (options.runs ?? 1); i++) {
    const out = new BufferOutput();
    const run = await runDeploy(
      { mode: 'local', profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot: ws },
      { runner: host.runner, out, kubeContext: () => host.context, kubeApi: () => kube, clock: kube.clock, env: {} },
    );
    expect(run.ok, out.text).toBe(true);
  }
  expect(host.context.namespace).toBe('dev');
  const teardown = async (extra: Partial<TeardownOptions> = {}) => {
    const out = new BufferOutput();
    kube.deleted.length = 0;
    const result = await runTeardown(
      { ...OPTIONS, ...extra },
      // Each second waited, the garbage collector finishes: a Deployment deleted in the foreground is gone once its pods are.
      { runner: host.runner, out, kubeContext: () => host.context, kubeApi: () => kube, clock: collectingEachSleep(kube) },
    );
    const detail = (name: string) => result.checklist.results.find((r) => r.name === name)?.detail;
    return { result, out, detail };
  };
  return { host, kube, teardown };
}

/** The fake cluster's time, where a wait's sleep is the moment the garbage collector finishes (no time passes). */
function collectingEachSleep(kube: FakeKube): Clock {
  return { now: () => kube.clock.now(), sleep: async () => kube.collectGarbage() };
}

const teamNotes = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-notes', namespace: 'dev' }, data: { owner: 'someone else' } };
const APP_OBJECTS = ['Deployment/rag-api', 'Service/rag-api-service', 'ConfigMap/rag-api-config', 'Secret/rag-api-secrets', 'ServiceAccount/rag-api'];
/** The release history one deploy recorded: teardown deletes it with the app, as `helm uninstall` does. */
const ONE_RELEASE = ['Secret/llmops-rag.release.v1'];
/** The teardown's lock, released (deleted) at its end when the namespace stays. */
const LOCK = 'Lease/llmops-rag-operation';

describe('runTeardown after a real deploy', () => {
  it('deletes what the deploy applied and the namespace it created, and unsets the context namespace it found unset', async () => {
    // Two deploys: the second must carry the record forward (server-side apply drops fields a manager stops sending).
    const { host, kube, teardown } = await deployed({ runs: 2 });
    const { result, out, detail } = await teardown();
    expect(result.ok, out.text).toBe(true);
    expect(kube.deleted).toEqual([...APP_OBJECTS, 'Secret/llmops-rag.release.v1', 'Secret/llmops-rag.release.v2', 'Namespace/dev']);
    expect(detail('App objects in dev')).toBe('5 deleted, 2 release records');
    expect(out.text).toContain('secret/llmops-rag.release.v2 deleted (release record)');
    expect([...kube.objects.keys()].filter((k) => k.includes('/dev/'))).toEqual([]);
    expect(detail('Namespace dev')).toBe('deleted (created by the deploy, nothing else in it)');
    // Unset again: no namespace field in the kubeconfig at all, not "default".
    expect(host.kubeconfig.rawContext('kind-dev')).not.toHaveProperty('namespace');
    expect(host.context.namespace).toBeUndefined();
    expect(detail('Context default namespace')).toBe('unset again on kind-dev (as before the deploy)');
  });

  it("keeps the namespace it created when someone else's objects are in it, lists them, and deletes it only with --delete-namespace", async () => {
    const { host, kube, teardown } = await deployed();
    kube.put(teamNotes, 'kubectl-create');
    kube.put(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand-made', namespace: 'dev', labels: { 'app.kubernetes.io/part-of': 'llmops-rag' } } },
      'kubectl-edit',
    );

    const kept = await teardown();
    expect(kept.result.ok, kept.out.text).toBe(true);
    expect(kube.deleted).toEqual([...APP_OBJECTS, ...ONE_RELEASE, LOCK]);
    expect(await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'team-notes', namespace: 'dev' })).toBeDefined();
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' })).toBeDefined();
    // The app's ReplicaSet and pod are still terminating, and every namespace has these two: none of them is listed.
    expect(kept.out.text).toContain(
      'namespace dev holds 2 objects the deploy did not apply: kept. Still in it:\n    configmap/team-notes (by kubectl-create)\n    configmap/hand-made (by kubectl-edit)\n  fix: to delete namespace dev and everything in it, run the teardown again with --delete-namespace',
    );
    expect(kept.out.text).not.toMatch(/replicaset|pod\/|kube-root-ca|serviceaccount\/default/);
    expect(kept.detail('Namespace dev')).toBe('kept: 2 objects the deploy did not apply (listed above)');
    expect(kept.detail('App objects in dev')).toBe('5 deleted, 1 release record');
    expect(host.context.namespace).toBeUndefined();

    const forced = await teardown({ deleteNamespace: true });
    expect(forced.result.ok, forced.out.text).toBe(true);
    expect(forced.out.text).toContain(
      'namespace dev holds 2 objects the deploy did not apply; --delete-namespace deletes it with everything in it:\n    configmap/team-notes (by kubectl-create)',
    );
    expect(kube.deleted).toEqual(['Namespace/dev']);
    expect(await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'team-notes', namespace: 'dev' })).toBeUndefined();
    expect(forced.detail('Namespace dev')).toBe('deleted with 2 objects the deploy did not apply (--delete-namespace)');
  });

  it('keeps a namespace that existed before the deploy, and restores the context namespace that was set', async () => {
    const { host, kube, teardown } = await deployed({
      contextNamespace: 'team-a',
      before: (k) => k.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }, 'kubectl-create'),
    });
    const { result, out, detail } = await teardown();
    expect(result.ok, out.text).toBe(true);
    expect(kube.deleted).toEqual([...APP_OBJECTS, ...ONE_RELEASE, LOCK]);
    expect(out.text).toContain('namespace dev was not created by the deploy: kept');
    expect(detail('Namespace dev')).toBe('kept: not created by the deploy');
    expect(host.context.namespace).toBe('team-a');
    expect(detail('Context default namespace')).toBe('restored to team-a on kind-dev');
  });

  it('waits until the Deployment is gone (deleted in the foreground, it goes after its pods), with a line saying so', async () => {
    const { kube, teardown } = await deployed();
    kube.put(teamNotes, 'kubectl-create'); // the namespace stays: only the wait for the app objects is left to see
    const { result, out } = await teardown();
    expect(result.ok, out.text).toBe(true);
    expect(out.text).toContain('  deployment/rag-api deleting (what it owns goes first)');
    expect(out.text).toContain('  waiting for deployment/rag-api to be gone (deleted in the foreground: it goes after what it owns)…');
    expect(await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' })).toBeUndefined();
    expect((await kube.list('apps/v1', 'ReplicaSet', 'dev')).length + (await kube.list('v1', 'Pod', 'dev')).length).toBe(0);
  });

  it('fails, naming what is left, when a deleted object is still there at --timeout', async () => {
    const { kube, host } = await deployed();
    const out = new BufferOutput();
    let t = 0;
    const result = await runTeardown(
      { ...OPTIONS, timeoutMs: 5000 },
      // The garbage collector never finishes (a stuck finalizer): the clock moves, the Deployment stays.
      { runner: host.runner, out, kubeContext: () => host.context, kubeApi: () => kube, clock: { now: () => t, sleep: async (ms: number) => void (t += ms) } },
    );
    expect(result.ok).toBe(false);
    expect(out.text).toContain(
      '✗ deployment/rag-api still terminating after 5s\nfix: `kubectl get all -n dev` shows what is left; a stuck finalizer is the usual cause',
    );
    expect(kube.deleted).not.toContain('Namespace/dev');
  });

  it("deletes the namespace although a cluster before 1.24 put a service-account token Secret in it (that is not someone else's)", async () => {
    const { kube, teardown } = await deployed({
      before: (k) => {
        k.legacyServiceAccountTokens = true;
      },
    });
    expect((await kube.list('v1', 'Secret', 'dev')).map((s) => s.metadata.name).filter((n) => n.includes('-token-'))).toHaveLength(2); // default's, rag-api's
    const { result, out, detail } = await teardown();
    expect(result.ok, out.text).toBe(true);
    expect(detail('Namespace dev')).toBe('deleted (created by the deploy, nothing else in it)');
    expect(out.text).not.toContain('token');
  });

  it('keeps the namespace when an API group cannot be listed (it cannot tell the namespace is empty)', async () => {
    const { kube, teardown } = await deployed();
    kube.unreadableGroups = ['custom.example.com/v1'];
    const { out } = await teardown();
    expect(kube.deleted).not.toContain('Namespace/dev');
    expect(out.text).toContain('    (could not list custom.example.com/v1 (the server is currently unable to handle the request))');
  });
});

describe('runTeardown', () => {
  it('leaves the context alone when it finds no record of what it was (a deploy from before the record existed)', async () => {
    const kube = new FakeKube();
    for (const o of devObjects()) kube.put(o, FIELD_MANAGER);
    const runner = new FakeRunner(['kubectl']);
    const out = new BufferOutput();
    const result = await runTeardown(OPTIONS, {
      runner,
      out,
      kubeContext: () => ({ ...KIND, namespace: 'dev' }),
      kubeApi: () => kube,
      clock: kube.clock,
    });
    expect(result.ok, out.text).toBe(true);
    expect(runner.calls.filter((c) => c.includes('set-context'))).toEqual([]);
    expect(kube.deleted).not.toContain('Namespace/dev');
    expect(result.checklist.results.find((r) => r.name === 'Context default namespace')?.detail).toContain(
      'left at dev: no record of what it was before the deploy',
    );
  });

  it('refuses a remote context like the deploy does', async () => {
    const eks = { name: 'prod', cluster: 'prod', server: 'https://x.eks.amazonaws.com' };
    await expect(
      runTeardown(OPTIONS, { runner: new FakeRunner(['kubectl']), out: new BufferOutput(), kubeContext: () => eks, kubeApi: () => new FakeKube() }),
    ).rejects.toThrow(/refusing to tear down "prod"/);
  });

  it('says it is tearing down, not deploying, on a context allowed by flag', async () => {
    const remote = { name: 'kubeadm-dev', cluster: 'kubeadm-dev', server: 'https://10.20.0.5:6443' };
    const out = new BufferOutput();
    await runTeardown(
      { ...OPTIONS, allowContext: 'kubeadm-dev' },
      { runner: new FakeRunner(['kubectl']), out, kubeContext: () => remote, kubeApi: () => new FakeKube() },
    );
    expect(out.lines[0]).toBe(
      '  ⚠ context "kubeadm-dev" points at https://10.20.0.5:6443, which is not a local cluster; tearing down context "kubeadm-dev" anyway because --allow-context=kubeadm-dev',
    );
    expect(out.text).not.toContain('deploying');
  });
});
