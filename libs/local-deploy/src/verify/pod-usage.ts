import { parseQuantity } from '@llmops-rag/contract';
import { formatDuration } from '../checklist.js';
import { systemClock, type Clock } from '../clock.js';
import { KubeApiError, type KubeApi } from '../kube.js';
import type { RolloutTarget } from '../rollout.js';
import type { Output } from '../types.js';
import type { Usage } from './usage-figures.js';

/** The pods to measure: their namespace, label selector and the app container (a RolloutTarget or the dev loop's PodTarget). */
export type UsageTarget = Pick<RolloutTarget, 'namespace' | 'selector' | 'container'>;

/** metrics-server's API, what `kubectl top` reads. */
export const METRICS_API = 'metrics.k8s.io/v1beta1';

const PROGRESS_EVERY_MS = 15_000;

/** What one read of the metrics API said about a pod. */
export type UsageRead =
  | { kind: 'sample'; usage: Usage }
  /** The API answers, but has no sample of the pod yet (metrics-server reports a pod once it has scraped it twice: CPU is a rate). */
  | { kind: 'no-sample' }
  /** The pod is gone (replaced by a newer rollout, or evicted): no sample will come. */
  | { kind: 'gone' }
  /** No metrics API on this cluster (404 on the group): no metrics-server. */
  | { kind: 'absent'; message: string }
  /** Registered but not answering now (503: metrics-server starting or failing), or any other API error. */
  | { kind: 'unavailable'; message: string; retry: boolean };

/** `kubectl top pod -l <selector>`, for the one pod and container: its CPU and memory, or why there is none. */
export async function readPodUsage(api: KubeApi, target: UsageTarget, pod: string): Promise<UsageRead> {
  let items;
  try {
    items = await api.list(METRICS_API, 'PodMetrics', target.namespace, target.selector);
  } catch (error) {
    const code = error instanceof KubeApiError ? error.code : undefined;
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    if (code === 404) return { kind: 'absent', message };
    return { kind: 'unavailable', message: `${code ? `${code} ` : ''}${message}`, retry: code === 503 };
  }
  const sample = items.find((item) => item.metadata.name === pod);
  const usage = (sample?.containers as { name: string; usage?: { cpu?: string; memory?: string } }[] | undefined)?.find(
    (c) => c.name === target.container,
  )?.usage;
  if (!usage?.cpu || !usage.memory) return { kind: 'no-sample' };
  return {
    kind: 'sample',
    usage: { cpuCores: parseQuantity(usage.cpu, `PodMetrics ${pod} cpu`), memoryBytes: parseQuantity(usage.memory, `PodMetrics ${pod} memory`) },
  };
}

export interface UsageWait {
  /** How long to wait for the first sample (the caller keeps it within the deploy's --timeout). */
  waitMs: number;
  /** How often to ask (metrics-server scrapes every 15-60 s). */
  pollMs: number;
  /** Where the progress lines go while waiting. */
  out?: Output;
  /** Ends the wait early (the dev loop stopping). */
  signal?: AbortSignal;
  /** What the wait sleeps on (default: the system clock; tests pass the fake cluster's virtual one). */
  clock?: Clock | undefined;
}

/** The first sample of `pod`, waiting up to `waitMs` for it; the last read when there is none by then (`waitedMs` set). */
export async function waitForPodUsage(api: KubeApi, target: UsageTarget, pod: string, wait: UsageWait): Promise<UsageRead & { waitedMs?: number }> {
  const clock = wait.clock ?? systemClock;
  const started = clock.now();
  let nextProgress = 0;
  for (;;) {
    const read = await readPodUsage(api, target, pod);
    if (read.kind !== 'no-sample' && !(read.kind === 'unavailable' && read.retry)) return read;
    const waited = clock.now() - started;
    if (waited >= wait.waitMs || wait.signal?.aborted) return { ...read, waitedMs: waited };
    if (!(await api.get({ apiVersion: 'v1', kind: 'Pod', name: pod, namespace: target.namespace }))) return { kind: 'gone' };
    if (waited >= nextProgress) {
      const why = read.kind === 'no-sample' ? 'no sample yet' : `metrics API not answering yet (${read.message})`;
      wait.out?.line(
        nextProgress === 0
          ? `  waiting up to ${formatDuration(wait.waitMs)} for metrics-server's first sample of ${pod} (it reports a new pod once it has scraped it twice, 15-60s apart): ${why}`
          : `  … ${why} after ${formatDuration(waited)}`,
      );
      nextProgress = waited + PROGRESS_EVERY_MS;
    }
    // The last read falls on the deadline, not a poll before it.
    await clock.sleep(Math.min(wait.pollMs, wait.waitMs - waited), wait.signal);
  }
}
