import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '@llmops-rag/platform';
import type { KubeObject } from '@llmops-rag/contract';
import { artifactPaths, runDeploy, SECRET_CHECKSUM_ANNOTATION } from '../../src/deploy.js';
import type { KubeApi } from '../../src/kube.js';
import { readSynthOutput } from '../../src/manifests.js';
import { runHistory } from '../../src/release/history.js';
import { listReleases } from '../../src/release/store.js';
import { makeWorkspace } from '../../src/testing/workspace.js';
import { e2ePlan, planTitle, startE2eCluster, type E2eCluster } from './e2e-cluster.js';

/**
 * What a careful user does to a release on a real cluster (issue 18), with the real commands as child processes:
 * kill -9 in the middle of the apply, then a plain deploy; two deploys at once; Ctrl-C during a rollout that never
 * completes; teardown while a deploy waits for its rollout. Each ends with the tool's words, the history and the live
 * objects agreeing. On the cluster LLMOPS_E2E_KUBECONFIG gives, else k3s in a container (e2e-cluster.ts); skipped
 * with the reason otherwise. These rely on the namespace's lock (a Lease `llmops-rag-operation`) and on `pending`
 * releases that a later run reports as interrupted.
 */
const root = workspaceRoot();
const here = import.meta.dirname;
const plan = await e2ePlan();
if (plan.source === 'none') console.log(`[release faults e2e] SKIPPED: ${plan.reason}`);

const NS = 'dev';

