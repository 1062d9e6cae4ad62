import type { AppEnv } from '@llmops-rag/config';
import type { RuleId } from '../validate/policy/rule.js';

export type ProfileName = 'dev' | 'prod';

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Kubernetes quantities as strings, e.g. `128Mi`, `100m`. */
export interface ResourceAmounts {
  cpu: string;
  memory: string;
  /** Scratch space (the /tmp emptyDir and logs); omitted means unbounded. */
  ephemeralStorage?: string;
}

export interface Autoscaling {
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU utilisation, percent of the request. */
  cpuUtilizationPercent: number;
}

/** A policy rule this profile does not meet on purpose, and why. Shown in every report. */
export interface Waiver {
  rule: RuleId;
  reason: string;
}

/** Everything that differs between environments. The charts read nothing else. */
export interface Profile {
  name: ProfileName;
  appEnv: AppEnv;
  namespace: string;
  /** `repository:tag` or `repository@sha256:...`. */
  image: string;
  imagePullPolicy: ImagePullPolicy;
  /** Used when `autoscaling` is absent; with an HPA the Deployment omits replicas. */
  replicas: number;
  resources: { requests: ResourceAmounts; limits: ResourceAmounts };
  /** Size of the writable /tmp emptyDir. */
  tmpSizeLimit: string;
  autoscaling?: Autoscaling;
  /** Voluntary disruptions allowed at once (node drains, upgrades). */
  disruptionBudget?: { maxUnavailable: number };
  /** Spread pods over zones and nodes. */
  topologySpread: boolean;
  /** Default-deny NetworkPolicy with the API's own allowances. */
  networkPolicy: boolean;
  /** Annotate the ServiceAccount with the IRSA role of libs/infra-eks. */
  irsa: boolean;
  waivers: readonly Waiver[];
}
