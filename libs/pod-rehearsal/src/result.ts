/** What the rehearsal found, step by step; the report formatter turns it into text. */
export type StepStatus = 'ok' | 'fail' | 'warn' | 'info';

export interface Step {
  status: StepStatus;
  title: string;
  details: string[];
}

export type FailurePhase = 'plan' | 'engine' | 'image' | 'start' | 'startup' | 'liveness' | 'readiness' | 'running' | 'shutdown' | 'timeout';

export interface RehearsalFailure {
  phase: FailurePhase;
  /** The problem, in the kubelet's terms (CrashLoopBackOff, NotReady, OOMKilled...). */
  reason: string;
  /** The probe involved, e.g. "startup probe GET /healthz on port 8000", and its last answer. */
  probe?: string;
  exit?: { code: number; oomKilled: boolean; error: string };
  /** The container's last log lines. */
  logs: string[];
  fix?: string;
}

export interface RehearsalTimings {
  /** `docker run` until the container runs. */
  containerStartMs?: number;
  /** Container start until the readiness endpoint first answered 2xx/3xx (100 ms poll, not a probe). */
  appReadyMs?: number;
  /** Container start until the startup probe passed (kubelet schedule). */
  startupPassedMs?: number;
  /** Container start until the readiness probe passed: the pod turns Ready (kubelet schedule). */
  podReadyMs?: number;
  /** SIGTERM until the readiness endpoint stopped answering 2xx (the drain began). */
  sigtermToNotReadyMs?: number;
  /** SIGTERM until the container exited. */
  sigtermToExitMs?: number;
}

export interface RehearsalResult {
  ok: boolean;
  profile: string;
  dir: string;
  image?: string;
  imageId?: string;
  steps: Step[];
  timings: RehearsalTimings;
  failure?: RehearsalFailure;
  /** What was not reproduced. */
  notes: string[];
}
