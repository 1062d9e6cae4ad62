import { checkOnce, httpCheck } from '../probe-check.js';
import { describeAction, describeProbe, describeTimings, initialProbeState, nextAttemptAtMs, recordOutcome, type ProbeState } from '../probe-state.js';
import type { RehearsalResult } from '../result.js';
import type { ProbePlan, RunPlan } from '../run-plan.js';
import type { RunningPod } from './start.js';
import { crashFailure, RehearsalStop, seconds, sleep, type Report } from './stop.js';

export interface ProbeOptions {
  timeoutSeconds: number;
  /** Interval of the extra readiness poll that measures when the app is really ready. */
  appReadyPollMs?: number;
}

/** What the kubelet does after a probe's failureThreshold is reached. */
const CONSEQUENCE = {
  startup: 'the kubelet kills and restarts the container: CrashLoopBackOff',
  liveness: 'the kubelet kills and restarts the container: CrashLoopBackOff',
  readiness: 'the pod stays NotReady: it gets no traffic and the rollout stalls',
} as const;

/**
 * The app's own start-to-ready time, measured finer than the probe schedule: polls the readiness endpoint
 * until it answers 2xx or `stillMeasuring()` turns false. Records `timings.appReadyMs`.
 */
async function measureAppReady(pod: RunningPod, plan: RunPlan, options: ProbeOptions, result: RehearsalResult, stillMeasuring: () => boolean): Promise<void> {
  const readinessAction = plan.probes.find((p) => p.kind === 'readiness')?.action;
  if (readinessAction?.type !== 'http') return;
  const port = pod.hostPortOf(readinessAction.port);
  if (port === undefined) return;
  while (stillMeasuring() && pod.now() < options.timeoutSeconds * 1000) {
    const at = pod.now();
    const check = await httpCheck(readinessAction.scheme, port, readinessAction.path, readinessAction.headers, 1000);
    if (check.ok) {
      result.timings.appReadyMs = Math.round(at);
      return;
    }
    await sleep((options.appReadyPollMs ?? 100) - (pod.now() - at));
  }
}

/**
 * Phase 4: the probes on the kubelet's schedule (startup first, then liveness and readiness) until the pod is
 * Ready and liveness has passed once. A crash, a probe over its failureThreshold or the timeout stops the
 * rehearsal with that phase.
 */
export async function probeUntilReady(pod: RunningPod, plan: RunPlan, options: ProbeOptions, result: RehearsalResult, report: Report): Promise<void> {
  let measuring = true;
  const measure = measureAppReady(pod, plan, options, result, () => measuring);
  try {
    await runProbes(pod, plan, options, result, report);
  } finally {
    measuring = false;
  }
  await measure;
  const after = await pod.crashed();
  if (after) throw new RehearsalStop(crashFailure(after, 'running', 'right after the probes passed', pod.now()));
  report.step({
    status: 'ok',
    title: `Pod Ready at +${seconds(result.timings.podReadyMs ?? pod.now())} on the kubelet's schedule; app ready after ${result.timings.appReadyMs !== undefined ? seconds(result.timings.appReadyMs) : 'n/a'} (readiness endpoint first 2xx)`,
    details: [],
  });
}

async function runProbes(pod: RunningPod, plan: RunPlan, options: ProbeOptions, result: RehearsalResult, report: Report): Promise<void> {
  const { now } = pod;
  const states = new Map<ProbePlan['kind'], ProbeState>(plan.probes.map((p) => [p.kind, initialProbeState(p)]));
  let gateMs: number | undefined = states.has('startup') ? undefined : 0;
  const deadlineMs = options.timeoutSeconds * 1000;
  const done = () => {
    const ready = states.get('readiness');
    const live = states.get('liveness');
    return gateMs !== undefined && (!ready || ready.verdict === 'passed') && (!live || live.passedAtMs !== undefined);
  };
  while (!done()) {
    const active = [...states.values()].filter((s) => (gateMs === undefined ? s.probe.kind === 'startup' : s.probe.kind !== 'startup'));
    const due = active.map((s) => ({ s, at: nextAttemptAtMs(s, gateMs) })).sort((a, b) => a.at - b.at)[0];
    if (!due) break;
    // Wait for the attempt, noticing a crash within half a second.
    while (now() < due.at) {
      const state = await pod.crashed();
      if (state) throw new RehearsalStop(crashFailure(state, gateMs === undefined ? 'startup' : 'readiness', 'before the pod was Ready', now()));
      if (now() > deadlineMs) break;
      await sleep(Math.min(500, due.at - now()));
    }
    if (now() > deadlineMs) {
      throw new RehearsalStop({
        phase: 'timeout',
        reason: `the pod was not Ready within ${options.timeoutSeconds}s`,
        probe: active.map((s) => `${describeProbe(s.probe)}: ${s.last?.detail ?? 'not run yet'}`).join('; '),
        fix: 'raise --timeout if the probes are slow by design',
      });
    }
    const at = now();
    const check = await checkOnce(due.s.probe.action, pod.hostPortOf, due.s.probe.timeoutSeconds * 1000, pod.exec);
    const next = recordOutcome(due.s, { ok: check.ok, detail: check.detail, atMs: at, durationMs: now() - at });
    states.set(due.s.probe.kind, next);
    report.line(`  +${seconds(at)} ${describeProbe(next.probe)} → ${check.detail}${next.verdict !== due.s.verdict ? ` (${next.verdict})` : ''}`);
    if (next.verdict === 'failed') {
      const state = await pod.crashed();
      if (state) throw new RehearsalStop(crashFailure(state, next.probe.kind, 'before the pod was Ready', now()));
      throw new RehearsalStop({
        phase: next.probe.kind,
        reason: `${describeProbe(next.probe)} failed ${next.consecutiveFailures} time(s) in a row (last: ${check.detail}): ${CONSEQUENCE[next.probe.kind]}`,
        probe: `${describeProbe(next.probe)} (${describeTimings(next.probe)})`,
        fix:
          check.status === 404
            ? `serve ${describeAction(next.probe.action)} in the app, or point the probe at a path it serves`
            : 'make the probe pass or fix its port/path/timing',
      });
    }
    if (next.verdict === 'passed' && due.s.verdict !== 'passed') {
      if (next.probe.kind === 'startup') {
        gateMs = at;
        result.timings.startupPassedMs = Math.round(next.passedAtMs ?? at);
      }
      if (next.probe.kind === 'readiness') result.timings.podReadyMs = Math.round(next.passedAtMs ?? at);
      report.step({ status: 'ok', title: `${describeProbe(next.probe)} passed at +${seconds(next.passedAtMs ?? at)} (attempt ${next.attempts})`, details: [] });
    }
  }
}
