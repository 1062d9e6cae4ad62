import type { ProbeAction, ProbePlan } from './run-plan.js';

/** One probe attempt. `ok` follows the kubelet: HTTP 200–399, a TCP connect, exit 0. */
export interface ProbeOutcome {
  ok: boolean;
  /** e.g. "HTTP 200", "HTTP 404", "timeout after 2s", "connection refused". */
  detail: string;
  /** When the attempt started, ms since the container started. */
  atMs: number;
  durationMs: number;
}

/**
 * What the kubelet concluded so far: `pending` until successThreshold
 * consecutive successes (`passed`) or failureThreshold consecutive failures
 * (`failed`). After a verdict the state keeps counting, so a passed readiness
 * probe can later fail.
 */
export interface ProbeState {
  probe: ProbePlan;
  verdict: 'pending' | 'passed' | 'failed';
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  attempts: number;
  last?: ProbeOutcome;
  /** Time of the first `passed` verdict, ms since the container started. */
  passedAtMs?: number;
}

export function initialProbeState(probe: ProbePlan): ProbeState {
  return { probe, verdict: 'pending', consecutiveSuccesses: 0, consecutiveFailures: 0, attempts: 0 };
}

/** The state after one more attempt (pure). */
export function recordOutcome(state: ProbeState, outcome: ProbeOutcome): ProbeState {
  const consecutiveSuccesses = outcome.ok ? state.consecutiveSuccesses + 1 : 0;
  const consecutiveFailures = outcome.ok ? 0 : state.consecutiveFailures + 1;
  let verdict = state.verdict;
  if (consecutiveSuccesses >= state.probe.successThreshold) verdict = 'passed';
  else if (consecutiveFailures >= state.probe.failureThreshold) verdict = 'failed';
  const passedAtMs = state.passedAtMs ?? (verdict === 'passed' ? outcome.atMs + outcome.durationMs : undefined);
  return {
    ...state,
    verdict,
    consecutiveSuccesses,
    consecutiveFailures,
    attempts: state.attempts + 1,
    last: outcome,
    ...(passedAtMs !== undefined ? { passedAtMs } : {}),
  };
}

/**
 * When the next attempt is due, ms since container start. The first waits for
 * initialDelaySeconds and, for liveness/readiness, for the startup probe to
 * have passed (`gateMs`); then every periodSeconds.
 */
export function nextAttemptAtMs(state: ProbeState, gateMs = 0): number {
  const { probe, last } = state;
  if (!last) return Math.max(probe.initialDelaySeconds * 1000, gateMs);
  return last.atMs + probe.periodSeconds * 1000;
}

/** "readiness probe GET /health/ready on port 8000". */
export function describeProbe(probe: Pick<ProbePlan, 'kind' | 'action'>): string {
  return `${probe.kind} probe ${describeAction(probe.action)}`;
}

export function describeAction(action: ProbeAction): string {
  if (action.type === 'http') return `${action.scheme === 'HTTPS' ? 'HTTPS ' : ''}GET ${action.path} on port ${action.port}`;
  if (action.type === 'tcp') return `TCP connect to port ${action.port}`;
  return `exec ${JSON.stringify(action.command)}`;
}

/** "every 10s, first after 5s, timeout 2s, 3 failures fail, 1 success passes". */
export function describeTimings(probe: ProbePlan): string {
  return `every ${probe.periodSeconds}s, first after ${probe.initialDelaySeconds}s, timeout ${probe.timeoutSeconds}s, ${probe.failureThreshold} failure(s) fail, ${probe.successThreshold} success(es) pass`;
}
