import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRunner, workspaceRoot } from '@llmops-rag/platform';
import { runDeploy } from '../../src/deploy.js';
import { DIFF_EXIT, type DiffDeps } from '../../src/diff/diff-options.js';
import { runDiff } from '../../src/diff/run-diff.js';
import { clientKubeApi, currentContext } from '../../src/kube-client.js';
import type { Output } from '../../src/types.js';
import { K3S_IMAGE, k3sUnavailableReason } from './k3s-availability.js';

/**
 * `nx run k8s-manifests:diff` against a real API server (k3s in a privileged container): the first diff on
 * the empty cluster (NamespaceLifecycle, nothing created), no change right after a real deploy (the server's
 * defaults and other managers' fields cancel out, nothing stored by the dry runs), and a new secret value
 * shown masked. Skipped, with the reason printed, where Docker or the rancher/k3s image is not available.
 */
const root = workspaceRoot();
const skipReason = await k3sUnavailableReason();
if (skipReason) console.log(`[k3s diff e2e] SKIPPED: ${skipReason}`);

const FIRST_KEY = 'sk-e2e-diff-first-7Qw2Lm9X';
const SECOND_KEY = 'sk-e2e-diff-second-H8c1Nz5K';

describe.skipIf(skipReason !== undefined)(`diff on k3s (${K3S_IMAGE})`, () => {
  let k3s: StartedK3sContainer;
  let dir: string;
  let kubeconfigPath: string;

  beforeAll(async () => {
    k3s = await new K3sContainer(K3S_IMAGE).start();
    dir = mkdtempSync(join(tmpdir(), 'k3s-diff-e2e-'));
    kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, k3s.getKubeConfig(), { mode: 0o600 });
    chmodSync(kubeconfigPath, 0o600);
    // The diff target runs synth first (dependsOn); the first diff here comes before any deploy builds it.
    const synth = await processRunner().run(join(root, 'node_modules', '.bin', 'nx'), ['run', 'k8s-manifests:synth'], { cwd: root, timeoutMs: 300_000 });
    if (synth.code !== 0) throw new Error(`nx run k8s-manifests:synth failed:\n${synth.stderr || synth.stdout}`);
  }, 600_000);

  afterAll(async () => {
    await k3s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function deps(key: string) {
    const env = { ...process.env, KUBECONFIG: kubeconfigPath, OPENAI_API_KEY: key };
    const load = () => {
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfigPath);
      return kc;
    };
    const progress: string[] = [];
    const report: string[] = [];
    const sink = (lines: string[]): Output => ({ line: (text) => lines.push(text) });
    const d: DiffDeps = {
      runner: processRunner(env),
      out: sink(progress),
      report: sink(report),
      env,
      kubeContext: () => currentContext(load()),
      kubeApi: () => clientKubeApi(load()),
    };
    return { deps: d, progress, report };
  }

  async function versions(d: DiffDeps): Promise<Record<string, string | undefined>> {
    const { objects } = await d.kubeApi().listNamespace('dev');
    const namespace = await d.kubeApi().get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' });
    return Object.fromEntries([namespace, ...objects].filter((o) => o !== undefined).map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion]));
  }

  it('on the empty cluster shows every object as created and creates nothing', async () => {
    const { deps: d, progress, report } = deps(FIRST_KEY);
    const result = await runDiff({ workspaceRoot: root }, d);
    expect(result.exitCode, `${progress.join('\n')}\n${report.join('\n')}`).toBe(DIFF_EXIT.changes);
    expect(report.at(-1)).toMatch(/^(\d+) objects: \1 to create, 0 to change, 0 to prune, 0 unchanged$/);
    expect(progress.join('\n')).toContain('namespace dev does not exist yet');
    expect(await d.kubeApi().get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' })).toBeUndefined();
  }, 120_000);

  it('right after a deploy reports no change without storing anything; a new secret value shows masked', async () => {
    const { deps: d } = deps(FIRST_KEY);
    const deployed = await runDeploy({ mode: 'local', profile: 'minikube', timeoutMs: 300_000, skipBuild: false, workspaceRoot: root }, d);
    expect(deployed.ok).toBe(true);

    const same = deps(FIRST_KEY);
    const before = await versions(same.deps);
    const result = await runDiff({ workspaceRoot: root }, same.deps);
    expect(result.exitCode, same.report.join('\n')).toBe(DIFF_EXIT.unchanged);
    expect(same.report.join('\n')).toContain('No changes: the cluster matches what a deploy would apply.');
    expect(await versions(same.deps)).toEqual(before);

    const rotated = deps(SECOND_KEY);
    const changed = await runDiff({ workspaceRoot: root }, rotated.deps);
    const text = `${rotated.progress.join('\n')}\n${rotated.report.join('\n')}`;
    expect(changed.exitCode, text).toBe(DIFF_EXIT.changes);
    expect(text).toContain('-  OPENAI_API_KEY: "*** (before)"\n+  OPENAI_API_KEY: "*** (after)"');
    for (const value of [FIRST_KEY, SECOND_KEY]) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value).toString('base64'));
    }
    expect(await versions(rotated.deps)).toEqual(before);
  }, 900_000);
});
