import { FIELD_MANAGER, managedBy } from './apply.js';
import { Checklist, formatChecklist } from './checklist.js';
import { gatherClusterFacts, type ContextInfo } from './cluster-kinds.js';
import { guardContext } from './context-guard.js';
import { readDeployRecord, type DeployRecord } from './deploy-record.js';
import type { KubeApi } from './kube.js';
import { holdNamespace, type HeldLock } from './lock/hold.js';
import { PreflightError } from './preflight-error.js';
import { describeForeign, foreignObjects, type Removed } from './namespace-contents.js';
import { requireTools } from './preflight.js';
import { tail, type Runner } from '@llmops-rag/platform';
import { PRUNABLE_KINDS, type KubeObject } from '@llmops-rag/contract';
import type { ClusterDeps, Output } from './types.js';
import { waitUntilGone, type Deleting } from './wait-gone.js';
import { isReleaseSecret, RELEASE_MANAGER, RELEASE_OWNER_LABEL } from './release/record.js';

/** Namespaces no teardown deletes, whatever the flags. */
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export interface TeardownOptions {
  namespace: string;
  /** The label the deploy's objects carry, e.g. app.kubernetes.io/part-of=llmops-rag. */
  label: { key: string; value: string };
  allowContext?: string;
  timeoutMs: number;
  /** Delete the namespace even when it holds objects the deploy did not apply, or the deploy did not create it (they are listed first). */
  deleteNamespace?: boolean;
  /** Wait up to `timeoutMs` for another operation's lock (default), or refuse at once (--no-wait). */
  wait?: boolean;
}

export type TeardownDeps = ClusterDeps;

/**
 * Removes what the deploy created, on the same local clusters it deploys to, under the namespace's lock (a deploy
 * or rollback running there is waited for, never torn down under its feet):
 * 1. the app's objects (the app label and this deploy's field manager), and the release history the deploy
 *    recorded (its release Secrets, written by the release field manager), as `helm uninstall` deletes it,
 *    waiting until they are gone (a Deployment goes after its pods);
 * 2. the namespace, only when the deploy created it (its record on the
 *    namespace says so) and nothing the deploy did not apply is left in it;
 *    otherwise it is kept and what remains is listed. `deleteNamespace`
 *    deletes it anyway, after listing what goes with it;
 * 3. the context's default namespace, set back to exactly what the deploy
 *    recorded (an unset namespace is unset again, not set to `default`).
 */
export async function runTeardown(options: TeardownOptions, deps: TeardownDeps): Promise<{ ok: boolean; checklist: Checklist }> {
  const { runner, out } = deps;
  const checklist = new Checklist();
  const context = await checklist.step('Kube context is local', async () => {
    requireTools(runner, ['kubectl']);
    const ctx = deps.kubeContext();
    const guard = guardContext(ctx, { mode: 'local' }, await gatherClusterFacts(runner), options.allowContext, 'tear down');
    if (guard.warning) out.line(`  ⚠ ${guard.warning}`);
    return { detail: `${ctx?.name} → ${guard.cluster?.kind ?? 'allowed by flag'}`, value: ctx as ContextInfo };
  });
  const api = deps.kubeApi();
  const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: options.namespace };
  const waitMs = options.wait === false ? 0 : options.timeoutMs;
  let held: HeldLock | undefined;
  try {
    held = await holdNamespace(api, out, checklist, { namespace: options.namespace, command: 'teardown', waitMs }, deps.lock);
    // Read before anything is deleted: the record lives on the namespace.
    const namespace = await api.get(nsRef);
    const record = readDeployRecord(namespace);

    const removed = await checklist.step(`App objects in ${options.namespace}`, async () => {
      held?.lock?.assertHeld();
      const deleted = await deleteAppObjects(api, options, out);
      const history = await deleteReleaseHistory(api, options.namespace, out);
      const tookMs = await waitUntilGone(
        api,
        deleted.deleting,
        deps,
        options.timeoutMs,
        `\`kubectl get all -n ${options.namespace}\` shows what is left; a stuck finalizer is the usual cause`,
      );
      const all = { refs: new Set([...deleted.refs, ...history.refs]), uids: new Set([...deleted.uids, ...history.uids]) };
      const records = history.refs.size ? `, ${history.refs.size} release record${history.refs.size === 1 ? '' : 's'}` : '';
      const gone = deleted.deleting.length && tookMs >= 1000 ? ` (gone after ${Math.round(tookMs / 1000)}s)` : '';
      return { detail: deleted.refs.size ? `${deleted.refs.size} deleted${gone}${records}` : `none left${records}`, value: all };
    });

    await checklist.step(`Namespace ${options.namespace}`, async () => ({
      detail: await removeNamespace(api, namespace, record, removed, options, deps),
      value: undefined,
    }));

    await checklist.step('Context default namespace', async () => ({
      detail: await restoreContextNamespace(runner, context, record, options.namespace),
      value: undefined,
    }));
  } catch (error) {
    if (error instanceof PreflightError) throw error; // the lock was held by another operation: nothing was changed
    out.line(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await held?.release();
  }
  out.line(`\n${formatChecklist(checklist.results, 'Teardown checklist')}`);
  return { ok: !checklist.failed, checklist };
}

