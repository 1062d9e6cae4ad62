import type { Checklist } from '../checklist.js';
import { gatherClusterFacts, type ContextInfo } from '../cluster-kinds.js';
import { guardContext } from '../context-guard.js';
import type { ClusterDeps } from '../types.js';

/** The deploy's context guard for history and rollback: a recognised local cluster, or exactly the context --allow-context names. */
export async function localContextStep(
  checklist: Checklist,
  deps: Pick<ClusterDeps, 'runner' | 'out' | 'kubeContext'>,
  allowContext: string | undefined,
  verb: 'roll back' | 'read the releases of',
): Promise<ContextInfo> {
  return checklist.step('Kube context is local', async () => {
    const ctx = deps.kubeContext();
    const guard = guardContext(ctx, { mode: 'local' }, await gatherClusterFacts(deps.runner), allowContext, verb);
    if (guard.warning) deps.out.line(`  ⚠ ${guard.warning}`);
    return {
      detail: `${ctx?.name} → ${guard.cluster ? `${guard.cluster.kind} (${guard.cluster.target})` : 'unrecognised, allowed by flag'}`,
      value: ctx as ContextInfo,
    };
  });
}
