import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@llmops-rag/contract';
import type { ContextInfo } from '../cluster-kinds.js';
import { KubeApiError } from '../kube.js';
import { clientKubeApi } from '../kube-client.js';
import { PreflightError } from '../preflight-error.js';
import { DiffBench, withNamespaceLifecycle } from '../testing/diff-cluster.js';
import { apiServer } from '../testing/hosts.js';
import { devObjects } from '../testing/workspace.js';
import { DIFF_EXIT } from './diff-options.js';
import { runDiff } from './run-diff.js';

const benches: DiffBench[] = [];
afterEach(() => benches.splice(0).forEach((b) => b.remove()));

function bench(...args: ConstructorParameters<typeof DiffBench>): DiffBench {
  const b = new DiffBench(...args);
  benches.push(b);
  return b;
}

/** Runs the diff and proves it wrote nothing: every apply a dry run, no delete, every resourceVersion as before. */
async function diff(b: DiffBench, options: { allowContext?: string; envFile?: string } = {}) {
  const before = b.resourceVersions();
  const dryRunsBefore = b.kube.dryRuns.length;
  b.watchWrites();
  const result = await runDiff({ workspaceRoot: b.workspace, ...options }, b.deps());
  expect(b.writes).toEqual([]);
  expect(b.resourceVersions()).toEqual(before);
  return { ...result, dryRuns: b.kube.dryRuns.slice(dryRunsBefore), text: b.report.text };
}

const withConfig = (data: Record<string, string>): KubeObject[] =>
  devObjects().map((o) => (o.kind === 'ConfigMap' ? { ...o, data: { ...(o.data as Record<string, string>), ...data } } : o));

