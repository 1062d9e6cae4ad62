import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRunner, workspaceRoot } from '@llmops-rag/platform';
import { runDeploy } from '../../src/deploy.js';
import { DIFF_EXIT, type DiffDeps } from '../../src/diff/diff-options.js';
import { runDiff } from '../../src/diff/run-diff.js';
import type { Output } from '../../src/types.js';
import { e2ePlan, planTitle, startE2eCluster, type E2eCluster } from './e2e-cluster.js';

/**
 * `nx run k8s-manifests:diff` against a real API server (LLMOPS_E2E_KUBECONFIG's cluster, else k3s in a privileged
 * container: e2e-cluster.ts): the first diff on the empty namespace (NamespaceLifecycle, nothing created), no change right after a real deploy (the server's
 * defaults and other managers' fields cancel out, nothing stored by the dry runs), and a new secret value
 * shown masked. Skipped, with the reason printed, where no cluster is given and Docker or the rancher/k3s image is not
 * available. On a given cluster, namespace `dev` must not exist yet (the first case diffs against nothing).
 */
const root = workspaceRoot();
const plan = await e2ePlan();
if (plan.source === 'none') console.log(`[diff e2e] SKIPPED: ${plan.reason}`);

const FIRST_KEY = 'sk-e2e-diff-first-7Qw2Lm9X';
const SECOND_KEY = 'sk-e2e-diff-second-H8c1Nz5K';

describe.skipIf(plan.source === 'none')(`diff on ${planTitle(plan)}`, () => {
  let cluster: E2eCluster;

  beforeAll(async () => {
    cluster = await startE2eCluster(plan);
    // The diff target runs synth first (dependsOn); the first diff here comes before any deploy builds it.
    const synth = await processRunner().run(join(root, 'node_modules', '.bin', 'nx'), ['run', 'k8s-manifests:synth'], { cwd: root, timeoutMs: 300_000 });
    if (synth.code !== 0) throw new Error(`nx run k8s-manifests:synth failed:\n${synth.stderr || synth.stdout}`);
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** --allow-context on a given cluster the deploy does not recognise. */
  const allowed = () => (cluster.deployFlags.allowContext ? { allowContext: cluster.deployFlags.allowContext } : {});

  function deps(key: string) {
    const base = cluster.deps();
    const env = cluster.env({ OPENAI_API_KEY: key });
    const progress: string[] = [];
    const report: string[] = [];
    const sink = (lines: string[]): Output => ({ line: (text) => lines.push(text) });
    const d: DiffDeps = { ...base, runner: processRunner(env), out: sink(progress), report: sink(report), env };
    return { deps: d, progress, report };
  }

  async function versions(d: DiffDeps): Promise<Record<string, string | undefined>> {
    const { objects } = await d.kubeApi().listNamespace('dev');
    const namespace = await d.kubeApi().get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' });
    return Object.fromEntries([namespace, ...objects].filter((o) => o !== undefined).map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion]));
  }

  it('on the empty cluster shows every object as created and creates nothing', async () => {
    const { deps: d, progress, report } = deps(FIRST_KEY);
    const result = await runDiff({ workspaceRoot: root, ...allowed() }, d);
    expect(result.exitCode, `${progress.join('\n')}\n${report.join('\n')}`).toBe(DIFF_EXIT.changes);
    expect(report.at(-1)).toMatch(/^(\d+) objects: \1 to create, 0 to change, 0 to prune, 0 unchanged$/);
    expect(progress.join('\n')).toContain('namespace dev does not exist yet');
    expect(await d.kubeApi().get({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' })).toBeUndefined();
  }, 120_000);

  it('right after a deploy reports no change without storing anything; a new secret value shows masked', async () => {
    const { deps: d } = deps(FIRST_KEY);
    const deployed = await runDeploy(
      { mode: 'local', profile: 'minikube', timeoutMs: 300_000, skipBuild: false, workspaceRoot: root, ...cluster.deployFlags },
      d,
    );
    expect(deployed.ok).toBe(true);

    const same = deps(FIRST_KEY);
    const before = await versions(same.deps);
    const result = await runDiff({ workspaceRoot: root, ...allowed() }, same.deps);
    expect(result.exitCode, same.report.join('\n')).toBe(DIFF_EXIT.unchanged);
    expect(same.report.join('\n')).toContain('No changes: the cluster matches what a deploy would apply.');
    expect(await versions(same.deps)).toEqual(before);

    const rotated = deps(SECOND_KEY);
    const changed = await runDiff({ workspaceRoot: root, ...allowed() }, rotated.deps);
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
