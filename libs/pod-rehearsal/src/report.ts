import type { RehearsalResult, Step } from './result.js';

const MARK: Record<Step['status'], string> = { ok: '✓', fail: '✗', warn: '!', info: '·' };

/** One progress line per step (plus its details, indented). */
export function formatStep(step: Step): string {
  return [`${MARK[step.status]} ${step.title}`, ...step.details.map((d) => `    ${d}`)].join('\n');
}

const secondsOf = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)}s`);

/**
 * The closing summary: verdict, timings, what was not reproduced and, on
 * failure, the reason, the probe involved, the exit state and the last log lines.
 */
export function formatSummary(result: RehearsalResult): string {
  const lines: string[] = [''];
  const head = `Pod rehearsal of ${result.profile} (${result.dir})${result.image ? `, image ${result.image}${result.imageId ? ` (${result.imageId.slice(7, 19)})` : ''}` : ''}`;
  lines.push(`${result.ok ? 'PASSED' : 'FAILED'}: ${head}`);
  const t = result.timings;
  if (t.containerStartMs !== undefined) {
    lines.push(
      `  start-to-ready: app ${secondsOf(t.appReadyMs)} (readiness endpoint first 2xx), pod Ready ${secondsOf(t.podReadyMs)} (probe schedule)` +
        (t.startupPassedMs !== undefined ? `, startup probe passed ${secondsOf(t.startupPassedMs)}` : ''),
    );
  }
  if (t.sigtermToExitMs !== undefined)
    lines.push(`  termination: not ready ${secondsOf(t.sigtermToNotReadyMs)} after SIGTERM, exited ${secondsOf(t.sigtermToExitMs)} after SIGTERM`);
  if (result.notes.length > 0) {
    lines.push('  differences from a real node:');
    for (const note of result.notes) lines.push(`    - ${note}`);
  }
  const failure = result.failure;
  if (failure) {
    lines.push(`  reason (${failure.phase}): ${failure.reason}`);
    if (failure.probe) lines.push(`  probe: ${failure.probe}`);
    if (failure.exit)
      lines.push(
        `  container state: exit code ${failure.exit.code}, OOMKilled ${failure.exit.oomKilled}${failure.exit.error ? `, error: ${failure.exit.error}` : ''}`,
      );
    if (failure.fix) lines.push(`  fix: ${failure.fix}`);
    if (failure.logs.length > 0) {
      lines.push(`  last ${failure.logs.length} log line(s) of the container:`);
      for (const log of failure.logs) lines.push(`    | ${log}`);
    } else if (failure.phase !== 'plan' && failure.phase !== 'engine' && failure.phase !== 'image') lines.push('  (the container logged nothing)');
  }
  return lines.join('\n');
}
