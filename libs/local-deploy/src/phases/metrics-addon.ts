import { tail } from '@llmops-rag/platform';
import type { Checklist } from '../checklist.js';
import type { DeployDeps, DeployOptions } from '../deploy-options.js';

export const METRICS_ADDON_STEP = 'metrics-server addon (--enable-metrics)';

/**
 * `--enable-metrics` (deploy-minikube): `minikube addons enable metrics-server`, so the checklist's CPU and memory step
 * has a metrics API to read. It changes nothing the deploy needs, so a failure is a ⚠ with minikube's words, not a ✗.
 */
export async function enableMetricsAddon(options: DeployOptions, deps: DeployDeps, checklist: Checklist): Promise<void> {
  if (!options.enableMetrics || options.mode !== 'minikube') return;
  const args = ['addons', 'enable', 'metrics-server', '-p', options.profile];
  deps.out.line(`\n▶ metrics-server addon: minikube ${args.join(' ')}`);
  await checklist.step(METRICS_ADDON_STEP, async () => {
    const result = await deps.runner.run('minikube', args, { timeoutMs: 120_000, onLine: (line) => deps.out.line(`    ${line}`) });
    if (result.code === 0)
      return { detail: `enabled on ${options.profile} (metrics-server reports a new pod once it has scraped it twice, up to 2 min later)`, value: undefined };
    const said = tail(result, 1) || (result.timedOut ? 'timed out after 2 minutes' : `exit ${result.code}`);
    return { detail: `\`minikube ${args.join(' ')}\` failed: ${said}; the usage step will say what it finds`, value: undefined, warning: true };
  });
}
