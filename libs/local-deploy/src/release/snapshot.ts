import { pruneCandidates, type PruneScope } from '../apply.js';
import type { ContextInfo } from '../cluster-kinds.js';
import type { KubeApi } from '../kube.js';
import { refOf } from '../types.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { ReleaseRecord } from './record.js';

/** `Kind/namespace/name`: one object, whatever its apiVersion. */
export const objectKey = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * The cluster as it was just before a deploy applied anything, in memory only (it holds the live Secret's
 * values): what an atomic deploy restores when the rollout fails.
 */
export interface Snapshot {
  /** The release restored, when one was recorded (its objects are clean apply configurations). */
  previous?: ReleaseRecord;
  /** Live copies of every object the deploy applies or prunes, by objectKey; absent: it did not exist. */
  live: Map<string, KubeObject>;
  /** What the deploy's prune step is about to delete (live copies). */
  pruned: KubeObject[];
  /** What the deploy applies (keys and kinds; values as prepared). */
  touched: KubeObject[];
  namespace: string;
  /** The kube context as it was before the deploy (its default namespace may be switched by the deploy). */
  context: ContextInfo;
}

export async function takeSnapshot(
  api: KubeApi,
  objects: readonly KubeObject[],
  scope: PruneScope,
  context: ContextInfo,
  previous: ReleaseRecord | undefined,
): Promise<Snapshot> {
  const live = new Map<string, KubeObject>();
  for (const object of objects) {
    const found = await api.get(refOf(object));
    if (found) live.set(objectKey(object), { ...found, apiVersion: object.apiVersion, kind: object.kind });
  }
  const pruned = await pruneCandidates(api, objects, scope);
  for (const object of pruned) live.set(objectKey(object), object);
  return { ...(previous ? { previous } : {}), live, pruned, touched: [...objects], namespace: scope.namespace, context };
}

/** Server-maintained metadata and controller annotations: never part of what a deploy applies. */
const SERVER_FIELDS = ['uid', 'resourceVersion', 'managedFields', 'generation', 'creationTimestamp', 'deletionTimestamp', 'selfLink'];
const CONTROLLER_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration'];

/** A live object as an apply configuration: without status and what the API server and controllers maintain. */
export function asApplyConfiguration(live: KubeObject): KubeObject {
  const { status: _status, metadata, ...rest } = structuredClone(live);
  const meta: Record<string, unknown> = { ...metadata };
  for (const field of SERVER_FIELDS) delete meta[field];
  const annotations = { ...(metadata.annotations ?? {}) };
  for (const a of CONTROLLER_ANNOTATIONS) delete annotations[a];
  if (Object.keys(annotations).length) meta.annotations = annotations;
  else delete meta.annotations;
  return { ...rest, metadata: meta as KubeObject['metadata'] };
}
