import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { secretKeys as configSecretKeys } from '@llmops-rag/config';
import { NAMES, SECRET_SOURCE_ANNOTATION } from '@llmops-rag/k8s-manifests';
import { applyAll, prune } from './apply.js';
import { Checklist, formatChecklist } from './checklist.js';
import { gatherClusterFacts, loaderTools, loadImage, type ContextInfo, type LocalCluster } from './cluster-kinds.js';
import { guardContext } from './context-guard.js';
import { withDeployRecord } from './deploy-record.js';
import { formatDiagnostics } from './diagnostics.js';
import { imageIdsInArchive, shortId } from './image-archive.js';
import { clusterLoadCommand, nodeLoadInstructions, shellQuote } from './image-load-hint.js';
import type { KubeApi } from './kube.js';
import { ownershipLabel, pick, readSynthOutput } from './manifests.js';
import { checkDockerEngine, ensureMinikubeRunning, requireTools, type Tool } from './preflight.js';
import { PreflightError } from '@llmops-rag/k8s-manifests';
import { waitForRollout, type RolloutTarget } from './rollout.js';
import { tail, type Runner } from '@llmops-rag/platform';
import { DotEnvFileError, readDotEnv } from '@llmops-rag/k8s-manifests';
import { describeSecretKeys, secretFromEnv } from '@llmops-rag/k8s-manifests';
import type { KubeObject, Output } from './types.js';
import { verifyDeployment } from './verify.js';

export const IMAGE = `${NAMES.imageRepository}:latest`;
export const IMAGE_ID_ANNOTATION = 'llmops-rag.io/image-id';
export const SECRET_CHECKSUM_ANNOTATION = 'checksum/secret';
export const STARTUP_LINE = 'Application startup complete';

export interface DeployOptions {
  /** `minikube`: deploy-minikube (one profile, started if stopped). `local`: whatever local cluster the context is. */
  mode: 'minikube' | 'local';
  /** minikube profile (= its context name). */
  profile: string;
  /** Exactly the context name to deploy to although it is not the expected local cluster. */
  allowContext?: string;
  /** Rollout timeout. */
  timeoutMs: number;
  /** Use the existing dist/images archive and dist/k8s output instead of running the Nx targets. */
  skipBuild: boolean;
  workspaceRoot: string;
  /** Synth output folder under dist/k8s (`dev`). */
  manifestsProfile?: string;
  /** The .env to read secret values from (default: `.env` at the workspace root). */
  envFile?: string;
  /**
   * A shell command that loads the image archive into the cluster, run by the
   * deploy instead of its own loader (for a cluster it does not recognise).
   * It gets IMAGE_ARCHIVE (absolute path of the archive) and IMAGE in its environment.
   */
  loadCommand?: string;
}

