import { Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import type { Construct } from 'constructs';
import { COMMON_LABELS } from '../names.js';

export interface NamespaceChartProps {
  namespace: string;
}

/**
 * The environment's Namespace (cluster-scoped, so its own chart). Pod Security
 * Admission enforces "restricted": a pod that loosens the securityContext is
 * refused by the API server too, not only by the policy rules here.
 */
export class NamespaceChart extends Chart {
  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.namespace,
        labels: {
          ...COMMON_LABELS,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
  }
}
