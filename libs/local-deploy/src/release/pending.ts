import type { Checklist } from '../checklist.js';
import type { KubeApi } from '../kube.js';
import { describeHolder } from '../lock/holder.js';
import type { NamespaceLock } from '../lock/namespace-lock.js';
import type { Output } from '../types.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { ReleasePhase, ReleaseRecord, ReleaseStatus } from './record.js';
import { redactSecrets, releaseDigest } from './redact.js';
import { claimRevision, dropRelease, settleAfter, updateRelease, type StoredRelease } from './store.js';

type Origin = Pick<ReleaseRecord, 'git' | 'imageId' | 'profile' | 'description'>;

/** What a record says about objects: the objects without Secret values, the Secrets' key names and checksums, the digest. */
function recorded(objects: readonly KubeObject[]): Pick<ReleaseRecord, 'objects' | 'secrets' | 'digest'> {
  const { objects: redacted, secrets } = redactSecrets(objects);
  return { objects: redacted, secrets, digest: releaseDigest(redacted) };
}

/**
 * A release from before its first change to its end: claimed as `pending` (phase `applying`) under the lock, its
 * phase updated as it goes, and made final (`deployed` / `failed`) at the end. A process killed on the way leaves
 * the pending record, which the next operation reports as interrupted.
 */
export class PendingRelease {
  private constructor(
    private readonly api: KubeApi,
    private readonly namespace: string,
    private stored: StoredRelease,
    private readonly out: Output,
    private readonly lock: NamespaceLock,
  ) {}

  get revision(): number {
    return this.stored.record.revision;
  }

  static async claim(
    api: KubeApi,
    out: Output,
    checklist: Checklist,
    namespace: string,
    objects: readonly KubeObject[],
    origin: Origin,
    lock: NamespaceLock,
  ): Promise<PendingRelease> {
    return checklist.step('Release claimed', async () => {
      const now = lock.isoNow();
      const stored = await claimRevision(api, namespace, {
        time: now,
        ...(origin.git ? { git: origin.git } : {}),
        ...(origin.imageId ? { imageId: origin.imageId } : {}),
        profile: origin.profile,
        ...recorded(objects),
        status: 'pending',
        description: origin.description,
        phase: 'applying',
        phaseTime: now,
        by: describeHolder(lock.holder),
        holderIdentity: lock.identity,
      });
      return {
        detail: `revision ${stored.record.revision} pending (a record without secret values, before anything changes)`,
        value: new PendingRelease(api, namespace, stored, out, lock),
      };
    });
  }

  /** The step it is in now; a record that cannot be updated is said, not fatal (the release itself goes on). */
  async phase(phase: ReleasePhase): Promise<void> {
    try {
      this.stored = await updateRelease(this.api, this.namespace, this.stored, { phase, phaseTime: this.lock.isoNow() });
    } catch (error) {
      this.out.line(`  ⚠ could not record revision ${this.revision} as ${phase}: ${(error as Error).message}`);
    }
  }

  /** Final: `deployed` or `failed`, with the objects as applied; then the deployed one before is superseded (when this replaces it) and old ones trimmed. */
  async finish(
    checklist: Checklist,
    status: Extract<ReleaseStatus, 'deployed' | 'failed'>,
    description: string,
    applied: readonly KubeObject[],
    replacesDeployed = status === 'deployed',
  ): Promise<number | undefined> {
    try {
      return await checklist.step(status === 'deployed' ? 'Release recorded' : 'Failed release recorded', async () => {
        const { phase: _phase, phaseTime: _time, ...rest } = this.stored.record;
        const final = { ...rest, ...recorded(applied), time: this.lock.isoNow(), status, description };
        this.stored = await updateRelease(this.api, this.namespace, { ...this.stored, record: final }, {});
        const trimmed = await settleAfter(this.api, this.namespace, final, replacesDeployed);
        const kept = trimmed.length ? `; trimmed revision${trimmed.length === 1 ? '' : 's'} ${trimmed.join(', ')} (10 kept)` : '';
        return { detail: `revision ${this.revision} ${status}${kept}`, value: this.revision };
      });
    } catch (error) {
      this.out.line(`\n✗ recording the release failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** A first deploy undone in a namespace that stays: nothing of it is left, so neither is its record. */
  async drop(): Promise<void> {
    await dropRelease(this.api, this.namespace, this.stored).catch((error: Error) =>
      this.out.line(`  ⚠ could not delete the record of revision ${this.revision}: ${error.message}`),
    );
  }
}
