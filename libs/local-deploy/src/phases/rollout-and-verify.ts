import { secretKeys as configSecretKeys } from '@llmops-rag/config';
import { NAMES } from '@llmops-rag/k8s-manifests';
import type { Checklist } from '../checklist.js';
import { formatDiagnostics } from '../diagnostics.js';
import type { KubeApi } from '../kube.js';
import { waitForRollout, type RolloutTarget } from '../rollout.js';
import { findObject, STARTUP_LINE, type KubeObject } from '@llmops-rag/contract';
import type { Output } from '../types.js';
import { verifyDeployment } from '../verify.js';

/**
 * Phase 6: waits for the rollout (a stuck one prints its diagnostics and ends here), then runs the
 * spec's verification checklist against the running pod.
 */
export async function rollOutAndVerify(
  api: KubeApi,
  out: Output,
  checklist: Checklist,
  objects: readonly KubeObject[],
  namespace: string,
  rolloutOptions: { timeoutMs: number; imageLoadHint: string; verify: boolean },
): Promise<void> {
  out.line('\n▶ Rollout');
  const target: RolloutTarget = { namespace, deployment: NAMES.deployment, selector: `app=${NAMES.app}`, container: NAMES.container };
  const started = performance.now();
  const rollout = await waitForRollout(api, target, rolloutOptions, out);
  checklist.record({
    name: `Rollout of deployment/${NAMES.deployment}`,
    ok: rollout.ok,
    durationMs: performance.now() - started,
    detail: rollout.ok ? rollout.detail : rollout.diagnostics.reason,
  });
  if (!rollout.ok) {
    out.line(formatDiagnostics(rollout.diagnostics));
    return;
  }
  if (!rolloutOptions.verify) return;

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
    },
    checklist,
  );
}