/** Step 1: only objects with the app label that this deploy's field manager applied. Says which are gone and which are still going. */
async function deleteAppObjects(api: KubeApi, options: TeardownOptions, out: Output): Promise<Removed & { deleting: Deleting[] }> {
  const selector = `${options.label.key}=${options.label.value}`;
  const refs = new Set<string>();
  const uids = new Set<string>();
  const deleting: Deleting[] = [];
  for (const { apiVersion, kind } of PRUNABLE_KINDS) {
    const objects = await api.list(apiVersion, kind, options.namespace, selector).catch((e: { code?: number }) => {
      if (e.code === 404) return [];
      throw e;
    });
    for (const object of objects.filter((o) => managedBy(o, FIELD_MANAGER))) {
      const ref = { apiVersion, kind, name: object.metadata.name, namespace: options.namespace };
      await api.delete(ref);
      refs.add(`${kind}/${object.metadata.name}`);
      const uid = typeof object.metadata.uid === 'string' ? object.metadata.uid : undefined;
      if (uid) uids.add(uid);
      const still = await api.get(ref);
      const going = still !== undefined && (uid === undefined || still.metadata.uid === uid);
      if (going) deleting.push({ ref, ...(uid ? { uid } : {}) });
      out.line(`  ${kind.toLowerCase()}/${object.metadata.name} ${going ? 'deleting (what it owns goes first)' : 'deleted'}`);
    }
  }
  return { refs, uids, deleting };
}

/** Step 1b: the release Secrets the deploy recorded (type and field manager both the release's), deleted with the app. */
async function deleteReleaseHistory(api: KubeApi, namespace: string, out: Output): Promise<Removed> {
  const refs = new Set<string>();
  const uids = new Set<string>();
  const secrets = await api.list('v1', 'Secret', namespace, `${RELEASE_OWNER_LABEL.key}=${RELEASE_OWNER_LABEL.value}`);
  for (const secret of secrets.filter((s) => isReleaseSecret(s) && managedBy(s, RELEASE_MANAGER))) {
    await api.delete({ apiVersion: 'v1', kind: 'Secret', name: secret.metadata.name, namespace });
    refs.add(`Secret/${secret.metadata.name}`);
    if (typeof secret.metadata.uid === 'string') uids.add(secret.metadata.uid);
    out.line(`  secret/${secret.metadata.name} deleted (release record)`);
  }
  return { refs, uids };
}

/**
 * Step 2: delete the namespace only when that deletes nothing but what the deploy made. Also how a failed
 * first deploy removes the namespace it created.
 */
export async function removeNamespace(
  api: KubeApi,
  namespace: KubeObject | undefined,
  record: DeployRecord,
  removed: Removed,
  options: Pick<TeardownOptions, 'namespace' | 'timeoutMs' | 'deleteNamespace'>,
  deps: Pick<TeardownDeps, 'out' | 'clock'>,
): Promise<string> {
  const { out } = deps;
  const name = options.namespace;
  if (!namespace) return 'already gone';
  const listed = await api.listNamespace(name);
  const foreign = foreignObjects(listed.objects, removed);
  const list = () => {
    for (const object of foreign) out.line(`    ${describeForeign(object)}`);
    for (const group of listed.unreadable) out.line(`    (could not list ${group})`);
  };
  const remaining = foreign.length + listed.unreadable.length;
  const what = `${foreign.length} object${foreign.length === 1 ? '' : 's'} the deploy did not apply${listed.unreadable.length ? `, ${listed.unreadable.length} API group(s) unreadable` : ''}`;

  if (SYSTEM_NAMESPACES.has(name)) {
    out.line(`  namespace ${name} is a system namespace: never deleted`);
    return 'system namespace: kept';
  }
  if (record.createdByDeploy && remaining === 0) {
    await deleteAndWait(api, name, deps, options.timeoutMs);
    return 'deleted (created by the deploy, nothing else in it)';
  }
  const why = record.createdByDeploy ? `holds ${what}` : 'was not created by the deploy';
  if (options.deleteNamespace) {
    out.line(`  namespace ${name} ${why}; --delete-namespace deletes it with everything in it:`);
    list();
    await deleteAndWait(api, name, deps, options.timeoutMs);
    return `deleted with ${what} (--delete-namespace)`;
  }
  out.line(`  namespace ${name} ${why}: kept${remaining ? '. Still in it:' : ''}`);
  list();
  out.line(`  fix: to delete namespace ${name} and everything in it, run the teardown again with --delete-namespace`);
  return record.createdByDeploy ? `kept: ${what} (listed above)` : `kept: not created by the deploy${foreign.length ? `, ${what}` : ''}`;
}

async function deleteAndWait(api: KubeApi, name: string, deps: Pick<TeardownDeps, 'out' | 'clock'>, timeoutMs: number): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name };
  await api.delete(ref);
  deps.out.line(`  namespace/${name} deleting (waits for its pods to stop)…`);
  await waitUntilGone(api, [{ ref }], deps, timeoutMs, `\`kubectl get all -n ${name}\` shows what is left; a stuck finalizer is the usual cause`);
}

/** Step 3: back to what the context had before the deploy, from the record on the namespace. */
async function restoreContextNamespace(runner: Runner, context: ContextInfo, record: DeployRecord, namespace: string): Promise<string> {
  if (context.namespace !== namespace) return `is ${context.namespace ?? 'unset'}, not ${namespace}: unchanged`;
  if (!(context.name in record.previousNamespaces)) {
    return `left at ${namespace}: no record of what it was before the deploy (fix: \`kubectl config set-context ${context.name} --namespace=<namespace>\`)`;
  }
  const before = record.previousNamespaces[context.name] ?? null;
  // An empty --namespace= removes the field from the kubeconfig: "unset", not "default".
  const result = await runner.run('kubectl', ['config', 'set-context', context.name, `--namespace=${before ?? ''}`], { timeoutMs: 15_000 });
  if (result.code !== 0) throw new Error(`kubectl config set-context ${context.name} --namespace=${before ?? ''} failed: ${tail(result, 3)}`);
  return before === null ? `unset again on ${context.name} (as before the deploy)` : `restored to ${before} on ${context.name}`;
}
