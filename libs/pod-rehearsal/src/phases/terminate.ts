import type { ContainerRuntime, ContainerState } from '../docker-runtime.js';
import { checkOnce, httpCheck } from '../probe-check.js';
import { describeAction } from '../probe-state.js';
import type { RehearsalResult } from '../result.js';
import type { ProbeAction, RunPlan } from '../run-plan.js';
import type { RunningPod } from './start.js';
import { RehearsalStop, seconds, sleep, type Report } from './stop.js';

type HttpAction = Extract<ProbeAction, { type: 'http' }>;

/** One readiness answer seen while the container shut down. */
export interface DrainAnswer {
  atMs: number;
  detail: string;
  ok: boolean;
}

export interface Termination {
  final: ContainerState;
  exitMs: number;
  /** The grace period left for SIGTERM after the preStop hook, in whole seconds (what `docker stop --time` got). */
  remainingSeconds: number;
  drainProbe: HttpAction | undefined;
  seen: DrainAnswer[];
}

/** Phase 5a: the preStop hook, as the kubelet runs it before SIGTERM; a failing hook only warns (the kubelet goes on). */
async function runPreStop(pod: RunningPod, plan: RunPlan, graceMs: number, report: Report): Promise<void> {
  const preStop = plan.preStop;
  if (!preStop) return;
  const started = performance.now();
  if (preStop.type === 'sleep') await sleep(preStop.seconds * 1000);
  else if (preStop.type === 'http') {
    const check = await checkOnce(preStop.action, pod.hostPortOf, graceMs, pod.exec);
    if (!check.ok)
      report.step({ status: 'warn', title: `preStop ${describeAction(preStop.action)} → ${check.detail} (the kubelet goes on to SIGTERM)`, details: [] });
  } else {
    const run = await pod.exec(preStop.command, graceMs);
    if (run.code !== 0)
      report.step({
        status: 'warn',
        title: `preStop exec ${JSON.stringify(preStop.command)} exited ${run.code}: ${run.output.trim().split('\n').pop() ?? ''} (the kubelet goes on to SIGTERM)`,
        details: [],
      });
  }
  report.step({ status: 'ok', title: `preStop ${preStop.type} done in ${seconds(performance.now() - started)}`, details: [] });
}

/**
 * Phase 5b: SIGTERM with the rest of the grace period (`docker stop --time`), polling the readiness endpoint
 * every 200 ms until the container is gone, to see when it starts answering not-ready (the drain).
 */
async function signalAndWatchDrain(
  pod: RunningPod,
  runtime: ContainerRuntime,
  plan: RunPlan,
  remainingSeconds: number,
  result: RehearsalResult,
): Promise<Omit<Termination, 'remainingSeconds'>> {
  const readinessAction = plan.probes.find((p) => p.kind === 'readiness')?.action;
  const drainProbe = readinessAction?.type === 'http' ? readinessAction : undefined;
  const sigterm = performance.now();
  let stopped = false;
  const seen: DrainAnswer[] = [];
  const stopping = runtime.stop(pod.id, remainingSeconds).finally(() => {
    stopped = true;
  });
  const drainPort = drainProbe ? pod.hostPortOf(drainProbe.port) : undefined;
  while (!stopped && drainProbe && drainPort !== undefined) {
    const at = performance.now() - sigterm;
    const check = await httpCheck(drainProbe.scheme, drainPort, drainProbe.path, drainProbe.headers, 1000);
    if (stopped) break;
    seen.push({ atMs: at, detail: check.detail, ok: check.ok });
    if (!check.ok && result.timings.sigtermToNotReadyMs === undefined && check.status !== undefined) result.timings.sigtermToNotReadyMs = Math.round(at);
    await sleep(200);
  }
  await stopping;
  const exitMs = performance.now() - sigterm;
  result.timings.sigtermToExitMs = Math.round(exitMs);
  const final = await runtime.state(pod.id);
  if (!final || final.running) throw new RehearsalStop({ phase: 'shutdown', reason: 'the container still runs after docker stop' });
  return { final, exitMs, drainProbe, seen };
}

/** Phase 5: termination as the kubelet does it: preStop, then SIGTERM and the drain, within terminationGracePeriodSeconds. */
export async function terminate(pod: RunningPod, runtime: ContainerRuntime, plan: RunPlan, result: RehearsalResult, report: Report): Promise<Termination> {
  const graceMs = plan.terminationGracePeriodSeconds * 1000;
  const terminating = performance.now();
  await runPreStop(pod, plan, graceMs, report);
  const remainingSeconds = Math.max(1, Math.ceil((graceMs - (performance.now() - terminating)) / 1000));
  return { ...(await signalAndWatchDrain(pod, runtime, plan, remainingSeconds, result)), remainingSeconds };
}
