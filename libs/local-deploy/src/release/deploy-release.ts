import type { Runner } from '@llmops-rag/platform';
import type { Checklist } from '../checklist.js';
import type { Clock } from '../clock.js';
import type { ContextInfo } from '../cluster-kinds.js';
import { formatDiagnostics } from '../diagnostics.js';
import type { KubeApi } from '../kube.js';
import { ownershipLabel } from '../manifests.js';
import { applyObjects } from '../phases/apply-objects.js';
import { rolloutTarget, rollOutAndVerify } from '../phases/rollout-and-verify.js';
import { waitForRollout } from '../rollout.js';
import type { Output } from '../types.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { ReleaseRecord } from './record.js';
import { redactSecrets, releaseDigest } from './redact.js';
import { restoreSnapshot, type Restored } from './restore.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';
import { currentRelease, listReleases, recordRelease } from './store.js';

export interface ReleaseInput {
  /** The objects to apply, the Secret with its values (in memory). */
  objects: readonly KubeObject[];
  namespace: string;
  context: ContextInfo;
  rollout: { timeoutMs: number; imageLoadHint: string; verify: boolean };
  /** Restore the previous release when the apply or the rollout fails (default of deploy and rollback). */
  atomic: boolean;
  /** What the record says about where the objects come from. */
  origin: Pick<ReleaseRecord, 'git' | 'imageId' | 'profile' | 'description'>;
}

export interface ReleaseOutcome {
  /** The revision recorded as deployed (the rollout completed). */
  revision?: number;
  /** The revision an atomic deploy restored after its rollout failed. */
  rolledBackTo?: number;
}

export interface ReleaseDeps {
  runner: Runner;
  out: Output;
  /** What the rollout waits sleep on (tests: the fake cluster's clock). */
  clock?: Clock;
}

/**
 * Apply → rollout (→ verify) → record, shared by deploy and rollback. A completed rollout is recorded as the
 * next revision, `deployed` (the verify checks may still fail: the release is what runs). When the apply or
 * the rollout fails, an atomic run restores what was there before (the previous release, or the live objects
 * when none was recorded; a first deploy is undone) and waits for it to be Ready; either way the failure is
 * recorded as a `failed` revision (also when the restore fails), except after a first deploy was undone
 * (nothing of it is left). A Deployment deleted under the wait (a teardown) is neither restored nor recorded.
 */
export async function deployRelease(api: KubeApi, deps: ReleaseDeps, checklist: Checklist, input: ReleaseInput): Promise<ReleaseOutcome> {
  const { out } = deps;
  const { namespace } = input;
  const previous = currentRelease((await listReleases(api, namespace)).releases);
  const scope = { namespace, label: ownershipLabel(input.objects) };
  const snapshot = input.atomic ? await takeSnapshot(api, input.objects, scope, input.context, previous) : undefined;

  let failure: string;
  let applied: KubeObject[] = [...input.objects];
  try {
    applied = await applyObjects(api, deps.runner, out, checklist, input.objects, namespace, input.context);
    const rollout = await rollOutAndVerify(api, out, checklist, applied, namespace, { ...input.rollout, clock: deps.clock });
    if (rollout.rolledOut) return { revision: await record(api, out, checklist, namespace, applied, input, 'deployed', input.origin.description) };
    if (rollout.gone) {
      // A teardown (or a person) removed it: restoring would re-create what they deleted, recording would leave history behind.
      out.line(`\n✗ ${rollout.reason}: not restoring it`);
      out.line(`  nor recording this ${input.origin.description}: the cluster stays as it was left; deploy again to bring the app back`);
      return {};
    }
    failure = `rollout failed: ${rollout.reason}`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    out.line(`\n✗ ${message}`);
    failure = message.split('\n')[0] ?? message;
  }

  if (!snapshot) {
    out.line(`\n--no-atomic: the cluster is left as the failed ${input.origin.description} made it.`);
    if (previous) out.line(`  \`npx nx run k8s-manifests:rollback -- --to=${previous.revision}\` returns to the last good release.`);
    // Left in place, the failed objects are what the cluster holds, so the failed release supersedes the deployed one.
    await record(api, out, checklist, namespace, applied, input, 'failed', `${failure}; left as it failed (--no-atomic)`, true);
    return {};
  }
  const outcome = await rollBack(api, deps, checklist, snapshot, input);
  // A failed restore is recorded too: the history must show the attempt (a first deploy's undo leaves nothing to record on).
  if (!isFirstDeploy(snapshot)) await record(api, out, checklist, namespace, applied, input, 'failed', `${failure}; ${outcome.said}`);
  return outcome.ok && previous ? { rolledBackTo: previous.revision } : {};
}

