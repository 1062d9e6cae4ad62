import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeploy, type DeployDeps } from '../../src/deploy/deploy.js';
import { clientKubeApi, currentContext } from '../../src/deploy/kube-client.js';
import { processRunner } from '../../src/deploy/runner.js';
import type { Output } from '../../src/deploy/types.js';
import { K3S_IMAGE, k3sUnavailableReason } from './k3s-availability.js';

/**
 * deploy-local end to end on a real cluster: k3s in a privileged container
 * (testcontainers), the image archive imported into it, the deploy code run
 * against its kubeconfig exactly as `nx run k8s-manifests:deploy-local` would,
 * then Ready pods, a port-forward and the four endpoints. Skipped, with the
 * reason printed, where Docker or the rancher/k3s image is not available.
 * Ryuk follows TESTCONTAINERS_RYUK_DISABLED as the environment sets it.
 */
const workspaceRoot = resolve(fileURLToPath(import.meta.url), '../../../../..');
const skipReason = await k3sUnavailableReason();
if (skipReason) console.log(`[k3s e2e] SKIPPED: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(`deploy-local on k3s (${K3S_IMAGE})`, () => {
  let k3s: StartedK3sContainer;
  let dir: string;
  let kubeconfigPath: string;

  beforeAll(async () => {
    k3s = await new K3sContainer(K3S_IMAGE).start();
    dir = mkdtempSync(join(tmpdir(), 'k3s-e2e-'));
    kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, k3s.getKubeConfig(), { mode: 0o600 });
    chmodSync(kubeconfigPath, 0o600);
  }, 240_000);

  afterAll(async () => {
    await k3s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function deps(lines: string[]): DeployDeps {
    const env = { ...process.env, KUBECONFIG: kubeconfigPath };
    const load = () => {
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfigPath);
      return kc;
    };
    const out: Output = {
      line: (text) => {
        lines.push(text);
        console.log(text);
      },
    };
    return { runner: processRunner(env), out, env, kubeContext: () => currentContext(load()), kubeApi: () => clientKubeApi(load()) };
  }

  it('builds, imports the image, deploys, waits for Ready and answers on all four endpoints; a second run changes nothing', async () => {
    const first: string[] = [];
    const run = await runDeploy({ mode: 'local', profile: 'minikube', timeoutMs: 300_000, skipBuild: false, workspaceRoot }, deps(first));
    const byName = Object.fromEntries(run.checklist.results.map((r) => [r.name, r]));
    expect(run.ok, first.join('\n')).toBe(true);
    expect(byName['Kube context is local']?.detail).toMatch(/→ k3s-container/);
    expect(byName['Pods Running and Ready']?.ok).toBe(true);
    for (const path of ['/health', '/health/ready', '/health/live', '/']) expect(byName[`GET ${path}`]?.ok, path).toBe(true);
    expect(byName['GET /health/ready']?.detail).toBe('{"status":"ready","checks":{"api":"ok"}}');

    const second: string[] = [];
    const again = await runDeploy({ mode: 'local', profile: 'minikube', timeoutMs: 120_000, skipBuild: true, workspaceRoot }, deps(second));
    const detail = (name: string) => again.checklist.results.find((r) => r.name === name)?.detail;
    expect(again.ok, second.join('\n')).toBe(true);
    expect(detail('Image in cluster')).toMatch(/already present$/);
    expect(detail('Apply (server-side)')).toMatch(/0 created, 0 configured, \d+ unchanged$/);
  }, 900_000);
});
