import { summarizePod, hopeless, type Diagnostics, type PodSummary } from './diagnostics.js';
import { asEvent, asPod, type KubeApi, type PodView } from './kube.js';
import type { KubeObject, Output } from './types.js';

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
  /** Injected for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type RolloutResult = { ok: true; detail: string; pods: PodSummary[] } | { ok: false; diagnostics: Diagnostics };

interface DeploymentView {
  metadata: { generation?: number };
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

/** kubectl rollout status's rule: the new ReplicaSet has every replica, all available, no old pods left. */
export function rolloutProgress(deployment: DeploymentView): { done: boolean; summary: string; deadlineExceeded: boolean } {
  const want = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  const observed = (s.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const total = s.replicas ?? 0;
  const done = observed && updated >= want && available >= want && total <= updated;
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
    if (!deployment) return { ok: false, diagnostics: await collectDiagnostics(api, target, `Deployment ${target.deployment} does not exist in ${target.namespace}`) };
    const progress = rolloutProgress(deployment as unknown as DeploymentView);
    const pods = (await listPods(api, target)).map(summarizePod);
    const elapsed = now() - started;
    if (progress.done && pods.some((p) => p.ready)) return { ok: true, detail: progress.summary, pods };

    const podLine = pods.map((p) => `${p.name} ${p.phase}${p.reasons.length ? `/${p.reasons.join(',')}` : ''}${p.ready ? ' Ready' : ''}`).join('; ');
    const line = `  rollout: ${progress.summary}${podLine ? ` — ${podLine}` : ''}`;
    if (line !== lastLine || now() - lastPrinted >= 10_000) {
      out.line(`${line} (${Math.round(elapsed / 1000)}s)`);
      lastLine = line;
      lastPrinted = now();
    }

    const stuck = pods.map((p) => ({ p, why: hopeless(p) })).find((x) => x.why);
    if (stuck) return { ok: false, diagnostics: await collectDiagnostics(api, target, `pod ${stuck.p.name}: ${stuck.why}`) };
    if (progress.deadlineExceeded) return { ok: false, diagnostics: await collectDiagnostics(api, target, 'the Deployment reports ProgressDeadlineExceeded') };
    if (elapsed >= options.timeoutMs) {
      return { ok: false, diagnostics: await collectDiagnostics(api, target, `timed out after ${Math.round(options.timeoutMs / 1000)}s (${progress.summary})`) };
    }
    await sleep(options.pollMs ?? 1000);
  }
}

export async function listPods(api: KubeApi, target: RolloutTarget): Promise<PodView[]> {
  const pods = (await api.list('v1', 'Pod', target.namespace, target.selector)).map(asPod);
  return pods.filter((p) => !p.metadata.deletionTimestamp);
}

/** Pods, the namespace's recent events and the last log lines of the worst pod. */
export async function collectDiagnostics(api: KubeApi, target: RolloutTarget, reason: string): Promise<Diagnostics> {
  const pods = (await listPods(api, target).catch(() => [])).map(summarizePod);
  const events = (await api.list('v1', 'Event', target.namespace).catch((): KubeObject[] => []))
    .map(asEvent)
    .sort((a, b) => eventTime(a) - eventTime(b))
    .slice(-12);
  const worst = [...pods].sort((a, b) => b.restarts - a.restarts || Number(a.ready) - Number(b.ready))[0];
  let logs: Diagnostics['logs'];
  if (worst) {
    const previous = worst.restarts > 0;
    const text = await api
      .logs(target.namespace, worst.name, target.container, { tailLines: 20, previous })
      .catch((error: unknown) => `(no logs: ${(error as Error).message?.split('\n')[0] ?? 'unavailable'})`);
    logs = { pod: worst.name, previous, lines: text.split('\n').filter((l) => l.trim()).slice(-20) };
  }
  return { reason, pods, events, namespace: target.namespace, ...(logs ? { logs } : {}) };
}

function eventTime(e: ReturnType<typeof asEvent>): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}
