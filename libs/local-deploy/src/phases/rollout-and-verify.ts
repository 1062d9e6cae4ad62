import { secretKeys as configSecretKeys } from '@llmops-rag/config';
import { NAMES } from '@llmops-rag/k8s-manifests';
import type { Checklist } from '../checklist.js';
import type { Clock } from '../clock.js';
import { formatDiagnostics } from '../diagnostics.js';
import { signalName } from '../interrupted.js';
import type { KubeApi } from '../kube.js';
import { waitForRollout, type RolloutTarget } from '../rollout.js';
import { findObject, STARTUP_LINE, type KubeObject } from '@llmops-rag/contract';
import type { Output } from '../types.js';
import { verifyDeployment } from '../verify.js';
import { USAGE_WAIT_MS } from '../verify/usage-check.js';

/**
 * Phase 6: waits for the rollout (a stuck one prints its diagnostics and ends here), then runs the
 * spec's verification checklist against the running pod. Says whether the rollout completed (the verify
 * checks are on the checklist), and why not. `signal` (Ctrl-C/SIGTERM) stops the wait at once, and skips the verify
 * of a rollout that completed.
 */
export async function rollOutAndVerify(
  api: KubeApi,
  out: Output,
  checklist: Checklist,
  objects: readonly KubeObject[],
  namespace: string,
  rolloutOptions: { timeoutMs: number; imageLoadHint: string; verify: boolean; clock?: Clock | undefined; signal?: AbortSignal | undefined },
): Promise<{ rolledOut: true } | { rolledOut: false; reason: string; gone?: true; interrupted?: true }> {
  out.line('\n▶ Rollout');
  const target = rolloutTarget(namespace);
  const started = performance.now();
  const { clock, ...options } = rolloutOptions;
  const rollout = await waitForRollout(api, target, { ...options, ...(clock ? { clock } : {}) }, out);
  checklist.record({
    name: `Rollout of deployment/${NAMES.deployment}`,
    ok: rollout.ok,
    durationMs: performance.now() - started,
    detail: rollout.ok ? rollout.detail : rollout.diagnostics.reason,
  });
  if (!rollout.ok) {
    if (rollout.interrupted) return { rolledOut: false, reason: rollout.diagnostics.reason, interrupted: true };
    // Deleted under the wait: its pods go with it, there is nothing to diagnose (the caller says what it does).
    if (!rollout.gone) out.line(formatDiagnostics(rollout.diagnostics));
    return { rolledOut: false, reason: rollout.diagnostics.reason, ...(rollout.gone ? { gone: true as const } : {}) };
  }
  if (!rolloutOptions.verify) return { rolledOut: true };
  if (rolloutOptions.signal?.aborted) {
    checklist.skip('Verify (spec Part 3 and 5.1 checklist)', `not run: interrupted by ${signalName(rolloutOptions.signal)} after the rollout completed`);
    return { rolledOut: true };
  }

  out.line('\n▶ Verify (spec Part 3 and 5.1 checklist)');
  await verifyDeployment(
    api,
    {
      target,
      service: NAMES.service,
      configMap: findObject(objects, 'ConfigMap', NAMES.configMap),
      secretName: NAMES.secret,
      secretKeys: configSecretKeys(),
      startupLine: STARTUP_LINE,
      usageWaitMs: Math.min(USAGE_WAIT_MS, rolloutOptions.timeoutMs),
      out,
      clock,
    },
    checklist,
  );
  return { rolledOut: true };
}

/** The app's Deployment, its pods and container, in `namespace`. */
export function rolloutTarget(namespace: string): RolloutTarget {
  return { namespace, deployment: NAMES.deployment, selector: `app=${NAMES.app}`, container: NAMES.container };
}