describe('runDiff (nx run k8s-manifests:diff)', () => {
  it('right after a deploy shows no change and exits 0: every object dry-run applied, nothing written', async () => {
    const b = bench();
    await b.deploy();
    const result = await diff(b);
    expect(result.exitCode, `${b.out.text}\n${result.text}`).toBe(DIFF_EXIT.unchanged);
    expect(b.out.text).toContain('kube context minikube → minikube (minikube)');
    expect(result.text).toBe('No changes: the cluster matches what a deploy would apply.\n6 objects: 0 to create, 0 to change, 0 to prune, 6 unchanged');
    expect(result.dryRuns).toEqual([
      'Namespace/dev',
      'ServiceAccount/rag-api',
      'ConfigMap/rag-api-config',
      'Secret/rag-api-secrets',
      'Service/rag-api-service',
      'Deployment/rag-api',
    ]);
  });

  it('shows a changed ConfigMap value as that line changed, and exits 1', async () => {
    const b = bench();
    await b.deploy();
    b.resynth(withConfig({ LOG_LEVEL: 'debug' }));
    const result = await diff(b);
    expect(result.exitCode).toBe(DIFF_EXIT.changes);
    expect(result.outcome).toBe('changes');
    expect(result.text).toContain(
      [
        '--- live/ConfigMap/rag-api-config',
        '+++ deploy/ConfigMap/rag-api-config',
        '@@ -3,7 +3,7 @@',
        '   APP_ENV: dev',
        '   AWS_REGION: ap-southeast-2',
        '   DOCUMENTS_BUCKET: llmops-rag-documents-dev',
      ].join('\n'),
    );
    expect(result.text).toContain('-  LOG_LEVEL: info\n+  LOG_LEVEL: debug\n');
    expect(result.text.match(/^[-+] /gm)).toHaveLength(2);
    expect(result.text.split('\n').at(-1)).toBe('6 objects: 0 to create, 1 to change, 0 to prune, 5 unchanged');
  });

  it("after a rebuild shows the Deployment's image moving to the new build's id tag (and its image-ID annotation), and exits 1", async () => {
    const b = bench();
    await b.deploy();
    b.rebuildImage('2'.repeat(64));
    const result = await diff(b);
    expect(result.exitCode).toBe(DIFF_EXIT.changes);
    expect(result.text).toContain('--- live/Deployment/rag-api\n+++ deploy/Deployment/rag-api');
    expect(result.text).toContain('-        - image: llmops-rag-api:id-111111111111\n+        - image: llmops-rag-api:id-222222222222\n');
    expect(result.text).toContain(`llmops-rag.io/image-id: sha256:${'2'.repeat(64)}`);
    expect(result.text.match(/^[-+] /gm)).toHaveLength(4);
    expect(result.text.split('\n').at(-1)).toBe('6 objects: 0 to create, 1 to change, 0 to prune, 5 unchanged');
  });

  it('shows a change someone made to the live object (kubectl edit) as what the deploy would put back', async () => {
    const b = bench();
    await b.deploy();
    const live = (await b.kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'rag-api-config', namespace: 'dev' })) as KubeObject;
    b.kube.put({ ...live, data: { ...(live.data as Record<string, string>), LOG_LEVEL: 'trace' } });
    const result = await diff(b);
    expect(result.exitCode).toBe(DIFF_EXIT.changes);
    expect(result.text).toContain('-  LOG_LEVEL: trace\n+  LOG_LEVEL: info\n');
  });

  it('masks Secret values: a changed one is *** (before) / *** (after), and no value, plain or base64, is printed', async () => {
    const b = bench();
    const oldKey = 'sk-proj-old-value-0001';
    const newKey = 'sk-proj-new-value-0002';
    b.writeDotEnv(`OPENAI_API_KEY=${oldKey}\n`);
    await b.deploy();
    b.writeDotEnv(`OPENAI_API_KEY=${newKey}\n`);
    const result = await diff(b);
    expect(result.exitCode).toBe(DIFF_EXIT.changes);
    expect(result.text).toContain(
      [
        '--- live/Secret/rag-api-secrets',
        '+++ deploy/Secret/rag-api-secrets',
        '@@ -1,6 +1,6 @@',
        ' apiVersion: v1',
        ' data:',
        '-  OPENAI_API_KEY: "*** (before)"',
        '+  OPENAI_API_KEY: "*** (after)"',
      ].join('\n'),
    );
    // The new value rolls the pods through the pod template's secret checksum, as the deploy would.
    expect(result.text).toMatch(/--- live\/Deployment\/rag-api[\s\S]*-\s+checksum\/secret: \S+\n\+\s+checksum\/secret: \S+/);
    expect(result.text.split('\n').at(-1)).toBe('6 objects: 0 to create, 2 to change, 0 to prune, 4 unchanged');
    const everything = `${b.out.text}\n${result.text}`;
    for (const value of [oldKey, newKey]) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString('base64'));
      expect(everything).not.toContain(Buffer.from(value).toString('base64url'));
    }
  });

  it('shows the objects the deploy would prune as removed (Secret values masked), and only those', async () => {
    const labels = { app: 'rag-api', 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/part-of': 'llmops-rag' };
    const extraConfig: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'rag-api-legacy', namespace: 'dev', labels },
      data: { FEATURE: 'on' },
    };
    const extraSecret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'rag-api-legacy-token', namespace: 'dev', labels },
      stringData: { TOKEN: 'legacy-token-value-0004' },
      type: 'Opaque',
    };
    const b = bench([...devObjects(), extraConfig, extraSecret]);
    await b.deploy();
    b.kube.deleted.length = 0; // the deploy's own deletes (its lock Lease, released at its end): the diff must add none
    b.kube.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'someone-elses', namespace: 'dev', labels }, data: { A: 'b' } }, 'kubectl-create');
    // Someone once ran `kubectl apply` on it: the last-applied annotation holds the value in plain text.
    const token = (await b.kube.get({ apiVersion: 'v1', kind: 'Secret', name: 'rag-api-legacy-token', namespace: 'dev' })) as KubeObject;
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { TOKEN: 'legacy-token-value-0004' } });
    b.kube.put({ ...token, metadata: { ...token.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } } });
    b.resynth(devObjects());
    const result = await diff(b);
    expect(result.exitCode).toBe(DIFF_EXIT.changes);
    expect(result.text).toContain(
      ['--- live/ConfigMap/rag-api-legacy', '+++ deploy/ConfigMap/rag-api-legacy', '@@ -1,11 +0,0 @@', '-apiVersion: v1', '-data:', '-  FEATURE: on'].join(
        '\n',
      ),
    );
    expect(result.text).toContain('--- live/Secret/rag-api-legacy-token\n+++ deploy/Secret/rag-api-legacy-token\n@@ -1,');
    expect(result.text).toContain('-  TOKEN: "***"');
    expect(result.text).toContain('-    kubectl.kubernetes.io/last-applied-configuration: "***"');
    expect(result.text).not.toContain('legacy-token-value-0004');
    expect(result.text).not.toContain(Buffer.from('legacy-token-value-0004').toString('base64'));
    expect(result.text).not.toContain('someone-elses');
    expect(result.text.split('\n').at(-1)).toBe('8 objects: 0 to create, 0 to change, 2 to prune, 6 unchanged');
    expect(b.kube.deleted).toEqual([]);
  });

  it('against an empty cluster shows every object as created, dry-running only what the API server can take', async () => {
    const b = bench(devObjects(), withNamespaceLifecycle(apiServer()));
    b.writeDotEnv('OPENAI_API_KEY=sk-proj-first-0005\n');
    const result = await diff(b);
    expect(result.exitCode, b.out.text).toBe(DIFF_EXIT.changes);
    expect(result.text.split('\n').at(-1)).toBe('6 objects: 6 to create, 0 to change, 0 to prune, 0 unchanged');
    for (const object of [
      'Namespace/dev',
      'ConfigMap/rag-api-config',
      'Secret/rag-api-secrets',
      'ServiceAccount/rag-api',
      'Service/rag-api-service',
      'Deployment/rag-api',
    ]) {
      expect(result.text).toMatch(new RegExp(`--- live/${object}\\n\\+\\+\\+ deploy/${object}\\n@@ -0,0 \\+1,\\d+ @@\\n\\+apiVersion: `));
    }
    expect(result.text.split('\n').filter((l) => /^-(?!-- live)/.test(l))).toEqual([]);
    expect(result.text).toContain('+  OPENAI_API_KEY: "***"');
    expect(result.text).not.toContain('sk-proj-first-0005');
    expect(result.text).not.toContain(Buffer.from('sk-proj-first-0005').toString('base64'));
    expect(result.text).toContain('+    llmops-rag.io/created-by: llmops-rag-deploy');
    // The namespace does not exist, so only it is dry-run; the rest are shown as the deploy would send them.
    expect(result.dryRuns).toEqual(['Namespace/dev']);
    expect(b.out.text).toContain('namespace dev does not exist yet: the objects in it are shown as the deploy would send them');
    expect(b.kube.objects.size).toBe(0);
  });

  it('refuses a context that is not a local cluster before any API call (exit 3), and compares with --allow-context', async () => {
    const b = bench();
    const eks: ContextInfo = { name: 'prod-eks', cluster: 'prod', server: 'https://ABC.eks.amazonaws.com' };
    const refused = runDiff(
      { workspaceRoot: b.workspace },
      b.deps(() => eks),
    );
    await expect(refused).rejects.toThrow(PreflightError);
    await expect(refused).rejects.toThrow(/refusing to diff against "prod-eks" \(server https:\/\/ABC\.eks\.amazonaws\.com\)[\s\S]*--allow-context=prod-eks/);
    expect(b.kubeApiCalls).toBe(0);
    expect(b.report.text).toBe('');

    const allowed = await runDiff(
      { workspaceRoot: b.workspace, allowContext: 'prod-eks' },
      b.deps(() => eks),
    );
    expect(b.out.text).toContain('diffing against context "prod-eks" anyway because --allow-context=prod-eks');
    expect(allowed.exitCode).toBe(DIFF_EXIT.changes);
    expect(b.kubeApiCalls).toBe(1);
  });

  it('refuses without synth output or with an unusable .env, naming each and its fix, before any API call', async () => {
    const b = bench();
    rmSync(join(b.workspace, 'dist', 'k8s'), { recursive: true });
    // A folder where the .env should be: the deploy's own .env check refuses it.
    const refused = runDiff({ workspaceRoot: b.workspace, envFile: join(b.workspace, 'dist') }, b.deps());
    await expect(refused).rejects.toThrow(/synth output: .*dist\/k8s\/dev does not exist[\s\S]*fix: run `npx nx run k8s-manifests:synth`/);
    await expect(refused).rejects.toThrow(`✗ .env: ${join(b.workspace, 'dist')} is a directory, not a file\n    fix: `);
    expect(b.kubeApiCalls).toBe(0);
  });

  it('says why when the API server refuses the read (exit 4, its message), not "changes"', async () => {
    const b = bench();
    await b.deploy();
    b.kube.get = async () => {
      throw new KubeApiError(403, 'namespaces "dev" is forbidden: User "dev" cannot get resource "namespaces"', 'Forbidden');
    };
    const result = await runDiff({ workspaceRoot: b.workspace }, b.deps());
    expect(result.exitCode).toBe(DIFF_EXIT.failed);
    expect(result.reason).toBe('the API server answered 403: namespaces "dev" is forbidden: User "dev" cannot get resource "namespaces"');
    expect(b.out.text).toContain("fix: the context's user may not read or dry-run these objects");
    expect(b.report.text).toBe('');
  });

  it('says the cluster is unreachable when the real client cannot connect (exit 4), with the fix', async () => {
    const b = bench();
    const context: ContextInfo = { name: 'lab', cluster: 'lab', server: 'https://127.0.0.1:1' };
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'lab', server: context.server, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'lab', cluster: 'lab', user: 'u' }],
      currentContext: 'lab',
    });
    const result = await runDiff({ workspaceRoot: b.workspace, allowContext: 'lab' }, { ...b.deps(() => context), kubeApi: () => clientKubeApi(kc) });
    expect(result.exitCode).toBe(DIFF_EXIT.failed);
    expect(result.reason).toMatch(/^could not reach the API server: .*connect ECONNREFUSED 127\.0\.0\.1:1$/);
    expect(b.out.text).toContain('fix: check the cluster is running and reachable: `kubectl cluster-info`');
  });
});
