import { UsageError } from '@llmops-rag/platform';
import { NAMES } from '@llmops-rag/k8s-manifests';
import { findObject, type KubeObject } from '@llmops-rag/contract';
import { Checklist, formatChecklist } from '../checklist.js';
import { artifactPaths, IMAGE, SECRET_CHECKSUM_ANNOTATION, type DeployDeps, type DeployResult } from '../deploy-options.js';
import { annotatePodTemplate } from '../phases/objects.js';
import { readDotEnvInPreflight } from '../phases/preflight.js';
import { interruptedBy, reportStop, stopIfInterrupted, StoppedBeforeChange } from '../interrupted.js';
import { PreflightError } from '../preflight-error.js';
import { requireTools } from '../preflight.js';
import type { KubeApi } from '../kube.js';
import { lockForRelease, type ReleaseLock } from '../lock/release-lock.js';
import { refOf } from '../types.js';
import { deployRelease, type ReleaseOutcome } from './deploy-release.js';
import { localContextStep } from './local-context.js';
import type { ReleaseRecord } from './record.js';
import { rollbackSecret } from './secret-values.js';
import { listReleases } from './store.js';
import { rollbackTarget } from './target.js';

export interface RollbackOptions {
  /** The app's namespace (from the synth output, as teardown finds it). */
  namespace: string;
  /** The revision to return to; default: the last good one before what the cluster holds. */
  to?: number;
  allowContext?: string;
  timeoutMs: number;
  /** Restore what was there when the rollback's own rollout fails (default true). */
  atomic?: boolean;
  workspaceRoot: string;
  /** Where Secret values come from when they must be rebuilt (default: .env at the workspace root). */
  envFile?: string;
  /** Wait up to `timeoutMs` for another operation's lock (default), or refuse at once (--no-wait). */
  wait?: boolean;
  /** The command's Ctrl-C/SIGTERM: stops before the apply (nothing changed) or ends the rollout wait and restores, as a deploy does. */
  signal?: AbortSignal;
}

/**
 * `nx run k8s-manifests:rollback`: under the namespace's lock, re-applies a recorded release like a deploy (apply,
 * rollout, the verify checklist) and records it as a new revision, `rollback to N` (plus what happened to the Secret
 * values when they are not the revision's). Its Secret values: see rollbackSecret.
 */
