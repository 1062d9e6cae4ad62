import { NAMES } from '@llmops-rag/k8s-manifests';
import type { KubeObject } from '@llmops-rag/contract';
import type { DeployOverlay } from '../deploy-options.js';

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

/** The dev loop's overlay: readiness at once and every second, applied in memory to what `dev` deploys. */
export function devLoopOverlay(): DeployOverlay {
  return {
    name: DEV_LOOP_OVERLAY,
    summary: `readiness probe initialDelaySeconds ${DEV_READINESS.initialDelaySeconds}, periodSeconds ${DEV_READINESS.periodSeconds}; startup probe every 1s`,
    apply: (objects) => withAppContainer(objects, (container) => fastReadiness(container)),
  };
}

/** What to run to go back to the plain profile once `dev` has stopped. */
export function plainDeployCommand(mode: 'minikube' | 'local'): string {
  return `npx nx run k8s-manifests:deploy-${mode} --skip-build`;
}
