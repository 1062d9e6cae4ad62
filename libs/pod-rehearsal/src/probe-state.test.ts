import { describe, expect, it } from 'vitest';
import { describeProbe, initialProbeState, nextAttemptAtMs, recordOutcome, type ProbeState } from './probe-state.js';
import type { ProbePlan } from './run-plan.js';

const readiness: ProbePlan = {
  kind: 'readiness',
  action: { type: 'http', scheme: 'HTTP', path: '/health/ready', port: 8000, headers: {} },
  initialDelaySeconds: 5,
  periodSeconds: 10,
  timeoutSeconds: 2,
  successThreshold: 2,
  failureThreshold: 3,
};

function run(state: ProbeState, oks: boolean[], startMs = 0): ProbeState {
  return oks.reduce((s, ok, i) => recordOutcome(s, { ok, detail: ok ? 'HTTP 200' : 'HTTP 503', atMs: startMs + i * 10_000, durationMs: 5 }), state);
}

describe('probe thresholds (kubelet semantics)', () => {
  it('passes only after successThreshold consecutive successes', () => {
    expect(run(initialProbeState(readiness), [true]).verdict).toBe('pending');
    const passed = run(initialProbeState(readiness), [true, true]);
    expect(passed.verdict).toBe('passed');
    expect(passed.passedAtMs).toBe(10_005);
  });

  it('fails after failureThreshold consecutive failures; a success resets the count', () => {
    expect(run(initialProbeState(readiness), [false, false, true, false, false]).verdict).toBe('pending');
    const failed = run(initialProbeState(readiness), [false, false, false]);
    expect(failed.verdict).toBe('failed');
    expect(failed.consecutiveFailures).toBe(3);
    expect(failed.last?.detail).toBe('HTTP 503');
  });

  it('can fail after having passed (a Ready pod turning NotReady)', () => {
    const state = run(initialProbeState(readiness), [true, true, false, false, false]);
    expect(state.verdict).toBe('failed');
    expect(state.passedAtMs).toBe(10_005);
  });
});

describe('probe schedule', () => {
  it('waits for initialDelaySeconds, and for the startup probe (gate) when that is later', () => {
    expect(nextAttemptAtMs(initialProbeState(readiness))).toBe(5000);
    expect(nextAttemptAtMs(initialProbeState(readiness), 8000)).toBe(8000);
  });
  it('then probes every periodSeconds from the previous attempt', () => {
    expect(nextAttemptAtMs(run(initialProbeState(readiness), [false], 5000))).toBe(15_000);
  });
  it('describes the probe with its method, path and port', () => {
    expect(describeProbe(readiness)).toBe('readiness probe GET /health/ready on port 8000');
  });
});
