import { basename } from 'node:path';
import type { ContainerRuntime, ContainerState } from './docker-runtime.js';
import { checkOnce, httpCheck } from './probe-check.js';
import { describeAction, describeProbe, describeTimings, initialProbeState, nextAttemptAtMs, recordOutcome, type ProbeState } from './probe-state.js';
import { readProfile } from './read-profile.js';
import type { FailurePhase, RehearsalFailure, RehearsalResult, Step } from './result.js';
import { buildRunPlan, PlanError, runAsNonRootProblem, type ProbePlan, type RunPlan } from './run-plan.js';
import { resolveSecret } from './secret-values.js';

export const REHEARSAL_LABEL = 'io.llmops-rag.rehearsal';

export interface RehearsalOptions {
  /** Synthesized profile directory, e.g. dist/k8s/dev. */
  dir: string;
  profile: string;
  deploymentName: string;
  containerName?: string;
  /** Run this image instead of the Deployment's (e.g. an image ID). */
  image?: string;
  /** Where secret values come from: the process environment, then .env (both in memory only). */
  env: Readonly<Record<string, string | undefined>>;
  dotEnv: Readonly<Record<string, string>>;
  /** Give up when the pod is not Ready (and liveness has not passed once) by then. */
  timeoutSeconds: number;
  runtime: ContainerRuntime;
  /** Live progress: each step when it completes, each probe attempt as a line. */
  onStep?: (step: Step) => void;
  onLine?: (line: string) => void;
  /** Leave the container for inspection instead of removing it. */
  keep?: boolean;
  /** Interval of the extra readiness poll that measures when the app is really ready. */
  appReadyPollMs?: number;
  /** Lines of container log shown on failure. */
  logLines?: number;
}

