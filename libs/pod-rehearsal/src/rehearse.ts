import type { ContainerRuntime } from './docker-runtime.js';
import { admitImage } from './phases/admit-image.js';
import { planSteps, preparePlan } from './phases/prepare.js';
import { probeUntilReady } from './phases/probe.js';
import { startContainer } from './phases/start.js';
import { RehearsalStop, type Report } from './phases/stop.js';
import { terminate } from './phases/terminate.js';
import { judgeShutdown } from './phases/verdict.js';
import type { RehearsalFailure, RehearsalResult, Step } from './result.js';
import type { RunPlan } from './run-plan.js';

export { REHEARSAL_LABEL } from './phases/prepare.js';
export { describeExit } from './phases/stop.js';

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

/**
 * Runs the Deployment's container in Docker the way the kubelet would and
 * checks the probes and the termination contract. Never throws for a
 * rehearsal failure: the result says what failed, with the container's logs.
 *
 * Phases (src/phases/): prepare the plan from the manifests → admit the image → start the container →
 * probe until Ready → terminate (preStop, SIGTERM, drain) → judge the shutdown. The container is removed
 * at the end unless `keep`.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const { runtime } = options;
  const steps: Step[] = [];
  const result: RehearsalResult = { ok: false, profile: options.profile, dir: options.dir, steps, timings: {}, notes: [] };
  const report: Report = {
    step: (s) => {
      steps.push(s);
      options.onStep?.(s);
    },
    line: (text) => options.onLine?.(text),
  };
  let containerId: string | undefined;
  const fail = async (failure: Omit<RehearsalFailure, 'logs'>): Promise<RehearsalResult> => {
    const logs = containerId ? await runtime.logs(containerId, options.logLines ?? 20).catch(() => []) : [];
    result.failure = { ...failure, logs };
    report.step({
      status: 'fail',
      title: failure.reason,
      details: [...(failure.probe ? [`probe: ${failure.probe}`] : []), ...(failure.fix ? [`fix: ${failure.fix}`] : [])],
    });
    return result;
  };

  let plan: RunPlan;
  try {
    plan = preparePlan(options);
    result.image = plan.image;
    result.notes = plan.notes;
    for (const s of planSteps(plan, options.dir)) report.step(s);
    const admitted = await admitImage(runtime, plan);
    result.imageId = admitted.image.id;
    report.step(admitted.step);
  } catch (error) {
    if (error instanceof RehearsalStop) return fail(error.failure);
    throw error;
  }

  try {
    const pod = await startContainer(runtime, plan, result, report, (id) => {
      containerId = id;
    });
    await probeUntilReady(pod, plan, options, result, report);
    judgeShutdown(await terminate(pod, runtime, plan, result, report), plan, report);
    result.ok = true;
    return result;
  } catch (error) {
    if (error instanceof RehearsalStop) return await fail(error.failure);
    return await fail({ phase: 'running', reason: `the rehearsal itself failed: ${(error as Error).message}` });
  } finally {
    if (containerId && !options.keep) await runtime.remove(containerId).catch(() => undefined);
  }
}
