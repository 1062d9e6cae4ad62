/** One Kubernetes API type: the `apiVersion` and `kind` of its objects. */
export interface KubeKind {
  apiVersion: string;
  kind: string;
}

/** Every API type the manifests may contain; the schema accepts only these. */
export const KINDS = {
  Namespace: { apiVersion: 'v1', kind: 'Namespace' },
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap' },
  Secret: { apiVersion: 'v1', kind: 'Secret' },
  ServiceAccount: { apiVersion: 'v1', kind: 'ServiceAccount' },
  Service: { apiVersion: 'v1', kind: 'Service' },
  Deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
} as const satisfies Record<string, KubeKind>;

export type KindName = keyof typeof KINDS;

/** Cluster-scoped and referenced objects first, the workload last (what `kubectl apply` of a kustomization does). */
export const APPLY_ORDER: readonly KindName[] = [
  'Namespace',
  'ServiceAccount',
  'ConfigMap',
  'Secret',
  'Service',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'Deployment',
  'HorizontalPodAutoscaler',
];

/** Namespaced kinds the app may synthesize: a deploy prunes objects of these kinds it no longer synthesizes. */
export const PRUNABLE_KINDS: readonly KubeKind[] = [
  KINDS.Deployment,
  KINDS.Service,
  KINDS.ConfigMap,
  KINDS.Secret,
  KINDS.ServiceAccount,
  KINDS.NetworkPolicy,
  KINDS.PodDisruptionBudget,
  KINDS.HorizontalPodAutoscaler,
];