export interface DeployDeps {
  runner: Runner;
  out: Output;
  /** Reads the kubeconfig's current context (again after `minikube start` changed it). */
  kubeContext: () => ContextInfo | undefined;
  kubeApi: () => KubeApi;
  /** Process environment (secret values, PATH for the Nx children). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface DeployResult {
  ok: boolean;
  checklist: Checklist;
}

export function artifactPaths(workspaceRoot: string, manifestsProfile = 'dev') {
  return {
    imageArchive: join(workspaceRoot, 'dist', 'images', `${NAMES.imageRepository}.tar`),
    manifestsDir: join(workspaceRoot, 'dist', 'k8s', manifestsProfile),
    dotEnv: join(workspaceRoot, '.env'),
  };
}

/**
 * Code → verified pod on a local cluster. Order matters: everything that can
 * refuse quickly (tools, Docker, minikube, the context guard) runs before
 * anything slow (image build, load, rollout). A PreflightError is thrown
 * before any change is made; later failures end in a ✗ checklist.
 */
export async function runDeploy(options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  const { runner, out } = deps;
  const checklist = new Checklist();
  const paths = artifactPaths(options.workspaceRoot, options.manifestsProfile);
  const banner = (text: string) => out.line(`\n▶ ${text}`);

  banner('Preflight');
  // Docker is needed up front only to build the image or to run minikube (--driver=docker);
  // otherwise only if the recognised cluster's loader drives it (decided after the context guard).
  const dockerUpFront = options.mode === 'minikube' || !options.skipBuild;
  const tools: Tool[] = [...(dockerUpFront ? (['docker'] as const) : []), 'kubectl', ...(options.mode === 'minikube' ? (['minikube'] as const) : [])];
  await checklist.step('Tools on PATH', async () => {
    requireTools(runner, tools);
    return { detail: tools.join(', '), value: undefined };
  });
  if (dockerUpFront) await checklist.step('Docker engine', async () => ({ detail: `server ${await checkDockerEngine(runner)}`, value: undefined }));
  if (options.mode === 'minikube') {
    await checklist.step(`minikube running (${options.profile})`, async () => ({
      detail: await ensureMinikubeRunning(runner, options.profile, out),
      value: undefined,
    }));
  }
  const { cluster, context, loaderNeeds } = await checklist.step('Kube context is local', async () => {
    const ctx = deps.kubeContext();
    const facts = await gatherClusterFacts(runner);
    const expectation = options.mode === 'minikube' ? ({ mode: 'minikube', profile: options.profile } as const) : ({ mode: 'local' } as const);
    const guard = guardContext(ctx, expectation, facts, options.allowContext);
    if (guard.warning) out.line(`  ⚠ ${guard.warning}`);
    // A --load-command replaces the deploy's own loader, and with it the loader's tools.
    const needs = guard.cluster && !options.loadCommand ? loaderTools(guard.cluster.kind) : [];
    requireTools(runner, needs);
    const what = guard.cluster ? `${guard.cluster.kind} (${guard.cluster.target})` : 'unrecognised, allowed by flag';
    return { detail: `${ctx?.name} → ${what}`, value: { cluster: guard.cluster, context: ctx as ContextInfo, loaderNeeds: needs } };
  });
  if (!dockerUpFront) {
    if (loaderNeeds.includes('docker')) {
      await checklist.step('Docker engine', async () => ({ detail: `server ${await checkDockerEngine(runner)} (the ${cluster?.kind} image loader uses it)`, value: undefined }));
    } else {
      checklist.skip('Docker engine', `not needed: --skip-build and ${cluster ? `the ${cluster.kind} loader does not use it` : options.loadCommand ? 'the image is loaded by --load-command' : 'no loader for this cluster'}`);
    }
  }

  // .env is checked before anything is built or changed (a bad file refuses the deploy).
  const dotEnv = readDotEnvInPreflight(options.envFile ?? paths.dotEnv, out);

  try {
    await build(options, deps, checklist);
    const api = deps.kubeApi();
    const image = await imageIntoCluster(options, deps, checklist, cluster, api, paths.imageArchive);
    const prepared = await prepareObjects(options, deps, checklist, paths, image.id, dotEnv);
    const namespace = pick(prepared, 'Deployment', NAMES.deployment).metadata.namespace ?? 'dev';
    const namespaceObject = prepared.find((o) => o.kind === 'Namespace');
    const live = namespaceObject ? await api.get({ apiVersion: 'v1', kind: 'Namespace', name: namespaceObject.metadata.name }) : undefined;
    // The record a later teardown reads: did the deploy create the namespace, what was the context's namespace.
    const objects = prepared.map((o) => (o === namespaceObject ? withDeployRecord(o, live, context) : o));

    banner(`Apply to namespace ${namespace} (server-side apply)`);
    await checklist.step('Apply (server-side)', async () => {
      const applied = await applyAll(api, objects, out);
      const count = (a: string) => applied.filter((x) => x.action === a).length;
      return { detail: `${applied.length} objects: ${count('created')} created, ${count('configured')} configured, ${count('unchanged')} unchanged`, value: undefined };
    });
    await checklist.step('Prune objects no longer synthesized', async () => {
      const pruned = await prune(api, objects, { namespace, label: ownershipLabel(objects) }, out);
      return { detail: pruned.length ? pruned.join(', ') : 'nothing to prune', value: undefined };
    });
    await checklist.step(`Context default namespace ${namespace}`, async () => ({
      detail: await setContextNamespace(runner, context, namespace),
      value: undefined,
    }));

    banner('Rollout');
    const target: RolloutTarget = { namespace, deployment: NAMES.deployment, selector: `app=${NAMES.app}`, container: NAMES.container };
    const started = performance.now();
    const rollout = await waitForRollout(api, target, { timeoutMs: options.timeoutMs, imageLoadHint: image.loadHint }, out);
    checklist.record({
      name: `Rollout of deployment/${NAMES.deployment}`,
      ok: rollout.ok,
      durationMs: performance.now() - started,
      detail: rollout.ok ? rollout.detail : rollout.diagnostics.reason,
    });
    if (!rollout.ok) {
      out.line(formatDiagnostics(rollout.diagnostics));
      return finish(out, checklist);
    }

    banner('Verify (spec Part 3 and 5.1 checklist)');
    await verifyDeployment(
      api,
      {
        target,
        service: NAMES.service,
        configMap: pick(objects, 'ConfigMap', NAMES.configMap),
        secretName: NAMES.secret,
        secretKeys: configSecretKeys(),
        startupLine: STARTUP_LINE,
      },
      checklist,
    );
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    out.line(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  }
  return finish(out, checklist);
}

/** `.env` checked and parsed before anything is built: a file that can't be used refuses (exit 3); each unusable line warns. */
function readDotEnvInPreflight(path: string, out: Output): Record<string, string> {
  try {
    return readDotEnv(path, (warning) => out.line(`  ⚠ ${warning}`));
  } catch (error) {
    if (error instanceof DotEnvFileError) throw new PreflightError([error.asProblem()]);
    throw error;
  }
}

function finish(out: Output, checklist: Checklist): DeployResult {
  out.line(`\n${formatChecklist(checklist.results)}`);
  return { ok: !checklist.failed, checklist };
}

/** The Nx targets, run from the workspace with the Node that runs this script first on PATH. */
async function build(options: DeployOptions, deps: DeployDeps, checklist: Checklist): Promise<void> {
  if (options.skipBuild) {
    checklist.skip('Build image (nx run rag-api:docker)', '--skip-build: using dist/images as it is');
    checklist.skip('Synth manifests (nx run k8s-manifests:synth)', '--skip-build: using dist/k8s as it is');
    return;
  }
  const nx = join(options.workspaceRoot, 'node_modules', '.bin', 'nx');
  const env = { ...deps.env, PATH: `${dirname(process.execPath)}:${deps.env.PATH ?? ''}`, NX_DAEMON: deps.env.NX_DAEMON ?? 'false' };
  for (const [name, target] of [
    ['Build image (nx run rag-api:docker)', 'rag-api:docker'],
    ['Synth manifests (nx run k8s-manifests:synth)', 'k8s-manifests:synth'],
  ] as const) {
    deps.out.line(`\n▶ ${name}`);
    await checklist.step(name, async () => {
      let cached = false;
      const result = await deps.runner.run(nx, ['run', target, '--outputStyle=stream'], {
        cwd: options.workspaceRoot,
        env,
        timeoutMs: 20 * 60_000,
        onLine: (line) => {
          if (/existing outputs match the cache|from the cache|local cache/i.test(line)) cached = true;
          deps.out.line(`    ${line}`);
        },
      });
      if (result.code !== 0) throw new Error(`\`nx run ${target}\` failed (exit ${result.code})\n${tail(result, 10)}\nfix: run \`npx nx run ${target}\` alone and fix what it reports`);
      return { detail: cached ? 'from Nx cache' : 'built', value: undefined };
    });
  }
}

interface ImageOutcome {
  /** The archive's config digest (the image ID), when the archive is there to read. */
  id?: string;
  /** The command that loads the archive into this cluster, for the ErrImageNeverPull fix. */
  loadHint: string;
}

/**
 * The image in the cluster. A recognised cluster is loaded by its own loader
 * (skipped when it already holds the same ID); `--load-command` replaces that
 * loader; for an unrecognised cluster without one, the exact command for its
 * nodes' container runtime is printed. The image ID is read from the archive
 * in every case, so the Deployment is annotated with it on every cluster kind.
 */
async function imageIntoCluster(
  options: DeployOptions,
  deps: DeployDeps,
  checklist: Checklist,
  cluster: LocalCluster | undefined,
  api: KubeApi,
  archivePath: string,
): Promise<ImageOutcome> {
  const tar = relative(options.workspaceRoot, archivePath);
  const missing = `no image archive at ${archivePath}\nfix: run \`npx nx run rag-api:docker\` (or deploy without --skip-build)`;
  if (options.loadCommand) {
    const command = options.loadCommand;
    deps.out.line(`\n▶ Image ${IMAGE} → --load-command`);
    return checklist.step('Image in cluster', async () => {
      if (!existsSync(archivePath)) throw new Error(missing);
      const id = imageIdsInArchive(archivePath).ids[0] as string;
      await runLoadCommand(command, options, deps, archivePath);
      return { detail: `${shortId(id)} loaded by --load-command`, value: { id, loadHint: `IMAGE_ARCHIVE=${shellQuote(tar)} sh -c ${shellQuote(command)}` } };
    });
  }
  if (cluster) {
    deps.out.line(`\n▶ Image ${IMAGE} → ${cluster.kind}`);
    return checklist.step('Image in cluster', async () => {
      if (!existsSync(archivePath)) throw new Error(missing);
      const archive = imageIdsInArchive(archivePath);
      const outcome = await loadImage(deps.runner, cluster, { path: archivePath, ids: archive.ids }, IMAGE, deps.out);
      deps.out.line(`  ${outcome.reason}`);
      return { detail: `${shortId(archive.ids[0] ?? '')} ${outcome.loaded ? 'loaded' : 'already present'}`, value: { id: archive.ids[0], loadHint: `\`${clusterLoadCommand(cluster, tar)}\` (from the repo root)` } };
    });
  }
  deps.out.line(`\n▶ Image ${IMAGE} → unrecognised cluster`);
  const nodes = await api.list('v1', 'Node', undefined).catch(() => []);
  const instructions = nodeLoadInstructions(nodes, tar);
  const commands = instructions.map((i) => `\`${i.command}\``).join(' or ');
  const loadHint = `${commands} on each node (from the repo root, or with the archive copied there)`;
  if (!existsSync(archivePath)) {
    deps.out.line(`  no image archive at ${archivePath}: the Deployment gets no ${IMAGE_ID_ANNOTATION} annotation, so a rebuilt image would not roll the pods`);
    checklist.skip('Image in cluster', `not loaded, no archive at ${tar}`);
    return { loadHint };
  }
  const id = imageIdsInArchive(archivePath).ids[0] as string;
  deps.out.line(`  the deploy cannot load images into this cluster; ${IMAGE} (${shortId(id)}) must be on its nodes. Run:`);
  for (const i of instructions) deps.out.line(`    ${i.command}${i.nodes.length ? `    # on ${i.nodes.join(', ')}` : ''}`);
  deps.out.line(`  from the repo root on each node (copy ${tar} there first if the node is another machine),`);
  deps.out.line(`  or pass --load-command='<command>' and the deploy runs it (IMAGE_ARCHIVE holds the archive's path).`);
  checklist.skip('Image in cluster', `${shortId(id)} not loaded by the deploy: run ${commands} on each node, or pass --load-command`);
  return { id, loadHint };
}

/** Runs the user's --load-command through the shell, from the repo root, streaming its output. */
async function runLoadCommand(command: string, options: DeployOptions, deps: DeployDeps, archivePath: string): Promise<void> {
  deps.out.line(`  running --load-command: ${command}`);
  const started = Date.now();
  const heartbeat = setInterval(() => deps.out.line(`    … still loading (${Math.round((Date.now() - started) / 1000)}s)`), 15_000);
  const result = await deps.runner
    .run('sh', ['-c', command], {
      cwd: options.workspaceRoot,
      env: { ...deps.env, IMAGE_ARCHIVE: archivePath, IMAGE },
      timeoutMs: 10 * 60_000,
      onLine: (line) => deps.out.line(`    ${line.trim()}`),
    })
    .finally(() => clearInterval(heartbeat));
  if (result.code !== 0) {
    throw new Error(
      `--load-command exited ${result.code}${result.timedOut ? ' (timed out after 10 minutes)' : ''}: ${command}\n${tail(result)}\n` +
        'fix: run the command by hand from the repo root (IMAGE_ARCHIVE=dist/images/llmops-rag-api.tar) until it loads the image, then deploy again',
    );
  }
}

/**
 * The synthesized objects with the Secret's real values (in memory) and two
 * pod-template annotations: the image id (a rebuilt `latest` rolls the pods)
 * and the secret checksum (a changed value rolls them too).
 */
async function prepareObjects(
  options: DeployOptions,
  deps: DeployDeps,
  checklist: Checklist,
  paths: ReturnType<typeof artifactPaths>,
  imageId: string | undefined,
  dotEnv: Readonly<Record<string, string>>,
): Promise<KubeObject[]> {
  deps.out.line(`\n▶ Manifests from ${paths.manifestsDir}, Secret ${NAMES.secret} from the environment/.env (keys only)`);
  return checklist.step('Secret from environment/.env (in memory)', async () => {
    const objects = readSynthOutput(paths.manifestsDir);
    const template = pick(objects, 'Secret', NAMES.secret);
    const appEnv = String((pick(objects, 'ConfigMap', NAMES.configMap).data as Record<string, string> | undefined)?.APP_ENV ?? 'dev');
    const built = secretFromEnv({ template, keys: configSecretKeys(), env: deps.env, dotEnv, appEnv });
    built.secret.metadata.annotations = {
      ...built.secret.metadata.annotations,
      [SECRET_SOURCE_ANNOTATION]: 'injected at deploy time from the environment or .env; never written to disk',
    };
    for (const line of describeSecretKeys(built.keys)) deps.out.line(`  ${line}`);
    const withSecret = objects.map((o) => (o === template ? built.secret : o));
    const annotated = withSecret.map((o) =>
      o.kind === 'Deployment' && o.metadata.name === NAMES.deployment
        ? annotatePodTemplate(o, { ...(imageId ? { [IMAGE_ID_ANNOTATION]: `sha256:${imageId}` } : {}), [SECRET_CHECKSUM_ANNOTATION]: built.checksum })
        : o,
    );
    const placeholders = built.keys.filter((k) => k.source === 'placeholder').map((k) => k.key);
    return { detail: `${built.keys.length} key${built.keys.length === 1 ? '' : 's'}${placeholders.length ? `, placeholder for ${placeholders.join(', ')}` : ''}`, value: annotated };
  });
}

export function annotatePodTemplate(deployment: KubeObject, annotations: Record<string, string>): KubeObject {
  const spec = structuredClone(deployment.spec) as { template?: { metadata?: { annotations?: Record<string, string> } } };
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.annotations = { ...spec.template.metadata.annotations, ...annotations };
  return { ...deployment, spec };
}

/** Spec 1.2: `kubectl config set-context --current --namespace=dev`, skipped when already so. */
async function setContextNamespace(runner: Runner, context: ContextInfo, namespace: string): Promise<string> {
  if (context.namespace === namespace) return `already ${namespace}`;
  const result = await runner.run('kubectl', ['config', 'set-context', context.name, `--namespace=${namespace}`], { timeoutMs: 15_000 });
  if (result.code !== 0) throw new Error(`kubectl config set-context ${context.name} --namespace=${namespace} failed: ${tail(result, 3)}`);
  return `set on context ${context.name}`;
}
