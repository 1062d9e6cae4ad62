import type { RunPlan } from '../run-plan.js';
import { describeExit, RehearsalStop, seconds, type Report } from './stop.js';
import type { Termination } from './terminate.js';

/**
 * Phase 6: the verdict on the shutdown. The readiness endpoint must have turned not-ready after SIGTERM (or never
 * answered), and the container must have exited 0 within the grace period; otherwise the rehearsal stops with
 * phase `shutdown` and the fix.
 */
export function judgeShutdown({ final, exitMs, remainingSeconds, drainProbe, seen }: Termination, plan: RunPlan, report: Report): void {
  const notReady = seen.find((s) => !s.ok && s.detail.startsWith('HTTP'));
  if (drainProbe) {
    if (notReady)
      report.step({
        status: 'ok',
        title: `SIGTERM → readiness ${drainProbe.path} answered ${notReady.detail} after ${seconds(notReady.atMs)} (drain: endpoints stop sending traffic)`,
        details: [],
      });
    else if (seen.some((s) => s.ok)) {
      throw new RehearsalStop({
        phase: 'shutdown',
        reason: `after SIGTERM, readiness ${drainProbe.path} kept answering ${seen.at(-1)?.detail ?? 'OK'} until the container exited: the pod would keep getting traffic while it shuts down`,
        fix: 'answer 503 on the readiness path once SIGTERM arrives, then drain',
      });
    } else report.step({ status: 'warn', title: `SIGTERM → no readiness answer before exit after ${seconds(exitMs)} (nothing to drain)`, details: [] });
  }
  if (final.oomKilled || final.exitCode !== 0 || exitMs >= remainingSeconds * 1000) {
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
  report.step({ status: 'ok', title: `Exited 0 ${seconds(exitMs)} after SIGTERM (grace period ${plan.terminationGracePeriodSeconds}s)`, details: [] });
}
