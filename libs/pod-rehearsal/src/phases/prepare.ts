import { basename } from 'node:path';
import { describeProbe, describeTimings } from '../probe-state.js';
import { readProfile } from '../read-profile.js';
import type { RehearsalOptions } from '../rehearse.js';
import type { Step } from '../result.js';
import { buildRunPlan, PlanError, type RunPlan } from '../run-plan.js';
import { resolveSecret } from '../secret-values.js';
import { RehearsalStop } from './stop.js';

export const REHEARSAL_LABEL = 'io.llmops-rag.rehearsal';

/** Phase 1, pure: the synthesized manifests and the secret values → the `docker run` plan. A manifest that can't be run stops with phase `plan`. */
export function preparePlan(options: RehearsalOptions): RunPlan {
  try {
    const objects = readProfile(options.dir, options.deploymentName);
    const secrets = objects.secrets.map((s) => resolveSecret(s, options.env, options.dotEnv));
    const runName = `rehearsal-${options.profile}-${options.deploymentName}-${process.pid}-${Date.now().toString(36)}`;
    return buildRunPlan({
      deployment: objects.deployment,
      configMaps: objects.configMaps,
      secrets,
      ...(options.containerName ? { containerName: options.containerName } : {}),
      ...(options.image ? { image: options.image } : {}),
      runName,
      label: `${REHEARSAL_LABEL}=${options.profile}`,
    });
  } catch (error) {
    throw new RehearsalStop({
      phase: 'plan',
      reason: (error as Error).message,
      ...(error instanceof PlanError ? {} : { fix: 'npx nx run k8s-manifests:synth' }),
    });
  }
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}

/** The plan as report steps: what was read, the environment (secret values never shown), security, resources, probes. */
export function planSteps(plan: RunPlan, dir: string): Step[] {
  const envLines = plan.env.map((e) => {
    if (e.source.kind === 'secret') {
      const from = { environment: 'value from the environment', '.env': 'value from .env', manifest: 'value from the manifest, a placeholder' }[
        e.source.valueFrom
      ];
      return `${e.name} ← Secret ${e.source.name} (${from}; value not shown)`;
    }
    return `${e.name}=${e.value} ← ${e.source.kind === 'configMap' ? `ConfigMap ${e.source.name}` : 'container env'}`;
  });
  const security: string[] = [];
  const args = plan.dockerArgs;
  const flag = (name: string) => args.flatMap((a, i) => (a === name ? [args[i + 1] ?? ''] : []));
  if (plan.user)
    security.push(
      `user ${plan.user.uid}${plan.user.gid !== undefined ? `:${plan.user.gid}` : ''}${flag('--group-add').length ? ` (+groups ${flag('--group-add').join(',')})` : ''}`,
    );
  if (args.includes('--read-only')) security.push('read-only root filesystem');
  for (const tmpfs of flag('--tmpfs')) security.push(`tmpfs ${tmpfs.split(':')[0]} (emptyDir)`);
  if (flag('--cap-drop').length) security.push(`cap-drop ${flag('--cap-drop').join(',')}`);
  if (flag('--security-opt').includes('no-new-privileges')) security.push('no-new-privileges');
  const limits = [
    plan.limits.memoryBytes !== undefined ? `memory ${mib(plan.limits.memoryBytes)} (no swap)` : 'no memory limit',
    plan.limits.cpus !== undefined ? `cpus ${plan.limits.cpus}` : 'no cpu limit',
  ];
  return [
    {
      status: 'ok',
      title: `Read ${basename(dir)} manifests: Deployment/${plan.deployment}, container ${plan.container}, image ${plan.image} (pull policy ${plan.imagePullPolicy})`,
      details: [],
    },
    { status: 'ok', title: `Environment: ${plan.env.length} variables (envFrom, then env)`, details: envLines },
    { status: 'ok', title: `Security context → docker: ${security.join(', ') || 'none'}`, details: [] },
    { status: 'ok', title: `Resources → docker: ${limits.join(', ')}`, details: [] },
    {
      status: 'ok',
      title: `Probes: ${plan.probes.map((p) => p.kind).join(', ') || 'none'}; preStop: ${plan.preStop ? plan.preStop.type : 'none'}; terminationGracePeriodSeconds ${plan.terminationGracePeriodSeconds}`,
      details: plan.probes.map((p) => `${describeProbe(p)}: ${describeTimings(p)}`),
    },
  ];
}
