import type { ApplyOptions } from '../kube.js';
import type { KubeObject } from '@llmops-rag/contract';
import { key, pod, type FakeKube } from './fakes.js';

/** A pod's status (undefined: Running, Ready), fixed or decided per Deployment (e.g. by its pod template). */
export type PodStatusOf = Record<string, unknown> | ((deployment: KubeObject) => Record<string, unknown> | undefined);

/** How long the fake cluster takes, in its clock's milliseconds. */
export interface ControllerTiming {
  /** From a change of the Deployment to the controller acting on it (observedGeneration lags generation meanwhile). */
  lagMs: number;
  /** From a pod's creation (ContainerCreating) to its container's state (Ready, or the failing status). */
  startMs: number;
  /** How long a pod of a scaled-down ReplicaSet stays listed, terminating, before it is gone (the app's drain). */
  graceMs: number;
  /**
   * How long a terminating pod is still Ready: until its readiness probe sees the app's 503 (the probe's period at
   * most). 0 (default): not Ready from its deletionTimestamp on.
   */
  readyWhileTerminatingMs?: number;
}

export const CONTROLLER_TIMING: ControllerTiming = { lagMs: 200, startMs: 2000, graceMs: 5000 };

const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';
const POD_SUFFIXES = ['x2x', 'b7k', 'q4m', 'z9p', 'h3w'];

type Json = Record<string, unknown>;
interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}
const templateOf = (o: KubeObject): Template | undefined => (o.spec as { template?: Template } | undefined)?.template;
const uidOf = (o: KubeObject) => o.metadata.uid as string;
const ownedBy = (o: KubeObject, owner: KubeObject) =>
  ((o.metadata.ownerReferences as { uid?: string }[] | undefined) ?? []).some((r) => r.uid === uidOf(owner));
const terminating = (o: KubeObject) => Boolean(o.metadata.deletionTimestamp);

/** A ReplicaSet's template without the pod-template-hash label: what the controller compares with the Deployment's (EqualIgnoreHash). */
function withoutHash(template: Template | undefined): string {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH];
  return JSON.stringify(copy);
}

/**
 * The deployment controller, ReplicaSet controller and kubelet of one node, working on the fake's clock, for the
 * RollingUpdate the chart declares (maxSurge 1, maxUnavailable 0):
 * - an applied Deployment is acted on `lagMs` later (until then its status and ReplicaSets are the old ones);
 * - the ReplicaSet whose template is the Deployment's (ignoring `pod-template-hash`) is the new one: an old one
 *   with that template is scaled back up and gets the next revision, else one is created; the revision annotation
 *   of the Deployment follows it;
 * - a new pod is ContainerCreating for `startMs`, then Running and Ready, or `podStatus` (decided by its
 *   ReplicaSet's template, so one template can crash-loop while another is Ready);
 * - old ReplicaSets are scaled down only once the new one has every replica available; their pods stay listed,
 *   terminating (deletionTimestamp, not Ready), for `graceMs`, then go; a failed new ReplicaSet keeps its pod,
 *   without deletionTimestamp, until the controller acts on the next change;
 * - status as the API reports it: observedGeneration, replicas (pods not terminating), updatedReplicas,
 *   readyReplicas, availableReplicas, the Available and Progressing conditions.
 */
