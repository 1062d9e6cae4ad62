import type { ContainerState } from '../docker-runtime.js';
import type { FailurePhase, RehearsalFailure, Step } from '../result.js';

/** Ends the rehearsal from any phase with this failure (the container's logs are added by rehearse()). */
export class RehearsalStop extends Error {
  constructor(readonly failure: Omit<RehearsalFailure, 'logs'>) {
    super(failure.reason);
  }
}

/** Where each phase reports: a completed step, a progress line. */
export interface Report {
  step(step: Step): void;
  line(text: string): void;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** "exited 1", "OOMKilled (exit 137)". */
export function describeExit(state: Pick<ContainerState, 'exitCode' | 'oomKilled' | 'error'>): string {
  if (state.oomKilled) return `OOMKilled (exit ${state.exitCode}): it went over its memory limit`;
  if (state.exitCode === 137) return 'killed by SIGKILL (exit 137)';
  return `exited ${state.exitCode}${state.error ? ` (${state.error})` : ''}`;
}

/** What the kubelet would report for a container that exited on its own `atMs` after start. */
export function crashFailure(state: ContainerState, phase: FailurePhase, during: string, atMs: number): Omit<RehearsalFailure, 'logs'> {
  return {
    phase,
    reason: `CrashLoopBackOff: the container ${describeExit(state)} ${during}, ${seconds(atMs)} after start`,
    exit: { code: state.exitCode, oomKilled: state.oomKilled, error: state.error },
    ...(state.oomKilled ? { fix: 'raise resources.limits.memory or lower the app’s memory use' } : {}),
  };
}
