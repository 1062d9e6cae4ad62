import { describe, expect, it } from 'vitest';
import { formatStep, formatSummary } from './report.js';
import type { RehearsalResult } from './result.js';

const base: RehearsalResult = {
  ok: true,
  profile: 'dev',
  dir: 'dist/k8s/dev',
  image: 'llmops-rag-api:latest',
  imageId: `sha256:${'a'.repeat(64)}`,
  steps: [],
  timings: {},
  notes: [],
};

describe('rehearsal report', () => {
  it('formats a step with its details indented', () => {
    expect(formatStep({ status: 'fail', title: 'boom', details: ['fix: x'] })).toBe('✗ boom\n    fix: x');
  });

  it('summarises a pass with the start-to-ready and termination timings', () => {
    const text = formatSummary({
      ...base,
      timings: { containerStartMs: 200, appReadyMs: 612, podReadyMs: 5020, startupPassedMs: 2040, sigtermToNotReadyMs: 150, sigtermToExitMs: 5270 },
    });
    expect(text).toContain('PASSED: Pod rehearsal of dev');
    expect(text).toContain('start-to-ready: app 0.61s (readiness endpoint first 2xx), pod Ready 5.02s (probe schedule), startup probe passed 2.04s');
    expect(text).toContain('exited 5.27s after SIGTERM');
  });

  it('shows the reason, the probe, the exit state and the last log lines on failure', () => {
    const text = formatSummary({
      ...base,
      ok: false,
      timings: { containerStartMs: 100 },
      failure: {
        phase: 'startup',
        reason: 'startup probe GET /healthz on port 8000 failed 3 time(s) in a row (last: HTTP 404)',
        probe: 'startup probe GET /healthz on port 8000',
        exit: { code: 137, oomKilled: true, error: '' },
        logs: ['line one', 'line two'],
        fix: 'serve it',
      },
    });
    expect(text).toContain('FAILED');
    expect(text).toContain('reason (startup): startup probe GET /healthz');
    expect(text).toContain('probe: startup probe GET /healthz on port 8000');
    expect(text).toContain('exit code 137, OOMKilled true');
    expect(text).toContain('fix: serve it');
    expect(text).toMatch(/last 2 log line\(s\) of the container:\n {4}\| line one\n {4}\| line two/);
  });
});
