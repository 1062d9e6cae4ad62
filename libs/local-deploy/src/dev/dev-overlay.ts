import { createHash } from 'node:crypto';
import { NAMES } from '@llmops-rag/k8s-manifests';
import { HEALTH_PATHS, type KubeObject } from '@llmops-rag/contract';
import type { DeployOverlay } from '../deploy-options.js';
import { LIVE_PATHS, SYNC_PORT } from './live/supervisor-script.js';

/** On the Deployment the dev loop deployed: which overlay it runs with (a plain deploy removes it with the rest). */
export const OVERLAY_ANNOTATION = 'llmops-rag.io/overlay';
export const DEV_LOOP_OVERLAY = 'dev-loop';

/** How readiness runs while `dev` does: the first probe at once, then every second (the spec's 5 s delay and 10 s period otherwise). */
export const DEV_READINESS = { initialDelaySeconds: 0, periodSeconds: 1 } as const;

interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  [field: string]: unknown;
}
export interface Container {
  name: string;
  args?: string[];
  readinessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  [field: string]: unknown;
}
export interface PodTemplate {
  metadata?: { annotations?: Record<string, string>; [field: string]: unknown };
  spec?: { containers?: Container[]; volumes?: Record<string, unknown>[]; [field: string]: unknown };
}

/**
 * The app container's probes as the loop runs them: readiness answers as soon as the app is ready (no initial delay,
 * every second), and the startup probe, which holds readiness back until it passes, also every second with the same
 * total budget (periodSeconds × failureThreshold). Liveness keeps the profile's values.
 */
export function fastReadiness(container: Container): void {
  if (container.readinessProbe) container.readinessProbe = { ...container.readinessProbe, ...DEV_READINESS };
  const startup = container.startupProbe;
  if (startup) {
    const budget = (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3);
    container.startupProbe = { ...startup, periodSeconds: 1, failureThreshold: Math.max(budget, 1) };
  }
}

/** A copy of the app's Deployment with `change` made to its pod template and app container, and the overlay annotation. */
export function withAppContainer(objects: readonly KubeObject[], change: (container: Container, template: PodTemplate) => void): KubeObject[] {
  let found = false;
  const changed = objects.map((object) => {
    if (object.kind !== 'Deployment' || object.metadata.name !== NAMES.deployment) return object;
    const copy = structuredClone(object);
    const template = (copy.spec as { template?: PodTemplate } | undefined)?.template;
    const container = template?.spec?.containers?.find((c) => c.name === NAMES.container);
    if (!template || !container) return object;
    found = true;
    change(container, template);
    copy.metadata.annotations = { ...copy.metadata.annotations, [OVERLAY_ANNOTATION]: DEV_LOOP_OVERLAY };
    return copy;
  });
  if (!found) {
    throw new Error(
      `the ${DEV_LOOP_OVERLAY} overlay found no container ${NAMES.container} in deployment/${NAMES.deployment}\nfix: regenerate the manifests: npx nx run k8s-manifests:synth`,
    );
  }
  return changed;
}

/** The ConfigMap that delivers the live-update supervisor (only `dev` deploys it; a plain deploy prunes it). */
export const SUPERVISOR_CONFIGMAP = `${NAMES.deployment}-dev-loop`;
/** On the pod template: the supervisor's digest, so a changed supervisor rolls the pods. */
export const SUPERVISOR_DIGEST_ANNOTATION = 'llmops-rag.io/dev-loop-supervisor';

/**
 * The live-update pieces: the supervisor in a ConfigMap (the Deployment's labels, so the deploy owns and prunes it),
 * mounted read-only; an emptyDir for the bundles it receives (the only writable code path, and only here); and the
 * container's args replaced so the image's own ENTRYPOINT (node) runs the supervisor, which runs /app/main.js.
 */
function withSupervisor(objects: readonly KubeObject[], script: string): KubeObject[] {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === NAMES.deployment);
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: SUPERVISOR_CONFIGMAP,
      ...(deployment?.metadata.namespace ? { namespace: deployment.metadata.namespace } : {}),
      labels: { ...deployment?.metadata.labels },
      annotations: { [OVERLAY_ANNOTATION]: DEV_LOOP_OVERLAY },
    },
    data: { 'supervisor.js': script },
  };
  const digest = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const changed = withAppContainer(objects, (container, template) => {
    container.args = [
      LIVE_PATHS.script,
      '--image-app=/app',
      `--live-dir=${LIVE_PATHS.liveDir}`,
      `--sync-port=${SYNC_PORT}`,
      `--ready-path=${HEALTH_PATHS.ready}`,
    ];
    container.volumeMounts = [
      ...(container.volumeMounts ?? []),
      { name: 'dev-loop-supervisor', mountPath: LIVE_PATHS.supervisorDir, readOnly: true },
      { name: 'dev-loop-app', mountPath: LIVE_PATHS.liveDir },
    ];
    template.spec = {
      ...template.spec,
      volumes: [
        ...(template.spec?.volumes ?? []),
        { name: 'dev-loop-supervisor', configMap: { name: SUPERVISOR_CONFIGMAP } },
        { name: 'dev-loop-app', emptyDir: { sizeLimit: '256Mi' } },
      ],
    };
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [SUPERVISOR_DIGEST_ANNOTATION]: digest } };
  });
  // Before the Deployment that mounts it.
  const at = changed.findIndex((o) => o.kind === 'Deployment');
  return [...changed.slice(0, at), configMap, ...changed.slice(at)];
}

/**
 * The dev loop's overlay, applied in memory to what `dev` deploys: readiness at once and every second and, given the
 * supervisor's script, the live-update supervisor (so a source-only change restarts the app in place, no new image).
 */
export function devLoopOverlay(live?: { script: string }): DeployOverlay {
  const readiness = `readiness probe initialDelaySeconds ${DEV_READINESS.initialDelaySeconds}, periodSeconds ${DEV_READINESS.periodSeconds}; startup probe every 1s`;
  return {
    name: DEV_LOOP_OVERLAY,
    summary: live ? `${readiness}; live-update supervisor on 127.0.0.1:${SYNC_PORT} with an emptyDir for new bundles` : readiness,
    apply: (objects) => {
      const fast = withAppContainer(objects, (container) => fastReadiness(container));
      return live ? withSupervisor(fast, live.script) : fast;
    },
  };
}

/** What to run to go back to the plain profile once `dev` has stopped. */
export function plainDeployCommand(mode: 'minikube' | 'local'): string {
  return `npx nx run k8s-manifests:deploy-${mode} --skip-build`;
}
