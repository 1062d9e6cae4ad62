import type { ContainerRuntime, ContainerState } from '../docker-runtime.js';
import type { ExecInContainer } from '../probe-check.js';
import type { RehearsalResult } from '../result.js';
import type { RunPlan } from '../run-plan.js';
import { RehearsalStop, seconds, type Report } from './stop.js';

/** A started container, as the later phases use it. */
export interface RunningPod {
  id: string;
  /** Milliseconds since `docker run` returned. */
  now(): number;
  /** The host port on 127.0.0.1 published for a container port. */
  hostPortOf(containerPort: number): number | undefined;
  exec: ExecInContainer;
  /** The container's state when it is no longer running, else undefined. */
  crashed(): Promise<ContainerState | undefined>;
}

/**
 * Phase 3: `docker run` of the plan. Calls `started` with the container ID as soon as there is one (so it is
 * removed whatever happens next); a container that can't be started stops with phase `start`.
 */
export async function startContainer(
  runtime: ContainerRuntime,
  plan: RunPlan,
  result: RehearsalResult,
  report: Report,
  started: (id: string) => void,
): Promise<RunningPod> {
  const runStarted = performance.now();
  let id: string;
  try {
    id = await runtime.run(plan);
  } catch (error) {
    throw new RehearsalStop({ phase: 'start', reason: `the container could not be started: ${(error as Error).message}` });
  }
  started(id);
  const t0 = performance.now();
  result.timings.containerStartMs = Math.round(t0 - runStarted);
  const state = await runtime.state(id);
  const hostPorts = state?.hostPorts ?? new Map<number, number>();
  report.step({
    status: 'ok',
    title: `Started container ${id.slice(0, 12)} in ${seconds(t0 - runStarted)} (docker run); ports ${[...hostPorts].map(([c, h]) => `${c}→127.0.0.1:${h}`).join(', ') || 'none'}`,
    details: [],
  });
  return {
    id,
    now: () => performance.now() - t0,
    hostPortOf: (port) => hostPorts.get(port),
    exec: (command, timeoutMs) => runtime.exec(id, command, timeoutMs),
    crashed: async () => {
      const current = await runtime.state(id);
      return current && !current.running ? current : undefined;
    },
  };
}
