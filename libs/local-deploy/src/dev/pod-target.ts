import { NAMES } from '@llmops-rag/k8s-manifests';
import { findObject, type KubeObject } from '@llmops-rag/contract';
import { summarizePod } from '../diagnostics.js';
import { asPod, type KubeApi, type PodView } from '../kube.js';

/** The pods the loop forwards to and streams logs of, as the synthesized Deployment declares them. */
export interface PodTarget {
  namespace: string;
  /** Label selector of the Deployment's pods (`app=rag-api`). */
  selector: string;
  container: string;
  /** The container's port (the Service's targetPort). */
  containerPort: number;
}

/** The target from the synthesized objects: the Deployment's namespace and its app container's first port. */
export function podTarget(objects: readonly KubeObject[]): PodTarget {
  const deployment = findObject(objects, 'Deployment', NAMES.deployment);
  const containers = (deployment.spec as { template?: { spec?: { containers?: { name: string; ports?: { containerPort: number }[] }[] } } } | undefined)
    ?.template?.spec?.containers;
  const containerPort = containers?.find((c) => c.name === NAMES.container)?.ports?.[0]?.containerPort;
  if (!containerPort) throw new Error(`deployment/${NAMES.deployment} has no port on container ${NAMES.container}: nothing to forward to`);
  return { namespace: deployment.metadata.namespace ?? 'dev', selector: `app=${NAMES.app}`, container: NAMES.container, containerPort };
}

/**
 * The pods that can answer, best first: Ready pods not terminating, newest first (during a rollout the new code wins),
 * then Ready pods that are terminating (still draining: the app keeps serving for its drain seconds after SIGTERM), so
 * a pod on its way out is used only while no other pod is Ready, and never dropped while it still answers.
 */
export async function readyPods(api: KubeApi, target: PodTarget): Promise<PodView[]> {
  const pods = (await api.list('v1', 'Pod', target.namespace, target.selector)).map(asPod);
  const created = (p: PodView) => new Date(p.metadata.creationTimestamp ?? 0).getTime();
  const terminating = (p: PodView) => (p.metadata.deletionTimestamp ? 1 : 0);
  return pods
    .filter((p) => p.status?.phase === 'Running' && summarizePod(p).ready)
    .sort((a, b) => terminating(a) - terminating(b) || created(b) - created(a) || b.metadata.name.localeCompare(a.metadata.name));
}

/** A pod as the loop names it: `rag-api-6c9f-x2x`, or `rag-api-6c9f-x2x (terminating)` while it drains. */
export function podLabel(pod: PodView): string {
  return `${pod.metadata.name}${pod.metadata.deletionTimestamp ? ' (terminating)' : ''}`;
}
