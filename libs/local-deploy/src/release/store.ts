import type { KubeApi } from '../kube.js';
import type { KubeObject } from '@llmops-rag/contract';
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

/**
 * Records a release as the next revision. The one marked `deployed` before becomes `superseded` when this
 * one replaces it on the cluster: a deployed release, or a failed one left in place (--no-atomic); then only
 * the newest RELEASES_KEPT are kept. Returns the revision and the revisions trimmed.
 */
export async function recordRelease(
  api: KubeApi,
  namespace: string,
  record: Omit<ReleaseRecord, 'revision'>,
  options: { replacesDeployed: boolean } = { replacesDeployed: record.status === 'deployed' },
): Promise<{ revision: number; trimmed: number[] }> {
  const { releases, highest } = await listReleases(api, namespace);
  const revision = highest + 1;
  await write(api, namespace, { ...record, revision });
  if (options.replacesDeployed) {
    for (const earlier of releases.filter((r) => r.status === 'deployed')) await write(api, namespace, { ...earlier, status: 'superseded' });
  }
  const trimmed = releases
    .slice(RELEASES_KEPT - 1)
    .map((r) => r.revision)
    .sort((a, b) => a - b);
  for (const old of trimmed) await api.delete({ apiVersion: 'v1', kind: 'Secret', name: releaseSecretName(old), namespace });
  return { revision, trimmed };
}

async function write(api: KubeApi, namespace: string, record: ReleaseRecord): Promise<KubeObject> {
  return api.apply(toReleaseSecret(record, namespace), RELEASE_MANAGER);
}
