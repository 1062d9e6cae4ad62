import { summarizePod, hopeless, type Diagnostics, type PodSummary } from './diagnostics.js';
import { apiMessage } from './apply.js';
import { asEvent, asPod, type KubeApi, type PodView } from './kube.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { Output } from './types.js';

const REVISION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH = 'pod-template-hash';

export interface RolloutTarget {
  namespace: string;
  deployment: string;
  /** Label selector of its pods, e.g. `app=rag-api`. */
  selector: string;
  container: string;
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  /** The command that loads the image into this cluster, for the ErrImageNeverPull fix. */
  imageLoadHint?: string;
  /** Injected for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type RolloutResult = { ok: true; detail: string; pods: PodSummary[] } | { ok: false; diagnostics: Diagnostics };

interface DeploymentView {
  metadata: { name?: string; uid?: string; generation?: number; annotations?: Record<string, string> };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

interface ReplicaSetView {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid?: string }[];
  };
  status?: { availableReplicas?: number };
}

/**
 * The Deployment's current ReplicaSet: owned by it and of its revision.
 * Undefined while the controller has not observed the latest spec yet.
 */
export function newReplicaSet(deployment: DeploymentView, replicaSets: readonly ReplicaSetView[]): ReplicaSetView | undefined {
  const observed = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
  const revision = deployment.metadata.annotations?.[REVISION];
  if (!observed || !revision) return undefined;
  return replicaSets.find(
    (rs) =>
      rs.metadata.annotations?.[REVISION] === revision &&
      (rs.metadata.ownerReferences ?? []).some(
        (o) => o.kind === 'Deployment' && (deployment.metadata.uid && o.uid ? o.uid === deployment.metadata.uid : o.name === deployment.metadata.name),
      ),
  );
}

/**
 * kubectl rollout status's rule (the new ReplicaSet has every replica, no old
 * pods left), but "available" counts only the new ReplicaSet's pods: the
 * Deployment's own availableReplicas includes old pods still serving while
 * the new one is ContainerCreating.
 */
export function rolloutProgress(
  deployment: DeploymentView,
  current: ReplicaSetView | undefined,
): { done: boolean; summary: string; deadlineExceeded: boolean } {
  const want = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  const observed = (s.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
  const updated = observed ? (s.updatedReplicas ?? 0) : 0;
  const available = current?.status?.availableReplicas ?? 0;
  const total = s.replicas ?? 0;
  const done = observed && current !== undefined && updated >= want && available >= want && total <= updated;
  const deadlineExceeded = (s.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  const old = total > updated ? `, ${total - updated} old pending termination` : '';
  return { done, deadlineExceeded, summary: `${updated}/${want} updated, ${available}/${want} available${old}` };
}

/**
 * Waits for the Deployment's rollout, printing progress when it changes (and
 * every 10s). Ends early when a pod is in a state waiting cannot fix
 * (ErrImageNeverPull, repeated CrashLoopBackOff…); on failure returns the
 * diagnostics a person would collect by hand.
 */
export async function waitForRollout(api: KubeApi, target: RolloutTarget, options: WaitOptions, out: Output): Promise<RolloutResult> {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  let lastLine = '';
  let lastPrinted = started;
  for (;;) {
    const deployment = await api.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: target.deployment, namespace: target.namespace });
    if (!deployment)
      return {
        ok: false,
        diagnostics: await collectDiagnostics(api, target, `Deployment ${target.deployment} does not exist in ${target.namespace}`, options.imageLoadHint),
      };
    const view = deployment as unknown as DeploymentView;
    const current = newReplicaSet(view, (await api.list('apps/v1', 'ReplicaSet', target.namespace, target.selector)) as unknown as ReplicaSetView[]);
    const progress = rolloutProgress(view, current);
    const podViews = await listPods(api, target);
    const pods = podViews.map(summarizePod);
    const currentHash = current?.metadata.labels?.[TEMPLATE_HASH];
    const isOld = (p: PodView) => currentHash !== undefined && p.metadata.labels?.[TEMPLATE_HASH] !== currentHash;
    const elapsed = now() - started;
    if (progress.done && pods.some((p) => p.ready)) return { ok: true, detail: progress.summary, pods };

    const podLine = pods
      .map(
        (p, i) =>
          `${p.name} ${p.phase}${p.reasons.length ? `/${p.reasons.join(',')}` : ''}${p.ready ? ' Ready' : ''}${isOld(podViews[i] as PodView) ? ' (old)' : ''}`,
      )
      .join('; ');
    const line = `  rollout: ${progress.summary}${podLine ? ` — ${podLine}` : ''}`;
    if (line !== lastLine || now() - lastPrinted >= 10_000) {
      out.line(`${line} (${Math.round(elapsed / 1000)}s)`);
      lastLine = line;
      lastPrinted = now();
    }

    const stuck = pods.map((p) => ({ p, why: hopeless(p) })).find((x) => x.why);
    if (stuck) return { ok: false, diagnostics: await collectDiagnostics(api, target, `pod ${stuck.p.name}: ${stuck.why}`, options.imageLoadHint) };
    if (progress.deadlineExceeded)
      return { ok: false, diagnostics: await collectDiagnostics(api, target, 'the Deployment reports ProgressDeadlineExceeded', options.imageLoadHint) };
    if (elapsed >= options.timeoutMs) {
      return {
        ok: false,
        diagnostics: await collectDiagnostics(
          api,
          target,
          `timed out after ${Math.round(options.timeoutMs / 1000)}s (${progress.summary})`,
          options.imageLoadHint,
        ),
      };
    }
    await sleep(options.pollMs ?? 1000);
  }
}

export async function listPods(api: KubeApi, target: RolloutTarget): Promise<PodView[]> {
  const pods = (await api.list('v1', 'Pod', target.namespace, target.selector)).map(asPod);
  return pods.filter((p) => !p.metadata.deletionTimestamp);
}

/** Pods, the namespace's recent events and the last log lines of the worst pod. */
export async function collectDiagnostics(api: KubeApi, target: RolloutTarget, reason: string, imageLoadHint?: string): Promise<Diagnostics> {
  const podViews = await listPods(api, target).catch((): PodView[] => []);
  const pods = podViews.map(summarizePod);
  const events = (await api.list('v1', 'Event', target.namespace).catch((): KubeObject[] => []))
    .map(asEvent)
    .sort((a, b) => eventTime(a) - eventTime(b))
    .slice(-12);
  const worst = [...pods].sort((a, b) => b.restarts - a.restarts || Number(a.ready) - Number(b.ready))[0];
  let logs: Diagnostics['logs'];
  if (worst) {
    const previous = worst.restarts > 0;
    const status = podViews.find((p) => p.metadata.name === worst.name)?.status?.containerStatuses?.find((c) => c.name === target.container);
    const waiting = status?.state?.waiting;
    const lines =
      !previous && waiting
        ? // Never started: there are no logs to fetch, and the API would only answer 400 saying so.
          [`(no logs: container ${target.container} has not started: ${waiting.reason ?? 'waiting'}${waiting.message ? ` — ${waiting.message}` : ''})`]
        : await api
            .logs(target.namespace, worst.name, target.container, { tailLines: 20, previous })
            .then((text) => text.split('\n'))
            .catch((error: unknown) => [`(no logs: ${apiMessage(error)})`]);
    logs = { pod: worst.name, previous, lines: lines.filter((l) => l.trim()).slice(-20) };
  }
  return { reason, pods, events, namespace: target.namespace, ...(logs ? { logs } : {}), ...(imageLoadHint ? { imageLoadHint } : {}) };
}

function eventTime(e: ReturnType<typeof asEvent>): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}