class RehearsalStop extends Error {
  constructor(readonly failure: Omit<RehearsalFailure, 'logs'>) {
    super(failure.reason);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}

/** "exited 1", "OOMKilled (exit 137)". */
export function describeExit(state: Pick<ContainerState, 'exitCode' | 'oomKilled' | 'error'>): string {
  if (state.oomKilled) return `OOMKilled (exit ${state.exitCode}): it went over its memory limit`;
  if (state.exitCode === 137) return 'killed by SIGKILL (exit 137)';
  return `exited ${state.exitCode}${state.error ? ` (${state.error})` : ''}`;
}

function planSteps(plan: RunPlan, dir: string): Step[] {
  const envLines = plan.env.map((e) => {
    if (e.source.kind === 'secret') {
      const from = { environment: 'value from the environment', '.env': 'value from .env', manifest: 'value from the manifest, a placeholder' }[e.source.valueFrom];
      return `${e.name} ← Secret ${e.source.name} (${from}; value not shown)`;
    }
    return `${e.name}=${e.value} ← ${e.source.kind === 'configMap' ? `ConfigMap ${e.source.name}` : 'container env'}`;
  });
  const security: string[] = [];
  const args = plan.dockerArgs;
  const flag = (name: string) => args.flatMap((a, i) => (a === name ? [args[i + 1] ?? ''] : []));
  if (plan.user) security.push(`user ${plan.user.uid}${plan.user.gid !== undefined ? `:${plan.user.gid}` : ''}${flag('--group-add').length ? ` (+groups ${flag('--group-add').join(',')})` : ''}`);
  if (args.includes('--read-only')) security.push('read-only root filesystem');
  for (const tmpfs of flag('--tmpfs')) security.push(`tmpfs ${tmpfs.split(':')[0]} (emptyDir)`);
  if (flag('--cap-drop').length) security.push(`cap-drop ${flag('--cap-drop').join(',')}`);
  if (flag('--security-opt').includes('no-new-privileges')) security.push('no-new-privileges');
  const limits = [plan.limits.memoryBytes !== undefined ? `memory ${mib(plan.limits.memoryBytes)} (no swap)` : 'no memory limit', plan.limits.cpus !== undefined ? `cpus ${plan.limits.cpus}` : 'no cpu limit'];
  return [
    { status: 'ok', title: `Read ${basename(dir)} manifests: Deployment/${plan.deployment}, container ${plan.container}, image ${plan.image} (pull policy ${plan.imagePullPolicy})`, details: [] },
    { status: 'ok', title: `Environment: ${plan.env.length} variables (envFrom, then env)`, details: envLines },
    { status: 'ok', title: `Security context → docker: ${security.join(', ') || 'none'}`, details: [] },
    { status: 'ok', title: `Resources → docker: ${limits.join(', ')}`, details: [] },
    {
      status: 'ok',
      title: `Probes: ${plan.probes.map((p) => p.kind).join(', ') || 'none'}; preStop: ${plan.preStop ? plan.preStop.type : 'none'}; terminationGracePeriodSeconds ${plan.terminationGracePeriodSeconds}`,
      details: plan.probes.map((p) => `${describeProbe(p)}: ${describeTimings(p)}`),
    },
  ];
}

/**
 * Runs the Deployment's container in Docker the way the kubelet would and
 * checks the probes and the termination contract. Never throws for a
 * rehearsal failure: the result says what failed, with the container's logs.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const { runtime } = options;
  const steps: Step[] = [];
  const result: RehearsalResult = { ok: false, profile: options.profile, dir: options.dir, steps, timings: {}, notes: [] };
  const step = (s: Step) => {
    steps.push(s);
    options.onStep?.(s);
  };
  const line = (text: string) => options.onLine?.(text);
  let containerId: string | undefined;
  let measuring = true;

  const fail = async (failure: Omit<RehearsalFailure, 'logs'>): Promise<RehearsalResult> => {
    const logs = containerId ? await runtime.logs(containerId, options.logLines ?? 20).catch(() => []) : [];
    result.failure = { ...failure, logs };
    step({ status: 'fail', title: failure.reason, details: [...(failure.probe ? [`probe: ${failure.probe}`] : []), ...(failure.fix ? [`fix: ${failure.fix}`] : [])] });
    return result;
  };

  // 1. Manifests → plan (pure)
  let plan: RunPlan;
  try {
    const objects = readProfile(options.dir, options.deploymentName);
    const secrets = objects.secrets.map((s) => resolveSecret(s, options.env, options.dotEnv));
    const runName = `rehearsal-${options.profile}-${options.deploymentName}-${process.pid}-${Date.now().toString(36)}`;
    plan = buildRunPlan({
      deployment: objects.deployment,
      configMaps: objects.configMaps,
      secrets,
      ...(options.containerName ? { containerName: options.containerName } : {}),
      ...(options.image ? { image: options.image } : {}),
      runName,
      label: `${REHEARSAL_LABEL}=${options.profile}`,
    });
  } catch (error) {
    return fail({ phase: 'plan', reason: (error as Error).message, ...(error instanceof PlanError ? {} : { fix: 'npx nx run k8s-manifests:synth' }) });
  }
  result.image = plan.image;
  result.notes = plan.notes;
  for (const s of planSteps(plan, options.dir)) step(s);

  // 2. Engine and image, as the kubelet's image pull and admission would see them
  const engine = await runtime.engine();
  if (!engine.ok) return fail({ phase: 'engine', reason: engine.reason });
  const image = await runtime.image(plan.image);
  if (!image) {
    const kubeletError = plan.imagePullPolicy === 'Never' ? 'ErrImageNeverPull' : 'ErrImagePull';
    return fail({ phase: 'image', reason: `${kubeletError}: image ${plan.image} is not in the Docker engine`, fix: 'build it: npx nx run rag-api:docker' });
  }
  result.imageId = image.id;
  const nonRoot = runAsNonRootProblem(plan, image.user);
  if (nonRoot) return fail({ phase: 'image', reason: `CreateContainerConfigError: ${nonRoot}` });
  step({ status: 'ok', title: `Image ${plan.image} = ${image.id.slice(7, 19)} (USER ${image.user ?? 'root'}) on Docker ${engine.version}`, details: [] });

  try {
    // 3. Start
    const runStarted = performance.now();
    try {
      containerId = await runtime.run(plan);
    } catch (error) {
      return await fail({ phase: 'start', reason: `the container could not be started: ${(error as Error).message}` });
    }
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    result.timings.containerStartMs = Math.round(t0 - runStarted);
    const started = await runtime.state(containerId);
    const hostPorts = started?.hostPorts ?? new Map<number, number>();
    step({
      status: 'ok',
      title: `Started container ${containerId.slice(0, 12)} in ${seconds(t0 - runStarted)} (docker run); ports ${[...hostPorts].map(([c, h]) => `${c}→127.0.0.1:${h}`).join(', ') || 'none'}`,
      details: [],
    });
    const hostPortOf = (port: number) => hostPorts.get(port);
    const exec = (command: string[], timeoutMs: number) => runtime.exec(containerId ?? '', command, timeoutMs);

    const crashed = async (): Promise<ContainerState | undefined> => {
      const state = await runtime.state(containerId ?? '');
      return state && !state.running ? state : undefined;
    };
    const crashFailure = (state: ContainerState, phase: FailurePhase, during: string): Omit<RehearsalFailure, 'logs'> => ({
      phase,
      reason: `CrashLoopBackOff: the container ${describeExit(state)} ${during}, ${seconds(now())} after start`,
      exit: { code: state.exitCode, oomKilled: state.oomKilled, error: state.error },
      ...(state.oomKilled ? { fix: 'raise resources.limits.memory or lower the app’s memory use' } : {}),
    });

    // The app's own start-to-ready time, measured finer than the probe schedule.
    const readiness = plan.probes.find((p) => p.kind === 'readiness');
    const readinessAction = readiness?.action;
    const measure = (async () => {
      if (readinessAction?.type !== 'http') return;
      const port = hostPortOf(readinessAction.port);
      if (port === undefined) return;
      while (measuring && now() < options.timeoutSeconds * 1000) {
        const at = now();
        const check = await httpCheck(readinessAction.scheme, port, readinessAction.path, readinessAction.headers, 1000);
        if (check.ok) {
          result.timings.appReadyMs = Math.round(at);
          return;
        }
        await sleep((options.appReadyPollMs ?? 100) - (now() - at));
      }
    })();

    // 4. Probes on the kubelet's schedule
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
        const state = await crashed();
        if (state) throw new RehearsalStop(crashFailure(state, gateMs === undefined ? 'startup' : 'readiness', 'before the pod was Ready'));
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
      const check = await checkOnce(due.s.probe.action, hostPortOf, due.s.probe.timeoutSeconds * 1000, exec);
      const next = recordOutcome(due.s, { ok: check.ok, detail: check.detail, atMs: at, durationMs: now() - at });
      states.set(due.s.probe.kind, next);
      line(`  +${seconds(at)} ${describeProbe(next.probe)} → ${check.detail}${next.verdict !== due.s.verdict ? ` (${next.verdict})` : ''}`);
      if (next.verdict === 'failed') {
        const state = await crashed();
        if (state) throw new RehearsalStop(crashFailure(state, next.probe.kind, 'before the pod was Ready'));
        const consequence = {
          startup: 'the kubelet kills and restarts the container: CrashLoopBackOff',
          liveness: 'the kubelet kills and restarts the container: CrashLoopBackOff',
          readiness: 'the pod stays NotReady: it gets no traffic and the rollout stalls',
        }[next.probe.kind];
        throw new RehearsalStop({
          phase: next.probe.kind,
          reason: `${describeProbe(next.probe)} failed ${next.consecutiveFailures} time(s) in a row (last: ${check.detail}): ${consequence}`,
          probe: `${describeProbe(next.probe)} (${describeTimings(next.probe)})`,
          fix: check.status === 404 ? `serve ${describeAction(next.probe.action)} in the app, or point the probe at a path it serves` : 'make the probe pass or fix its port/path/timing',
        });
      }
      if (next.verdict === 'passed' && due.s.verdict !== 'passed') {
        if (next.probe.kind === 'startup') {
          gateMs = at;
          result.timings.startupPassedMs = Math.round(next.passedAtMs ?? at);
        }
        if (next.probe.kind === 'readiness') result.timings.podReadyMs = Math.round(next.passedAtMs ?? at);
        step({ status: 'ok', title: `${describeProbe(next.probe)} passed at +${seconds(next.passedAtMs ?? at)} (attempt ${next.attempts})`, details: [] });
      }
    }
    if (gateMs === undefined) gateMs = 0;
    measuring = false;
    await measure;
    const after = await crashed();
    if (after) throw new RehearsalStop(crashFailure(after, 'running', 'right after the probes passed'));
    step({
      status: 'ok',
      title: `Pod Ready at +${seconds(result.timings.podReadyMs ?? now())} on the kubelet's schedule; app ready after ${result.timings.appReadyMs !== undefined ? seconds(result.timings.appReadyMs) : 'n/a'} (readiness endpoint first 2xx)`,
      details: [],
    });

    // 5. Termination: preStop, SIGTERM, drain, exit within the grace period
    const graceMs = plan.terminationGracePeriodSeconds * 1000;
    const terminating = performance.now();
    if (plan.preStop) {
      const preStop = plan.preStop;
      if (preStop.type === 'sleep') await sleep(preStop.seconds * 1000);
      else if (preStop.type === 'http') {
        const check = await checkOnce(preStop.action, hostPortOf, graceMs, exec);
        if (!check.ok) step({ status: 'warn', title: `preStop ${describeAction(preStop.action)} → ${check.detail} (the kubelet goes on to SIGTERM)`, details: [] });
      } else {
        const run = await exec(preStop.command, graceMs);
        if (run.code !== 0) step({ status: 'warn', title: `preStop exec ${JSON.stringify(preStop.command)} exited ${run.code}: ${run.output.trim().split('\n').pop() ?? ''} (the kubelet goes on to SIGTERM)`, details: [] });
      }
      step({ status: 'ok', title: `preStop ${preStop.type} done in ${seconds(performance.now() - terminating)}`, details: [] });
    }
    const remainingSeconds = Math.max(1, Math.ceil((graceMs - (performance.now() - terminating)) / 1000));
    const sigterm = performance.now();
    let stopped = false;
    const seen: { atMs: number; detail: string; ok: boolean }[] = [];
    const stopping = runtime.stop(containerId, remainingSeconds).finally(() => {
      stopped = true;
    });
    const drainProbe = readinessAction?.type === 'http' ? readinessAction : undefined;
    const drainPort = drainProbe ? hostPortOf(drainProbe.port) : undefined;
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
    const final = await runtime.state(containerId);
    if (!final || final.running) throw new RehearsalStop({ phase: 'shutdown', reason: 'the container still runs after docker stop' });

    const notReady = seen.find((s) => !s.ok && s.detail.startsWith('HTTP'));
    if (drainProbe) {
      if (notReady) step({ status: 'ok', title: `SIGTERM → readiness ${drainProbe.path} answered ${notReady.detail} after ${seconds(notReady.atMs)} (drain: endpoints stop sending traffic)`, details: [] });
      else if (seen.some((s) => s.ok)) {
        throw new RehearsalStop({
          phase: 'shutdown',
          reason: `after SIGTERM, readiness ${drainProbe.path} kept answering ${seen.at(-1)?.detail ?? 'OK'} until the container exited: the pod would keep getting traffic while it shuts down`,
          fix: 'answer 503 on the readiness path once SIGTERM arrives, then drain',
        });
      } else step({ status: 'warn', title: `SIGTERM → no readiness answer before exit after ${seconds(exitMs)} (nothing to drain)`, details: [] });
    }
    if (final.oomKilled || final.exitCode !== 0 || exitMs >= (remainingSeconds * 1000)) {
      const late = final.exitCode === 137 || exitMs >= remainingSeconds * 1000;
      throw new RehearsalStop({
        phase: 'shutdown',
        reason: late
          ? `the container did not exit within terminationGracePeriodSeconds (${plan.terminationGracePeriodSeconds}s) and was killed: ${describeExit(final)}`
          : `the container ${describeExit(final)} on SIGTERM instead of exiting 0`,
        exit: { code: final.exitCode, oomKilled: final.oomKilled, error: final.error },
        fix: late ? 'shorten the drain (SHUTDOWN_DRAIN_SECONDS) or raise terminationGracePeriodSeconds' : 'handle SIGTERM: stop accepting, drain, exit 0',
      });
    }
    step({ status: 'ok', title: `Exited 0 ${seconds(exitMs)} after SIGTERM (grace period ${plan.terminationGracePeriodSeconds}s)`, details: [] });
    result.ok = true;
    return result;
  } catch (error) {
    if (error instanceof RehearsalStop) return await fail(error.failure);
    return await fail({ phase: 'running', reason: `the rehearsal itself failed: ${(error as Error).message}` });
  } finally {
    measuring = false;
    if (containerId && !options.keep) await runtime.remove(containerId).catch(() => undefined);
  }
}