/** A command (src/cmd/<name>.ts, or a test driver) as a child process in its own process group, its output kept with the time of each line. */
function start(script: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { at: number; text: string }[] = [];
  const keep = (chunk: Buffer) => {
    for (const text of chunk.toString().split('\n')) if (text.trim()) lines.push({ at: performance.now(), text });
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const text = () => lines.map((l) => l.text).join('\n');
  return {
    pid: child.pid as number,
    text,
    /** When the first line matching `pattern` came, or undefined. */
    when: (pattern: RegExp) => lines.find((l) => pattern.test(l.text))?.at,
    until: async (pattern: RegExp, timeoutMs = 600_000) => {
      const started = performance.now();
      while (!pattern.test(text())) {
        if (performance.now() - started > timeoutMs) throw new Error(`no ${pattern} after ${timeoutMs / 1000}s:\n${text()}`);
        if (lines.some((l) => /-outcome: /.test(l.text))) throw new Error(`ended before ${pattern}:\n${text()}`);
        await sleep(100);
      }
    },
    exit: async () => {
      const [code, signal] = await exited;
      return { code, signal, text: text(), last: lines.at(-1)?.text };
    },
  };
}

const cmd = (name: string) => join(here, '../../src/cmd', `${name}.ts`);

describe.skipIf(plan.source === 'none')(`releases under faults on ${planTitle(plan)}`, () => {
  let cluster: E2eCluster;
  let api: KubeApi;
  const deployArgs = () => ['--cluster=local', '--skip-build', '--timeout=300', ...cluster.deployArgs];
  const envWithKey = (key: string) => cluster.env({ OPENAI_API_KEY: key });
  const get = (kind: 'Deployment' | 'Secret', name: string) => api.get({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, name, namespace: NS });
  const liveKey = async () => Buffer.from(((await get('Secret', 'rag-api-secrets'))?.data as Record<string, string>).OPENAI_API_KEY ?? '', 'base64').toString();
  const template = async () => ((await get('Deployment', 'rag-api'))?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } }).template;
  const history = async () => {
    const lines: string[] = [];
    const deps = cluster.deps(lines);
    await runHistory({ namespace: NS, ...(cluster.deployFlags.allowContext ? { allowContext: cluster.deployFlags.allowContext } : {}) }, deps);
    return { text: lines.join('\n'), releases: (await listReleases(api, NS)).releases };
  };

  beforeAll(async () => {
    cluster = await startE2eCluster(plan);
    api = cluster.deps().kubeApi();
    // Builds the image and the manifests the children deploy with --skip-build, and a first release to return to.
    const lines: string[] = [];
    const first = await runDeploy(
      { mode: 'local', profile: 'minikube', timeoutMs: 300_000, skipBuild: false, workspaceRoot: root, ...cluster.deployFlags },
      cluster.deps(lines),
    );
    if (!first.ok) throw new Error(`the first deploy failed:\n${lines.join('\n')}`);
  }, 1_200_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('kill -9 after the ConfigMap was applied: the next plain deploy reports the interrupted revision and brings the namespace to a recorded release', async () => {
    const killed = start(cmd('deploy'), deployArgs(), envWithKey('sk-e2e-killed-0001'));
    await killed.until(/configmap\/rag-api-config (created|configured|unchanged)/);
    process.kill(killed.pid, 'SIGKILL');
    expect((await killed.exit()).signal).toBe('SIGKILL');
    // Until its Lease expires the killed run looks like one in progress: its release is `pending` (claimed before the apply).
    const claimed = (await history()).releases.find((r) => r.status === 'pending')?.revision;
    expect(claimed, killed.text()).toBeDefined();

    // The killed run's lease expires by itself: the plain deploy waits for it, takes it over, reports the interrupted revision, then deploys.
    const plain = start(cmd('deploy'), deployArgs(), envWithKey('sk-e2e-after-kill-0002'));
    const result = await plain.exit();
    expect(result.code, result.text).toBe(0);
    expect(result.last).toBe('deploy-outcome: ok exit=0');
    expect(result.text).toMatch(new RegExp(`revision ${claimed} (\\([^)]*\\) )?was interrupted`));
    const after = await history();
    expect(after.releases.find((r) => r.revision === claimed)?.status).toBe('interrupted');
    expect(after.releases.find((r) => r.status === 'deployed')?.revision).toBeGreaterThan(claimed as number);
    expect(await liveKey()).toBe('sk-e2e-after-kill-0002');
  }, 1_200_000);

  it('two deploys at once: never two writers, both succeed with their own revisions, and the deployed record is what runs', async () => {
    const a = start(cmd('deploy'), deployArgs(), envWithKey('sk-e2e-pair-a-0003'));
    await sleep(1000);
    const b = start(cmd('deploy'), deployArgs(), envWithKey('sk-e2e-pair-b-0004'));
    const [ra, rb] = await Promise.all([a.exit(), b.exit()]);
    expect(ra.code, ra.text).toBe(0);
    expect(rb.code, rb.text).toBe(0);
    const revisionOf = (text: string) => Number(text.match(/Release recorded .* revision (\d+) deployed/)?.[1]);
    const [revA, revB] = [revisionOf(ra.text), revisionOf(rb.text)];
    expect(revA).not.toBe(revB);
    // One writer at a time: the second apply starts after the first run recorded its release.
    const span = (run: typeof a) => [run.when(/▶ Apply to namespace/) as number, run.when(/Release recorded/) as number] as const;
    const [first, second] = revA < revB ? [span(a), span(b)] : [span(b), span(a)];
    expect(second[0]).toBeGreaterThan(first[1]);
    // The newer revision is the deployed one, and it is what the cluster runs: its key, its Secret checksum.
    const { releases } = await listReleases(api, NS);
    const deployed = releases.find((r) => r.status === 'deployed');
    expect(deployed?.revision).toBe(Math.max(revA, revB));
    expect(await liveKey()).toBe(revA > revB ? 'sk-e2e-pair-a-0003' : 'sk-e2e-pair-b-0004');
    const recorded = deployed?.objects.find((o) => o.kind === 'Deployment') as KubeObject;
    const recordedChecksum = (recorded.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations[
      SECRET_CHECKSUM_ANNOTATION
    ];
    expect((await template())?.metadata?.annotations?.[SECRET_CHECKSUM_ANNOTATION]).toBe(recordedChecksum);
  }, 1_800_000);

  it('Ctrl-C during a rollout that never completes: exit 130, the previous release restored and the interruption recorded', async () => {
    const before = await template();
    const { releases: earlier } = await listReleases(api, NS);
    const previous = earlier.find((r) => r.status === 'deployed')?.revision;
    // A revision whose pod runs but never gets Ready (its readiness probe asks for a path that answers 404): not hopeless, so only the timeout or a signal ends the wait.
    const neverReady = readSynthOutput(artifactPaths(root).manifestsDir).map((o) => {
      if (o.kind !== 'Deployment') return o;
      const spec = structuredClone(o.spec) as { template: { spec: { containers: { readinessProbe?: { httpGet?: { path?: string } } }[] } } };
      const probe = spec.template.spec.containers[0]?.readinessProbe;
      if (probe?.httpGet) probe.httpGet.path = '/e2e-never-ready';
      return { ...o, spec };
    });
    const ws = makeWorkspace('0'.repeat(64), neverReady);
    copyFileSync(artifactPaths(root).imageArchive, artifactPaths(ws).imageArchive);
    try {
      const run = start(join(here, 'deploy-in-workspace.ts'), deployArgs(), { ...envWithKey('sk-e2e-sigint-0005'), LLMOPS_E2E_WORKSPACE: ws });
      await run.until(/rollout: .*Running/);
      process.kill(-run.pid, 'SIGINT');
      const result = await run.exit();
      expect(result.code, result.text).toBe(130);
      expect(result.last).toBe('deploy-outcome: interrupted exit=130');
      expect(result.text).toContain('■ interrupted by SIGINT during the rollout wait');
      expect(result.text).toContain(`rolled back to revision ${previous}`);
      expect(result.text).toMatch(/Deploy checklist:/);
      expect(await template()).toEqual(before);
      const { releases } = await listReleases(api, NS);
      expect(releases[0]).toMatchObject({ status: 'failed', description: expect.stringMatching(/^interrupted by SIGINT during the rollout wait/) });
      expect(releases.find((r) => r.status === 'deployed')?.revision).toBe(previous);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  }, 1_200_000);

  it('teardown during a deploy waits for it or refuses; after a teardown that succeeded the app is never re-created', async () => {
    const deploy = start(cmd('deploy'), deployArgs(), envWithKey('sk-e2e-teardown-0006'));
    await deploy.until(/▶ Rollout/);
    const teardown = start(
      cmd('teardown'),
      [...(cluster.deployFlags.allowContext ? [`--allow-context=${cluster.deployFlags.allowContext}`] : []), '--timeout=600'],
      cluster.env(),
    );
    const [d, t] = await Promise.all([deploy.exit(), teardown.exit()]);
    if (t.code === 0) {
      // The teardown went after the deploy (it waited for the lock): the deploy finished first, then everything went.
      expect(teardown.when(/teardown-outcome/) as number).toBeGreaterThan(deploy.when(/deploy-outcome/) as number);
      for (let i = 0; i < 15; i++) {
        expect(await get('Deployment', 'rag-api'), `re-created ${i} s after the teardown:\n${d.text}`).toBeUndefined();
        await sleep(1000);
      }
    } else {
      // Refused while the deploy held the lock (the Lease llmops-rag-operation): it said so, nothing was deleted, the deploy finished.
      expect(t.last).toBe('teardown-outcome: locked exit=3');
      expect(t.text).toContain(`lock on namespace ${NS}: held by deploy`);
      expect(d.code, d.text).toBe(0);
      expect(await get('Deployment', 'rag-api')).toBeDefined();
    }
  }, 1_800_000);
});
