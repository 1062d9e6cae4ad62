import type { KubeApi } from '../kube.js';
import {
  fromReleaseSecret,
  isReleaseSecret,
  RELEASE_MANAGER,
  RELEASE_OWNER_LABEL,
  RELEASES_KEPT,
  releaseSecretName,
  toReleaseSecret,
  type ReleaseRecord,
} from './record.js';

export interface ReleaseList {
  /** Newest first. */
  releases: ReleaseRecord[];
  /** The highest revision of any release Secret, readable or not (0: none): the next one is one more. */
  highest: number;
  /** Release Secrets whose payload could not be read, with why (never fatal: the others still count). */
  unreadable: string[];
}

/** Every release recorded in `namespace`, newest first. */
export async function listReleases(api: KubeApi, namespace: string): Promise<ReleaseList> {
  const secrets = await api.list('v1', 'Secret', namespace, `${RELEASE_OWNER_LABEL.key}=${RELEASE_OWNER_LABEL.value}`);
  const releases: ReleaseRecord[] = [];
  const unreadable: string[] = [];
  let highest = 0;
  for (const secret of secrets.filter(isReleaseSecret)) {
    const named = Number(/\.v(\d+)$/.exec(secret.metadata.name)?.[1] ?? 0);
    highest = Math.max(highest, named);
    try {
      releases.push(fromReleaseSecret(secret));
    } catch (error) {
      unreadable.push((error as Error).message);
    }
  }
  return { releases: releases.sort((a, b) => b.revision - a.revision), highest: Math.max(highest, ...releases.map((r) => r.revision)), unreadable };
}

/**
 * The release whose objects the cluster holds: the one marked `deployed` (after an atomic rollback that is
 * still the one before the failure). Undefined when none is (nothing recorded yet, or a --no-atomic failure
 * superseded it: the failed objects are live).
 */
export function currentRelease(releases: readonly ReleaseRecord[]): ReleaseRecord | undefined {
  return releases.find((r) => r.status === 'deployed');
}

/** A record as stored: the resourceVersion of its Secret is the precondition of the next update. */
export interface StoredRelease {
  record: ReleaseRecord;
  resourceVersion: string;
}

/**
 * Claims the next revision number with a create: when another writer created that release Secret first
 * (409 AlreadyExists), the next number is tried. A revision is never overwritten.
 */
export async function claimRevision(api: KubeApi, namespace: string, record: Omit<ReleaseRecord, 'revision'>): Promise<StoredRelease> {
  const { highest } = await listReleases(api, namespace);
  for (let revision = highest + 1; revision <= highest + 20; revision++) {
    try {
      const created = await api.create(toReleaseSecret({ ...record, revision }, namespace), RELEASE_MANAGER);
      return { record: { ...record, revision }, resourceVersion: String(created.metadata.resourceVersion) };
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
    }
  }
  throw new Error(`could not claim a revision in namespace ${namespace}: revisions ${highest + 1}-${highest + 20} were all taken while trying`);
}

/** Updates a record this operation owns: a replace with the resourceVersion it last wrote (409 Conflict if anyone else changed it). */
export async function updateRelease(api: KubeApi, namespace: string, stored: StoredRelease, change: Partial<ReleaseRecord>): Promise<StoredRelease> {
  const record = { ...stored.record, ...change, revision: stored.record.revision };
  const secret = toReleaseSecret(record, namespace);
  const written = await api.replace({ ...secret, metadata: { ...secret.metadata, resourceVersion: stored.resourceVersion } }, RELEASE_MANAGER);
  return { record, resourceVersion: String(written.metadata.resourceVersion) };
}

/** Changes another record (deployed → superseded, pending → interrupted): read, changed, replaced with the resourceVersion read. */
export async function changeRelease(
  api: KubeApi,
  namespace: string,
  revision: number,
  change: (record: ReleaseRecord) => Partial<ReleaseRecord>,
): Promise<void> {
  const secret = await api.get({ apiVersion: 'v1', kind: 'Secret', name: releaseSecretName(revision), namespace });
  if (!secret) return;
  const record = fromReleaseSecret(secret);
  await updateRelease(api, namespace, { record, resourceVersion: String(secret.metadata.resourceVersion) }, change(record));
}

/**
 * Once `current` is final: the release marked `deployed` before becomes `superseded` when `current` replaces it on the
 * cluster (deployed, or failed and left in place), then only the newest RELEASES_KEPT are kept. Returns the revisions trimmed.
 */
export async function settleAfter(api: KubeApi, namespace: string, current: ReleaseRecord, replacesDeployed: boolean): Promise<number[]> {
  const { releases } = await listReleases(api, namespace);
  const others = releases.filter((r) => r.revision !== current.revision);
  if (replacesDeployed) {
    for (const earlier of others.filter((r) => r.status === 'deployed'))
      await changeRelease(api, namespace, earlier.revision, () => ({ status: 'superseded' }));
  }
  const trimmed = releases
    .slice(RELEASES_KEPT)
    .filter((r) => r.revision !== current.revision)
    .map((r) => r.revision)
    .sort((a, b) => a - b);
  for (const old of trimmed) await api.delete({ apiVersion: 'v1', kind: 'Secret', name: releaseSecretName(old), namespace });
  return trimmed;
}

/** Deletes a record this operation owns (a first deploy undone leaves no trace), only if unchanged since. */
export async function dropRelease(api: KubeApi, namespace: string, stored: StoredRelease): Promise<void> {
  await api.delete(
    { apiVersion: 'v1', kind: 'Secret', name: releaseSecretName(stored.record.revision), namespace },
    { resourceVersion: stored.resourceVersion },
  );
}
