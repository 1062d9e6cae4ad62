import { NAMES } from '@llmops-rag/k8s-manifests';
import { PreflightError } from './preflight-error.js';
import { Checklist, formatChecklist } from './checklist.js';
import { artifactPaths, type DeployDeps, type DeployOptions, type DeployOverlay, type DeployResult } from './deploy-options.js';
import { build } from './phases/build.js';
import { imageIntoCluster } from './phases/image.js';
import { enableMetricsAddon } from './phases/metrics-addon.js';
import { prepareObjects } from './phases/objects.js';
import { preflight } from './phases/preflight.js';
import { lockForRelease } from './lock/release-lock.js';
import { deployRelease, type ReleaseOutcome } from './release/deploy-release.js';
import { gitState } from './release/git-state.js';
import { interruptedBy, reportStop, settleSignal, stopIfInterrupted } from './interrupted.js';
import { findObject, type KubeObject } from '@llmops-rag/contract';
import type { Output } from './types.js';

export {
  artifactPaths,
  IMAGE,
  IMAGE_ID_ANNOTATION,
  SECRET_CHECKSUM_ANNOTATION,
  type DeployDeps,
  type DeployOptions,
  type DeployOverlay,
  type DeployResult,
} from './deploy-options.js';
export { annotatePodTemplate } from './phases/objects.js';

/**
 * Code → verified pod on a local cluster. Order matters: everything that can
 * refuse quickly (tools, Docker, minikube, the context guard) runs before
 * anything slow (image build, load, rollout). A PreflightError is thrown
 * before any change is made; later failures end in a ✗ checklist.
 *
 * Phases (src/phases/): preflight → build → image into the cluster → objects with the Secret → the namespace's
 * lock (src/lock/: waits for, or refuses, another operation) → then, as a release (src/release/): claim a pending
 * revision → apply → rollout and verify → record it; a failed apply or rollout restores the previous release unless
 * `atomic` is false. The lock is released at the end (dev's session keeps it).
 *
 * `options.signal` (the command's Ctrl-C/SIGTERM) stops it at the next safe point: between the phases before the
 * lock (nothing was changed, nothing to restore), or at once in the rollout wait, which then restores and records as
 * a failed rollout does. The result says `interrupted`.
 */
export async function runDeploy(options: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  const { out } = deps;
  const checklist = new Checklist();
  const paths = artifactPaths(options.workspaceRoot, options.manifestsProfile);

  const { signal } = options;
  out.line('\n▶ Preflight');
  // A Ctrl-C that stopped a preflight step (docker info, minikube start) is the news, not the step's refusal.
  const checked = await preflight(options, deps, checklist, paths).catch(async (error: unknown) => {
    await settleSignal(signal);
    if (!signal?.aborted) throw error;
    reportStop(error, signal, false, out, checklist);
    return undefined;
  });
  if (!checked) return finish(out, checklist, {}, signal);
  const { cluster, context, dotEnv } = checked;

  let release: ReleaseOutcome = {};
  let applying = false;
  try {
    await enableMetricsAddon(options, deps, checklist);
    stopIfInterrupted(signal);
    await build(options, deps, checklist);
    stopIfInterrupted(signal);
    const api = deps.kubeApi();
    const image = await imageIntoCluster(options, deps, checklist, cluster, api, paths.imageArchive);
    stopIfInterrupted(signal);
    const synthesized = await prepareObjects(options, deps, checklist, paths, image.archive, dotEnv);
    const prepared = options.overlay ? withOverlay(options.overlay, synthesized, out) : synthesized;
    const namespace = findObject(prepared, 'Deployment', NAMES.deployment).metadata.namespace ?? 'dev';
    const git = await gitState(deps.runner, options.workspaceRoot);
    out.line(`\n▶ Lock namespace ${namespace}`);
    const waitMs = options.wait === false ? 0 : options.timeoutMs;
    const held = await lockForRelease(api, out, checklist, { objects: prepared, namespace, context, command: 'deploy', waitMs, signal }, deps.lock);
    try {
      applying = true;
      release = await deployRelease(api, deps, checklist, {
        objects: prepared,
        namespace,
        context,
        rollout: { timeoutMs: options.timeoutMs, imageLoadHint: image.loadHint, verify: options.verify ?? true, ...(signal ? { signal } : {}) },
        atomic: options.atomic ?? true,
        origin: {
          ...(git ? { git } : {}),
          ...(image.archive ? { imageId: `sha256:${image.archive.id}` } : {}),
          profile: options.manifestsProfile ?? 'dev',
          description: options.overlay ? `deploy + ${options.overlay.name} overlay (${options.overlay.summary})` : 'deploy',
        },
        lock: held.lock,
        namespaceCreated: held.created,
      });
    } finally {
      await held.release();
    }
  } catch (error) {
    await settleSignal(signal);
    if (error instanceof PreflightError && !signal?.aborted) throw error;
    reportStop(error, signal, applying, out, checklist);
  }
  return finish(out, checklist, release, signal);
}

function withOverlay(overlay: DeployOverlay, objects: readonly KubeObject[], out: Output): KubeObject[] {
  out.line(`\n▶ ${overlay.name} overlay (in memory, not in the synth output): ${overlay.summary}`);
  return overlay.apply(objects);
}

function finish(out: Output, checklist: Checklist, release: ReleaseOutcome, signal: AbortSignal | undefined): DeployResult {
  out.line(`\n${formatChecklist(checklist.results)}`);
  return { ok: !checklist.failed, checklist, ...release, ...interruptedBy(signal) };
}
