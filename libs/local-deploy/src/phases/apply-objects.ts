import type { Runner } from '@llmops-rag/platform';
import { applyAll, prune } from '../apply.js';
import type { Checklist } from '../checklist.js';
import type { ContextInfo } from '../cluster-kinds.js';
import { withNamespaceRecord } from '../deploy-record.js';
import type { KubeApi } from '../kube.js';
import { ownershipLabel } from '../manifests.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { Output } from '../types.js';
import { setContextNamespace } from './set-context-namespace.js';

/**
 * Phase 5: the objects onto the cluster. Records on the Namespace what a later teardown reads (did the
 * deploy create it, what was the context's namespace), server-side applies everything, prunes what is no
 * longer synthesized, and points the context's default namespace at the app's. Returns what was applied.
 */
export async function applyObjects(
  api: KubeApi,
  runner: Runner,
  out: Output,
  checklist: Checklist,
  prepared: readonly KubeObject[],
  namespace: string,
  context: ContextInfo,
): Promise<KubeObject[]> {
  // The record a later teardown reads: did the deploy create the namespace, what was the context's namespace.
  const objects = await withNamespaceRecord(api, prepared, context);

  out.line(`\n▶ Apply to namespace ${namespace} (server-side apply)`);
  await checklist.step('Apply (server-side)', async () => {
    const applied = await applyAll(api, objects, out);
    const count = (a: string) => applied.filter((x) => x.action === a).length;
    return {
      detail: `${applied.length} objects: ${count('created')} created, ${count('configured')} configured, ${count('unchanged')} unchanged`,
      value: undefined,
    };
  });
  await checklist.step('Prune objects no longer synthesized', async () => {
    const pruned = await prune(api, objects, { namespace, label: ownershipLabel(objects) }, out);
    return { detail: pruned.length ? pruned.join(', ') : 'nothing to prune', value: undefined };
  });
  await checklist.step(`Context default namespace ${namespace}`, async () => ({
    detail: await setContextNamespace(runner, context, namespace),
    value: undefined,
  }));
  return objects;
}