export function withDeploymentController(kube: FakeKube, podStatus?: PodStatusOf, timing: Partial<ControllerTiming> = {}): FakeKube {
  const t = { ...CONTROLLER_TIMING, ...timing };
  const apply = kube.apply.bind(kube);
  const hashes = new Map<string, string>();
  const podNames = new Map<string, number>();
  const now = () => new Date(Date.UTC(2025, 10, 29, 5) + kube.clock.now()).toISOString();

  kube.apply = async (object: KubeObject, manager: string, options?: ApplyOptions) => {
    const applied = await apply(object, manager, options);
    if (!options?.dryRun && object.kind === 'Deployment') later(applied.metadata.namespace as string, applied.metadata.name);
    return applied;
  };

  function later(namespace: string, name: string, ms = t.lagMs): void {
    kube.clock.at(kube.clock.now() + ms, () => sync(namespace, name));
  }

  /** Stores `object` as the controllers write it (no apply), only when it changed, as an update that changes nothing does not move resourceVersion. */
  function write(object: KubeObject, manager = 'kube-controller-manager'): void {
    const before = kube.objects.get(key(object.kind, object.metadata.namespace, object.metadata.name));
    const strip = (o: KubeObject | undefined) =>
      JSON.stringify(o ? { ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } } : undefined);
    if (strip(before) !== strip(object)) kube.put(object, before ? undefined : manager);
  }

  function listed(kind: string, namespace: string, owner: KubeObject): KubeObject[] {
    return [...kube.objects.values()].filter((o) => o.kind === kind && o.metadata.namespace === namespace && ownedBy(o, owner));
  }

  function sync(namespace: string, name: string): void {
    const deployment = kube.objects.get(key('Deployment', namespace, name));
    if (!deployment || terminating(deployment)) return;
    const template = templateOf(deployment);
    const want = (deployment.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    const owned = listed('ReplicaSet', namespace, deployment).filter((rs) => !terminating(rs));
    const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
    const newest = Math.max(0, ...owned.map(revisionOf));
    let current = owned.find((rs) => withoutHash(templateOf(rs)) === withoutHash(template));
    if (!current) current = createReplicaSet(deployment, newest + 1);
    else if (revisionOf(current) < newest)
      current = { ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [REVISION]: String(newest + 1) } } };
    scale(current, want);
    const currentAvailable = activePods(current).filter(isReady).length;
    for (const old of owned.filter((rs) => rs.metadata.name !== current?.metadata.name)) {
      scale(old, currentAvailable >= want ? 0 : ((old.spec as { replicas?: number }).replicas ?? 0));
    }
    const all = listed('ReplicaSet', namespace, deployment).filter((rs) => !terminating(rs));
    const fresh = all.find((rs) => rs.metadata.name === current?.metadata.name) as KubeObject;
    const count = (rss: KubeObject[], f: (p: KubeObject) => boolean = () => true) => rss.reduce((n, rs) => n + activePods(rs).filter(f).length, 0);
    const replicas = count(all);
    const available = count(all, isReady);
    const updated = count([fresh]);
    const complete = updated >= want && replicas <= updated && available >= updated;
    write({
      ...deployment,
      metadata: { ...deployment.metadata, annotations: { ...deployment.metadata.annotations, [REVISION]: fresh.metadata.annotations?.[REVISION] as string } },
      status: {
        observedGeneration: deployment.metadata.generation,
        replicas,
        updatedReplicas: updated,
        readyReplicas: available,
        availableReplicas: available,
        ...(replicas > available ? { unavailableReplicas: replicas - available } : {}),
        conditions: [
          {
            type: 'Available',
            status: available >= want ? 'True' : 'False',
            reason: available >= want ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            message: `ReplicaSet "${fresh.metadata.name}" ${complete ? 'has successfully progressed' : 'is progressing'}.`,
          },
        ],
      },
    });
  }

  function createReplicaSet(deployment: KubeObject, revision: number): KubeObject {
    const template = templateOf(deployment) ?? {};
    const json = withoutHash(template);
    const hash = hashes.get(json) ?? (hashes.size === 0 ? '6c9f' : `6c9f${hashes.size + 1}`);
    hashes.set(json, hash);
    const labels = { ...template.metadata?.labels, [HASH]: hash };
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${deployment.metadata.name}-${hash}`,
        namespace: deployment.metadata.namespace as string,
        labels,
        annotations: { [REVISION]: String(revision) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, uid: uidOf(deployment), controller: true }],
      },
      spec: { replicas: 0, template: { ...template, metadata: { ...template.metadata, labels } } },
    };
  }

  function activePods(rs: KubeObject): KubeObject[] {
    return listed('Pod', rs.metadata.namespace as string, rs).filter((p) => !terminating(p));
  }

  /** The ReplicaSet controller: as many pods as replicas (new ones created, extra ones terminated), and its status. */
  function scale(replicaSet: KubeObject, replicas: number): void {
    write({ ...replicaSet, spec: { ...(replicaSet.spec as Json), replicas } });
    const rs = kube.objects.get(key('ReplicaSet', replicaSet.metadata.namespace, replicaSet.metadata.name)) as KubeObject;
    const active = activePods(rs);
    for (let i = active.length; i < replicas; i++) createPod(rs);
    for (const extra of active.slice(replicas)) terminate(extra, rs);
    const ready = activePods(rs).filter(isReady).length;
    write({ ...rs, status: { replicas: activePods(rs).length, readyReplicas: ready, availableReplicas: ready } });
  }

  function createPod(rs: KubeObject): void {
    const namespace = rs.metadata.namespace as string;
    const n = podNames.get(uidOf(rs)) ?? 0;
    podNames.set(uidOf(rs), n + 1);
    const name = `${rs.metadata.name}-${POD_SUFFIXES[n] ?? `p${n}`}`;
    const created = pod(
      name,
      { phase: 'Pending', containerStatuses: [{ name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] },
      namespace,
    );
    created.metadata.labels = { ...templateOf(rs)?.metadata?.labels };
    withTemplateResources(created, templateOf(rs));
    created.metadata.creationTimestamp = now();
    created.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: uidOf(rs), controller: true }];
    kube.put(created, 'kubelet');
    kube.clock.at(kube.clock.now() + t.startMs, () => {
      const live = kube.objects.get(key('Pod', namespace, name));
      if (!live || terminating(live)) return;
      const status = typeof podStatus === 'function' ? podStatus({ ...rs, kind: 'Deployment', spec: { template: templateOf(rs) } }) : podStatus;
      write({ ...live, status: pod(name, status ?? {}, namespace).status });
      const owner = ((rs.metadata.ownerReferences as { name: string }[] | undefined) ?? [])[0];
      if (owner) later(namespace, owner.name);
    });
  }

  /**
   * A pod being deleted: listed, Running, with a deletionTimestamp, for its grace period; then gone. Not Ready from
   * then on, or after `readyWhileTerminatingMs` (its readiness probe still passing until the app's drain fails it).
   */
  function terminate(p: KubeObject, rs: KubeObject): void {
    const status = p.status as { containerStatuses?: Json[] } | undefined;
    const namespace = rs.metadata.namespace as string;
    const notReady = { ...status, containerStatuses: (status?.containerStatuses ?? []).map((c) => ({ ...c, ready: false })) };
    const stillReady = (t.readyWhileTerminatingMs ?? 0) > 0;
    write({ ...p, metadata: { ...p.metadata, deletionTimestamp: now() }, status: stillReady ? status : notReady });
    if (stillReady) {
      kube.clock.at(kube.clock.now() + (t.readyWhileTerminatingMs ?? 0), () => {
        const live = kube.objects.get(key('Pod', namespace, p.metadata.name));
        if (live) write({ ...live, status: notReady });
      });
    }
    kube.clock.at(kube.clock.now() + t.graceMs, () => {
      kube.objects.delete(key('Pod', namespace, p.metadata.name));
      kube.endLogs(namespace, p.metadata.name);
    });
  }

  return kube;
}

type ContainerSpec = { name: string; resources?: Json };

/** The pod carries its template's container resources (requests, limits), as a pod the ReplicaSet controller creates does. */
function withTemplateResources(created: KubeObject, template: Template | undefined): void {
  const containers = (template?.spec as { containers?: ContainerSpec[] } | undefined)?.containers ?? [];
  for (const container of (created.spec as { containers: ContainerSpec[] }).containers) {
    const resources = containers.find((c) => c.name === container.name)?.resources;
    if (resources) container.resources = structuredClone(resources);
  }
}

function isReady(p: KubeObject): boolean {
  const statuses = (p.status as { containerStatuses?: { ready?: boolean }[] } | undefined)?.containerStatuses ?? [];
  return statuses.length > 0 && statuses.every((c) => c.ready);
}