/** No app object existed before: undoing it leaves nothing, not even a record of the failure. */
function isFirstDeploy(snapshot: Snapshot): boolean {
  return ![...snapshot.live.values()].some((o) => o.kind !== 'Namespace');
}

async function rollBack(
  api: KubeApi,
  deps: ReleaseDeps,
  checklist: Checklist,
  snapshot: Snapshot,
  input: ReleaseInput,
): Promise<{ ok: boolean; said: string }> {
  const { out } = deps;
  const first = isFirstDeploy(snapshot);
  const what = snapshot.previous
    ? `revision ${snapshot.previous.revision}`
    : first
      ? 'nothing (a first deploy: what it created is deleted)'
      : 'the objects live before this deploy (no release was recorded before it)';
  out.line(`\n▶ Atomic rollback: restoring ${what}`);
  const name = snapshot.previous
    ? `Roll back to revision ${snapshot.previous.revision}`
    : first
      ? 'Undo the failed first deploy'
      : 'Roll back to the objects live before';
  let restored: Restored;
  let applied = false;
  try {
    restored = await checklist.step(name, async () => {
      const result = await restoreSnapshot(api, deps, snapshot, input.rollout.timeoutMs);
      applied = true;
      if (result.deployments.length > 0) {
        const rollout = await waitForRollout(
          api,
          rolloutTarget(snapshot.namespace),
          { timeoutMs: input.rollout.timeoutMs, imageLoadHint: input.rollout.imageLoadHint, ...(deps.clock ? { clock: deps.clock } : {}) },
          out,
        );
        if (!rollout.ok) {
          out.line(rollout.gone ? `  ${rollout.diagnostics.reason}` : formatDiagnostics(rollout.diagnostics));
          throw new Error(`the restored Deployment did not become Ready: ${rollout.diagnostics.reason}`);
        }
      }
      return { detail: summary(result), value: result };
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    out.line(`\n✗ atomic rollback failed: ${why}`);
    out.line(
      applied
        ? `  ${snapshot.previous ? `revision ${snapshot.previous.revision}'s objects are` : 'the objects live before this deploy are'} applied again, but its pods are not Ready (see above): \`npx nx run k8s-manifests:history\` lists the releases, \`rollback -- --to=<revision>\` applies one again`
        : '  the cluster may hold part of each release: `npx nx run k8s-manifests:history` lists the releases, `rollback -- --to=<revision>` applies one again',
    );
    return { ok: false, said: `atomic rollback failed: ${why}` };
  }
  const said = snapshot.previous
    ? `rolled back to revision ${snapshot.previous.revision}`
    : first
      ? `undone: ${restored.deleted.length ? restored.deleted.join(', ') : 'nothing'} deleted${restored.namespace ? `; namespace ${snapshot.namespace} ${restored.namespace}` : ''}`
      : 'rolled back to the objects live before it (no earlier release recorded)';
  out.line(`\n${said}`);
  return { ok: true, said };
}

function summary(r: Restored): string {
  const parts = [
    `${r.restored.length ? `restored ${r.restored.join(', ')}` : 'nothing to restore'}`,
    ...(r.recreated.length ? [`re-created ${r.recreated.join(', ')}`] : []),
    ...(r.deleted.length ? [`deleted ${r.deleted.join(', ')}`] : []),
    ...(r.namespace ? [`namespace ${r.namespace}`] : []),
    ...(r.deployments.length ? ['Ready again'] : []),
  ];
  return parts.join('; ');
}

async function record(
  api: KubeApi,
  out: Output,
  checklist: Checklist,
  namespace: string,
  applied: readonly KubeObject[],
  input: ReleaseInput,
  status: 'deployed' | 'failed',
  description: string,
  replacesDeployed = status === 'deployed',
): Promise<number | undefined> {
  const { objects, secrets } = redactSecrets(applied);
  const entry = {
    time: new Date().toISOString(),
    ...(input.origin.git ? { git: input.origin.git } : {}),
    ...(input.origin.imageId ? { imageId: input.origin.imageId } : {}),
    profile: input.origin.profile,
    digest: releaseDigest(objects),
    status,
    description,
    objects,
    secrets,
  };
  try {
    return await checklist.step(status === 'deployed' ? 'Release recorded' : 'Failed release recorded', async () => {
      const { revision, trimmed } = await recordRelease(api, namespace, entry, { replacesDeployed });
      const kept = trimmed.length ? `; trimmed revision${trimmed.length === 1 ? '' : 's'} ${trimmed.join(', ')} (10 kept)` : '';
      return { detail: `revision ${revision} ${status}${kept}`, value: revision };
    });
  } catch (error) {
    out.line(`\n✗ recording the release failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
