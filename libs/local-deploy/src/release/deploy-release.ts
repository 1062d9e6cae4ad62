import type { Runner } from '@llmops-rag/platform';
import type { Checklist } from '../checklist.js';
import type { Clock } from '../clock.js';
import type { ContextInfo } from '../cluster-kinds.js';
import { formatDiagnostics } from '../diagnostics.js';
import type { KubeApi } from '../kube.js';
import { LockLostError } from '../lock/errors.js';
import type { NamespaceLock } from '../lock/namespace-lock.js';
import { ownershipLabel } from '../manifests.js';
import { applyObjects } from '../phases/apply-objects.js';
import { rolloutTarget, rollOutAndVerify } from '../phases/rollout-and-verify.js';
import { stopIfInterrupted } from '../interrupted.js';
import { waitForRollout } from '../rollout.js';
import type { Output } from '../types.js';
import type { KubeObject } from '@llmops-rag/contract';
import { settleInterrupted } from './interrupted.js';
import { PendingRelease } from './pending.js';
import type { ReleaseRecord } from './record.js';
import { restoreSnapshot, type Restored } from './restore.js';
import { objectKey, takeSnapshot, type Snapshot } from './snapshot.js';
import { currentRelease, listReleases } from './store.js';

export interface ReleaseInput {
  /** The objects to apply, the Secret with its values (in memory). */
  objects: readonly KubeObject[];
  namespace: string;
  context: ContextInfo;
  /** `signal` (the command's Ctrl-C/SIGTERM) stops the rollout wait; the release is then restored as a failed one is. */
  rollout: { timeoutMs: number; imageLoadHint: string; verify: boolean; signal?: AbortSignal };
  /** Restore the previous release when the apply or the rollout fails (default of deploy and rollback). */
  atomic: boolean;
  /** What the record says about where the objects come from. */
  origin: Pick<ReleaseRecord, 'git' | 'imageId' | 'profile' | 'description'>;
  /** The namespace's lock, held by this operation: checked before each change. */
  lock: NamespaceLock;
  /** The lock step created the namespace (to hold the Lease in it): an undone first deploy deletes it again. */
  namespaceCreated?: boolean;
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
 * Claim → apply → rollout (→ verify) → record, shared by deploy and rollback, under the namespace's lock. The
 * release is recorded `pending` (the next free revision, claimed with a create) before anything changes, its phase
 * kept up to date, and made `deployed` when the rollout completes (the verify checks may still fail: the release is
 * what runs). Pending releases left by a killed operation are reported and marked `interrupted` first. When the apply
 * or the rollout fails, an atomic run restores what was there before (the previous release, or the live objects when
 * none was recorded; a first deploy is undone) and waits for it to be Ready; either way the release is recorded
 * `failed` (also when the restore fails), except after a first deploy was undone (nothing of it is left). A
 * Deployment deleted under the wait (by hand: a teardown waits for the lock) is neither restored nor recorded. A lost
 * lock stops it where it is, recording nothing more.
 * An interruption (`rollout.signal`, the command's Ctrl-C/SIGTERM) before the claim changes nothing; during the apply
 * or the rollout it ends the wait and is handled as a failed rollout: restored (the restore's own wait is not
 * interrupted: a second signal quits at once, leaving the release pending) and recorded.
 */
export async function deployRelease(api: KubeApi, deps: ReleaseDeps, checklist: Checklist, input: ReleaseInput): Promise<ReleaseOutcome> {
  const { out } = deps;
  const { namespace, lock } = input;
  lock.assertHeld();
  const { releases } = await listReleases(api, namespace);
  // Marking pending releases interrupted leaves the deployed one as it is: one read serves both.
  await settleInterrupted(api, namespace, releases, lock, out);
  const previous = currentRelease(releases);
  const scope = { namespace, label: ownershipLabel(input.objects) };
  const snapshot = input.atomic ? await takeSnapshot(api, input.objects, scope, input.context, previous) : undefined;
  // The Namespace the lock step created did not exist before this deploy.
  if (snapshot && input.namespaceCreated) snapshot.live.delete(objectKey({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
  stopIfInterrupted(input.rollout.signal);
  lock.assertHeld();
  const pending = await PendingRelease.claim(api, out, checklist, namespace, input.objects, input.origin, lock);

  let failure: string;
  let interrupted = false;
  let applied: KubeObject[] = [...input.objects];
  try {
    lock.assertHeld();
    applied = await applyObjects(api, deps.runner, out, checklist, input.objects, namespace, input.context);
    await pending.phase('waiting for rollout');
    const rollout = await rollOutAndVerify(api, out, checklist, applied, namespace, { ...input.rollout, clock: deps.clock });
    lock.assertHeld();
    if (rollout.rolledOut) return { revision: await pending.finish(checklist, 'deployed', input.origin.description, applied) };
    if (rollout.gone) {
      // Someone removed it: restoring would re-create what they deleted, recording would leave history behind.
      out.line(`\n✗ ${rollout.reason}: not restoring it`);
      out.line(`  nor recording this ${input.origin.description}: the cluster stays as it was left; deploy again to bring the app back`);
      await pending.drop();
      return {};
    }
    interrupted = rollout.interrupted === true;
    failure = interrupted ? rollout.reason : `rollout failed: ${rollout.reason}`;
    if (interrupted) out.line(`\n■ ${failure}`);
  } catch (error) {
    if (error instanceof LockLostError) return lockLost(out, checklist, error);
    const message = error instanceof Error ? error.message : String(error);
    out.line(`\n✗ ${message}`);
    failure = message.split('\n')[0] ?? message;
  }
  // A rollback's record keeps its intent: `rollback to 2 failed: …`.
  const failed = input.origin.description === 'deploy' ? failure : `${input.origin.description} failed: ${failure}`;

  if (!snapshot) {
    out.line(`\n--no-atomic: the cluster is left as the ${interrupted ? 'interrupted' : 'failed'} ${input.origin.description} made it.`);
    if (previous) out.line(`  \`npx nx run k8s-manifests:rollback -- --to=${previous.revision}\` returns to the last good release.`);
    // Left in place, the failed objects are what the cluster holds, so the failed release supersedes the deployed one.
    await pending.finish(checklist, 'failed', `${failed}; left as it ${interrupted ? 'was' : 'failed'} (--no-atomic)`, applied, true);
    return {};
  }
  try {
    lock.assertHeld();
  } catch (error) {
    return lockLost(out, checklist, error as LockLostError);
  }
  // Recorded while the restore runs (not before it): an API server that stopped answering costs one deadline, not two.
  const phased = pending.phase('restoring');
  const outcome = await rollBack(api, deps, checklist, snapshot, input);
  await phased;
  if (isFirstDeploy(snapshot) && outcome.ok) {
    // Nothing of it is left (its namespace may have gone, and the record with it).
    await pending.drop();
    return {};
  }
  // A failed restore is recorded too: the history must show the attempt.
  await pending.finish(checklist, 'failed', `${failed}; ${outcome.said}`, applied);
  return outcome.ok && previous ? { rolledBackTo: previous.revision } : {};
}

function lockLost(out: Output, checklist: Checklist, error: LockLostError): ReleaseOutcome {
  out.line(`\n✗ ${error.message}`);
  checklist.record({ name: `Lock on namespace ${error.namespace}`, ok: false, durationMs: 0, detail: `lost: ${error.why}` });
  return {};
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
