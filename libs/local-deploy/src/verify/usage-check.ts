import type { Checklist } from '../checklist.js';
import { formatDuration } from '../checklist.js';
import { systemClock, type Clock } from '../clock.js';
import type { KubeApi } from '../kube.js';
import type { Output } from '../types.js';
import { metricsApiFix } from './metrics-fix.js';
import { METRICS_API, waitForPodUsage, type UsageTarget, type UsageWait } from './pod-usage.js';
import { containerResources, usageReport } from './usage-figures.js';

/** The spec's Part 3.3 step 4 (`kubectl top pod -n dev -l app=rag-api`) on the checklist. */
export const USAGE_STEP = 'Pod CPU and memory (kubectl top)';

/**
 * How long the deploy waits for metrics-server's first sample of the new pod: it reports a pod once it has scraped
 * it twice (CPU is a rate of two readings), every 15 s (k3s, metrics-server's default) to 60 s (minikube's addon),
 * so up to about 2 min after the container started; never longer than the deploy's --timeout.
 */
export const USAGE_WAIT_MS = 120_000;
export const USAGE_POLL_MS = 5_000;

/** The usage of a pod, judged: figures (⚠ when memory needs a look), or why there are none (never a failure). */
export type UsageOutcome = { state: 'ok' | 'warning'; detail: string } | { state: 'skipped'; detail: string; gone?: true };

export async function podUsageOutcome(api: KubeApi, target: UsageTarget, pod: string, wait: UsageWait): Promise<UsageOutcome> {
  try {
    const read = await waitForPodUsage(api, target, pod, wait);
    if (read.kind === 'absent') {
      return { state: 'skipped', detail: `no metrics API on this cluster (${METRICS_API}: ${read.message}); fix: ${await metricsApiFix(api)}` };
    }
    if (read.kind === 'unavailable' && read.retry) {
      return {
        state: 'skipped',
        detail: `the metrics API did not answer (${read.message}); check metrics-server: \`kubectl -n kube-system get pods -l k8s-app=metrics-server\` and its logs`,
      };
    }
    if (read.kind === 'unavailable') {
      return {
        state: 'skipped',
        detail: `could not read the metrics API (${read.message}); \`kubectl top pod -n ${target.namespace} -l ${target.selector}\` shows the same`,
      };
    }
    if (read.kind === 'no-sample') {
      return {
        state: 'skipped',
        detail: `metrics-server had no sample of ${pod} within ${formatDuration(read.waitedMs ?? 0)}; \`kubectl top pod -n ${target.namespace} -l ${target.selector}\` shows it once scraped`,
      };
    }
    const live = read.kind === 'sample' ? await api.get({ apiVersion: 'v1', kind: 'Pod', name: pod, namespace: target.namespace }) : undefined;
    if (read.kind === 'gone' || !live) {
      return { state: 'skipped', detail: `pod ${pod} is gone (replaced or evicted) before metrics-server sampled it`, gone: true };
    }
    const { figures, warnings } = usageReport(read.usage, containerResources(live, target.container), pod);
    return warnings.length ? { state: 'warning', detail: `${figures} — ${warnings.join('; ')}` } : { state: 'ok', detail: figures };
  } catch (error) {
    return { state: 'warning', detail: `could not read the pod's usage: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

/** The checklist step: ✓ with the figures, ⚠ when memory needs a look, `-` with the reason and the fix when there are none. */
export async function checkPodUsage(api: KubeApi, target: UsageTarget, pod: string | undefined, checklist: Checklist, wait: UsageWait): Promise<void> {
  if (!pod) return checklist.skip(USAGE_STEP, 'no Ready pod to measure');
  const clock = wait.clock ?? systemClock;
  const started = clock.now();
  const outcome = await podUsageOutcome(api, target, pod, wait);
  if (outcome.state === 'skipped') return checklist.skip(USAGE_STEP, outcome.detail);
  const durationMs = clock.now() - started; // the wait for the first sample included
  checklist.record({ name: USAGE_STEP, ok: true, durationMs, detail: outcome.detail, ...(outcome.state === 'warning' ? { warning: true } : {}) });
}

/**
 * The dev loop's status line for the pod a rollout made, printed when metrics-server has its first sample
 * (run in the background: the loop does not wait for it). Says nothing once `signal` aborted or the pod is gone.
 */
export async function reportPodUsage(api: KubeApi, target: UsageTarget, pod: string, out: Output, signal: AbortSignal, clock?: Clock): Promise<void> {
  const outcome = await podUsageOutcome(api, target, pod, { waitMs: USAGE_WAIT_MS, pollMs: USAGE_POLL_MS, signal, clock });
  if (signal.aborted || (outcome.state === 'skipped' && outcome.gone)) return;
  const mark = outcome.state === 'ok' ? '📊' : outcome.state === 'warning' ? '⚠' : '-';
  out.line(`${mark} ${pod}: ${outcome.state === 'skipped' ? `no CPU and memory figures: ${outcome.detail}` : outcome.detail}`);
}