export async function runRollback(options: RollbackOptions, deps: DeployDeps): Promise<DeployResult> {
  const { out } = deps;
  const { signal } = options;
  const checklist = new Checklist();
  out.line('\n▶ Preflight');
  await checklist.step('Tools on PATH', async () => {
    requireTools(deps.runner, ['kubectl']);
    return { detail: 'kubectl', value: undefined };
  });
  const context = await localContextStep(checklist, deps, options.allowContext, 'roll back');
  const dotEnv = readDotEnvInPreflight(options.envFile ?? artifactPaths(options.workspaceRoot).dotEnv, out);
  const api = deps.kubeApi();
  out.line(`\n▶ Lock namespace ${options.namespace}`);
  let held: ReleaseLock | undefined;
  try {
    held = (await listReleases(api, options.namespace)).releases.length
      ? await lockForRelease(
          api,
          out,
          checklist,
          { objects: [], namespace: options.namespace, context, command: 'rollback', waitMs: options.wait === false ? 0 : options.timeoutMs, signal },
          deps.lock,
        )
      : undefined;
  } catch (error) {
    // Ctrl-C while waiting for another operation's lock: nothing was changed.
    if (!(error instanceof StoppedBeforeChange)) throw error;
    reportStop(error, signal, false, out, checklist);
    return finish(out, checklist, {}, signal);
  }
  let release: ReleaseOutcome = {};
  let applying = false;
  try {
    stopIfInterrupted(signal);
    // Read under the lock: no other operation changes the history while the target is chosen.
    const { releases } = await listReleases(api, options.namespace);
    const target = rollbackTarget(releases, options.namespace, options.to);
    out.line(`\n▶ Revision ${target.revision} (${target.description}, ${target.time}) with its Secret values`);
    if (
      releases[0] &&
      releases[0].revision > target.revision &&
      (releases[0].status === 'pending' || releases[0].status === 'interrupted') &&
      options.to === undefined
    ) {
      out.line(`  revision ${releases[0].revision} was interrupted: back to revision ${target.revision}, the last release deployed`);
    }
    const { objects, notes } = await checklist.step(`Objects of revision ${target.revision}`, async () => {
      const value = await withSecretValues(target, api, deps, dotEnv);
      return { detail: `${value.objects.length} objects, digest ${target.digest.slice(7, 19)}`, value };
    });
    warnAboutImage(target, releases, out);
    if (!held) throw new Error(`namespace ${options.namespace} has no lock to take`);
    applying = true;
    release = await deployRelease(api, deps, checklist, {
      objects,
      namespace: options.namespace,
      context,
      rollout: { timeoutMs: options.timeoutMs, imageLoadHint: rollbackImageHint(target), verify: true, ...(signal ? { signal } : {}) },
      atomic: options.atomic ?? true,
      origin: {
        ...(target.git ? { git: target.git } : {}),
        ...(target.imageId ? { imageId: target.imageId } : {}),
        profile: target.profile,
        description: `rollback to ${target.revision}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      },
      lock: held.lock,
      namespaceCreated: false,
    });
  } catch (error) {
    if (error instanceof UsageError || (error instanceof PreflightError && !signal?.aborted)) throw error;
    reportStop(error, signal, applying, out, checklist);
  } finally {
    await held?.release();
  }
  return finish(out, checklist, release, signal);
}

function finish(out: DeployDeps['out'], checklist: Checklist, release: ReleaseOutcome, signal: AbortSignal | undefined): DeployResult {
  out.line(`\n${formatChecklist(checklist.results, 'Rollback checklist')}`);
  return { ok: !checklist.failed, checklist, ...release, ...interruptedBy(signal) };
}

/**
 * The release's objects with each Secret's values (kept or rebuilt) and the pod template's checksum/secret set to
 * them, and for the record what differs from the revision (`Secret values kept from the live Secret; revision 1 had other values`).
 */
async function withSecretValues(
  target: ReleaseRecord,
  api: KubeApi,
  deps: DeployDeps,
  dotEnv: Record<string, string>,
): Promise<{ objects: KubeObject[]; notes: string[] }> {
  const configMap = target.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === NAMES.configMap);
  const appEnv = String((configMap?.data as Record<string, string> | undefined)?.APP_ENV ?? 'dev');
  const checksums = new Map<string, string>();
  const objects: KubeObject[] = [];
  const notes: string[] = [];
  for (const object of target.objects) {
    if (object.kind !== 'Secret') {
      objects.push(structuredClone(object));
      continue;
    }
    const built = rollbackSecret(object, target, await api.get(refOf(object)), { env: deps.env, dotEnv, appEnv }, deps.out);
    checksums.set(object.metadata.name, built.checksum);
    objects.push(built.secret);
    if (!built.matches) {
      const source = built.kept ? 'kept from the live Secret' : 'built from the environment/.env';
      notes.push(`Secret ${object.metadata.name} values ${source}; revision ${target.revision} had other values`);
    }
  }
  const checksum = checksums.get(NAMES.secret);
  if (!checksum) return { objects, notes };
  const deployment = findObject(objects, 'Deployment', NAMES.deployment);
  return { objects: objects.map((o) => (o === deployment ? annotatePodTemplate(o, { [SECRET_CHECKSUM_ANNOTATION]: checksum }) : o)), notes };
}

/** The ErrImageNeverPull fix of a rollback: it cannot load an image, and the node may have dropped that build. */
function rollbackImageHint(target: ReleaseRecord): string {
  const commit = target.git?.commit.slice(0, 12) ?? 'its commit';
  return (
    `the rollback cannot load an image, and the nodes no longer hold revision ${target.revision}'s (the kubelet's image GC removes unused images under disk pressure): ` +
    `check out ${commit} and deploy it again (that rebuilds and loads it), or roll back to a revision whose image the nodes still hold`
  );
}

/**
 * A release whose Deployment names the build's immutable `id-…` tag brings its image back with it. One deployed
 * from an archive without that tag names `latest`: say so when the revision ran another image than the latest deploy loaded.
 */
function warnAboutImage(target: ReleaseRecord, releases: readonly ReleaseRecord[], out: DeployDeps['out']): void {
  const deployment = target.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === NAMES.deployment);
  const containers = (deployment?.spec as { template?: { spec?: { containers?: { name?: string; image?: string }[] } } } | undefined)?.template?.spec
    ?.containers;
  const image = containers?.find((c) => c.name === NAMES.container)?.image;
  if (image && image !== IMAGE) {
    out.line(`  revision ${target.revision} runs its own build, ${image}`);
    return;
  }
  const latest = releases.find((r) => r.imageId);
  if (!target.imageId || !latest?.imageId || latest.imageId === target.imageId) return;
  out.line(
    `  ⚠ revision ${target.revision} ran image ${target.imageId.slice(0, 19)} under ${IMAGE} (deployed before the image was pinned to its ID tag); the cluster's ${IMAGE} is the one revision ${latest.revision} loaded ` +
      `(${latest.imageId.slice(0, 19)}). New pods start from that image: to run revision ${target.revision}'s code, check out ${target.git?.commit.slice(0, 12) ?? 'its commit'} and deploy.`,
  );
}
