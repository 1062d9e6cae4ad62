import { tail, type Runner } from '@llmops-rag/platform';
import { FIELD_MANAGER } from '../apply.js';
import type { Clock } from '../clock.js';
import { readDeployRecord } from '../deploy-record.js';
import type { KubeApi } from '../kube.js';
import { sortForApply } from '../manifests.js';
import { removeNamespace } from '../teardown.js';
import { refOf, type Output } from '../types.js';
import type { KubeObject } from '@llmops-rag/contract';
import { asApplyConfiguration, objectKey, type Snapshot } from './snapshot.js';

export interface Restored {
  /** `kind/name` applied back to what it was. */
  restored: string[];
  /** `kind/name` applied back, already as it was (the failed deploy had not changed it). */
  unchanged: string[];
  /** `kind/name` the failed deploy had pruned (or that was gone), created again. */
  recreated: string[];
  /** `kind/name` the failed deploy created, deleted again. */
  deleted: string[];
  /** What happened to the namespace, when the failed deploy created it. */
  namespace?: string;
  /** What happened to the context's default namespace, when the failed deploy switched it. */
  contextNamespace?: string;
  /** The Deployments restored: their rollout must be waited for. */
  deployments: string[];
}

export interface RestoreDeps {
  runner: Runner;
  out: Output;
  /** Time for the wait until a namespace the failed deploy created is gone (tests: a virtual one). */
  clock?: Clock | undefined;
}

/**
 * Puts the cluster back as it was before a failed deploy, by server-side apply as the deploy's own field
 * manager (so the fields the failed apply added, which no earlier apply sent, are removed):
 * - every object the deploy applied or pruned that existed before: the previous release's configuration when
 *   one was recorded, else the live copy taken before the apply; a Secret's values always come from that live
 *   copy (a release records no values);
 * - what the deploy created is deleted; a namespace it created goes too, as teardown would delete it (only
 *   when nothing the deploy did not apply is in it; otherwise it is kept and what remains is listed);
 * - a context default namespace the deploy switched is switched back.
 */
export async function restoreSnapshot(api: KubeApi, deps: RestoreDeps, snapshot: Snapshot, timeoutMs: number): Promise<Restored> {
  const { out } = deps;
  const result: Restored = { restored: [], unchanged: [], recreated: [], deleted: [], deployments: [] };
  const wanted = restoreSet(snapshot);
  for (const object of sortForApply([...wanted.values()])) {
    const existed = await api.get(refOf(object));
    const after = await api.apply(object, FIELD_MANAGER);
    const name = `${object.kind.toLowerCase()}/${object.metadata.name}`;
    const changed = existed?.metadata.resourceVersion !== after.metadata.resourceVersion;
    (!existed ? result.recreated : changed ? result.restored : result.unchanged).push(name);
    out.line(`  ${name} ${!existed ? 're-created' : changed ? 'restored' : 'unchanged (the failed deploy had not changed it)'}`);
    if (object.kind === 'Deployment') result.deployments.push(object.metadata.name);
  }

  const created = snapshot.touched.filter((o) => !snapshot.live.has(objectKey(o)) && !wanted.has(objectKey(o)));
  const refs = new Set<string>();
  const uids = new Set<string>();
  for (const object of sortForApply(created.filter((o) => o.kind !== 'Namespace')).reverse()) {
    const live = await api.get(refOf(object));
    if (!live || !(await api.delete(refOf(object)))) continue;
    refs.add(`${object.kind}/${object.metadata.name}`);
    if (typeof live.metadata.uid === 'string') uids.add(live.metadata.uid);
    result.deleted.push(`${object.kind.toLowerCase()}/${object.metadata.name}`);
    out.line(`  ${object.kind.toLowerCase()}/${object.metadata.name} deleted (this deploy created it)`);
  }

  if (created.some((o) => o.kind === 'Namespace')) {
    const namespace = await api.get({ apiVersion: 'v1', kind: 'Namespace', name: snapshot.namespace });
    result.namespace = await removeNamespace(api, namespace, readDeployRecord(namespace), { refs, uids }, { namespace: snapshot.namespace, timeoutMs }, deps);
  }

  const before = snapshot.context.namespace;
  if (before !== snapshot.namespace) {
    const args = ['config', 'set-context', snapshot.context.name, `--namespace=${before ?? ''}`];
    const set = await deps.runner.run('kubectl', args, { timeoutMs: 15_000 });
    result.contextNamespace =
      set.code === 0
        ? `${before === undefined ? 'unset again' : `back to ${before}`} on ${snapshot.context.name}`
        : `left at ${snapshot.namespace}: kubectl ${args.join(' ')} failed: ${tail(set, 2)}`;
    out.line(`  context ${snapshot.context.name} default namespace ${result.contextNamespace}`);
  }
  return result;
}

/** By objectKey, what to apply back: the previous release, plus the live copy of anything else the deploy touched that existed. */
function restoreSet(snapshot: Snapshot): Map<string, KubeObject> {
  const wanted = new Map<string, KubeObject>();
  for (const object of snapshot.previous?.objects ?? []) wanted.set(objectKey(object), structuredClone(object));
  for (const object of [...snapshot.touched, ...snapshot.pruned]) {
    const live = snapshot.live.get(objectKey(object));
    if (live && !wanted.has(objectKey(object))) wanted.set(objectKey(object), asApplyConfiguration(live));
  }
  // A Secret's values: never in a release, so from the live copy; one that was not live has none to restore.
  for (const [key, object] of wanted) {
    if (object.kind !== 'Secret') continue;
    const live = snapshot.live.get(key);
    if (!live) wanted.delete(key);
    else wanted.set(key, { ...object, data: structuredClone(live.data ?? {}) } as KubeObject);
  }
  return wanted;
}
