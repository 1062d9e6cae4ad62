import { rmSync } from 'node:fs';
import type { Runner } from '@llmops-rag/platform';
import type { KubeObject } from '@llmops-rag/contract';
import type { ContextInfo } from '../cluster-kinds.js';
import type { KubeApi } from '../kube.js';
import { IMAGE_ID_ANNOTATION, runDeploy, type DeployOptions } from '../deploy.js';
import type { LockSettings } from '../lock/hold.js';
import { BufferOutput, crashLoopStatus, templateAnnotation, type FakeKube } from './fakes.js';
import { apiServer, FakeHost } from './hosts.js';
import { devObjects, makeWorkspace } from './workspace.js';

export const ID_V1 = '1'.repeat(64);
export const ID_V2 = '2'.repeat(64);
export const ID_V3 = '3'.repeat(64);
const MINIKUBE: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };
const LABELS = { app: 'rag-api', 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/part-of': 'llmops-rag' };
export const configMap = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'dev', labels: LABELS },
  data,
});

/** The dev objects with the app ConfigMap's LOG_LEVEL set, plus `extra` objects. */
export function release(logLevel: string, extra: KubeObject[] = []): KubeObject[] {
  const objects = devObjects().map((o) => (o.kind === 'ConfigMap' ? { ...o, data: { ...(o.data as Record<string, string>), LOG_LEVEL: logLevel } } : o));
  return [...objects, ...extra];
}

/**
 * A minikube host (fake process boundary, real kubeconfig) and an API server whose deployment controller
 * crash-loops the pods of image `failing` (default ID_V2; every image while `failAlways` holds; or gives them
 * `failingStatus`) and makes any other Ready.
 * `deploy` runs the real runDeploy from a fresh workspace holding `objects` and an image archive of `id`; `lock` is
 * who that deploy's process is, its clock and its renewal timer (two deploys at once, a killed one).
 */
export function releaseCluster(
  cleanups: (() => void)[],
  options: {
    failing?: string;
    failAlways?: boolean | (() => boolean);
    failingStatus?: Record<string, unknown>;
    wrapRunner?: (runner: Runner) => Runner;
    /** What the deploy reaches the fake API server through (the live deps put withDeadlines over the client). */
    wrapApi?: (kube: FakeKube) => KubeApi;
  } = {},
) {
  const host = new FakeHost(MINIKUBE, ['docker', 'kubectl', 'minikube'], ID_V1);
  cleanups.push(() => host.remove());
  const failing = `sha256:${options.failing ?? ID_V2}`;
  const bad = options.failingStatus ?? crashLoopStatus();
  const always = () => (typeof options.failAlways === 'function' ? options.failAlways() : Boolean(options.failAlways));
  const kube = apiServer((deployment) => (always() || templateAnnotation(deployment, IMAGE_ID_ANNOTATION) === failing ? bad : undefined));
  const runner = options.wrapRunner ? options.wrapRunner(host.runner) : host.runner;
  const api = options.wrapApi ? options.wrapApi(kube) : kube;
  const deploy = async (
    objects: KubeObject[],
    id: string,
    secret: string,
    extra: Partial<DeployOptions> = {},
    archive: { idTag?: boolean } = {},
    lock?: LockSettings,
    out = new BufferOutput(),
  ) => {
    const ws = makeWorkspace(id, objects, archive);
    cleanups.push(() => rmSync(ws, { recursive: true, force: true }));
    host.archiveId = id;
    const result = await runDeploy(
      { mode: 'minikube', profile: 'minikube', timeoutMs: 30_000, skipBuild: true, workspaceRoot: ws, verify: false, ...extra },
      { runner, out, kubeContext: () => host.context, kubeApi: () => api, clock: kube.clock, env: { OPENAI_API_KEY: secret }, ...(lock ? { lock } : {}) },
    );
    return { result, out };
  };
  return { host, kube, runner, deploy };
}

/** What the pods run with, read back from the API server: every value a failed deploy could leave changed. */
export async function liveState(kube: FakeKube) {
  const get = (kind: string, name: string) =>
    kube.get({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, name, ...(kind === 'Namespace' ? {} : { namespace: 'dev' }) });
  const deployment = await get('Deployment', 'rag-api');
  return {
    configMap: (await get('ConfigMap', 'rag-api-config'))?.data,
    secret: (await get('Secret', 'rag-api-secrets'))?.data,
    template: (deployment?.spec as { template?: unknown } | undefined)?.template,
    /** The app container's image: the build's immutable id tag (or latest from an archive without it). */
    image: (deployment?.spec as { template?: { spec?: { containers?: { name?: string; image?: string }[] } } } | undefined)?.template?.spec?.containers?.find(
      (c) => c.name === 'api',
    )?.image,
    legacy: (await get('ConfigMap', 'rag-api-legacy'))?.data,
    extra: (await get('ConfigMap', 'rag-api-extra'))?.data,
    namespace: (await get('Namespace', 'dev'))?.metadata.annotations,
  };
}

/** A Secret's `data` decoded. */
export const decoded = (data: unknown) =>
  Object.fromEntries(Object.entries((data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
