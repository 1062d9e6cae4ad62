/**
 * The API types the manifests may contain, keyed by `apiVersion/kind`, with
 * the kubernetes-models module and interface that describe each. The schema
 * generator starts from these; an object of any other type is rejected.
 */
export interface SchemaRoot {
  /** Module under `kubernetes-models/` (without extension). */
  module: string;
  /** The exported interface describing the wire format. */
  interface: string;
}

export const SCHEMA_ROOTS = {
  'v1/Namespace': { module: 'v1/Namespace', interface: 'INamespace' },
  'v1/ConfigMap': { module: 'v1/ConfigMap', interface: 'IConfigMap' },
  'v1/Secret': { module: 'v1/Secret', interface: 'ISecret' },
  'v1/ServiceAccount': { module: 'v1/ServiceAccount', interface: 'IServiceAccount' },
  'v1/Service': { module: 'v1/Service', interface: 'IService' },
  'apps/v1/Deployment': { module: 'apps/v1/Deployment', interface: 'IDeployment' },
  'policy/v1/PodDisruptionBudget': { module: 'policy/v1/PodDisruptionBudget', interface: 'IPodDisruptionBudget' },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    module: 'autoscaling/v2/HorizontalPodAutoscaler',
    interface: 'IHorizontalPodAutoscaler',
  },
  'networking.k8s.io/v1/NetworkPolicy': { module: 'networking.k8s.io/v1/NetworkPolicy', interface: 'INetworkPolicy' },
} as const satisfies Record<string, SchemaRoot>;

export type SchemaRootKey = keyof typeof SCHEMA_ROOTS;

export function rootKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}
