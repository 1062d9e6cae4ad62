import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeObject } from '@llmops-rag/contract';

/**
 * One release of the app, kept in the cluster like Helm's release Secrets: a Secret per revision in the
 * app's namespace, so every checkout (and every machine with the kubeconfig) sees the same history.
 */
/**
 * - `pending`: written before the first object changes; the operation that holds the namespace's lock is
 *   applying it, waiting for its rollout or restoring (`phase`). Seen with no live lock holder: interrupted.
 * - `deployed`: rolled out; what the cluster holds. `superseded`: rolled out, replaced by a later one.
 * - `failed`: did not roll out (restored, or left in place with --no-atomic: the description says which).
 * - `interrupted`: its process died (kill -9, a closed laptop) while pending; a later operation found it and
 *   brought the namespace to a recorded release.
 */
export type ReleaseStatus = 'pending' | 'deployed' | 'superseded' | 'failed' | 'interrupted';

/** What a pending release was doing. */
export type ReleasePhase = 'applying' | 'waiting for rollout' | 'restoring';

export interface ReleaseRecord {
  revision: number;
  /** ISO time the release was recorded. */
  time: string;
  /** `git rev-parse HEAD` of the checkout that deployed it, and whether `git status --porcelain` listed anything; undefined: no git. */
  git?: { commit: string; dirty: boolean };
  /** The image ID (config digest) the pod template was annotated with; undefined: unknown (no archive). */
  imageId?: string;
  /** The synth output folder under dist/k8s (`dev`). */
  profile: string;
  /** `sha256:<hex>` of the canonical JSON of `objects`. */
  digest: string;
  status: ReleaseStatus;
  /** One line: `deploy`, `rollback to 3`, `rollout failed: …; rolled back to revision 2`. */
  description: string;
  /** While pending (and kept once interrupted): the step it was in, and the ISO time that step began. */
  phase?: ReleasePhase;
  phaseTime?: string;
  /** Who ran it: `deploy by alice@laptop pid 4242, started 09:29:05 UTC`. */
  by?: string;
  /** The lock Lease's holderIdentity while it ran: a pending record whose holder no longer holds the lock was interrupted. */
  holderIdentity?: string;
  /** The objects as applied, each Secret without its values (see `secrets`). */
  objects: KubeObject[];
  /** Per Secret name: its key names and the checksum of its values, never a value. */
  secrets: Record<string, SecretSummary>;
}

export interface SecretSummary {
  keys: string[];
  checksum: string;
}

/** The Secret type of a release record: nothing but this engine reads or writes Secrets of this type. */
export const RELEASE_SECRET_TYPE = 'llmops-rag.io/release.v1';
/** The field manager that writes release records (not the deploy's: prune and teardown select the deploy's objects by its manager). */
export const RELEASE_MANAGER = 'llmops-rag-release';
/** Labels on every release Secret. Deliberately not the app's `app.kubernetes.io/part-of`: a release record is not an app object. */
export const RELEASE_OWNER_LABEL = { key: 'owner', value: 'llmops-rag-deploy' } as const;
export const RELEASE_NAME = 'llmops-rag';
/** The data key holding the gzip'd JSON record. */
const PAYLOAD_KEY = 'release';
/** How many releases are kept; older ones are deleted when a new one is recorded. */
export const RELEASES_KEPT = 10;

export function releaseSecretName(revision: number): string {
  return `${RELEASE_NAME}.release.v${revision}`;
}

export function isReleaseSecret(object: KubeObject): boolean {
  return object.kind === 'Secret' && (object as { type?: string }).type === RELEASE_SECRET_TYPE;
}

/** The record as the Secret that stores it: `data.release` = base64(gzip(JSON)), labels owner/name/status/version. */
export function toReleaseSecret(record: ReleaseRecord, namespace: string): KubeObject {
  const payload = gzipSync(Buffer.from(JSON.stringify(record), 'utf8')).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: releaseSecretName(record.revision),
      namespace,
      labels: { [RELEASE_OWNER_LABEL.key]: RELEASE_OWNER_LABEL.value, name: RELEASE_NAME, status: record.status, version: String(record.revision) },
    },
    type: RELEASE_SECRET_TYPE,
    data: { [PAYLOAD_KEY]: payload },
  };
}

/** The record a release Secret holds; throws naming the Secret when its payload is not one. */
export function fromReleaseSecret(secret: KubeObject): ReleaseRecord {
  const payload = (secret.data as Record<string, string> | undefined)?.[PAYLOAD_KEY];
  if (!payload) throw new Error(`release Secret ${secret.metadata.name} has no data.${PAYLOAD_KEY}`);
  let record: ReleaseRecord;
  try {
    record = JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString('utf8')) as ReleaseRecord;
  } catch (error) {
    throw new Error(`release Secret ${secret.metadata.name}: data.${PAYLOAD_KEY} is not gzip'd JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof record.revision !== 'number' || !Array.isArray(record.objects)) throw new Error(`release Secret ${secret.metadata.name} holds no release record`);
  return record;
}
