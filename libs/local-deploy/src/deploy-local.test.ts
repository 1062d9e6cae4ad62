import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextInfo } from './cluster-kinds.js';
import { IMAGE_ID_ANNOTATION, runDeploy, type DeployOptions } from './deploy.js';
import { PreflightError } from './preflight-error.js';
import { BufferOutput, errImageNeverPullStatus, type FakeKube } from './testing/fakes.js';
import { apiServer, FakeHost } from './testing/hosts.js';
import { makeWorkspace, writeImageArchive } from './testing/workspace.js';

const ID_V1 = '1'.repeat(64);
const ID_V2 = '2'.repeat(64);
/** A plain kubeadm-style cluster (containerd) the deploy does not recognise: deployed to only with --allow-context. */
const KUBEADM: ContextInfo = { name: 'kubeadm-dev', cluster: 'kubeadm-dev', server: 'https://10.20.0.5:6443' };
const KIND: ContextInfo = { name: 'kind-dev', cluster: 'kind-dev', server: 'https://127.0.0.1:40123' };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(context: ContextInfo, tools: string[], podStatus?: Record<string, unknown>) {
  const ws = makeWorkspace(ID_V1);
  const host = new FakeHost(context, tools, ID_V1);
  cleanups.push(
    () => rmSync(ws, { recursive: true, force: true }),
    () => host.remove(),
  );
  const kube = apiServer(podStatus);
  kube.put({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    status: { nodeInfo: { containerRuntimeVersion: 'containerd://1.7.27', kubeletVersion: 'v1.33.1' } },
  });
  const run = async (extra: Partial<DeployOptions> = {}) => {
    const out = new BufferOutput();
    const result = await runDeploy(
      {
        mode: 'local',
        profile: 'minikube',
        timeoutMs: 30_000,
        skipBuild: true,
        workspaceRoot: ws,
        ...(context === KUBEADM ? { allowContext: KUBEADM.name } : {}),
        ...extra,
      },
      { runner: host.runner, out, kubeContext: () => host.context, kubeApi: () => kube, clock: kube.clock, env: {} },
    );
    const detail = (name: string) => result.checklist.results.find((r) => r.name === name);
    return { result, out, detail };
  };
  return { ws, host, kube, run };
}

async function imageIdAnnotation(kube: FakeKube): Promise<string | undefined> {
  const deployment = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
  return (deployment?.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations[IMAGE_ID_ANNOTATION];
}

describe('deploy-local on a cluster it does not recognise (allowed by --allow-context)', () => {
  it('needs no Docker with --skip-build: docker is neither required on PATH nor run', async () => {
    const { host, run } = setup(KUBEADM, ['kubectl']);
    const { result, out, detail } = await run();
    expect(result.ok, out.text).toBe(true);
    expect(host.runner.calls.filter((c) => c.startsWith('docker'))).toEqual([]);
    expect(detail('Tools on PATH')?.detail).toBe('kubectl');
    expect(detail('Docker engine')).toMatchObject({ skipped: true, detail: 'not needed: --skip-build and no loader for this cluster' });
  });

  it('annotates the image ID from the archive and prints the exact command that loads it, so a rebuilt image rolls the pods', async () => {
    const { ws, kube, run } = setup(KUBEADM, ['kubectl']);
    const first = await run();
    expect(first.result.ok, first.out.text).toBe(true);
    expect(await imageIdAnnotation(kube)).toBe(`sha256:${ID_V1}`);
    expect(first.out.text).toContain(
      'the deploy cannot load images into this cluster; llmops-rag-api:id-111111111111 (sha256:111111111111) must be on its nodes.',
    );
    expect(first.out.text).toContain('    sudo ctr -n k8s.io images import dist/images/llmops-rag-api.tar    # on node-1');
    expect(first.out.text).not.toContain('image not loaded');
    expect(first.detail('Image in cluster')).toMatchObject({
      skipped: true,
      detail:
        'sha256:111111111111 not loaded by the deploy: run `sudo ctr -n k8s.io images import dist/images/llmops-rag-api.tar` on each node, or pass --load-command',
    });

    writeImageArchive(join(ws, 'dist', 'images', 'llmops-rag-api.tar'), ID_V2);
    const rebuilt = await run();
    expect(await imageIdAnnotation(kube)).toBe(`sha256:${ID_V2}`);
    expect(rebuilt.detail('Apply (server-side)')?.detail).toBe('6 objects: 0 created, 1 configured, 5 unchanged');
  });

  it('runs --load-command from the repo root with IMAGE_ARCHIVE, instead of printing instructions', async () => {
    const { ws, host, kube, run } = setup(KUBEADM, ['kubectl']);
    const command = 'scp "$IMAGE_ARCHIVE" node-1:/tmp/ && ssh node-1 sudo ctr -n k8s.io images import /tmp/llmops-rag-api.tar';
    const { result, out, detail } = await run({ loadCommand: command });
    expect(result.ok, out.text).toBe(true);
    expect(host.runner.calls).toContain(`sh -c ${command}`);
    expect(host.loadCommandEnvs).toEqual([{ IMAGE_ARCHIVE: join(ws, 'dist', 'images', 'llmops-rag-api.tar'), IMAGE: 'llmops-rag-api:id-111111111111' }]);
    expect(detail('Image in cluster')?.detail).toBe('sha256:111111111111 loaded by --load-command');
    expect(await imageIdAnnotation(kube)).toBe(`sha256:${ID_V1}`);
  });

  it('still requires Docker to build the image', async () => {
    const { run } = setup(KUBEADM, ['kubectl']);
    await expect(run({ skipBuild: false })).rejects.toThrow(PreflightError);
    await expect(run({ skipBuild: false })).rejects.toThrow('docker: not found on PATH');
  });
});

describe('deploy-local on a recognised cluster', () => {
  it("requires Docker with --skip-build when the cluster's loader drives it (kind)", async () => {
    const { host, run } = setup(KIND, ['kubectl', 'kind']);
    await expect(run()).rejects.toThrow('docker: not found on PATH');
    expect(host.runner.calls.filter((c) => c.startsWith('kind'))).toEqual([]);
  });

  it("suggests the kind loader, not minikube's, when the pod reports ErrImageNeverPull", async () => {
    const neverPull = errImageNeverPullStatus();
    const { run } = setup(KIND, ['docker', 'kubectl', 'kind'], neverPull);
    const { result, out } = await run();
    expect(result.ok).toBe(false);
    expect(out.text).toContain('load it yourself: `kind load image-archive dist/images/llmops-rag-api.tar --name dev` (from the repo root)');
    expect(out.text).not.toContain('minikube image load');
    expect(out.text).toContain(
      '(no logs: container api has not started: ErrImageNeverPull — Container image "llmops-rag-api:latest" is not present with pull policy of Never)',
    );
  });
});
