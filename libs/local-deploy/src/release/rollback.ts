import { NAMES } from '@llmops-rag/k8s-manifests';
import { findObject, type KubeObject } from '@llmops-rag/contract';
import { Checklist, formatChecklist } from '../checklist.js';
import { artifactPaths, IMAGE, SECRET_CHECKSUM_ANNOTATION, type DeployDeps, type DeployResult } from '../deploy-options.js';
import { annotatePodTemplate } from '../phases/objects.js';
import { readDotEnvInPreflight } from '../phases/preflight.js';
import { PreflightError } from '../preflight-error.js';
import { requireTools } from '../preflight.js';
import type { KubeApi } from '../kube.js';
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
}

/**
 * `nx run k8s-manifests:rollback`: re-applies a recorded release like a deploy (apply, rollout, the verify
 * checklist) and records it as a new revision, `rollback to N`. Its Secret values: see rollbackSecret.
 */
export async function runRollback(options: RollbackOptions, deps: DeployDeps): Promise<DeployResult> {
  const { out } = deps;
  const checklist = new Checklist();
  out.line('\n▶ Preflight');
  await checklist.step('Tools on PATH', async () => {
    requireTools(deps.runner, ['kubectl']);
    return { detail: 'kubectl', value: undefined };
  });
  const context = await localContextStep(checklist, deps, options.allowContext, 'roll back');
  const dotEnv = readDotEnvInPreflight(options.envFile ?? artifactPaths(options.workspaceRoot).dotEnv, out);
  const api = deps.kubeApi();
  const { releases } = await listReleases(api, options.namespace);
  const target = rollbackTarget(releases, options.namespace, options.to);

  let release: ReleaseOutcome = {};
  try {
    out.line(`\n▶ Revision ${target.revision} (${target.description}, ${target.time}) with its Secret values`);
    const objects = await checklist.step(`Objects of revision ${target.revision}`, async () => {
      const value = await withSecretValues(target, api, deps, dotEnv);
      return { detail: `${value.length} objects, digest ${target.digest.slice(7, 19)}`, value };
    });
    warnAboutImage(target, releases, out);
    release = await deployRelease(api, deps, checklist, {
      objects,
      namespace: options.namespace,
      context,
      rollout: { timeoutMs: options.timeoutMs, imageLoadHint: rollbackImageHint(target), verify: true },
      atomic: options.atomic ?? true,
      origin: {
        ...(target.git ? { git: target.git } : {}),
        ...(target.imageId ? { imageId: target.imageId } : {}),
        profile: target.profile,
        description: `rollback to ${target.revision}`,
      },
    });
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    out.line(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  }
  out.line(`\n${formatChecklist(checklist.results, 'Rollback checklist')}`);
  return { ok: !checklist.failed, checklist, ...release };
}

/** The release's objects with each Secret's values (kept or rebuilt) and the pod template's checksum/secret set to them. */
async function withSecretValues(target: ReleaseRecord, api: KubeApi, deps: DeployDeps, dotEnv: Record<string, string>): Promise<KubeObject[]> {
  const configMap = target.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === NAMES.configMap);
  const appEnv = String((configMap?.data as Record<string, string> | undefined)?.APP_ENV ?? 'dev');
  const checksums = new Map<string, string>();
  const objects: KubeObject[] = [];
  for (const object of target.objects) {
    if (object.kind !== 'Secret') {
      objects.push(structuredClone(object));
      continue;
    }
    const built = rollbackSecret(object, target, await api.get(refOf(object)), { env: deps.env, dotEnv, appEnv }, deps.out);
    checksums.set(object.metadata.name, built.checksum);
    objects.push(built.secret);
  }
  const checksum = checksums.get(NAMES.secret);
  if (!checksum) return objects;
  const deployment = findObject(objects, 'Deployment', NAMES.deployment);
  return objects.map((o) => (o === deployment ? annotatePodTemplate(o, { [SECRET_CHECKSUM_ANNOTATION]: checksum }) : o));
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
